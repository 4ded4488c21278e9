#!/usr/bin/env bash
# Benchmark of the IES import slice on a fresh Kafka and PostgreSQL (own ports); prints figures.
# Arguments go to deploy/benchmark_ies_import.py (e.g. --rows 20000). Kafka's own ProducerPerformance and
# ConsumerPerformance (the kafka-tools jars, fetched from Maven Central once and cached like the broker's)
# run on the same broker as references. With --parts first, the import's parts are measured one at a time
# instead (deploy/benchmark_parts.py, e.g. --parts --rows 40000 --profile).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash deploy/setup.sh >/dev/null

KAFKA_VERSION=4.0.1
LOG4J_VERSION=2.24.3
tools_dir="${ISETS_CACHE:-$HOME/.cache/isets}/kafka-tools-$KAFKA_VERSION"

fetch_kafka_tools() {
  [[ -f "$tools_dir/.fetched" ]] && return 0
  command -v mvn >/dev/null || { echo "benchmark.sh: mvn not found" >&2; exit 1; }
  local work
  work="$(mktemp -d)"
  # kafka-tools' Connect dependencies are not needed by the perf tools (and not all are published).
  local exclusions=""
  for artifact in connect-api connect-json connect-transforms connect-runtime; do
    exclusions+="<exclusion><groupId>org.apache.kafka</groupId><artifactId>$artifact</artifactId></exclusion>"
  done
  cat >"$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>isets</groupId><artifactId>kafka-tools-runtime</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>$KAFKA_VERSION</version>
      <exclusions>$exclusions</exclusions></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>$LOG4J_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>$LOG4J_VERSION</version></dependency>
  </dependencies>
  <build><plugins><plugin>
    <groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version>
  </plugin></plugins></build>
</project>
POM
  echo "fetching kafka-tools $KAFKA_VERSION jars into $tools_dir"
  (cd "$work" && mvn -q -B dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$work/libs") \
    >"$work/mvn.log" 2>&1 || { cat "$work/mvn.log" >&2; rm -rf "$work"; exit 1; }
  rm -rf "$tools_dir"
  mkdir -p "$(dirname "$tools_dir")"
  mv "$work/libs" "$tools_dir"
  touch "$tools_dir/.fetched"
  rm -rf "$work"
}
fetch_kafka_tools

export KAFKA_PORT=29092 PG_PORT=55434
export KAFKA_DATA_DIR="$root/.state/bench-kafka" PG_DATA_DIR="$root/.state/bench-pg"
source deploy/fresh_infrastructure.sh

if [[ "${1:-}" == "--parts" ]]; then
  shift
  .venv/bin/python deploy/benchmark_parts.py --kafka-port "$KAFKA_PORT" --pg-port "$PG_PORT" "$@"
  exit
fi
.venv/bin/python deploy/benchmark_ies_import.py --kafka-port "$KAFKA_PORT" --pg-port "$PG_PORT" \
  --kafka-pid-file "$KAFKA_DATA_DIR/kafka.pid" --pg-pid-file "$PG_DATA_DIR/postmaster.pid" --kafka-tools "$tools_dir" "$@"
