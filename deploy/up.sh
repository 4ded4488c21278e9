#!/usr/bin/env bash
# Starts the whole system on this machine with demo data: Kafka (KRaft), every service (SQLite
# databases under .state/), then imports a demo IES extract and walks a few referrals through the
# gateway. Stop it all with deploy/down.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash deploy/setup.sh
KAFKA_PORT="${KAFKA_PORT:-9092}" bash deploy/kafka.sh start
.venv/bin/python deploy/stack.py up --kafka "127.0.0.1:${KAFKA_PORT:-9092}"
.venv/bin/python deploy/demo.py
