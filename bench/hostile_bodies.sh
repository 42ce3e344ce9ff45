#!/usr/bin/env bash
# What hostile request bodies cost the server: its peak memory (VmHWM) before and after 8 MB of
# '[' sent to the login (the JSON depth limit and the route's 64 KiB body limit refuse it), and
# after 8 MB of '[' nested 32 levels at most inside a string-free array of many small arrays.
# Usage: bench/hostile_bodies.sh [SCALE]   (demo scale, default 0.01)
# Prints `name: status S, peak RSS before X MiB, after Y MiB`.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${1:-0.01}
BIN=${WANGGE_BUILD_DIR:-build}/bin/wangge
[ -x "$BIN" ] || { echo "hostile_bodies: $BIN missing; run scripts/build.sh" >&2; exit 1; }
source bench/lib.sh
WORK=$(mktemp -d /tmp/wangge-hostile.XXXXXX)
trap 'bench_stop; rm -rf "$WORK"' EXIT

"$BIN" demo --scale "$SCALE" --no-serve --db "$WORK/demo.db" >/dev/null
bench_serve "$BIN" "$WORK/demo.db" "$WORK"

peak_mib() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status"; }

python3 -c "import sys; sys.stdout.write('[' * (8 << 20))" >"$WORK/deep.json"
python3 -c "import sys; sys.stdout.write('[' + ','.join(['[[[1]]]'] * ((8 << 20) // 8)) + ']')" \
  >"$WORK/wide.json"

for name in deep wide; do
  before=$(peak_mib)
  status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    --data-binary "@$WORK/$name.json" "$URL/api/v1/auth/login" || true)
  echo "$name 8 MB to /api/v1/auth/login: status $status, peak RSS before $before MiB, after $(peak_mib) MiB"
done
