#!/usr/bin/env bash
# An anonymous flood of failed logins must not hold up other users' writes (issue 14, item 6).
# Starts a small demo (`wangge demo --no-serve`, then `wangge serve`), and measures the p99 of
# event reports (POST /api/v1/events as the demo grid worker, WRITE_CONNECTIONS connections)
# alone, then while FLOOD_CONNECTIONS (50) connections post wrong passwords for made-up names
# from one address. The goal: the p99 under the flood stays at or under 20 ms.
# Usage: bench/login_flood.sh [SCALE]   (demo scale, default 0.05)
# WANGGE_BUILD_DIR (build), DURATION (10s) per run, WRITE_CONNECTIONS (4), KEEP=1 keeps the
# work folder. Prints `writes alone: …`, `writes under the flood: …` and the flood's statuses.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SCALE=${1:-0.05}
DURATION=${DURATION:-10s}
WRITE_CONNECTIONS=${WRITE_CONNECTIONS:-4}
FLOOD_CONNECTIONS=${FLOOD_CONNECTIONS:-50}
BIN=${WANGGE_BUILD_DIR:-build}/bin/wangge
[ -x "$BIN" ] || { echo "login_flood: $BIN missing; run scripts/build.sh" >&2; exit 1; }
for tool in wrk curl jq; do
  command -v "$tool" >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null
done
source bench/lib.sh

WORK=$(mktemp -d /tmp/wangge-loginflood.XXXXXX)
cp "$BIN" "$WORK/wangge"
BIN=$WORK/wangge
FLOOD_PID=
cleanup() {
  [ -n "$FLOOD_PID" ] && kill "$FLOOD_PID" 2>/dev/null && wait "$FLOOD_PID" 2>/dev/null
  bench_stop
  if [ -n "${KEEP:-}" ]; then echo "login_flood: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

DB=$WORK/demo.db
"$BIN" demo --scale "$SCALE" --no-serve --db "$DB" >"$WORK/demo.txt" 2>&1 ||
  { cat "$WORK/demo.txt" >&2; exit 1; }
bench_serve "$BIN" "$DB" "$WORK"
echo "login_flood: scale $SCALE, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), server at $URL" >&2
export WANGGE_TOKEN
WANGGE_TOKEN=$(bench_login "$URL" gridworker)

bench_wrk "writes alone (POST /api/v1/events -c$WRITE_CONNECTIONS)" "$WRITE_CONNECTIONS" \
  event_create.lua "$URL"

# The flood runs a little longer than the writes on both ends.
secs=${DURATION%s}
wrk -t2 -c"$FLOOD_CONNECTIONS" -d"$((secs + 4))s" --timeout 30s --latency \
  -s bench/wrk/login_fail.lua "$URL/api/v1/auth/login" >"$WORK/flood.txt" 2>&1 &
FLOOD_PID=$!
sleep 2
bench_wrk "writes under the flood (POST /api/v1/events -c$WRITE_CONNECTIONS)" "$WRITE_CONNECTIONS" \
  event_create.lua "$URL"
wait "$FLOOD_PID" || true
FLOOD_PID=
awk -v c="$FLOOD_CONNECTIONS" '/^FLOOD_RESULT/ {
  for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = substr($i, length(kv[1]) + 2) }
  printf "flood: %d failed logins from one address over %d connections, p99 %.2f ms, statuses %s\n",
    v["requests"], c, v["p99_us"] / 1000, v["statuses"] }' "$WORK/flood.txt"
