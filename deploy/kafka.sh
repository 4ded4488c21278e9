#!/usr/bin/env bash
# Single-node Apache Kafka (KRaft, combined broker+controller) on 127.0.0.1, no Docker.
# The broker is assembled from Apache's Maven artifacts and run with the local Java 17.
#
# Usage: deploy/kafka.sh {fetch|start|stop|status}
# Env:   KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (KAFKA_PORT+1),
#        KAFKA_DATA_DIR (${ISETS_STATE:-<repo>/.state}/kafka-$KAFKA_PORT),
#        KAFKA_HEAP (-Xms256m -Xmx512m), ISETS_CACHE (~/.cache/isets)
set -euo pipefail

KAFKA_VERSION=4.0.1
LOG4J_VERSION=2.24.3
DEP_PLUGIN_VERSION=3.8.1

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
# State defaults to the repo (not $PWD) so start/stop/status agree from any cwd.
KAFKA_DATA_DIR="${KAFKA_DATA_DIR:-${ISETS_STATE:-$REPO_ROOT/.state}/kafka-$KAFKA_PORT}"
KAFKA_HEAP="${KAFKA_HEAP:--Xms256m -Xmx512m}"
CACHE_DIR="${ISETS_CACHE:-$HOME/.cache/isets}/kafka-$KAFKA_VERSION"
LIBS_DIR="$CACHE_DIR/libs"
FETCH_MARKER="$CACHE_DIR/.fetched"

PID_FILE="$KAFKA_DATA_DIR/kafka.pid"
LOG_FILE="$KAFKA_DATA_DIR/kafka.log"
PROPS_FILE="$KAFKA_DATA_DIR/server.properties"
LOG4J_FILE="$KAFKA_DATA_DIR/log4j2.properties"
LOG_DIRS="$KAFKA_DATA_DIR/data"
READY_LINE="Kafka Server started"
START_TIMEOUT=90
STOP_TIMEOUT=30

die() { echo "kafka.sh: $*" >&2; exit 1; }

fetch() {
    if [[ -f "$FETCH_MARKER" ]]; then
        return 0
    fi
    command -v mvn >/dev/null || die "mvn not found"
    FETCH_TMP="$(mktemp -d)"
    trap 'rm -rf "$FETCH_TMP"' EXIT
    cat >"$FETCH_TMP/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>isets</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-api</artifactId><version>$LOG4J_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>$LOG4J_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>$LOG4J_VERSION</version></dependency>
  </dependencies>
  <build><plugins><plugin>
    <groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>$DEP_PLUGIN_VERSION</version>
  </plugin></plugins></build>
</project>
EOF
    echo "fetching kafka $KAFKA_VERSION jars into $LIBS_DIR"
    mkdir -p "$CACHE_DIR"
    local out
    out="$(mktemp -d "$CACHE_DIR/libs.XXXXXX")"
    # mvn -q still prints stray ANSI resets; keep its output only for failures.
    (cd "$FETCH_TMP" && mvn -q -B dependency:copy-dependencies -DincludeScope=runtime \
        -DoutputDirectory="$out") >"$FETCH_TMP/mvn.log" 2>&1 ||
        { cat "$FETCH_TMP/mvn.log" >&2; rm -rf "$out"; die "maven fetch failed"; }
    [[ -f "$out/kafka_2.13-$KAFKA_VERSION.jar" ]] || { rm -rf "$out"; die "fetch incomplete"; }
    if [[ -f "$FETCH_MARKER" ]]; then # a concurrent fetch won
        rm -rf "$out"
        return 0
    fi
    rm -rf "$LIBS_DIR"
    mv "$out" "$LIBS_DIR"
    touch "$FETCH_MARKER"
}

# Alive and not a zombie (an unreaped child still answers kill -0).
alive() {
    kill -0 "$1" 2>/dev/null || return 1
    [[ "$(sed -n 's/^.*) \(.\).*$/\1/p' "/proc/$1/stat" 2>/dev/null)" != Z ]]
}

# Prints the pid if the broker recorded in the pid file is alive.
running_pid() {
    [[ -f "$PID_FILE" ]] || return 1
    local pid
    pid="$(cat "$PID_FILE")"
    [[ -n "$pid" ]] && alive "$pid" || return 1
    # Guard against a recycled pid belonging to something else.
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka' || return 1
    echo "$pid"
}

