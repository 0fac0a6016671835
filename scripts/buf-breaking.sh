#!/usr/bin/env bash
# buf breaking against earlier states of proto/ on this branch: the contracts only grow, so
# the current proto/ must be compatible with every one of them (the last 30 that changed it).
# buf cannot build a git ref directly here: the dependencies (.protodeps, node_modules) are
# generated, not committed. So each earlier proto/ is laid out in a temp workspace that
# borrows today's buf.yaml, dependencies and other modules.
set -euo pipefail
cd "$(dirname "$0")/.."
checked=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for rev in $(git rev-list -n 30 HEAD~1 -- proto 2>/dev/null || true); do
  git cat-file -e "$rev:proto" 2>/dev/null || continue
  ws="$tmp/$rev"
  mkdir -p "$ws"
  git archive "$rev" proto | tar -x -C "$ws"
  cp buf.yaml "$ws/"
  ln -s "$PWD/.protodeps" "$ws/.protodeps"
  ln -s "$PWD/node_modules" "$ws/node_modules"
  # Other modules of buf.yaml (test protos under packages/) are borrowed as they are today.
  ln -s "$PWD/packages" "$ws/packages"
  buf breaking --against "$ws" || { echo "✖ proto/ breaks the contract as of $rev"; exit 1; }
  checked=$((checked + 1))
done
echo "buf breaking: compatible with $checked earlier revision(s) of proto/"
