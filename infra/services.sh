#!/usr/bin/env bash
# Starts and stops the real services that integration tests and `make dev` talk to, natively
# (no Docker): PostgreSQL, a Kafka 3.9 broker, Chroma, Redis. Free loopback ports, data under
# $LUNEO_SERVICES_DIR (default <repo>/.tmp/services).
#
#   out="$(infra/services.sh up pg kafka chroma)" && eval "$out"   # DATABASE_URL, KAFKA_BROKERS, CHROMA_URL
#   infra/services.sh env        # the export lines of the services running now
#   infra/services.sh status
#   infra/services.sh down       # stops everything `up` started and deletes its data; safe twice
#
# stdout carries only `export …` lines; progress goes to stderr. When a service fails to start,
# stdout ends with a `false` line, so `eval "$(infra/services.sh up …)"` also returns non-zero.
# `up` with no names starts all four. Services start in parallel (Kafka dominates: ~6 s).
set -euo pipefail
export LOG_TAG=services
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ALL=(pg kafka chroma redis)
STARTED="$SERVICES_DIR/started"

script_of() {
  case "$1" in
    pg) echo "$INFRA_DIR/pg/pg.sh" ;;
    kafka) echo "$INFRA_DIR/kafka/kafka.sh" ;;
    chroma) echo "$INFRA_DIR/chroma/chroma.sh" ;;
    redis) echo "$INFRA_DIR/redis/redis.sh" ;;
    *) die "unknown service '$1' (known: ${ALL[*]})" ;;
  esac
}

remember() {
  mkdir -p "$SERVICES_DIR"
  touch "$STARTED"
  grep -qx "$1" "$STARTED" || echo "$1" >>"$STARTED"
}

cmd_up() {
  local names=("$@") out name failed=0 t0
  [ ${#names[@]} -gt 0 ] || names=("${ALL[@]}")
  for name in "${names[@]}"; do script_of "$name" >/dev/null; done
  mkdir -p "$SERVICES_DIR"
  out="$(mktemp -d)"
  t0="$(now_ms)"
  for name in "${names[@]}"; do
    remember "$name" # before starting, so `down` also cleans up a half-started service
    ("$(script_of "$name")" start >"$out/$name.env" || echo $? >"$out/$name.failed") &
  done
  wait
  for name in "${names[@]}"; do
    if [ -f "$out/$name.failed" ]; then
      log "$name failed to start"
      failed=1
    else
      cat "$out/$name.env"
    fi
  done
  rm -rf "$out"
  if [ "$failed" = 1 ]; then
    echo false
    log "run 'infra/services.sh down' to clean up"
    exit 1
  fi
  log "up: ${names[*]} in $(($(now_ms) - t0)) ms"
}

cmd_down() {
  local name names=()
  [ -f "$STARTED" ] && mapfile -t names <"$STARTED"
  # Also sweep services whose state dir is left over (a lost `started` file, a killed `up`).
  for name in "${ALL[@]}"; do
    [ -d "$SERVICES_DIR/$name" ] && names+=("$name")
  done
  if [ ${#names[@]} -eq 0 ]; then
    log "nothing to stop"
    return 0
  fi
  for name in $(printf '%s\n' "${names[@]}" | awk 'NF && !seen[$0]++'); do
    "$(script_of "$name")" stop || log "stopping $name failed"
  done
  rm -f "$STARTED"
}

cmd_env() {
  local name
  for name in "${ALL[@]}"; do
    "$(script_of "$name")" url 2>/dev/null || true
  done
}

cmd_status() {
  local name rc=0
  for name in "${ALL[@]}"; do
    "$(script_of "$name")" status || rc=1
  done
  return "$rc"
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) cmd_down ;;
  env) cmd_env ;;
  status) cmd_status ;;
  *) echo "usage: $0 up [pg] [kafka] [chroma] [redis] | down | env | status" >&2; exit 2 ;;
esac
