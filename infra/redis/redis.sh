#!/usr/bin/env bash
# A throwaway Redis server for tests and dev: Debian's `redis-server` (7.0; installed with apt-get
# when missing), no persistence, data in $LUNEO_SERVICES_DIR/redis, a free loopback port chosen at
# start. The API keeps its rate limits there when REDIS_URL is set (several replicas, one count).
#
#   infra/redis/redis.sh start               # prints `export REDIS_URL=redis://127.0.0.1:PORT`
#   infra/redis/redis.sh stop [--keep-data]
#   infra/redis/redis.sh url | status
set -euo pipefail
export LOG_TAG=redis
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

R_DIR="$SERVICES_DIR/redis"
PID_FILE="$R_DIR/redis.pid"
PORT_FILE="$R_DIR/port"
R_LOG="$R_DIR/redis.log"
READY_TIMEOUT_S="${REDIS_READY_TIMEOUT_S:-20}"

url_line() { echo "export REDIS_URL=redis://127.0.0.1:$(cat "$PORT_FILE")"; }
is_running() { [ -f "$PID_FILE" ] && pid_alive "$(cat "$PID_FILE")"; }
ping() { [ "$(redis-cli -h 127.0.0.1 -p "$(cat "$PORT_FILE")" ping 2>/dev/null)" = PONG ]; }

ensure_installed() {
  command -v redis-server >/dev/null && return 0
  log "installing redis-server (apt-get)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; } >&2 ||
    die "could not install redis-server"
}

launch() {
  local port
  port="$(cat "$PORT_FILE" 2>/dev/null || true)"
  if [ -z "$port" ] || port_open "$port"; then port="$(free_ports 1)"; fi
  echo "$port" >"$PORT_FILE"
  # No RDB/AOF (limits are minutes long), loopback only, in the foreground under setsid so the pid
  # is ours; `9>&-` drops the lock fd.
  setsid redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$R_DIR" \
    >"$R_LOG" 2>&1 </dev/null 9>&- &
  echo $! >"$PID_FILE"
}

wait_ready() {
  local pid deadline
  pid="$(cat "$PID_FILE")"
  deadline=$(($(date +%s) + READY_TIMEOUT_S))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    pid_alive "$pid" || { tail -n 20 "$R_LOG" >&2; return 1; }
    ping && return 0
    sleep 0.1
  done
  tail -n 20 "$R_LOG" >&2
  terminate "$pid" 10
  return 1
}

cmd_start() {
  local t0; t0="$(now_ms)"
  ensure_installed
  lock_service redis
  if is_running && ping; then
    log "already running"
  else
    if is_running; then terminate "$(cat "$PID_FILE")" 10; fi
    mkdir -p "$R_DIR"
    launch
    # One retry on another port: the port picked may be taken before redis binds it.
    wait_ready || { log "start failed, retrying on another port"; rm -f "$PORT_FILE"; launch; wait_ready; } ||
      die "redis did not start (log: $R_LOG)"
    log "started in $(($(now_ms) - t0)) ms"
  fi
  url_line
}

cmd_stop() { stop_pid_service redis "$PID_FILE" "$R_DIR" 10 "${1:-}"; }

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop "${2:-}" ;;
  url) if is_running; then url_line; else log "not running"; exit 1; fi ;;
  status) if is_running && ping; then log "running, $(url_line)"; else log "stopped"; exit 1; fi ;;
  *) echo "usage: $0 start|stop [--keep-data]|url|status" >&2; exit 2 ;;
esac
