#!/usr/bin/env bash
# Installs what the project needs and the machine lacks. Idempotent; prints what it does.
#   infra/install.sh node       npm dependencies (npm ci), then onnxruntime-node's other platforms pruned
#   infra/install.sh model      the embedded sentence-embedding model (infra/models/fetch-bge-small.sh)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

need_node() {
  command -v node >/dev/null || { echo "Node.js 20.19+ is required (https://nodejs.org)" >&2; exit 1; }
  local v; v=$(node -p 'process.versions.node')
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' ||
    { echo "Node.js $v is too old: 20.19+ is required" >&2; exit 1; }
}

# onnxruntime-node ships prebuilt binaries for five platforms (~290 MB); this machine runs one.
# Its postinstall (which would fetch CUDA libraries from a feed) never runs: .npmrc says
# onnxruntime-node-install=skip (npm 10) and package.json's allowScripts denies it (npm 11).
prune_onnxruntime() {
  local bin=node_modules/onnxruntime-node/bin/napi-v6 keep
  [ -d "$bin" ] || return 0
  keep="$(node -p 'process.platform + "/" + process.arch')"
  [ -d "$bin/$keep" ] || { echo "[install] onnxruntime-node has no binary for $keep; keeping all" >&2; return 0; }
  local before; before=$(du -sm "$bin" | cut -f1)
  for dir in "$bin"/*/*; do [ "$dir" = "$bin/$keep" ] || rm -rf "$dir"; done
  find "$bin" -mindepth 1 -type d -empty -delete
  echo "[install] onnxruntime-node: kept $keep, pruned $((before - $(du -sm "$bin" | cut -f1))) MB of other platforms" >&2
}

case "${1:-node}" in
  node)
    need_node
    echo "[install] npm ci (dependencies from package-lock.json)" >&2
    npm ci --no-audit --no-fund --loglevel=error >&2
    prune_onnxruntime
    ;;
  model) infra/models/fetch-bge-small.sh ;;
  *) echo "usage: $0 node|model" >&2; exit 2 ;;
esac
