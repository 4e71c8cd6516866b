#!/usr/bin/env bash
# Obtains Node.js from the npm registry (the node-<os>-<arch> packages ship the official `node` binary) into a cache
# outside the repository, and prints the folder holding `node` as the LAST line of stdout. Progress goes to stderr.
#   PATH="$(bash scripts/get-node.sh | tail -n1):$PATH"     # Node 24, the version development and CI pin
#   bash scripts/get-node.sh 22.22.0                        # another version
# Environment: PULUMI_ECD_CACHE (default $HOME/.cache/pulumi-ecd).
set -euo pipefail
version="${1:-24.22.3}"
log() { printf '[get-node] %s\n' "$*" >&2; }

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) log "no Node.js package for $(uname -s)"; exit 1 ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) log "no Node.js package for $(uname -m)"; exit 1 ;;
esac
package="node-$os-$arch"
dir="${PULUMI_ECD_CACHE:-$HOME/.cache/pulumi-ecd}/node-v$version"
bin="$dir/node_modules/$package/bin"

if [ -x "$bin/node" ] && [ "$("$bin/node" --version)" = "v$version" ]; then
  log "using Node.js v$version in $bin"
  printf '%s\n' "$bin"
  exit 0
fi
log "installing $package@$version from the npm registry into $dir"
rm -rf "$dir"
mkdir -p "$dir"
# --prefix keeps it out of any project; no package.json of ours is read or written.
npm install --prefix "$dir" --no-save --no-audit --no-fund --no-package-lock --loglevel=error "$package@$version" >&2
got="$("$bin/node" --version)"
[ "$got" = "v$version" ] || { log "installed node reports $got, expected v$version"; exit 1; }
log "Node.js $got in $bin"
printf '%s\n' "$bin"