write_config() {
    cat >"$PROPS_FILE" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$LOG_DIRS
# Topics are declared in contracts/isets_contracts/topics.py and created by the services.
auto.create.topics.enable=false
# Single node: replication 1, few internal partitions (defaults are slow on 2 cores).
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# Default dedupe buffer is 128 MiB of heap.
log.cleaner.dedupe.buffer.size=2097152
# On restart the controller rejects the new broker incarnation until the old one's session
# expires (default 9 s, so restarts took ~12 s); a shorter session keeps restarts quick.
broker.heartbeat.interval.ms=1000
broker.session.timeout.ms=4000
EOF
    cat >"$LOG4J_FILE" <<'EOF'
status = warn
# Keep logging through Kafka's own shutdown hook.
shutdownHook = disable
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.out.ref = STDOUT
logger.raft.name = kafka.server.KafkaRaftServer
logger.raft.level = INFO
logger.kafkaserver.name = kafka.server.KafkaServer
logger.kafkaserver.level = INFO
logger.broker.name = kafka.server.BrokerServer
logger.broker.level = INFO
EOF
}

JAVA_OPTS=()
set_java_opts() {
    read -ra JAVA_OPTS <<<"$KAFKA_HEAP"
    # The class path wildcard must reach java unexpanded.
    JAVA_OPTS+=(-XX:+UseG1GC -Djava.awt.headless=true
        -Dlog4j2.configurationFile="$LOG4J_FILE" -cp "$LIBS_DIR/*")
}

start() {
    local pid
    if pid="$(running_pid)"; then
        echo "kafka already running (pid $pid) on 127.0.0.1:$KAFKA_PORT"
        return 0
    fi
    fetch
    command -v java >/dev/null || die "java not found"
    mkdir -p "$KAFKA_DATA_DIR" "$LOG_DIRS"
    write_config
    set_java_opts
    if [[ ! -f "$LOG_DIRS/meta.properties" ]]; then
        local cluster_id
        cluster_id="$(java "${JAVA_OPTS[@]}" kafka.tools.StorageTool random-uuid | tail -n1)"
        java "${JAVA_OPTS[@]}" kafka.tools.StorageTool format --standalone -t "$cluster_id" -c "$PROPS_FILE" \
            >"$KAFKA_DATA_DIR/format.log" 2>&1 || { cat "$KAFKA_DATA_DIR/format.log" >&2; die "storage format failed"; }
    fi
    if [[ -f "$LOG_FILE" ]]; then mv -f "$LOG_FILE" "$LOG_FILE.1"; fi
    nohup java "${JAVA_OPTS[@]}" kafka.Kafka "$PROPS_FILE" >"$LOG_FILE" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$PID_FILE"
    local waited=0
    until grep -q "$READY_LINE" "$LOG_FILE" 2>/dev/null; do
        if ! alive "$pid"; then
            tail -n 30 "$LOG_FILE" >&2
            rm -f "$PID_FILE"
            die "kafka exited during startup (log: $LOG_FILE)"
        fi
        if ((waited >= START_TIMEOUT * 2)); then
            tail -n 30 "$LOG_FILE" >&2
            die "kafka not ready after ${START_TIMEOUT}s (pid $pid, log: $LOG_FILE)"
        fi
        sleep 0.5
        waited=$((waited + 1))
    done
    echo "kafka ready on 127.0.0.1:$KAFKA_PORT"
}

stop() {
    local pid
    if ! pid="$(running_pid)"; then
        rm -f "$PID_FILE"
        echo "kafka not running"
        return 0
    fi
    kill -TERM "$pid" 2>/dev/null || true
    local waited=0
    while alive "$pid"; do
        if ((waited >= STOP_TIMEOUT * 2)); then
            echo "kafka did not stop in ${STOP_TIMEOUT}s, killing" >&2
            kill -KILL "$pid" 2>/dev/null || true
            while alive "$pid"; do sleep 0.1; done
            break
        fi
        sleep 0.5
        waited=$((waited + 1))
    done
    rm -f "$PID_FILE"
    echo "kafka stopped"
}

status() {
    local pid
    if pid="$(running_pid)"; then
        echo "kafka running (pid $pid) on 127.0.0.1:$KAFKA_PORT"
    else
        echo "kafka stopped"
        return 1
    fi
}

case "${1:-}" in
    fetch) fetch ;;
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 {fetch|start|stop|status}" >&2; exit 2 ;;
esac
