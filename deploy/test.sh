#!/usr/bin/env bash
# The whole test suite: unit tests, then the cross-service tests on a real Kafka broker and a real
# PostgreSQL, both started here (fresh) and stopped at the end. Lints and tests contracts, kit, every
# package of the service registry, deploy/ and tests/. Extra arguments go to pytest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash deploy/setup.sh
mapfile -t packages < <(python3 kit/isets_kit/registry.py packages)
.venv/bin/ruff check --quiet contracts kit "${packages[@]}" deploy tests web/scripts
bash deploy/web.sh --test

export ISETS_TEST_KAFKA_PORT="${ISETS_TEST_KAFKA_PORT:-19092}"
export ISETS_TEST_PG_PORT="${ISETS_TEST_PG_PORT:-55433}"
export KAFKA_DATA_DIR="$root/.state/test-kafka-$ISETS_TEST_KAFKA_PORT"

stop_infrastructure() {
  KAFKA_PORT="$ISETS_TEST_KAFKA_PORT" bash deploy/kafka.sh stop >/dev/null 2>&1 || true
  PG_PORT="$ISETS_TEST_PG_PORT" bash deploy/postgres.sh stop >/dev/null 2>&1 || true
}
trap stop_infrastructure EXIT

# A fresh broker every run, so no topic carries events from an earlier run.
KAFKA_PORT="$ISETS_TEST_KAFKA_PORT" bash deploy/kafka.sh stop >/dev/null 2>&1 || true
rm -rf "$KAFKA_DATA_DIR"
KAFKA_PORT="$ISETS_TEST_KAFKA_PORT" bash deploy/kafka.sh start
PG_PORT="$ISETS_TEST_PG_PORT" bash deploy/postgres.sh start

.venv/bin/python -m pytest contracts kit "${packages[@]}" tests "$@"
