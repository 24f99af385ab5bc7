#!/usr/bin/env bash
# A throwaway Chroma server for tests and dev: the `chroma` CLI of the installed `chromadb` npm
# package (native bindings pinned in package.json overrides), data in $LUNEO_SERVICES_DIR/chroma,
# a free loopback port chosen at start.
#
#   infra/chroma/chroma.sh start               # prints `export CHROMA_URL=http://127.0.0.1:PORT`
#   infra/chroma/chroma.sh stop [--keep-data]
#   infra/chroma/chroma.sh url | status
set -euo pipefail
export LOG_TAG=chroma
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

C_DIR="$SERVICES_DIR/chroma"
PID_FILE="$C_DIR/chroma.pid"
PORT_FILE="$C_DIR/port"
C_LOG="$C_DIR/chroma.log"
READY_TIMEOUT_S="${CHROMA_READY_TIMEOUT_S:-60}"

url_line() { echo "export CHROMA_URL=http://127.0.0.1:$(cat "$PORT_FILE")"; }
is_running() { [ -f "$PID_FILE" ] && pid_alive "$(cat "$PID_FILE")"; }
heartbeat() { curl -fsS -m 2 "http://127.0.0.1:$(cat "$PORT_FILE")/api/v2/heartbeat" >/dev/null 2>&1; }

launch() {
  local port bin="$REPO_ROOT/node_modules/.bin/chroma"
  [ -x "$bin" ] || die "$bin missing: run npm install (chromadb is a workspace dependency)"
  port="$(cat "$PORT_FILE" 2>/dev/null || true)"
  if [ -z "$port" ] || port_open "$port"; then port="$(free_ports 1)"; fi
  echo "$port" >"$PORT_FILE"
  mkdir -p "$C_DIR/data"
  # From the repo root so the CLI resolves the workspace's chromadb; setsid so it outlives the
  # caller; `9>&-` drops the lock fd. The CLI binds --host, so 127.0.0.1 keeps it off the network.
  cd "$REPO_ROOT"
  setsid "$bin" run --path "$C_DIR/data" --host 127.0.0.1 --port "$port" >"$C_LOG" 2>&1 </dev/null 9>&- &
  echo $! >"$PID_FILE"
}

wait_ready() {
  local pid deadline
  pid="$(cat "$PID_FILE")"
  deadline=$(($(date +%s) + READY_TIMEOUT_S))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    pid_alive "$pid" || { tail -n 20 "$C_LOG" >&2; return 1; }
    heartbeat && return 0
    sleep 0.2
  done
  tail -n 20 "$C_LOG" >&2
  terminate "$pid" 10
  die "chroma not ready after ${READY_TIMEOUT_S}s (log: $C_LOG)"
}

cmd_start() {
  local t0; t0="$(now_ms)"
  lock_service chroma
  if is_running && heartbeat; then
    log "already running"
  else
    if is_running; then terminate "$(cat "$PID_FILE")" 10; fi
    mkdir -p "$C_DIR"
    launch
    # One retry on another port: the port picked may be taken before chroma binds it.
    wait_ready || { log "start failed, retrying on another port"; rm -f "$PORT_FILE"; launch; wait_ready; } ||
      die "chroma did not start (log: $C_LOG)"
    log "started in $(($(now_ms) - t0)) ms"
  fi
  url_line
}

cmd_stop() { stop_pid_service chroma "$PID_FILE" "$C_DIR" 15 "${1:-}"; }

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop "${2:-}" ;;
  url) if is_running; then url_line; else log "not running"; exit 1; fi ;;
  status) if is_running && heartbeat; then log "running, $(url_line)"; else log "stopped"; exit 1; fi ;;
  *) echo "usage: $0 start|stop [--keep-data]|url|status" >&2; exit 2 ;;
esac
