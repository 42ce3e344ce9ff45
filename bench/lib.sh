# Shell shared by the bench/*.sh load scripts (source it; bash, set -euo pipefail).
#   bench_serve BIN DB WORK [ARGS…]  starts `BIN serve --db DB --port 0 ARGS…`, sets URL and
#                             SERVER_PID
#   bench_stop                stops the server started by bench_serve (safe to call twice)
#   bench_login URL USER      prints a bearer token for a demo account (password Wangge@2026)
#   bench_wrk NAME CONNS SCRIPT URL [extra wrk args]   runs wrk with the lua SCRIPT (which must
#                             dofile bench/wrk/report.lua) and prints
#                             `NAME: N req/s, p50 X ms, p99 Y ms, non-2xx Z`; raw output in
#                             $WORK/wrk-<NAME>.txt. Uses DURATION (10s) and WRK_TIMEOUT (30s).
BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SERVER_PID=

bench_serve() {
  local bin=$1 db=$2 work=$3 line
  shift 3
  rm -f "$work/out.fifo"
  mkfifo "$work/out.fifo"
  "$bin" serve --db "$db" --port 0 "$@" >"$work/out.fifo" 2>"$work/serve.err" &
  SERVER_PID=$!
  exec 3<"$work/out.fifo"
  URL=
  while IFS= read -r -t 300 line <&3; do
    if [[ $line =~ (http://127\.0\.0\.1:[0-9]+/) ]]; then
      URL=${BASH_REMATCH[1]}
      break
    fi
  done
  [ -n "$URL" ] || { echo "bench: server printed no URL" >&2; cat "$work/serve.err" >&2; return 1; }
  # Keep draining stdout so the server never blocks on a full pipe.
  cat <&3 >>"$work/serve.out" &
  exec 3<&-
  URL=${URL%/}
}

bench_stop() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}

bench_login() {
  local url=$1 user=$2 token
  token=$(curl -fsS -X POST -H 'Content-Type: application/json' \
    -d "{\"username\":\"$user\",\"password\":\"Wangge@2026\"}" "$url/api/v1/auth/login" | jq -r .token)
  [ -n "$token" ] && [ "$token" != null ] || { echo "bench: login as $user failed" >&2; return 1; }
  echo "$token"
}

bench_wrk() {
  local name=$1 conns=$2 script=$3 url=$4 out
  shift 4
  export WRK_REPORT=$BENCH_ROOT/bench/wrk/report.lua
  out=$(wrk -t"${WRK_THREADS:-2}" -c"$conns" -d"${DURATION:-10s}" --timeout "${WRK_TIMEOUT:-30s}" --latency "$@" \
    -s "$BENCH_ROOT/bench/wrk/$script" "$url")
  echo "$out" >"$WORK/wrk-${name//[^A-Za-z0-9_-]/_}.txt"
  echo "$out" | awk -v n="$name" '/^WRK_RESULT/ {
    for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    printf "%s: %.0f req/s, p50 %.2f ms, p99 %.2f ms, non-2xx %d (%d requests)", n, v["rps"],
      v["p50_us"] / 1000, v["p99_us"] / 1000, v["non2xx"], v["requests"]
    if (v["connect"] + v["read"] + v["write"] + v["timeout"] > 0)
      printf " (socket errors: connect %d, read %d, write %d, timeout %d)", v["connect"], v["read"],
        v["write"], v["timeout"]
    printf "\n" }'
}
