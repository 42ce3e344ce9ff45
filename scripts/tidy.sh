#!/usr/bin/env bash
# clang-tidy (.clang-tidy at the root) over the sources, in parallel. Needs a build dir with
# compile_commands.json (scripts/build.sh makes one). src/http is left out: every file there
# pulls in Beast and takes minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${WANGGE_BUILD_DIR:-build}
git ls-files -co --exclude-standard -- 'src/*.cpp' | grep -v '^src/http/' |
  xargs -r -P "$(nproc)" -n 4 clang-tidy -p "$BUILD" --quiet 2>/dev/null >"$BUILD/tidy.log" || true
if grep -E "(warning|error):" "$BUILD/tidy.log"; then
  echo "clang-tidy found problems (above)"; exit 1
fi
echo "clang-tidy: clean"
