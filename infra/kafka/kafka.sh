#!/usr/bin/env bash
# A throwaway single-node Apache Kafka 3.9 broker (KRaft, no ZooKeeper) for tests and dev.
# The jars come from Maven Central via ./pom.xml into ./.cache/libs (gitignored, fetched once);
# data lives in $LUNEO_SERVICES_DIR/kafka; ports are free loopback ports picked at first start.
#
#   infra/kafka/kafka.sh start               # prints `export KAFKA_BROKERS=127.0.0.1:PORT`
#   infra/kafka/kafka.sh stop [--keep-data]  # SIGTERM, SIGKILL after 30 s; removes data unless --keep-data
#   infra/kafka/kafka.sh kill                # SIGKILL, data kept: a crash, for fault tests
#   infra/kafka/kafka.sh restart             # stop --keep-data + start: same data, same port
#   infra/kafka/kafka.sh url | status | fetch
#
# 3.9.x, not 4.x: kafkajs 2.2.4 speaks protocol versions that Kafka 4 removed.
set -euo pipefail
export LOG_TAG=kafka
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

KAFKA_HOME="$INFRA_DIR/kafka"
LIBS="$KAFKA_HOME/.cache/libs"
K_DIR="$SERVICES_DIR/kafka"
CONF="$K_DIR/server.properties"
PID_FILE="$K_DIR/kafka.pid"
READY_TIMEOUT_S="${KAFKA_READY_TIMEOUT_S:-60}"
read -r -a HEAP_OPTS <<<"${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"

cmd_fetch() {
  if ! command -v mvn >/dev/null || ! command -v java >/dev/null; then
    [ "$(id -u)" = 0 ] || die "java 17 and maven are needed: sudo apt-get install -y openjdk-17-jdk-headless maven"
    log "installing java 17 and maven (Debian packages)"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless maven >&2
  fi
  # The marker holds the pom's hash, so editing the pom (a version bump) refetches.
  local want; want="$(sha256sum "$KAFKA_HOME/pom.xml" | cut -d' ' -f1)"
  if [ "$(cat "$LIBS/.complete" 2>/dev/null)" = "$want" ]; then return 0; fi
  mkdir -p "$KAFKA_HOME/.cache"
  # In a subshell so the cache lock (fd 8) is released before any broker is spawned.
  (
    flock 8
    if [ "$(cat "$LIBS/.complete" 2>/dev/null)" = "$want" ]; then exit 0; fi
    log "fetching the broker's jars from Maven Central into $LIBS"
    rm -rf "$LIBS"
    mvn -q -B -Dstyle.color=never -f "$KAFKA_HOME/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$LIBS" >&2 || die "maven fetch failed"
    echo "$want" >"$LIBS/.complete"
  ) 8>"$KAFKA_HOME/.cache/.fetch.lock"
}

conf_get() { sed -n "s/^$1=//p" "$CONF" | head -n 1; }
broker_port() { conf_get listeners | sed -E 's/.*PLAINTEXT:\/\/127\.0\.0\.1:([0-9]+).*/\1/'; }
controller_port() { conf_get listeners | sed -E 's/.*CONTROLLER:\/\/127\.0\.0\.1:([0-9]+).*/\1/'; }
brokers_line() { echo "export KAFKA_BROKERS=127.0.0.1:$(broker_port)"; }

is_running() { [ -f "$PID_FILE" ] && pid_alive "$(cat "$PID_FILE")"; }

write_conf() {
  local port="$1" cport="$2"
  cat >"$CONF" <<EOF
# Written by infra/kafka/kafka.sh — single-node KRaft broker for tests.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$K_DIR/data
num.partitions=6
auto.create.topics.enable=true
offsets.topic.replication.factor=1
# 50 partitions by default; 6 makes the first consumer group's coordinator ready sooner.
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=6
group.initial.rebalance.delay.ms=0
# After a SIGKILL the controller refuses the restarted broker until the old incarnation's
# session expires (default 9 s); 4 s makes kill + start in fault tests about twice as fast.
broker.heartbeat.interval.ms=1000
broker.session.timeout.ms=4000
EOF
}

# Cluster ids are 16 random bytes, base64url without padding (what `StorageTool random-uuid`
# prints); made here to save a 1.5 s JVM start. A leading '-' would read as a CLI flag.
random_cluster_id() {
  node -e '
    const { randomBytes } = require("node:crypto");
    let id; do { id = randomBytes(16).toString("base64url"); } while (id.startsWith("-"));
    console.log(id);'
}

format_storage() {
  local port cport
  read -r port cport < <(free_ports 2)
  rm -rf "$K_DIR"
  mkdir -p "$K_DIR/data" "$K_DIR/logs"
  write_conf "$port" "$cport"
  log "formatting KRaft storage in $K_DIR/data"
  java -cp "$LIBS/*" -Dlog4j.configuration="file:$KAFKA_HOME/log4j.properties" \
    -Dkafka.logs.dir="$K_DIR/logs" kafka.tools.StorageTool format \
    -t "$(random_cluster_id)" -c "$CONF" >"$K_DIR/logs/format.log" 2>&1 ||
    { cat "$K_DIR/logs/format.log" >&2; die "storage format failed"; }
}

