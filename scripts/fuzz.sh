#!/usr/bin/env bash
# Runs every libFuzzer target of tests/fuzz for a while, from its seed corpus.
# usage: fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#   CI (scripts/test.sh): 15 s per target. A longer local run, e.g. an hour per target:
#     bash scripts/fuzz.sh 3600
#   or one target, keeping what it learns: build-asan/tests/fuzz/segment_fuzz
#     build-asan/fuzz-work/segment tests/fuzz/corpus/segment -max_total_time=3600
# Needs build-asan from scripts/sanitize.sh (built here if missing). A crash or a hang (one input
# over 10 s) fails the run; the input is saved in build-asan/fuzz-artifacts/ and is to become a
# named file in tests/fuzz/regressions/TARGET/, which ctest replays (TARGET_fuzz_regressions).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-25}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(ingest normalize segment numbers worddiff html)
[ -d build-asan ] || bash scripts/sanitize.sh
cmake --build build-asan -j2 --target $(printf '%s_fuzz ' "${targets[@]}") >/dev/null
mkdir -p build-asan/fuzz-artifacts
export ASAN_OPTIONS=detect_leaks=1
export LSAN_OPTIONS=suppressions=$PWD/scripts/lsan.supp
# Recoverable checks, so that the suppressions apply; halt_on_error stops at the first report.
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:suppressions=$PWD/scripts/ubsan.supp
total=0
for t in "${targets[@]}"; do
  work=build-asan/fuzz-work/$t
  mkdir -p "$work"
  log=build-asan/fuzz-work/$t.log
  # New inputs go to $work; the seed corpus in the repository is only read.
  if ! "build-asan/tests/fuzz/${t}_fuzz" "$work" "tests/fuzz/corpus/$t" \
      -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2560 \
      -print_final_stats=1 -artifact_prefix="build-asan/fuzz-artifacts/$t-" >"$log" 2>&1; then
    tail -40 "$log"
    echo "FAIL fuzz $t: see $log and build-asan/fuzz-artifacts/" >&2
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  total=$((total + ${runs:-0}))
  echo "fuzz $t: ${runs:-?} executions in ${seconds} s, corpus $(ls "$work" | wc -l) inputs"
done
echo "fuzz: $total executions in all"
