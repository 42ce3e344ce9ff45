#!/usr/bin/env bash
# The closed loop under load (issue 5): event creation and transitions over HTTP, the KPI call
# for the whole prefecture over the demo year, and the escalation sweep over 1,000,000 open
# events. Prints one line per figure.
# Usage: bench/events_load.sh [SCALE] [postgres]
#   SCALE     demo scale when a database is generated (default 1; PostgreSQL: PG_SCALE, 0.2)
#   postgres  a private PostgreSQL 15 cluster (scripts/pg-test-cluster.sh) instead of SQLite
# DB=PATH   a SQLite demo database (e.g. /tmp/scale1.db) to start from; it is copied into the
#           work folder (sqlite3 .backup) and never written. Without DB a demo is generated.
#           A database without events first gets the demo's year of events (events_bench).
# SWEEP_COUNT (1000000) open events bulk-loaded for the sweep, OVERDUE (0.02) and NEAR (0.02)
# their shares overdue (up to 6 h: the catch-up after a stopped server) and due within 2 h; then
# the sweep a minute later (the server sweeps every minute). TRANSITION_EVENTS (60000) reports
# made beforehand for the transition runs (a quarter per run). DURATION (10s) per wrk run; KEEP=1 keeps the work
# folder; WANGGE_BUILD_DIR (build) holds bin/wangge and bin/events_bench.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source bench/lib.sh
SCALE=${1:-1}
BACKEND=${2:-sqlite}
BUILD=${WANGGE_BUILD_DIR:-build}
SWEEP_COUNT=${SWEEP_COUNT:-1000000}
for tool in wrk curl jq sqlite3; do
  command -v $tool >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $tool >/dev/null
done
WORK=$(mktemp -d /tmp/wangge-events.XXXXXX)
chmod 755 "$WORK" # the PostgreSQL cluster runs as user postgres when we are root
# Private copies of the binaries so a concurrent rebuild cannot break the run.
for b in wangge events_bench; do
  [ -x "$BUILD/bin/$b" ] || { echo "events_load: $BUILD/bin/$b missing" >&2; exit 1; }
  cp "$BUILD/bin/$b" "$WORK/$b"
done
BIN=$WORK/wangge
EB=$WORK/events_bench
cleanup() {
  bench_stop
  [ -n "${PGDIR:-}" ] && bash scripts/pg-test-cluster.sh stop "$PGDIR" >/dev/null 2>&1
  if [ -n "${KEEP:-}" ]; then echo "events_load: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$BACKEND" = postgres ]; then
  SCALE=${PG_SCALE:-0.2}
  PGDIR=$WORK/pg
  DB=$(bash scripts/pg-test-cluster.sh start "$PGDIR")
  export WANGGE_KEY_FILE=$WORK/pg.key
  start=$(date +%s)
  "$BIN" demo --scale "$SCALE" --no-serve --db "$DB" >"$WORK/demo.txt" 2>&1 ||
    { cat "$WORK/demo.txt" >&2; exit 1; }
  echo "events_load: demo (scale $SCALE) generated in $(($(date +%s) - start)) s" >&2
elif [ -n "${DB:-}" ]; then
  sqlite3 "$DB" ".backup $WORK/demo.db"
  cp "$DB.key" "$WORK/demo.db.key"
  DB=$WORK/demo.db
  echo "events_load: copied ${DB_SOURCE:-the given database} to $DB" >&2
else
  DB=$WORK/demo.db
  "$BIN" demo --scale "$SCALE" --no-serve --db "$DB" >"$WORK/demo.txt" 2>&1 ||
    { cat "$WORK/demo.txt" >&2; exit 1; }
