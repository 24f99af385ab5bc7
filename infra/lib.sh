# Shared helpers for infra/*/…sh — sourced, never run.
# Contract every service script keeps: stdout carries only `export NAME=value` lines (so callers
# can `eval "$(…)"`); progress and errors go to stderr.

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$INFRA_DIR/.." && pwd)"
SERVICES_DIR="${LUNEO_SERVICES_DIR:-$REPO_ROOT/.tmp/services}"

log() { printf '[%s] %s\n' "${LOG_TAG:-infra}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Print N distinct free loopback ports. They are drawn below the kernel's ephemeral range
# (ip_local_port_range, 32768-60999 by default): bind(0) and every outgoing connection take their
# port from that range, so a port picked there can be taken by some client socket between this
# check and the service's bind. Below it only another explicit pick can collide; each candidate
# is proven free by binding it, and all stay bound until all N are known. Scripts still retry a
# start once on another port when the bind fails.
free_ports() {
  node -e '
    const net = require("node:net"), fs = require("node:fs");
    const n = Number(process.argv[1] || 1), servers = [], ports = [];
    let low = 32768;
    try { low = Number(fs.readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").split(/\s+/)[0]) || low; } catch {}
    const min = 10000, span = Math.max(low - min, 1000);
    const done = () => { console.log(ports.join(" ")); servers.forEach((s) => s.close()); };
    const next = (tries) => {
      if (ports.length === n) return done();
      if (tries > 200) { console.error("free_ports: no free port below " + low); process.exit(1); }
      const port = min + Math.floor(Math.random() * span), s = net.createServer();
      s.once("error", () => next(tries + 1));
      s.listen(port, "127.0.0.1", () => { ports.push(port); servers.push(s); next(0); });
    };
    next(0);' "${1:-1}"
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# True when $1 is a live pid. A zombie counts as dead once all its threads are gone: the leader
# of a multi-threaded process (a JVM) shows state Z while its other threads still tear down
# and still hold its sockets.
pid_alive() {
  [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null || return 1
  grep -qs '^State:.*Z' "/proc/$1/status" || return 0
  local tasks=("/proc/$1/task"/*)
  [ "${#tasks[@]}" -gt 1 ]
}

# Wait up to $2 seconds (default 10) until nothing listens on 127.0.0.1:$1.
wait_port_closed() {
  local i
  for ((i = 0; i < ${2:-10} * 10; i++)); do
    port_open "$1" || return 0
    sleep 0.1
  done
  return 1
}

# Serialise start/stop of one service across concurrent callers sharing a services dir.
# Fd 9 holds the lock: spawn long-lived children with `9>&-`, or they keep it held forever.
lock_service() {
  mkdir -p "$SERVICES_DIR"
  exec 9>"$SERVICES_DIR/.$1.lock"
  flock 9
}

# Stop a service started with setsid (so its pid is also its process-group id): SIGTERM to the
# group, wait up to $2 seconds for the leader, then SIGKILL the group (also sweeping children
# that outlived the leader).
terminate() {
  local pid="$1" timeout="${2:-20}" i
  if pid_alive "$pid"; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < timeout * 10; i++)); do
      pid_alive "$pid" || break
      sleep 0.1
    done
    pid_alive "$pid" && log "pid $pid ignored SIGTERM for ${timeout}s; sending SIGKILL"
  fi
  kill -KILL -- "-$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do pid_alive "$pid" || return 0; sleep 0.1; done
}

now_ms() { date +%s%3N; }

# `stop` of a service started in the background with a pid file: terminate it (grace seconds),
# then remove its data dir unless --keep-data was given. Usage:
#   stop_pid_service NAME PID_FILE DATA_DIR GRACE [--keep-data]
stop_pid_service() {
  local name="$1" pid_file="$2" dir="$3" grace="$4" keep="${5:-}"
  lock_service "$name"
  if [ -f "$pid_file" ] && pid_alive "$(cat "$pid_file")"; then terminate "$(cat "$pid_file")" "$grace"; fi
  rm -f "$pid_file"
  if [ "$keep" = --keep-data ]; then
    log "stopped (data kept in $dir)"
  else
    rm -rf "$dir"
    log "stopped"
  fi
}
