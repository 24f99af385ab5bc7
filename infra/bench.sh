#!/usr/bin/env bash
# `make bench`: starts its own PostgreSQL server, runs the benchmarks (`tsx bench/src/run.ts`), stops
# what it started. Prints `BENCH <name> <value> <unit>` lines; writes bench/results.json.
# Its services dir is its own (.tmp/bench-services), so it never stops a server `make test` or a
# developer started. Extra knobs: BENCH_CONNECTIONS, BENCH_WARMUP_SEC, BENCH_DURATION_SEC.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export LUNEO_SERVICES_DIR="${LUNEO_BENCH_SERVICES_DIR:-$PWD/.tmp/bench-services}"
t0=$SECONDS

pg_started=0
driver=""
cleanup() {
  local rc=$?
  set +e # a failing step here must not skip the next one
  # The driver kills every server it spawned on exit, error or signal (bench/src/spawn-server.ts).
  if [ -n "$driver" ]; then kill -TERM "$driver" 2>/dev/null && wait "$driver" 2>/dev/null; fi
  if ((pg_started)); then infra/pg/pg.sh stop >&2 || true; fi
  echo "[bench] wall time $((SECONDS - t0)) s" >&2
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pg_started=1
eval "$(infra/pg/pg.sh start)"
# In the background and waited for, so a signal to this script runs the trap at once (bash defers
# traps while a foreground child runs); plain node rather than npx, so the signal reaches it.
node --import tsx bench/src/run.ts &
driver=$!
wait "$driver"
rc=$?
driver=""
exit "$rc"
