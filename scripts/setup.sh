#!/usr/bin/env bash
# Installs everything wangge needs on Debian 12. Idempotent: installs only what is missing.
# Usage: scripts/setup.sh            (C++ toolchain, libraries, PostgreSQL for tests)
set -euo pipefail

APT_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git curl
  libboost-dev libboost-system-dev nlohmann-json3-dev libfmt-dev libspdlog-dev libcli11-dev
  libtomlplusplus-dev libsqlite3-dev sqlite3 libpq-dev postgresql
  libsodium-dev libargon2-dev libssl-dev libxlsxwriter-dev libminizip-dev libpugixml-dev
  libicu-dev libroaring-dev libjemalloc-dev libgtest-dev libgmock-dev libbenchmark-dev
  clang-format clang-tidy
  nodejs npm chromium fonts-wqy-microhei
  jq libreoffice-calc-nogui poppler-utils
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# nodejs/npm may come from outside apt (e.g. a preinstalled node): accept any node >= 18.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]}"

if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup: all packages present"
