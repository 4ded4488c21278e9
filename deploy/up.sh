#!/usr/bin/env bash
# Starts the whole system on this machine with demo data: Kafka (KRaft), every service of the
# registry (SQLite databases under .state/), then imports a demo IES extract and walks a few
# referrals through the gateway. Builds the staff web app when its sources changed (deploy/web.sh); the
# gateway serves it at /. Stop it all with deploy/down.sh.
#
#   --postgres   the same stack on PostgreSQL, as in production and the tests: deploy/postgres.sh on
#                port ISETS_PG_PORT (55432), one database per service, kept between runs
#   --clean      start with empty databases
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

pg_port=""
stack_args=()
for argument in "$@"; do
  case "$argument" in
    --postgres) pg_port="${ISETS_PG_PORT:-55432}" ;;
    --clean) stack_args+=(--clean) ;;
    *) echo "usage: $0 [--postgres] [--clean]" >&2; exit 2 ;;
  esac
done

bash deploy/setup.sh
bash deploy/web.sh
KAFKA_PORT="${KAFKA_PORT:-9092}" bash deploy/kafka.sh start
if [[ -n "$pg_port" ]]; then
  PG_PORT="$pg_port" bash deploy/postgres.sh start
  stack_args+=(--postgres "$pg_port")
fi
.venv/bin/python deploy/stack.py up --kafka "127.0.0.1:${KAFKA_PORT:-9092}" "${stack_args[@]}"
.venv/bin/python deploy/demo.py
echo "staff web app: http://127.0.0.1:8100/  (sign in with a demo user, password demo-password)"
