#!/usr/bin/env bash
# Read benchmark: the gateway's profile and list routes against a bare FastAPI app, with wrk, on SQLite and
# PostgreSQL (own Kafka and PostgreSQL ports). Arguments go to deploy/benchmark_reads.py (e.g. --customers 5000).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash deploy/setup.sh >/dev/null
if ! command -v wrk >/dev/null; then
  apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi

export KAFKA_PORT=29192 PG_PORT=55534
export KAFKA_DATA_DIR="$root/.state/bench-reads-kafka" PG_DATA_DIR="$root/.state/bench-reads-pg"
source deploy/fresh_infrastructure.sh

.venv/bin/python deploy/benchmark_reads.py \
  --kafka-port "$KAFKA_PORT" --pg-port "$PG_PORT" "$@"
