#!/usr/bin/env bash
# Builds wangge into ./build and the web app into web/dist, saying which step it is on (ninja
# prints [done/total] for each file). Called by demo.sh with the server alone and by test.sh with
# everything.
# Usage: scripts/build.sh [TARGET...]   no target: every program, tests included
#   WANGGE_BUILD_DIR=dir   where (default build)
#   WANGGE_SANITIZE=1      the test build: ASan + UBSan, Debug (-O0: GCC 12 at -O1 and up with
#                          ASan warns falsely in <regex> and Asio's coroutines), asserts on; -g1
#                          (line tables: ASan's stacks name file and line) compiles a sixth
#                          faster than -g
#   WANGGE_BUILD_TYPE=T    otherwise Release at -O2 (no debug info: a third less compile time;
#                          RelWithDebInfo for a server whose crashes you want to read)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${WANGGE_BUILD_DIR:-build}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
if [[ "${WANGGE_SANITIZE:-0}" == 1 ]]; then
  config=(-DCMAKE_BUILD_TYPE=Debug -DWANGGE_SANITIZE=ON -DCMAKE_CXX_FLAGS_DEBUG=-g1
    -DCMAKE_C_FLAGS_DEBUG=-g1)
else
  config=(-DCMAKE_BUILD_TYPE="${WANGGE_BUILD_TYPE:-Release}" "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG"
    "-DCMAKE_C_FLAGS_RELEASE=-O2 -DNDEBUG")
fi
echo "== 构建 build 1/2: C++ ${*:-(全部 everything)} → $BUILD/bin"
cmake -S . -B "$BUILD" -G Ninja "${config[@]}" >/dev/null
ninja -C "$BUILD" -j"$(nproc)" "$@"
echo "== 构建 build 2/2: 网页 web app → web/dist"
bash scripts/web-build.sh
