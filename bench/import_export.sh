#!/usr/bin/env bash
# Import/export speed of residents on about a million rows, beside the anchors that do no
# validation or encryption at all: sqlite3 `.import` and PostgreSQL `COPY` of the same CSV.
# Usage: bench/import_export.sh [SCALE]   (default 0.2 ≈ 1 million residents). Prints rows/s
# and ratios. Run scripts/build.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${1:-0.2}
BIN=$(realpath "${WANGGE_BUILD_DIR:-build}/bin/wangge")
WORK=$(mktemp -d /tmp/wangge-io.XXXXXX)
chmod 755 "$WORK"
PGDIR=$WORK/pg
cleanup() { bash scripts/pg-test-cluster.sh stop "$PGDIR" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

echo "== preparing two demo databases at scale $SCALE"
"$BIN" demo --scale "$SCALE" --no-serve --db "$WORK/a.db" >/dev/null
cp "$WORK/a.db" "$WORK/b.db"; cp "$WORK/a.db.key" "$WORK/b.db.key"
sqlite3 "$WORK/b.db" "DELETE FROM resident_tags; DELETE FROM color_history WHERE subject = 'resident';
  DELETE FROM residents; VACUUM;"

t0=$(now); "$BIN" export residents --db "$WORK/a.db" -o "$WORK/r.csv" 2>/dev/null; t1=$(now)
rows=$(($(wc -l <"$WORK/r.csv") - 1))
export_s=$(secs "$t0" "$t1")
t0=$(now); "$BIN" import residents --db "$WORK/b.db" "$WORK/r.csv" >/dev/null 2>&1; t1=$(now)
import_s=$(secs "$t0" "$t1")
t0=$(now); "$BIN" import residents --db "$WORK/b.db" "$WORK/r.csv" >/dev/null 2>&1; t1=$(now)
reimport_s=$(secs "$t0" "$t1")

# Anchors: raw loads of the same file into a table of text columns.
t0=$(now); sqlite3 "$WORK/c.db" ".import --csv $WORK/r.csv raw"; t1=$(now)
sqlite_s=$(secs "$t0" "$t1")
URL=$(bash scripts/pg-test-cluster.sh start "$PGDIR")
PORT=$(echo "$URL" | sed 's/.*:\([0-9]*\)\/.*/\1/')
PSQL=(psql -h 127.0.0.1 -p "$PORT" -U postgres -d wangge_test -q)
cols=$(head -1 "$WORK/r.csv" | sed 's/^\xEF\xBB\xBF//' | tr ',' '\n' | awk '{printf "%sc%d text", (NR>1?", ":""), NR}')
"${PSQL[@]}" -c "CREATE TABLE raw ($cols)"
t0=$(now); "${PSQL[@]}" -c "\\copy raw FROM '$WORK/r.csv' WITH (FORMAT csv, HEADER true)"; t1=$(now)
copy_s=$(secs "$t0" "$t1")

awk -v n="$rows" -v e="$export_s" -v i="$import_s" -v r="$reimport_s" -v s="$sqlite_s" -v c="$copy_s" 'BEGIN {
  printf "rows: %d residents\n", n
  printf "wangge export (decrypt, CSV):            %6.2f s  %9.0f rows/s\n", e, n / e
  printf "wangge import (validate, encrypt, insert): %4.2f s  %9.0f rows/s\n", i, n / i
  printf "wangge re-import (every row unchanged):  %6.2f s  %9.0f rows/s\n", r, n / r
  printf "anchor sqlite3 .import:                  %6.2f s  %9.0f rows/s\n", s, n / s
  printf "anchor PostgreSQL COPY:                  %6.2f s  %9.0f rows/s\n", c, n / c
  printf "ratios: import / sqlite3 .import = %.1f, import / COPY = %.1f, export / sqlite3 .import = %.1f\n", i / s, i / c, e / s
}'
