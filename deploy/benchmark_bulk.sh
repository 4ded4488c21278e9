#!/usr/bin/env bash
# Benchmark of the Customer Services Report's bulk save and CSV import (1,000 rows each by default) on
# SQLite and PostgreSQL, on a fresh Kafka and PostgreSQL (own ports); prints rows/s and total seconds.
# Arguments go to deploy/benchmark_bulk.py (e.g. --rows 5000).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash deploy/setup.sh >/dev/null

export KAFKA_PORT=29292 PG_PORT=55634
export KAFKA_DATA_DIR="$root/.state/bench-bulk-kafka" PG_DATA_DIR="$root/.state/bench-bulk-pg"
source deploy/fresh_infrastructure.sh

.venv/bin/python deploy/benchmark_bulk.py --kafka-port "$KAFKA_PORT" --pg-port "$PG_PORT" "$@"
