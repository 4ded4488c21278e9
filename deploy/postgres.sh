#!/usr/bin/env bash
# PostgreSQL from the machine's own binaries on 127.0.0.1, no Docker. For tests and demos only:
# trust auth and no durability (fsync, synchronous_commit, full_page_writes off).
#
# Usage: deploy/postgres.sh {start|stop|status|createdb NAME}
# Env:   PG_PORT (55432), PG_DATA_DIR (${ISETS_STATE:-<repo>/.state}/pg-$PG_PORT)
#
# initdb/postgres refuse to run as root, so as root the server runs as the `postgres` OS user
# (created if missing) and owns the data dir. If that user cannot reach the default data dir
# (e.g. the repo lives under /root), the default becomes /tmp/isets-pg-$PG_PORT instead.
set -euo pipefail
umask 022

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

PG_PORT="${PG_PORT:-55432}"
PG_USER=postgres
START_TIMEOUT=60

die() { echo "postgres.sh: $*" >&2; exit 1; }

is_root() { [[ $EUID -eq 0 ]]; }

# Runs a server-side command as the postgres OS user (from / so no unreadable cwd).
as_pg() {
    if is_root; then
        (cd / && runuser -u "$PG_USER" -- "$@")
    else
        "$@"
    fi
}

find_bin() {
    local initdb
    initdb="$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n1)"
    [[ -x "$initdb" ]] && dirname "$initdb"
}

ensure_installed() {
    if PG_BIN="$(find_bin)"; then
        return 0
    fi
    is_root || die "PostgreSQL not installed and not root: install the postgresql package"
    echo "installing postgresql (Debian packages)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    PG_BIN="$(find_bin)" || die "initdb still missing after install"
}

ensure_pg_user() {
    is_root || return 0
    id -u "$PG_USER" >/dev/null 2>&1 ||
        useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash "$PG_USER"
}

# The nearest existing ancestor of a path (missing parts get created 0755 by root).
existing_ancestor() {
    local p="$1"
    while [[ ! -e "$p" ]]; do p="$(dirname "$p")"; done
    echo "$p"
}

resolve_data_dir() {
    if [[ -n "${PG_DATA_DIR:-}" ]]; then
        return 0
    fi
    PG_DATA_DIR="${ISETS_STATE:-$REPO_ROOT/.state}/pg-$PG_PORT"
    if is_root && id -u "$PG_USER" >/dev/null 2>&1 &&
        ! as_pg test -x "$(existing_ancestor "$PG_DATA_DIR")"; then
        PG_DATA_DIR="/tmp/isets-pg-$PG_PORT"
    fi
}

pg_ctl_() { as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA_DIR" "$@"; }

is_running() { [[ -f "$PG_DATA_DIR/PG_VERSION" ]] && pg_ctl_ status >/dev/null 2>&1; }

init_cluster() {
    # Unix socket paths are limited to 107 bytes.
    ((${#PG_DATA_DIR} + 20 <= 107)) || die "PG_DATA_DIR too long for a unix socket path: $PG_DATA_DIR"
    mkdir -p "$PG_DATA_DIR"
    if is_root; then chown "$PG_USER:" "$PG_DATA_DIR"; fi
    chmod 700 "$PG_DATA_DIR"
    as_pg test -w "$PG_DATA_DIR" || die "$PG_USER cannot write $PG_DATA_DIR (check parent dir permissions)"
    if [[ ! -f "$PG_DATA_DIR/PG_VERSION" ]]; then
        local out
        out="$(as_pg "$PG_BIN/initdb" -D "$PG_DATA_DIR" --auth=trust -U postgres \
            --encoding=UTF8 --no-locale 2>&1)" || { echo "$out" >&2; die "initdb failed"; }
        echo "include_if_exists = 'isets.conf'" | as_pg tee -a "$PG_DATA_DIR/postgresql.conf" >/dev/null
    fi
    # Rewritten on every start so env changes (port, dir) take effect.
    as_pg tee "$PG_DATA_DIR/isets.conf" >/dev/null <<EOF
port = $PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DATA_DIR'
max_connections = 200
shared_buffers = 128MB
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
}

start() {
    if is_running; then
        echo "postgres already running on 127.0.0.1:$PG_PORT ($PG_DATA_DIR)"
        return 0
    fi
    init_cluster
    pg_ctl_ -l "$PG_DATA_DIR/postgres.log" -w -t "$START_TIMEOUT" start >/dev/null ||
        { tail -n 20 "$PG_DATA_DIR/postgres.log" >&2; die "start failed (log: $PG_DATA_DIR/postgres.log)"; }
    local waited=0
    until "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; do
        ((waited++ < START_TIMEOUT * 2)) || die "not ready after ${START_TIMEOUT}s"
        sleep 0.5
    done
    echo "postgres ready on 127.0.0.1:$PG_PORT"
}

stop() {
    if ! is_running; then
        echo "postgres not running"
        return 0
    fi
    pg_ctl_ stop -m fast -w -t 60 >/dev/null
    echo "postgres stopped"
}

status() {
    if is_running; then
        echo "postgres running on 127.0.0.1:$PG_PORT ($PG_DATA_DIR)"
    else
        echo "postgres stopped"
        return 1
    fi
}

createdb() {
    local name="${1:-}"
    [[ -n "$name" ]] || die "usage: $0 createdb NAME"
    # psql variables quote the name safely; \gexec runs the CREATE only when it is missing.
    "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -v name="$name" \
        -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres <<'SQL'
SELECT format('CREATE DATABASE %I', :'name')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'name') \gexec
SQL
    echo "database $name ready"
}

cmd="${1:-}"
case "$cmd" in
    start | stop | status | createdb) ;;
    *) echo "usage: $0 {start|stop|status|createdb NAME}" >&2; exit 2 ;;
esac
if [[ "$cmd" == start ]]; then
    ensure_installed
    ensure_pg_user
elif ! PG_BIN="$(find_bin)"; then
    [[ "$cmd" == createdb ]] && die "PostgreSQL is not installed"
    PG_BIN=/nonexistent
fi
resolve_data_dir
case "$cmd" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    createdb) createdb "${2:-}" ;;
esac
