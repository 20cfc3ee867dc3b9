#!/usr/bin/env bash
# The test suite under AddressSanitizer and UndefinedBehaviorSanitizer, built with clang into
# build-asan. The same build carries libFuzzer's coverage hooks (fuzzer-no-link), so
# scripts/fuzz.sh reuses it instead of compiling the library a third time.
# Skipped here: the install, browser and benchmark tests (they check packaging, Chromium and
# speed, which the Release build of scripts/test.sh covers), the SIGKILL test of the index, and
# the Dask equality test (the fixtures, 3,000 and 20,000-document corpora through a
# LocalCluster, minutes of work; its stage functions are unit-tested here). The bad-input suite runs with an 8 MB single-line document (50 MB in
# the Release build) and 300 s per case: sanitized code is several times slower.
# usage: sanitize.sh            (CI: called by scripts/test.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh clang-14 libclang-rt-14-dev
jobs=$(nproc)
[ "$jobs" -gt 2 ] && jobs=2
flags="-fsanitize=address,undefined -fno-omit-frame-pointer"
flags="$flags -fsanitize=fuzzer-no-link -gline-tables-only"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Sanitize \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_CXX_FLAGS_SANITIZE="-O1 $flags" \
  -DCMAKE_EXE_LINKER_FLAGS_SANITIZE="-fsanitize=address,undefined" \
  -DCMAKE_SHARED_LINKER_FLAGS_SANITIZE="-fsanitize=address,undefined" \
  -DCLAIMDIFF_WERROR=ON -DCLAIMDIFF_BUILD_BENCHMARKS=OFF -DCLAIMDIFF_FUZZ=ON \
  -DCLAIMDIFF_BAD_INPUT_BIG_MB=8 >/dev/null
cmake --build build-asan -j"$jobs"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1
export LSAN_OPTIONS=suppressions=$PWD/scripts/lsan.supp
export LIMIT_S=300
# Recoverable checks, so that the suppressions apply; halt_on_error stops at the first report.
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:suppressions=$PWD/scripts/ubsan.supp
ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE 'install|browser|bench|dask|glibc-malloc' \
  -E 'index_crash_safety'
