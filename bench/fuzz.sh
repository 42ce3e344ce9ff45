#!/usr/bin/env bash
# Fuzzes every parser of untrusted input with libFuzzer (tests/fuzz/*_fuzz.cpp) for N minutes each.
# Usage: bench/fuzz.sh [MINUTES] [TARGET...]      (default 2 minutes, every target)
# Builds the clang fuzz build (-DWANGGE_FUZZ=ON: libFuzzer + ASan + UBSan) in build-fuzz, then runs
# each target in fork mode, one job at a time, so it keeps going after a finding. The work corpus
# lives outside the repo ($FUZZ_WORK, default /tmp/wangge-fuzz; kept, so runs accumulate) and is
# seeded from tests/fuzz/corpus/<target>/ (read only). Findings (crash-*, oom-*, timeout-*) go to
# $FUZZ_WORK/findings/<target>/: replay one with build/bin/<target>_fuzz FILE, fix the bug, and
# copy the file into tests/fuzz/corpus/<target>/ as regression_<what>.
# Prints one line per target: executions, coverage (libFuzzer's cov: edges, ft: features) at the
# end, corpus size, findings.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MINUTES=${1:-2}
shift || true
BUILD=${FUZZ_BUILD_DIR:-build-fuzz}
WORK=${FUZZ_WORK:-/tmp/wangge-fuzz}
ALL=(csv xlsx json query filter form categories open311)
TARGETS=("${ALL[@]}")
[ $# -gt 0 ] && TARGETS=("$@")

command -v clang++-14 >/dev/null ||
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang-14 >/dev/null
if [ -z "${FUZZ_NO_BUILD:-}" ]; then  # FUZZ_NO_BUILD=1: run what is built
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DWANGGE_FUZZ=ON >/dev/null
  nice -n 5 ninja -C "$BUILD" -j"${JOBS:-2}" "${TARGETS[@]/%/_fuzz}" >/dev/null
fi

printf '%-11s %8s %12s %8s %8s %7s %9s\n' target seconds executions cov ft corpus findings
for t in "${TARGETS[@]}"; do
  corpus=$WORK/corpus/$t findings=$WORK/findings/$t log=$WORK/logs/$t.log
  mkdir -p "$corpus" "$findings" "$WORK/logs"
  dict=()
  [ -f "tests/fuzz/$t.dict" ] && dict=(-dict="$ROOT/tests/fuzz/$t.dict")
  # -malloc_limit_mb: one allocation over 512 MB is a finding (a limit the reader lacks);
  # -rss_limit_mb: so is a process over 2 GB; -timeout: an input taking 10 s.
  start=$(date +%s)
  (cd "$WORK/logs" && WANGGE_SOURCE_DIR=$ROOT nice -n 5 "$ROOT/$BUILD/bin/${t}_fuzz" \
    -fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1 \
    -max_total_time=$((MINUTES * 60)) -rss_limit_mb=2048 -malloc_limit_mb=512 -timeout=10 \
    -artifact_prefix="$findings/" -print_final_stats=1 "${dict[@]}" \
    "$corpus" "$ROOT/tests/fuzz/corpus/$t" >"$log" 2>&1) || true
  seconds=$(($(date +%s) - start))
  # Fork mode reports "#RUNS: cov: C ft: F corp: N exec/s …"; the last such line is the total.
  last=$(grep -E '^#[0-9]+: cov: ' "$log" | tail -1 || true)
  runs=$(sed -E 's/^#([0-9]+):.*/\1/' <<<"$last")
  cov=$(sed -E 's/.* cov: ([0-9]+).*/\1/' <<<"$last")
  ft=$(sed -E 's/.* ft: ([0-9]+).*/\1/' <<<"$last")
  found=$(find "$findings" -type f | wc -l)
  printf '%-11s %8s %12s %8s %8s %7s %9s\n' "$t" "$seconds" "${runs:-?}" "${cov:-?}" "${ft:-?}" \
    "$(find "$corpus" -type f | wc -l)" "$found"
done
echo "logs: $WORK/logs   findings: $WORK/findings"