fi
"$EB" demo-events --db "$DB" >&2
"$EB" report --db "$DB" --as gridworker --count "${TRANSITION_EVENTS:-60000}" --out "$WORK/ids.txt"
# Four quarters of the ids: transitions -c256 and -c16 under each durability setting.
for q in 0 1 2 3; do awk -v q=$q 'NR % 4 == q' "$WORK/ids.txt" >"$WORK/ids-$q.txt"; done
if [ "$BACKEND" = postgres ]; then
  psql "$DB" -qc ANALYZE >/dev/null
  # The test cluster starts without durability (disposable data, fast loads); the figures below
  # are for durable commits, so it is turned back on before they are taken.
  psql "$DB" -qc "ALTER SYSTEM SET fsync = on" -c "ALTER SYSTEM SET full_page_writes = on" \
    -c "ALTER SYSTEM SET synchronous_commit = on" -c "SELECT pg_reload_conf()" >/dev/null
fi
DURABLE=$("$EB" durability --db "$DB")

echo "events: $BACKEND, scale $SCALE, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
# The writes twice: with the default (a 2xx is on disk: $DURABLE) and with
# [database] power_cut_may_lose_writes = true (SQLite synchronous=NORMAL, PostgreSQL
# synchronous_commit=off: a power cut may lose the last answered writes).
q=0
for setting in full power_cut_may_lose_writes; do
  config=$WORK/$setting.toml
  echo "[database]" >"$config"
  if [ $setting = full ]; then
    echo "power_cut_may_lose_writes = false" >>"$config"
    echo "durability: full (default; $DURABLE)"
  else
    echo "power_cut_may_lose_writes = true" >>"$config"
    echo "durability: power_cut_may_lose_writes = true"
  fi
  bench_serve "$BIN" "$DB" "$WORK" --config "$config"
  echo "events_load: server at $URL ($setting)" >&2
  export WANGGE_TOKEN
  WANGGE_TOKEN=$(bench_login "$URL" gridworker)
  bench_wrk "  create POST /api/v1/events -c256" 256 event_create.lua "$URL"
  bench_wrk "  create POST /api/v1/events -c16" 16 event_create.lua "$URL"
  # Transitions: events reported beforehand as the grid worker (events::report, in process),
  # each taken through accept → start → resolve → verify_pass; a quarter of the ids per run.
  WANGGE_IDS_FILE=$WORK/ids-$q.txt bench_wrk "  transition POST /api/v1/events/{id}/actions -c256" \
    256 event_action.lua "$URL"
  WANGGE_IDS_FILE=$WORK/ids-$((q + 1)).txt bench_wrk \
    "  transition POST /api/v1/events/{id}/actions -c16" 16 event_action.lua "$URL"
  q=$((q + 2))
  bench_stop
done

bench_serve "$BIN" "$DB" "$WORK"
# The KPIs of the whole prefecture over the demo year, 200 calls one after another.
WANGGE_TOKEN=$(bench_login "$URL" city)
KPI="/api/v1/kpis/events?org=530600000000&from=2025-07-01&to=2026-06-30"
curl -fsS -H "Authorization: Bearer $WANGGE_TOKEN" "$URL$KPI" >"$WORK/kpi.json"
echo "events_load: KPI answer $(jq -c '{org, from, to, received, closed, open}' "$WORK/kpi.json")" >&2
WANGGE_CALLS=200 WRK_THREADS=1 DURATION=120s bench_wrk "KPI city, one year (200 calls, -c1)" 1 \
  event_kpi.lua "$URL$KPI"
bench_stop

# The sweep over SWEEP_COUNT open events, loaded straight into the database.
NOW=2026-07-01T10:00:00+08:00
"$EB" load --db "$DB" --count "$SWEEP_COUNT" --now "$NOW" --overdue "${OVERDUE:-0.02}" \
  --near "${NEAR:-0.02}"
"$EB" sweep --db "$DB" --now "$NOW"
# The steady state: `wangge serve` sweeps every minute, so the next sweep sees one minute's worth.
"$EB" sweep --db "$DB" --now "${NOW%T*}T10:01:00+08:00"
