#!/usr/bin/env bash
# Installs what the project needs and the machine lacks. Idempotent; prints what it does.
#   infra/install.sh node       npm dependencies (npm ci)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

need_node() {
  command -v node >/dev/null || { echo "Node.js 20.19+ is required (https://nodejs.org)" >&2; exit 1; }
  local v; v=$(node -p 'process.versions.node')
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' ||
    { echo "Node.js $v is too old: 20.19+ is required" >&2; exit 1; }
}

case "${1:-node}" in
  node)
    need_node
    echo "[install] npm ci (dependencies from package-lock.json)" >&2
    npm ci --no-audit --no-fund --loglevel=error >&2
    ;;
  *) echo "usage: $0 node" >&2; exit 2 ;;
esac
