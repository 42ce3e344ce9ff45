#!/usr/bin/env bash
# The browser tests (tests/web/*.test.mjs, node's test runner + playwright-core + Debian's
# chromium, headless): builds the web app if needed, generates a small demo database with the
# build's `wangge demo`, and runs the tests, which start `wangge serve` on a free port with
# --web-root web/dist and stop it at the end; on SQLite, and on PostgreSQL as well when
# WANGGE_TEST_PG names a test cluster (scripts/pg-test-cluster.sh). Screenshots land in
# docs/screenshots/. tests/web/api-types.test.mjs also checks web/src/api/openapi.ts against the
# server's route table and the hand-typed answers against real ones.
# Usage: scripts/web-test.sh          (WANGGE_BUILD_DIR picks the build, default build/)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${WANGGE_BUILD_DIR:-build}
BIN=$(realpath "$BUILD/bin/wangge")
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[[ -x "$CHROMIUM" ]] || { echo "web-test: $CHROMIUM is missing (scripts/setup.sh installs it)" >&2; exit 1; }

bash scripts/web-build.sh

TMP=$(mktemp -d /tmp/wangge-web-test.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# Runs the suite against one database URL, after a small demo prefecture is generated in it.
run_suite() {
  local name=$1 db=$2
  echo "== web: demo database on $name (scale 0.005)"
  "$BIN" demo --scale 0.005 --no-serve --db "$db" >"$TMP/demo-$name.log"
  echo "== web: browser tests on $name"
  WANGGE_BIN="$BIN" WANGGE_DB="$db" WANGGE_WEB_ROOT="$PWD/web/dist" CHROMIUM="$CHROMIUM" \
    node --test --test-concurrency=1 tests/web/
}

run_suite sqlite "$TMP/demo.db"
# PostgreSQL too when a test cluster is there (scripts/test.sh starts one): a fresh schema.
if [[ -n "${WANGGE_TEST_PG:-}" ]]; then
  schema="web_$(date +%s)_$$"
  psql "$WANGGE_TEST_PG" -qc "CREATE SCHEMA $schema"
  sep='?'; [[ "$WANGGE_TEST_PG" == *\?* ]] && sep='&'
  printf '[photos]\ndir = "%s"\n' "$TMP/pg-photos" >"$TMP/pg.toml"
  WANGGE_KEY_FILE="$TMP/pg.key" WANGGE_CONFIG="$TMP/pg.toml" \
    run_suite postgresql "${WANGGE_TEST_PG}${sep}options=-csearch_path%3D${schema}"
  # The photos the browser tests uploaded went where the config file's [photos] says.
  if [[ -z "$(ls -A "$TMP/pg-photos" 2>/dev/null)" ]]; then
    echo "web-test: no photo under [photos] dir $TMP/pg-photos" >&2
    exit 1
  fi
fi
