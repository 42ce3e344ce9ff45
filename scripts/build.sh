#!/usr/bin/env bash
# Builds wangge (and, once present, the web app) into ./build. Called by demo.sh and test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${WANGGE_BUILD_DIR:-build}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=${WANGGE_BUILD_TYPE:-RelWithDebInfo} >/dev/null
ninja -C "$BUILD" -j"$(nproc)"
bash scripts/web-build.sh
