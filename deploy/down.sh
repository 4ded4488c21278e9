#!/usr/bin/env bash
# Stops what deploy/up.sh started. Data stays in .state/ (delete it for a clean start).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
[[ -x .venv/bin/python ]] && .venv/bin/python deploy/stack.py down
KAFKA_PORT="${KAFKA_PORT:-9092}" bash deploy/kafka.sh stop
