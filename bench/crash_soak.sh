#!/usr/bin/env bash
# The crash suite (tests/crash/) for longer: `wangge serve` killed with SIGKILL under load
# KILLS times on each database, and POWER_CUTS simulated power cuts on SQLite (the disk's
# content rebuilt from what was fsynced), every restart checked against what was acknowledged.
# Prints kills, writes acknowledged and writes lost (must be 0) per database; the line
# "sqlite-cut-normal" is the negative control ([database] power_cut_may_lose_writes = true),
# whose writes lost must be above 0.
# Usage: bench/crash_soak.sh [KILLS] [POWER_CUTS]   (default 500 and 100).
# PostgreSQL: WANGGE_TEST_PG when set, else a throwaway cluster of its own.
# Run scripts/build.sh (or ninja -C build crash_tests) first.
set -euo pipefail
cd "$(dirname "$0")/.."
KILLS=${1:-500}
CUTS=${2:-100}
BUILD=${WANGGE_BUILD_DIR:-build}
TESTS=$(realpath "$BUILD/bin/crash_tests")
PGDIR=""
cleanup() { [ -n "$PGDIR" ] && bash scripts/pg-test-cluster.sh stop "$PGDIR" >/dev/null 2>&1 || true; }
trap cleanup EXIT
if [ -z "${WANGGE_TEST_PG:-}" ]; then
  PGDIR=$(mktemp -d /tmp/wangge-soak-pg.XXXXXX)
  WANGGE_TEST_PG=$(bash scripts/pg-test-cluster.sh start "$PGDIR")
fi
export WANGGE_TEST_PG WANGGE_SOURCE_DIR=$PWD

LOG=$(mktemp /tmp/wangge-soak.XXXXXX.log)
start=$(date +%s)
status=0
WANGGE_CRASH_KILLS=$KILLS WANGGE_POWER_CUTS=$CUTS "$TESTS" >"$LOG" 2>&1 || status=$?
secs=$(($(date +%s) - start))
echo "== crash soak: $KILLS kills per database, $CUTS power cuts on SQLite, ${secs} s (log: $LOG)"
grep '^crash\[' "$LOG" | sed 's/^/  /'
grep -E '^\[  (PASSED|FAILED) ' "$LOG" | sed 's/^/  /'
exit $status
