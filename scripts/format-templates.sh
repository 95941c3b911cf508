#!/usr/bin/env bash
# Format the templates with the generated projects' own Biome settings, so `npm run lint` passes in every
# generated project. Biome refuses nested root configs, so it runs on a copy and the changes are copied back.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$root/templates/base" "$root/templates/units" "$root/templates/resource" "$work/"
rm "$work/base/common/biome.json"
cp "$root/scripts/templates-biome.json" "$work/biome.json"
ln -s "$root/.cache/app-deps/node_modules" "$work/node_modules"
(cd "$work" && node node_modules/@biomejs/biome/bin/biome check --write . "$@")
for d in base units resource; do rsync -a --checksum --exclude biome.json "$work/$d/" "$root/templates/$d/"; done
