#!/usr/bin/env bash
# Benchmark of the IES import slice on a fresh Kafka and PostgreSQL (own ports); prints figures.
# Arguments go to deploy/benchmark_ies_import.py (e.g. --rows 20000).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash deploy/setup.sh >/dev/null

export KAFKA_PORT=29092 PG_PORT=55434
export KAFKA_DATA_DIR="$root/.state/bench-kafka" PG_DATA_DIR="$root/.state/bench-pg"
cleanup() { bash deploy/kafka.sh stop >/dev/null 2>&1 || true; bash deploy/postgres.sh stop >/dev/null 2>&1 || true; }
trap cleanup EXIT
bash deploy/kafka.sh stop >/dev/null 2>&1 || true
rm -rf "$KAFKA_DATA_DIR"
bash deploy/kafka.sh start
bash deploy/postgres.sh start

.venv/bin/python deploy/benchmark_ies_import.py --kafka-port "$KAFKA_PORT" --pg-port "$PG_PORT" \
  --kafka-pid-file "$KAFKA_DATA_DIR/kafka.pid" --pg-pid-file "$PG_DATA_DIR/postmaster.pid" "$@"
