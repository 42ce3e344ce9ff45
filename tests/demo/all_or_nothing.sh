#!/usr/bin/env bash
# `wangge demo` is all or nothing on SQLite: a generation that fails half-way (here: a file size
# limit the database outgrows) leaves neither the database nor its partial file behind, and the
# next run builds it whole. And it never touches a database it did not make: pointed at one that
# holds other data (SQLite file or PostgreSQL schema), with or without --fresh, it refuses and
# the data stays. Usage: all_or_nothing.sh WANGGE_BINARY (PostgreSQL: WANGGE_TEST_PG)
set -euo pipefail
BIN=$1
WORK=$(mktemp -d /tmp/wangge-demo-aon.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# 1. Fails half-way: 4 MiB is far less than the small demo needs (ulimit -f counts 1 KiB blocks).
if (ulimit -f 4096; "$BIN" demo --scale 0.002 --no-serve --db "$WORK/demo.db" >"$WORK/out1" 2>"$WORK/err1"); then
  fail "the demo succeeded under a 4 MiB file limit (the negative control did not bite)"
fi
[[ ! -e "$WORK/demo.db" ]] || fail "a half-built demo.db was left behind"
[[ -z "$(ls "$WORK" | grep partial || true)" ]] || fail "the partial file was left behind: $(ls "$WORK")"
echo "ok: a failed generation left no database ($(tail -c 200 "$WORK/err1" | tr '\n' ' '))"

# 2. Then whole: the database is there, with its accounts.
"$BIN" demo --scale 0.002 --no-serve --db "$WORK/demo.db" >"$WORK/out2" 2>"$WORK/err2" ||
  fail "the second run failed: $(cat "$WORK/err2")"
[[ -s "$WORK/demo.db" ]] || fail "no demo.db after a successful run"
[[ ! -e "$WORK/demo.db.partial" ]] || fail "demo.db.partial remains after success"
grep -q "gridworker" "$WORK/out2" || fail "no demo accounts listed"
echo "ok: the second run built it whole"
passed=2

# 3. A database the demo did not make is neither used nor dropped, --fresh or not.
sqlite3 "$WORK/county.db" "CREATE TABLE residents (name TEXT); INSERT INTO residents VALUES ('张三')"
for fresh in "" --fresh; do
  if "$BIN" demo $fresh --scale 0.002 --no-serve --db "$WORK/county.db" >"$WORK/out3" 2>&1; then
    fail "demo $fresh ran on a database it did not make"
  fi
  grep -q "不是演示程序生成的" "$WORK/out3" || fail "no Chinese refusal: $(cat "$WORK/out3")"
  [[ "$(sqlite3 "$WORK/county.db" "SELECT COUNT(*) FROM residents")" == 1 ]] ||
    fail "demo $fresh changed a county's SQLite file"
done
echo "ok: a SQLite file the demo did not make is refused, with and without --fresh"
passed=$((passed + 1))

if [[ -n "${WANGGE_TEST_PG:-}" ]]; then
  schema="demo_aon_$$_$RANDOM"
  psql -qAt "$WANGGE_TEST_PG" -c "CREATE SCHEMA $schema"
  trap 'psql -qAt "$WANGGE_TEST_PG" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
        rm -rf "$WORK"' EXIT
  url="$WANGGE_TEST_PG?options=-csearch_path%3D$schema"
  [[ $WANGGE_TEST_PG == *\?* ]] && url="$WANGGE_TEST_PG&options=-csearch_path%3D$schema"
  psql -qAt "$url" -c "CREATE TABLE residents (name TEXT); INSERT INTO residents VALUES ('张三')"
  if "$BIN" demo --fresh --scale 0.002 --no-serve --db "$url" >"$WORK/out4" 2>&1; then
    fail "demo --fresh dropped a PostgreSQL schema it did not make"
  fi
  [[ "$(psql -qAt "$url" -c "SELECT COUNT(*) FROM residents")" == 1 ]] ||
    fail "demo --fresh changed a county's PostgreSQL schema"
  echo "ok: a PostgreSQL schema the demo did not make is refused by --fresh"
  # Emptied, the schema takes the demo; the demo's own schema is reused, then made anew.
  psql -qAt "$url" -c "DROP TABLE residents"
  "$BIN" demo --scale 0.002 --no-serve --db "$url" >"$WORK/out5" 2>&1 ||
    fail "the demo failed on an empty schema: $(cat "$WORK/out5")"
  "$BIN" demo --scale 0.002 --no-serve --db "$url" >"$WORK/out6" 2>&1 || fail "$(cat "$WORK/out6")"
  grep -q "已存在：直接使用" "$WORK/out6" || fail "a finished demo was not reused: $(cat "$WORK/out6")"
  "$BIN" demo --fresh --scale 0.002 --no-serve --db "$url" >"$WORK/out7" 2>&1 ||
    fail "--fresh on the demo's own schema failed: $(cat "$WORK/out7")"
  [[ "$(psql -qAt "$url" -c "SELECT COUNT(*) FROM wangge_demo WHERE finished = 1")" == 1 ]] ||
    fail "--fresh left more than one demo behind"
  echo "ok: on PostgreSQL the demo's own schema is reused, and --fresh makes it anew"
  passed=$((passed + 2))
fi
echo "demo all-or-nothing: $passed passed, 0 failed"
