#!/usr/bin/env bash
# `wangge demo` is all or nothing on SQLite: a generation that fails half-way (here: a file size
# limit the database outgrows) leaves neither the database nor its partial file behind, and the
# next run builds it whole. Usage: all_or_nothing.sh WANGGE_BINARY
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
echo "demo all-or-nothing: 2 passed, 0 failed"
