#!/usr/bin/env bash
# Every test, from a fresh Debian 12 machine: install what is missing, build once, check the
# formatting and clang-tidy, start a throwaway PostgreSQL cluster, and run the whole suite
# against SQLite and PostgreSQL, then the browser tests.
#
# One build serves every test: AddressSanitizer + UndefinedBehaviorSanitizer (Debug), so a memory
# or undefined-behaviour error anywhere (the API, the CLI, the server the crash and browser tests
# start) fails the run. It lives in build-asan (WANGGE_TEST_BUILD_DIR), apart from the demo's
# optimised build in build/.
set -euo pipefail
cd "$(dirname "$0")/.."
# Each stage says how long the run has taken so far, so a slow CI run shows where time went.
stage() { echo "== $1   (${SECONDS} s)"; }
bash scripts/setup.sh
stage "build"
export WANGGE_BUILD_DIR=${WANGGE_TEST_BUILD_DIR:-build-asan}
WANGGE_SANITIZE=1 bash scripts/build.sh

stage "format check"
bash scripts/lint.sh
# clang-tidy parses every source again (about 15 minutes on 2 cores) and needs nothing the tests
# make, so it runs beside them at low priority, on the time the tests spend waiting on fsync,
# PostgreSQL and the browser; its verdict is read at the end.
stage "clang-tidy: started beside the tests"
setsid nice -n 10 bash scripts/tidy.sh >"$WANGGE_BUILD_DIR/tidy.out" 2>&1 &
TIDY=$!  # its own process group, so a failed run stops every clang-tidy it started
PGDIR=$(mktemp -d /tmp/wangge-pg.XXXXXX)
trap 'kill -- -"$TIDY" 2>/dev/null || true
      bash scripts/pg-test-cluster.sh stop "$PGDIR" >/dev/null 2>&1 || true' EXIT

stage "PostgreSQL test cluster"
WANGGE_TEST_PG=$(bash scripts/pg-test-cluster.sh start "$PGDIR")
export WANGGE_TEST_PG WANGGE_REQUIRE_PG=1
# Leaks count as failures; the crash tests preload their power-cut shim ahead of the ASan runtime.
export ASAN_OPTIONS=detect_leaks=1:verify_asan_link_order=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

stage "tests"
ctest --test-dir "$WANGGE_BUILD_DIR" --output-on-failure -j"$(nproc)"

stage "web app: browser tests"
bash scripts/web-test.sh

stage "clang-tidy: its verdict"
tidy_rc=0
wait "$TIDY" || tidy_rc=$?
cat "$WANGGE_BUILD_DIR/tidy.out"
[ "$tidy_rc" -eq 0 ]
stage "done"
