#!/usr/bin/env bash
# `make dev`: the API (embedded stores, demo data) on PORT (3000) and the dashboard on
# DASHBOARD_PORT (3001), side by side. Ctrl-C, or either one stopping, stops both.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
api_port=${PORT:-3000}
dash_port=${DASHBOARD_PORT:-3001}
export LUNEO_DEMO=${LUNEO_DEMO:-true}
# The dashboard's writes carry its Origin; the API refuses origins it does not list (ADR 0004).
export LUNEO_CORS_ORIGINS=${LUNEO_CORS_ORIGINS:-http://localhost:$dash_port,http://127.0.0.1:$dash_port}
# Links in emails open this dashboard; without SMTP_URL the emails go to $LUNEO_DATA_DIR/emails.log.
export LUNEO_DASHBOARD_URL=${LUNEO_DASHBOARD_URL:-http://127.0.0.1:$dash_port}
export NEXT_TELEMETRY_DISABLED=1

# `node --import tsx` (not npx) so the pid we hold is the server's own and a signal reaches it.
PORT=$api_port node --import tsx api/src/server.ts &
api=$!
(cd dashboard && LUNEO_API_URL="http://127.0.0.1:$api_port" exec node ../node_modules/next/dist/bin/next dev \
  --hostname 127.0.0.1 --port "$dash_port") &
dash=$!
echo "[dev] dashboard on http://127.0.0.1:$dash_port (API on http://127.0.0.1:$api_port)" >&2

stop() {
  trap - INT TERM
  kill -TERM "$api" "$dash" 2>/dev/null
  wait "$api" "$dash" 2>/dev/null
}
trap 'stop; exit 130' INT TERM
wait -n "$api" "$dash"
code=$?
stop
exit "$code"