# After `stop --keep-data` the saved ports are reused, so clients keep their KAFKA_BROKERS.
# If another process took one meanwhile, move to new ports (the data stays valid).
ensure_ports_free() {
  local port cport
  port="$(broker_port)" cport="$(controller_port)"
  # A killed JVM can hold its sockets for a moment after its pid looks dead.
  if ! wait_port_closed "$port" 5 || ! wait_port_closed "$cport" 5; then
    log "warning: port $port or $cport is taken; moving the broker to new ports"
    read -r port cport < <(free_ports 2)
    write_conf "$port" "$cport"
  fi
}

launch() {
  # Append, not truncate: after `kill` the previous run's log is the evidence. Readiness only
  # looks at lines written after these offsets.
  touch "$K_DIR/logs/server.log" "$K_DIR/logs/stdout.log"
  LOG_OFFSET="$(wc -c <"$K_DIR/logs/server.log")"
  STDOUT_OFFSET="$(wc -c <"$K_DIR/logs/stdout.log")"
  # setsid: the broker outlives the calling shell and a Ctrl-C in it; `9>&-` drops the lock fd.
  setsid java "${HEAP_OPTS[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$KAFKA_HOME/log4j.properties" -Dkafka.logs.dir="$K_DIR/logs" \
    -cp "$LIBS/*" kafka.Kafka "$CONF" >>"$K_DIR/logs/stdout.log" 2>&1 </dev/null 9>&- &
  echo $! >"$PID_FILE"
}

# Ready = the broker logged that startup finished (it waits until it is unfenced) and its
# PLAINTEXT port accepts connections. Returns 2 when the broker exited because a port was taken
# (so the caller can move to new ports), dies on any other exit or at the deadline.
wait_ready() {
  local pid deadline port
  pid="$(cat "$PID_FILE")" port="$(broker_port)"
  deadline=$(($(date +%s) + READY_TIMEOUT_S))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if ! pid_alive "$pid"; then
      if since_launch | grep -q 'Address already in use'; then return 2; fi
      tail -n 30 "$K_DIR/logs/stdout.log" "$K_DIR/logs/server.log" >&2
      die "broker exited during startup"
    fi
    if since_launch | grep -q 'Kafka Server started' &&
      port_open "$port"; then return 0; fi
    sleep 0.2
  done
  tail -n 30 "$K_DIR/logs/server.log" >&2
  terminate "$pid" 10
  die "broker not ready after ${READY_TIMEOUT_S}s (log: $K_DIR/logs/server.log)"
}

# What the broker logged since this launch (server.log and stdout.log, where a fatal bind error goes).
since_launch() {
  tail -c "+$((LOG_OFFSET + 1))" "$K_DIR/logs/server.log"
  tail -c "+$((STDOUT_OFFSET + 1))" "$K_DIR/logs/stdout.log"
}

# Launch and wait; when a port picked free was taken before the broker bound it, once more on new ports.
launch_until_ready() {
  local rc=0 port cport
  launch
  wait_ready || rc=$?
  [ "$rc" = 2 ] || return "$rc"
  log "a port was taken before the broker bound it; retrying on new ports"
  read -r port cport < <(free_ports 2)
  write_conf "$port" "$cport"
  launch
  wait_ready || die "broker did not start on new ports either (log: $K_DIR/logs/server.log)"
}

cmd_start() {
  local t0; t0="$(now_ms)"
  cmd_fetch
  lock_service kafka
  if is_running; then
    log "already running"
  else
    if [ -f "$CONF" ] && [ -f "$K_DIR/data/meta.properties" ]; then
      log "restarting on existing data"
      ensure_ports_free
    else
      format_storage
    fi
    launch_until_ready
    log "started in $(($(now_ms) - t0)) ms"
  fi
  brokers_line
}

cmd_stop() { stop_pid_service kafka "$PID_FILE" "$K_DIR" 30 "${1:-}"; }

cmd_kill() {
  lock_service kafka
  if is_running; then kill -KILL "$(cat "$PID_FILE")"; fi
  for _ in $(seq 50); do is_running || break; sleep 0.1; done
  rm -f "$PID_FILE"
  log "killed (data kept in $K_DIR)"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop "${2:-}" ;;
  kill) cmd_kill ;;
  restart) (cmd_stop --keep-data) && cmd_start ;;
  url) if is_running; then brokers_line; else log "not running"; exit 1; fi ;;
  status) if is_running; then log "running, pid $(cat "$PID_FILE"), $(brokers_line)"; else log "stopped"; exit 1; fi ;;
  fetch) cmd_fetch ;;
  *) echo "usage: $0 start|stop [--keep-data]|kill|restart|url|status|fetch" >&2; exit 2 ;;
esac
