#!/usr/bin/env bash
# The README's demo path end to end: `wangge demo` generates the small prefecture, serves it,
# answers GET /healthz, and stops cleanly on SIGTERM. Usage: demo_smoke.sh WANGGE_BINARY
set -euo pipefail
BIN=$1
WORK=$(mktemp -d /tmp/wangge-smoke.XXXXXX)
trap 'kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
mkfifo "$WORK/out"
"$BIN" demo --quiet --db "$WORK/demo.db" --port 0 >"$WORK/out" 2>"$WORK/err" &
PID=$!
url=""
# The server prints its address once it listens: read lines until then (no polling).
while IFS= read -r line; do
  echo "$line"
  if [[ $line =~ (http://[0-9.]+:[0-9]+/) ]]; then url=${BASH_REMATCH[1]}; break; fi
done <"$WORK/out"
exec 3<"$WORK/out"  # keep the pipe open so later output cannot block the server
[ -n "$url" ] || { echo "FAIL: the demo never said where it serves"; cat "$WORK/err"; exit 1; }
body=$(curl -sf "${url}healthz")
echo "healthz: $body"
[[ $body == *'"status":"ok"'* ]] || { echo "FAIL: healthz said $body"; exit 1; }
kill -TERM $PID
wait $PID
echo "demo smoke: 1 passed, 0 failed"
