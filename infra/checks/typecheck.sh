#!/usr/bin/env bash
# Type-checks every workspace package with its own tsconfig.json (each extends tsconfig.base.json;
# a package may differ, as the dashboard's DOM/JSX settings will), plus the root one for bin/ and
# infra/. Two at a time: the machine has 2 cores. Exit 1 when any fails.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
projects=(tsconfig.json $(node -p 'require("./package.json").workspaces.map((w) => w + "/tsconfig.json").join(" ")'))
for p in "${projects[@]}"; do [ -f "$p" ] || { echo "typecheck: $p is missing (each package has its own)" >&2; exit 1; }; done
printf '%s\n' "${projects[@]}" |
  xargs -P 2 -I{} sh -c 'out=$(npx tsc -p {} --noEmit 2>&1) || { echo "typecheck: {} failed" >&2; echo "$out" >&2; exit 1; }'
