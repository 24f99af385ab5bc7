#!/usr/bin/env bash
# The whole suite, as `make test` and CI run it:
#   1. every test on embedded stores (PGlite, chDB), with real Kafka/Chroma servers for the suites that need them
#   2. the Postgres-facing tests again on a real PostgreSQL server (Debian's package, started here)
#   3. schemathesis against the OpenAPI document (zero 5xx, zero schema violations)
#   4. the production compose file validates
#   5. the dashboard: `next build`, then its browser test (Chromium, the real API) — about a minute
# Services are started on loopback ports chosen now, with data in .tmp/services, and stopped at the end.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export LUNEO_SERVICES_DIR="${LUNEO_SERVICES_DIR:-$PWD/.tmp/services}"
REPORTS=.tmp/reports
mkdir -p "$REPORTS"
rm -f "$REPORTS"/*.json

# Debian's Chromium for the widget's browser test (playwright-core drives it; no browser download).
if [ ! -x /usr/bin/chromium ]; then
  echo "[test] installing Debian's chromium for the browser test" >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >&2 || echo "[test] could not install chromium; the browser test will say it skipped" >&2
fi

services=(pg)
[ -x infra/kafka/kafka.sh ] && services+=(kafka)
[ -x infra/chroma/chroma.sh ] && services+=(chroma)
[ -x infra/redis/redis.sh ] && services+=(redis)

trap 'infra/services.sh down >&2' EXIT
echo "[test] starting ${services[*]}" >&2
if ! env_lines=$(infra/services.sh up "${services[@]}"); then
  echo "[test] could not start the services the tests need" >&2
  exit 1
fi
eval "$env_lines"

failed=()
step() {
  local name=$1; shift
  echo "[test] ── $name" >&2
  local t0=$SECONDS
  if "$@"; then echo "[test] ✓ $name ($((SECONDS - t0)) s)" >&2; else failed+=("$name"); echo "[test] ✗ $name ($((SECONDS - t0)) s)" >&2; fi
}

# Suites that talk to Postgres through openTestPostgres()/startTestApp(): run twice.
PG_FACING=(warehouse/src/pg ingest/src/drain ingest/src/relay ingest/src/outbox pipelines/src/jobs/retention.int.test.ts api/src)

step "all tests (PGlite + chDB)" \
  env KAFKA_BROKERS="${KAFKA_BROKERS:-}" CHROMA_URL="${CHROMA_URL:-}" LUNEO_TEST_REDIS_URL="${REDIS_URL:-}" \
  npx vitest run --reporter=default --reporter=json --outputFile.json="$REPORTS/embedded.json"
step "Postgres-facing tests on PostgreSQL server" \
  env LUNEO_TEST_DATABASE_URL="$DATABASE_URL" \
  npx vitest run "${PG_FACING[@]}" --exclude '**/restart.int.test.ts' --exclude '**/node_modules/**' \
  --exclude '**/broker-restart-load.int.test.ts' \
  --reporter=default --reporter=json --outputFile.json="$REPORTS/postgres.json"
[ -x infra/schemathesis/run.sh ] && step "schemathesis" infra/schemathesis/run.sh
step "dashboard: next build + browser test" \
  npx vitest run --config dashboard/e2e/vitest.config.ts \
  --reporter=default --reporter=json --outputFile.json="$PWD/$REPORTS/dashboard.json"
if [ -f infra/compose.yaml ]; then
  step "compose file validates" bash -c 'command -v docker-compose >/dev/null || { apt-get update -qq && apt-get install -y -qq docker-compose; } >&2; docker-compose -f infra/compose.yaml config -q'
fi

# Closing lines for CI, which keeps only the tail of the log: the sum over the vitest passes, and
# each failed test by file and name with the first line of its error (a flake is then nameable).
node -e '
  const fs = require("fs"); let p = 0, f = 0, s = 0; const lines = []
  for (const file of fs.readdirSync(process.argv[1])) {
    const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + file, "utf8"))
    p += r.numPassedTests; f += r.numFailedTests; s += r.numPendingTests + (r.numTodoTests || 0)
    for (const t of r.testResults ?? [])
      for (const a of t.assertionResults ?? [])
        if (a.status === "failed") {
          const why = String(a.failureMessages?.[0] ?? "").split("\n")[0].slice(0, 300)
          lines.push(`[test] failed test (${file}): ${t.name.replace(process.cwd() + "/", "")} > ${a.fullName} — ${why}`)
        }
  }
  for (const l of lines) console.log(l)
  console.log(`${p} passed, ${f} failed, ${s} skipped`)
' "$REPORTS"

if ((${#failed[@]})); then
  echo "[test] failed: ${failed[*]}" >&2
  exit 1
fi
