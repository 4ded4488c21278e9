#!/usr/bin/env bash
# Stops what deploy/up.sh started (with or without --postgres). Data stays in .state/ and in the
# PostgreSQL data dir (deploy/up.sh --clean starts empty).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
[[ -x .venv/bin/python ]] && .venv/bin/python deploy/stack.py down
KAFKA_PORT="${KAFKA_PORT:-9092}" bash deploy/kafka.sh stop
PG_PORT="${ISETS_PG_PORT:-55432}" bash deploy/postgres.sh stop >/dev/null
