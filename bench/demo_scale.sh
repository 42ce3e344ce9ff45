#!/usr/bin/env bash
# Prints the wall time, peak memory and database size of `wangge demo --scale S --no-serve`.
# Usage: bench/demo_scale.sh [SCALE] [postgres]   (default scale 1 on SQLite; goal at scale 1:
# under 90 s and under 4 GiB on a 2-core machine). WANGGE_DEMO_SEED picks the seed. Run
# scripts/build.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${1:-1}
BIN=${WANGGE_BUILD_DIR:-build}/bin/wangge
[ -x /usr/bin/time ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
WORK=$(mktemp -d /tmp/wangge-bench.XXXXXX)
cleanup() { [ -n "${PGDIR:-}" ] && bash scripts/pg-test-cluster.sh stop "$PGDIR" >/dev/null 2>&1; rm -rf "$WORK"; }
trap cleanup EXIT

if [ "${2:-}" = postgres ]; then
  PGDIR=$WORK/pg
  DB=$(bash scripts/pg-test-cluster.sh start "$PGDIR")
  export WANGGE_KEY_FILE=$WORK/pg.key
else
  DB=$WORK/demo.db
fi

/usr/bin/time -v "$BIN" demo --scale "$SCALE" ${WANGGE_DEMO_SEED:+--seed "$WANGGE_DEMO_SEED"} \
  --no-serve --db "$DB" >"$WORK/out.txt" 2>"$WORK/time.txt"
cat "$WORK/out.txt"
wall=$(grep 'Elapsed (wall clock)' "$WORK/time.txt" | awk '{print $NF}')
peak_kb=$(grep 'Maximum resident set size' "$WORK/time.txt" | awk '{print $NF}')
if [ "${2:-}" = postgres ]; then
  size=$(runuser -u postgres -- psql -h "$PGDIR" -p "$(echo "$DB" | sed 's/.*:\([0-9]*\)\/.*/\1/')" -d wangge_test -Atc "SELECT pg_database_size('wangge_test')" 2>/dev/null || echo 0)
else
  size=$(du -cb "$DB"* | tail -1 | cut -f1)
fi
# CPU seconds too: on a shared machine the wall time says as much about the neighbours.
cpu=$(awk -F': ' '/User time|System time/ {t += $2} END {print t}' "$WORK/time.txt")
share=$(grep 'Percent of CPU' "$WORK/time.txt" | awk '{print $NF}')
load=$(cut -d' ' -f1-3 /proc/loadavg)
awk -v s="$SCALE" -v b="${2:-sqlite}" -v w="$wall" -v m="$peak_kb" -v d="$size" -v c="$cpu" \
  -v p="$share" -v l="$load" 'BEGIN {
  printf "demo scale %s (%s): wall %s, cpu %.1f s (%s of a core), peak memory %.2f GiB, " \
    "database %.2f GiB, load average %s\n", s, b, w, c, p, m / 1048576, d / 1073741824, l }'
