#!/usr/bin/env bash
# Installs the Debian packages the interop tests (test/peers/) run against:
# Godot 3 headless, Autobahn|Python (+ Twisted), Chromium (also the host of the Godot 4.6 web engine,
# an npm devDependency: test/godot4/) and nginx; and clang-16 with libFuzzer
# for the codec's fuzzers (npm run fuzz).
# Idempotent: when every package is already installed it only verifies the binaries and exits
# (INSTALL_PEERS_FORCE=1 runs apt-get anyway).
# Run as root; non-interactive (DEBIAN_FRONTEND=noninteractive).
set -euo pipefail

# openssl makes the TLS tests' certificates; cmake and g++ build the addon (normally in the base image).
packages=(godot3-server python3-autobahn python3-twisted chromium nginx openssl cmake g++ clang-16 libfuzzer-16-dev)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]})) || [[ "${INSTALL_PEERS_FORCE:-}" == 1 ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-peers: missing ${missing[*]}; run this script as root" >&2
    exit 1
  fi
  echo "install-peers: installing ${packages[*]} (missing: ${missing[*]:-none})"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y "${packages[@]}"
fi

# The harnesses call these exact paths (the pyenv python3 on PATH has no autobahn).
for bin in /usr/bin/godot3-server /usr/bin/chromium /usr/sbin/nginx /usr/bin/python3 /usr/bin/clang++-16; do
  [[ -x "$bin" ]] || { echo "install-peers: $bin is missing after install" >&2; exit 1; }
done
/usr/bin/python3 -c 'import autobahn.asyncio.websocket, twisted' \
  || { echo "install-peers: /usr/bin/python3 cannot import autobahn/twisted" >&2; exit 1; }
echo "install-peers: all peers present"
