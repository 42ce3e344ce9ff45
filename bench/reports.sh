#!/usr/bin/env bash
# One form (default 低保对象统计 "dibao") for every org node at every level of the demo
# prefecture — city, counties, townships, villages, grids: about 32,000 rows at scale 1 — through
# the analytics index's generic engine, and the same computation as SQL on SQLite, PostgreSQL
# and DuckDB (npm @duckdb/node-api), with ratios and the index's memory. Prints figures only.
# The SQL anchors are the tuned roll-up (tags pivoted once, records aggregated per org node,
# then rolled up to every level in one statement: analytics::run_report_sql_rollup); LITERAL=1
# adds the literal translation (an EXISTS per tag test, one GROUP BY per level over the
# records), which takes minutes at scale 1.
# Usage: bench/reports.sh [SQLITE_DB] [FORM]
#   SQLITE_DB  a demo database (default: builds one at scale ${SCALE:-1} in a temp folder)
#   PG=1       copies the report tables into a throwaway PostgreSQL cluster
#              (bench/reports_pg_load.sh) and times PostgreSQL too (with work_mem = 256MB); or
#   WANGGE_BENCH_PG=postgresql://…  a PostgreSQL database holding the same data
#   WANGGE_BUILD_DIR (default build) holds bin/wangge and bin/reports_bench.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${WANGGE_BUILD_DIR:-build}
BIN=$(realpath "$BUILD/bin/wangge")
BENCH=$(realpath "$BUILD/bin/reports_bench")
FORM=${2:-dibao}
WORK=$(mktemp -d /tmp/wangge-reports.XXXXXX)
PGDIR=""
cleanup() {
  [ -n "$PGDIR" ] && bash scripts/pg-test-cluster.sh stop "$PGDIR" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT
DB=${1:-}
if [ -z "$DB" ]; then
  echo "== building the demo prefecture at scale ${SCALE:-1}"
  "$BIN" demo --scale "${SCALE:-1}" --no-serve --db "$WORK/demo.db" >/dev/null
  DB=$WORK/demo.db
fi

if [ "${PG:-0}" = 1 ] && [ -z "${WANGGE_BENCH_PG:-}" ]; then
  echo "== copying the report tables into a throwaway PostgreSQL cluster"
  PGDIR=$(mktemp -d /tmp/wangge-reports-pg.XXXXXX)
  chmod 755 "$PGDIR"
  WANGGE_BENCH_PG=$(bash scripts/pg-test-cluster.sh start "$PGDIR")
  bash bench/reports_pg_load.sh "$DB" "$WANGGE_BENCH_PG"
fi
echo "== load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== index and SQL ($FORM)"
ARGS=(--emit-sql "$WORK/report.sql")
[ -n "${WANGGE_BENCH_PG:-}" ] && ARGS+=(--pg "$WANGGE_BENCH_PG")
[ "${LITERAL:-0}" = 1 ] && ARGS+=(--literal yes --emit-literal "$WORK/literal.sql")
"$BENCH" --db "$DB" --form "$FORM" --repeat "${REPEAT:-30}" "${ARGS[@]}" \
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
duck() {  # label, SQL file
  local out ms
  out=$(node bench/duckdb/run.mjs "$2" --sqlite "$DB" --csv "$WORK/csv" --repeat 3)
  echo "DuckDB $1: $out"
  ms=$(echo "$out" | sed -n 's/^DUCKDB_MS=\([0-9.]*\).*/\1/p')
  awk -v d="$ms" -v i="$INDEX_MS" -v l="$1" 'BEGIN { printf "ratio DuckDB %s / index: %.1f\n", l, d / i }'
}
duck "roll-up (tuned)" "$WORK/report.sql"
[ "${LITERAL:-0}" = 1 ] && duck "literal (EXISTS)" "$WORK/literal.sql"
echo "== load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
