#!/usr/bin/env bash
# `make bench-scale`: analytics read latency on generated data sets of 1M and 10M events
# (BENCH_SCALE_SIZES), 200 organizations, embedded PGlite + chDB in .tmp/bench-scale/<size>-…
# (server mode: DATABASE_URL + CLICKHOUSE_URL to empty databases, one size). Prints
# `BENCH scale_<size>_… <value> <unit>` lines; writes bench/results-scale.json. Not part of
# `make test` or `make bench`: the 10M data set alone takes tens of minutes to generate.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
t0=$SECONDS
driver=""
cleanup() {
  local rc=$?
  set +e
  # The driver kills the API and the generator it spawned on exit, error or signal.
  if [ -n "$driver" ]; then kill -TERM "$driver" 2>/dev/null && wait "$driver" 2>/dev/null; fi
  echo "[bench-scale] wall time $((SECONDS - t0)) s" >&2
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# In the background and waited for, so a signal to this script runs the trap at once.
node --import tsx bench/src/scale.ts &
driver=$!
wait "$driver"
rc=$?
driver=""
exit "$rc"
