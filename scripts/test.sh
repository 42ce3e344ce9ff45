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
echo "== clang-tidy"
bash scripts/tidy.sh

echo "== PostgreSQL test cluster"
PGDIR=$(mktemp -d /tmp/wangge-pg.XXXXXX)
trap 'bash scripts/pg-test-cluster.sh stop "$PGDIR" >/dev/null 2>&1 || true' EXIT
WANGGE_TEST_PG=$(bash scripts/pg-test-cluster.sh start "$PGDIR")
export WANGGE_TEST_PG WANGGE_REQUIRE_PG=1

echo "== tests"
ctest --test-dir "$BUILD" --output-on-failure -j"$(nproc)"

echo "== web app: browser tests"
bash scripts/web-test.sh

# The data-handling modules once more under AddressSanitizer + UndefinedBehaviorSanitizer, with
# the HTTP transport (it parses untrusted input) and the fuzz targets replaying their corpus.
echo "== sanitizer tests (ASan + UBSan)"
ASAN_BUILD=${BUILD}-asan
cmake -S . -B "$ASAN_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DWANGGE_SANITIZE=ON >/dev/null
SAN_TESTS=(core store org sheets people auth events intake notify legacy analytics demo http)
FUZZ_TARGETS=(csv xlsx json query filter form categories open311)
all_targets=$(ninja -C "$ASAN_BUILD" -t targets all)
targets=("${FUZZ_TARGETS[@]/%/_fuzz}")
for t in "${SAN_TESTS[@]}"; do
  grep -q "^${t}_tests:" <<<"$all_targets" && targets+=("${t}_tests")
done
ninja -C "$ASAN_BUILD" -j"$(nproc)" "${targets[@]}"
regex=$(IFS='|'; echo "^(${SAN_TESTS[*]}|fuzz_.*)\$")
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
  ctest --test-dir "$ASAN_BUILD" --output-on-failure -j"$(nproc)" -R "$regex"
