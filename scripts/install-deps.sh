#!/usr/bin/env bash
# Installs the Debian 12 packages plenary needs to build, test and run, if any is missing.
# Called by `make run` and `make test`; safe to run again (it does nothing when all are there).
set -euo pipefail

packages=(
  g++ cmake make pkg-config git
  libboost1.81-dev libgit2-dev rapidjson-dev libsodium-dev libdtl-dev libcli11-dev
  libgtest-dev libgmock-dev
)
if [ "${1:-}" = "--browser" ]; then
  packages+=(chromium)
  # Node.js may come from Debian (nodejs + npm) or another repack that ships npm inside nodejs.
  command -v node >/dev/null 2>&1 || packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
