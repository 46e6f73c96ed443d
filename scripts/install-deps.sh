#!/usr/bin/env bash
# Installs the Debian 12 packages plenary needs to build, test and run, if any is missing.
# Called by `make run` and `make test`; safe to run again (it does nothing when all are there).
set -euo pipefail

packages=(
  g++ cmake make pkg-config git
  libboost1.81-dev libgit2-dev zlib1g-dev rapidjson-dev libsodium-dev libdtl-dev libcli11-dev
  libspdlog-dev libgtest-dev libgmock-dev
  libqrencode-dev  # QR codes of join links on the organizer's join slips (server/qr.cpp)
  # The debrief page's charts: Chart.js 3, served by plenary as /vendor/chart.js (no CDN).
  libjs-chart.js
)
if [ "${1:-}" = "--browser" ]; then
  packages+=(chromium)
  # tests/ops: `nginx -t` and a TLS proxy check of deploy/nginx, exports checked by xmllint.
  packages+=(nginx openssl curl libxml2-utils)
  # The QR codes of join slips are read back in tests: zbarimg decodes the server's SVG
  # (tests/server/unit/qr_test.cpp) and, in tests/browser/organize.test.mjs, a slip's
  # screenshot, as a phone's camera would.
  packages+=(zbar-tools)
  # The browser tests' screenshots of the pages in Chinese (tests/browser/i18n-organize.test.mjs):
  # Chromium draws Chinese only with a CJK font installed (DejaVu has none).
  packages+=(fonts-wqy-zenhei)
  # Node.js may come from Debian (nodejs + npm) or another repack that ships npm inside nodejs.
  command -v node >/dev/null 2>&1 || packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
fi

if [ "${1:-}" = "--format" ]; then
  packages+=(clang-format)  # `make format-check` (CI) and `make format`: the style of .clang-format
fi

if [ "${1:-}" = "--fuzz" ]; then
  packages+=(clang libclang-rt-14-dev)  # `make fuzz`: libFuzzer, ASan and UBSan runtimes
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
# The tests need nginx's binary, not its service: when this installs nginx, it neither starts
# it (policy-rc.d, for this install only) nor leaves it enabled at boot.
installing_nginx=no
for p in "${missing[@]}"; do [ "$p" = nginx ] && installing_nginx=yes; done
if [ "$installing_nginx" = yes ] && [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
  $sudo chmod +x /usr/sbin/policy-rc.d
  trap '$sudo rm -f /usr/sbin/policy-rc.d' EXIT
fi
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
if [ "$installing_nginx" = yes ] && [ -d /run/systemd/system ]; then
  $sudo systemctl disable --quiet nginx 2>/dev/null || true
fi
