# Sourced by the benchmark scripts: a fresh Kafka (empty data dir) and a PostgreSQL on KAFKA_PORT / PG_PORT
# with data under KAFKA_DATA_DIR / PG_DATA_DIR, both stopped when the calling script exits.
stop_infrastructure() {
  bash deploy/kafka.sh stop >/dev/null 2>&1 || true
  bash deploy/postgres.sh stop >/dev/null 2>&1 || true
}
trap stop_infrastructure EXIT
bash deploy/kafka.sh stop >/dev/null 2>&1 || true
rm -rf "$KAFKA_DATA_DIR"
bash deploy/kafka.sh start
bash deploy/postgres.sh start
