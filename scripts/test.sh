#!/usr/bin/env bash
# Installs what is missing, builds everything with warnings as errors, runs the whole suite;
# then the suite again under ASan+UBSan (clang), and each fuzz target for 15 s.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh chromium
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCLAIMDIFF_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)"
bash scripts/sanitize.sh
bash scripts/fuzz.sh "${CLAIMDIFF_FUZZ_SECONDS:-15}"
