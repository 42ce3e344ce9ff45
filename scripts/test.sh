#!/usr/bin/env bash
# Every test, from a fresh Debian 12 machine: install what is missing, build once, check the
# formatting, start a throwaway PostgreSQL cluster, and run the whole suite against SQLite and
# PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
BUILD=${WANGGE_BUILD_DIR:-build}

echo "== format check"
bash scripts/lint.sh

echo "== PostgreSQL test cluster"
PGDIR=$(mktemp -d /tmp/wangge-pg.XXXXXX)
trap 'bash scripts/pg-test-cluster.sh stop "$PGDIR" >/dev/null 2>&1 || true' EXIT
WANGGE_TEST_PG=$(bash scripts/pg-test-cluster.sh start "$PGDIR")
export WANGGE_TEST_PG WANGGE_REQUIRE_PG=1

echo "== tests"
ctest --test-dir "$BUILD" --output-on-failure -j"$(nproc)"
