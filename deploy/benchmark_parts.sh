#!/usr/bin/env bash
# The IES slice's parts measured one at a time, in process, on a fresh Kafka and PostgreSQL (own ports):
# ies_sync's import (no relay), intake's consumer on IES events (no Kafka), the relay to the broker.
# Prints rows or events per second and the process's CPU seconds. Arguments go to
# deploy/benchmark_parts.py (e.g. --rows 40000 --profile for cProfile's top functions).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash deploy/setup.sh >/dev/null

export KAFKA_PORT=29392 PG_PORT=55734
export KAFKA_DATA_DIR="$root/.state/bench-parts-kafka" PG_DATA_DIR="$root/.state/bench-parts-pg"
source deploy/fresh_infrastructure.sh

.venv/bin/python deploy/benchmark_parts.py --kafka-port "$KAFKA_PORT" --pg-port "$PG_PORT" "$@"
