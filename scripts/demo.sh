#!/usr/bin/env bash
# The demo, from a fresh Debian 12 machine: install what is missing, build the server and the web
# app (not the tests: scripts/test.sh builds those), generate the demo prefecture (昭通) and serve
# it on http://127.0.0.1:8080. Extra arguments go to `wangge demo`
# (e.g. --scale 1 --no-serve, --db postgresql://…, --port 9000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh wangge
exec "${WANGGE_BUILD_DIR:-build}/bin/wangge" demo "$@"
