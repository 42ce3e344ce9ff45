#!/usr/bin/env bash
# Load test of four API calls with wrk against a demo database.
# Usage: bench/api_load.sh [SCALE] [CONNECTIONS] [postgres]
#   SCALE        demo scale (default 1; scale 1 takes ~90 s to generate, 0.05 for a quick check)
#   CONNECTIONS  wrk connections for the read calls (default 256); login always uses 16
#   postgres     run against a throwaway PostgreSQL 15 cluster instead of SQLite
# Prints one line per call: `name: N req/s, p50 X ms, p99 Y ms, non-2xx Z`.
# Run scripts/build.sh first. WANGGE_BUILD_DIR overrides the build folder, DURATION wrk's -d (10s),
# WRK_TIMEOUT wrk's --timeout (30s; slower responses count as timeouts, outside the percentiles),
# KEEP=1 keeps the work folder (raw wrk output, server log).
# DB=PATH|URL serves an existing demo database (e.g. one built once with
#   `wangge demo --scale 1 --no-serve --db /tmp/scale1.db`) instead of generating one; SCALE is
#   then only a label. For a SQLite file the key file beside it is used.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SCALE=${1:-1}
CONNECTIONS=${2:-256}
BACKEND=${3:-sqlite}
DURATION=${DURATION:-10s}
WRK_TIMEOUT=${WRK_TIMEOUT:-30s}
LOGIN_CONNECTIONS=16
BIN=${WANGGE_BUILD_DIR:-build}/bin/wangge
[ -x "$BIN" ] || { echo "api_load: $BIN missing; run scripts/build.sh" >&2; exit 1; }
command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
command -v curl >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null
command -v jq >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null

WORK=$(mktemp -d /tmp/wangge-apiload.XXXXXX)
chmod 755 "$WORK" # the PostgreSQL cluster runs as user postgres when we are root
# Run a private copy of the binary so a concurrent rebuild of the build folder cannot break the run.
cp "$BIN" "$WORK/wangge"
BIN=$WORK/wangge
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  [ -n "${PGDIR:-}" ] && bash scripts/pg-test-cluster.sh stop "$PGDIR" >/dev/null 2>&1
  if [ -n "${KEEP:-}" ]; then echo "api_load: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

DB_GIVEN=${DB:-}
if [ -n "$DB_GIVEN" ]; then
  echo "api_load: using the existing database $DB" >&2
elif [ "$BACKEND" = postgres ]; then
  PGDIR=$WORK/pg
  DB=$(bash scripts/pg-test-cluster.sh start "$PGDIR")
  export WANGGE_KEY_FILE=$WORK/pg.key
else
  DB=$WORK/demo.db
fi

echo "api_load: scale $SCALE, $BACKEND, $CONNECTIONS connections (login: $LOGIN_CONNECTIONS), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
if [ -z "$DB_GIVEN" ]; then
  start=$(date +%s)
  "$BIN" demo --scale "$SCALE" --no-serve --db "$DB" >"$WORK/demo.txt" 2>&1 ||
    { cat "$WORK/demo.txt" >&2; exit 1; }
  echo "api_load: demo generated in $(($(date +%s) - start)) s" >&2
fi

# A freshly bulk-loaded PostgreSQL has no planner statistics until autovacuum gets to it; without
# them it sorts whole counties. Gather them first, as an operator would after a bulk import.
if [ "$BACKEND" = postgres ] && command -v psql >/dev/null; then
  psql "$DB" -qc ANALYZE >/dev/null
fi

# Start the server and read its stdout from a fifo until the URL appears.
mkfifo "$WORK/out.fifo"
"$BIN" serve --db "$DB" --port 0 >"$WORK/out.fifo" 2>"$WORK/serve.err" &
SERVER_PID=$!
exec 3<"$WORK/out.fifo"
URL=
while IFS= read -r -t 60 line <&3; do
  if [[ $line =~ (http://127\.0\.0\.1:[0-9]+/) ]]; then
    URL=${BASH_REMATCH[1]}
    break
  fi
done
[ -n "$URL" ] || { echo "api_load: server printed no URL" >&2; cat "$WORK/serve.err" >&2; exit 1; }
# Keep draining stdout so the server never blocks on a full pipe.
cat <&3 >"$WORK/serve.out" &
exec 3<&-
URL=${URL%/}
echo "api_load: server at $URL" >&2

LOGIN_BODY='{"username":"county","password":"Wangge@2026"}'
TOKEN=$(curl -fsS -X POST -H 'Content-Type: application/json' -d "$LOGIN_BODY" "$URL/api/v1/auth/login" | jq -r .token)
[ -n "$TOKEN" ] && [ "$TOKEN" != null ] || { echo "api_load: login failed" >&2; exit 1; }
export WANGGE_TOKEN=$TOKEN

# 100 resident ids in the county's scope for the detail call.
curl -fsS -H "Authorization: Bearer $TOKEN" "$URL/api/v1/residents?org=530621000000&size=100" |
  jq -r '.items[].id' >"$WORK/ids.txt"
[ -s "$WORK/ids.txt" ] || { echo "api_load: no resident ids" >&2; exit 1; }
export WANGGE_IDS_FILE=$WORK/ids.txt
export WRK_REPORT=$ROOT/bench/wrk/report.lua

# run NAME CONNECTIONS SCRIPT PATH
run() {
  local name=$1 conns=$2 script=$3 path=$4 out
  # Let the server drain the previous run's backlog before measuring the next call.
  curl -fsS -o /dev/null --max-time 120 -H "Authorization: Bearer $TOKEN" \
    "$URL/api/v1/residents/$(head -1 "$WORK/ids.txt")"
  out=$(wrk -t2 -c"$conns" -d"$DURATION" --timeout "$WRK_TIMEOUT" --latency -s "$ROOT/bench/wrk/$script" "$URL$path")
  echo "$out" >"$WORK/wrk-$name.txt"
  echo "$out" | awk -v n="$name" '/^WRK_RESULT/ {
    for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    printf "%s: %.0f req/s, p50 %.2f ms, p99 %.2f ms, non-2xx %d", n, v["rps"], v["p50_us"] / 1000,
      v["p99_us"] / 1000, v["non2xx"]
    if (v["connect"] + v["read"] + v["write"] + v["timeout"] > 0)
      printf " (socket errors: connect %d, read %d, write %d, timeout %d)", v["connect"], v["read"],
        v["write"], v["timeout"]
    printf "\n" }'
}

run "login (-c$LOGIN_CONNECTIONS, argon2id)" "$LOGIN_CONNECTIONS" login.lua /api/v1/auth/login
run "search q=zh" "$CONNECTIONS" get.lua "/api/v1/residents?q=zh&size=20"
run "list org+tag=dibao" "$CONNECTIONS" get.lua "/api/v1/residents?org=530621000000&tag=dibao&size=20"
run "detail (100 ids)" "$CONNECTIONS" detail.lua /api/v1/residents/
