#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests and dev: Debian's `postgresql` binaries, data in
# $LUNEO_SERVICES_DIR/pg, a free loopback port chosen at start, durability off for speed.
#
#   infra/pg/pg.sh start            # prints `export DATABASE_URL=postgres://luneo:luneo@127.0.0.1:PORT/luneo`
#   infra/pg/pg.sh url              # same line if running, exit 1 otherwise
#   infra/pg/pg.sh stop [--keep-data]
#   infra/pg/pg.sh status
#
# Postgres refuses to run as root, so as root every server binary runs as the `postgres` user
# (runuser) and the data dir is owned by it; as any other user it runs as that user.
set -euo pipefail
export LOG_TAG=pg
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

PG_DIR="$SERVICES_DIR/pg"

# Postgres runs as the `postgres` user, which must be able to walk down to its data dir. A
# checkout under a private folder (mktemp -d, /root) is not: keep the cluster in /tmp then, at a
# path derived from the services dir so start and stop agree.
world_traversable() {
  local d
  d="$(cd "$1" && pwd)"
  while [ "$d" != / ]; do
    [ -n "$(find "$d" -maxdepth 0 -perm -o+x)" ] || return 1
    d="$(dirname "$d")"
  done
}
mkdir -p "$SERVICES_DIR"
if [ "$(id -u)" = 0 ] && ! world_traversable "$SERVICES_DIR"; then
  PG_DIR="/tmp/luneo-pg-$(printf %s "$SERVICES_DIR" | sha1sum | cut -c1-12)"
fi
DATA="$PG_DIR/data"
SOCK="$PG_DIR/sock"
PG_LOG="$PG_DIR/postgres.log"
PORT_FILE="$PG_DIR/port"
DB=luneo
ROLE=luneo
PASSWORD=luneo

pg_bin() {
  local initdb
  initdb="$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | grep -v '\*' | sort -V | tail -n 1 || true)"
  if [ -z "$initdb" ]; then
    [ "$(id -u)" = 0 ] || die "PostgreSQL server binaries missing; run: sudo apt-get install -y postgresql"
    log "installing Debian's postgresql package"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    # The package's own cluster (port 5432) is not ours; keep it from running.
    service postgresql stop >/dev/null 2>&1 || true
    initdb="$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)"
  fi
  dirname "$initdb"
}

as_pg() {
  # From /: the caller's cwd may be a folder the postgres user cannot enter.
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

url() { echo "postgres://$ROLE:$PASSWORD@127.0.0.1:$1/$DB"; }

is_running() {
  [ -f "$DATA/postmaster.pid" ] && [ -f "$PORT_FILE" ] &&
    as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

init_cluster() {
  log "initdb in $DATA"
  mkdir -p "$PG_DIR"
  rm -rf "$DATA" "$SOCK"
  mkdir -p "$SOCK"
  : >"$PG_LOG"
  if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$PG_DIR"; fi
  # The postgres user must be able to reach the dir; a 0700 parent (e.g. /root) breaks it.
  as_pg test -w "$PG_DIR" || die "$PG_DIR is not reachable by the postgres user; set LUNEO_SERVICES_DIR"
  as_pg "$BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$PG_DIR/initdb.log" 2>&1 ||
    { tail -n 20 "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
  # Test speed over durability: losing a test database on a crash costs nothing.
  as_pg tee -a "$DATA/postgresql.conf" >/dev/null <<EOF

# --- luneo test settings (infra/pg/pg.sh) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$SOCK'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 128MB
log_min_messages = warning
EOF
  # Trust on loopback only: the server listens nowhere else.
  as_pg tee "$DATA/pg_hba.conf" >/dev/null <<EOF
local all all trust
host  all all 127.0.0.1/32 trust
EOF
}

start_server() {
  local port
  port="$(cat "$PORT_FILE" 2>/dev/null || true)"
  # Reuse the previous port after `stop --keep-data` when it is still free.
  if [ -z "$port" ] || port_open "$port"; then port="$(free_ports 1)"; fi
  echo "$port" >"$PORT_FILE"
  as_pg "$BIN/pg_ctl" -D "$DATA" -l "$PG_LOG" -w -t 60 -o "-p $port" start >&2 9>&- ||
    { tail -n 20 "$PG_LOG" >&2; return 1; }
}

create_db() {
  local port; port="$(cat "$PORT_FILE")"
  as_pg "$BIN/psql" -h "$SOCK" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt >&2 <<EOF
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
  END IF;
END \$\$;
SELECT 'CREATE DATABASE $DB OWNER $ROLE' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB')
\gexec
EOF
}

cmd_start() {
  local t0; t0="$(now_ms)"
  lock_service pg
  BIN="$(pg_bin)"
  if is_running; then
    log "already running"
  else
    [ -f "$DATA/PG_VERSION" ] || init_cluster
    # A stale postmaster.pid from a killed server blocks start; pg_ctl status said it is dead.
    rm -f "$DATA/postmaster.pid"
    start_server || { log "start failed, retrying on another port"; rm -f "$PORT_FILE"; start_server; } ||
      die "postgres did not start (log: $PG_LOG)"
    create_db
    log "started in $(($(now_ms) - t0)) ms"
  fi
  echo "export DATABASE_URL=$(url "$(cat "$PORT_FILE")")"
}

cmd_stop() {
  lock_service pg
  if [ -d "$DATA" ]; then
    BIN="$(pg_bin)"
    if is_running; then as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >&2 || true; fi
  fi
  if [ "${1:-}" = --keep-data ]; then
    log "stopped (data kept in $DATA)"
  else
    rm -rf "$PG_DIR"
    log "stopped"
  fi
}

cmd_url() {
  BIN="$(pg_bin)"
  is_running || { log "not running"; exit 1; }
  echo "export DATABASE_URL=$(url "$(cat "$PORT_FILE")")"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop "${2:-}" ;;
  url) cmd_url ;;
  status) BIN="$(pg_bin)"; if is_running; then log "running on port $(cat "$PORT_FILE")"; else log "stopped"; exit 1; fi ;;
  *) echo "usage: $0 start|stop [--keep-data]|url|status" >&2; exit 2 ;;
esac
