#!/usr/bin/env bash
# One form (default 低保对象统计 "dibao") for every org node at every level of the demo
# prefecture — city, counties, townships, villages, grids: about 32,000 rows at scale 1 — through
# the analytics index's generic engine, and the same computation as SQL on SQLite, PostgreSQL
# and DuckDB (npm @duckdb/node-api), with ratios and the index's memory. Prints figures only.
# Usage: bench/reports.sh [SQLITE_DB] [FORM]
#   SQLITE_DB  a demo database (default: builds one at scale ${SCALE:-1} in a temp folder)
#   WANGGE_BENCH_PG=postgresql://…  a PostgreSQL database holding the same demo
#                                    (wangge demo --scale 1 --no-serve --db postgresql://…)
#   WANGGE_BUILD_DIR (default build) holds bin/wangge and bin/reports_bench.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${WANGGE_BUILD_DIR:-build}
BIN=$(realpath "$BUILD/bin/wangge")
BENCH=$(realpath "$BUILD/bin/reports_bench")
FORM=${2:-dibao}
WORK=$(mktemp -d /tmp/wangge-reports.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
DB=${1:-}
if [ -z "$DB" ]; then
  echo "== building the demo prefecture at scale ${SCALE:-1}"
  "$BIN" demo --scale "${SCALE:-1}" --no-serve --db "$WORK/demo.db" >/dev/null
  DB=$WORK/demo.db
fi

echo "== index and SQL ($FORM)"
PG_ARGS=()
[ -n "${WANGGE_BENCH_PG:-}" ] && PG_ARGS=(--pg "$WANGGE_BENCH_PG")
"$BENCH" --db "$DB" --form "$FORM" --repeat 20 --emit-sql "$WORK/report.sql" "${PG_ARGS[@]}" \
  2>/dev/null | tee "$WORK/bench.out" | grep -v '^INDEX_MS='
INDEX_MS=$(sed -n 's/^INDEX_MS=//p' "$WORK/bench.out")

echo "== DuckDB (same SQL statements)"
if [ ! -d bench/duckdb/node_modules/@duckdb/node-api ]; then
  (cd bench/duckdb && npm install --no-audit --no-fund >/dev/null 2>&1)
fi
mkdir -p "$WORK/csv"
sqlite3 -header -csv "$DB" "SELECT id, code, parent_id, kind, name FROM orgs" >"$WORK/csv/orgs.csv"
sqlite3 -header -csv "$DB" "SELECT id, household_id, org_id, sex, birth_date, relation, status,
  color FROM residents" >"$WORK/csv/residents.csv"
sqlite3 -header -csv "$DB" "SELECT resident_id, tag FROM resident_tags" >"$WORK/csv/resident_tags.csv"
sqlite3 -header -csv "$DB" "SELECT id, org_id, building_id, color FROM households" \
  >"$WORK/csv/households.csv"
sqlite3 -header -csv "$DB" "SELECT id, org_id, role, ended_at FROM posts" >"$WORK/csv/posts.csv"
sqlite3 -header -csv "$DB" "SELECT id, org_id, kind FROM party_orgs" >"$WORK/csv/party_orgs.csv"
sqlite3 -header -csv "$DB" "SELECT id, grid_id, category, state, source, sla_class, damage, level,
  resolved_level, satisfaction, people_affected, reported_at, due_at, first_due_at, closed_at,
  resolved_at, accepted_at, overdue, escalations, reopens, extensions, recurrence_of, urgency,
  response_late FROM events" >"$WORK/csv/events.csv" 2>/dev/null || echo "id" >"$WORK/csv/events.csv"
DUCK=$(node bench/duckdb/run.mjs "$WORK/report.sql" --sqlite "$DB" --csv "$WORK/csv" --repeat 3)
echo "$DUCK"
DUCK_MS=$(echo "$DUCK" | sed -n 's/^DUCKDB_MS=\([0-9.]*\).*/\1/p')
awk -v d="$DUCK_MS" -v i="$INDEX_MS" 'BEGIN { printf "ratio DuckDB/index: %.1f\n", d / i }'
