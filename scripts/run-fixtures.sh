#!/usr/bin/env bash
# Installs what is missing, builds claimdiff in Release and compares the fixture articles.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target claimdiff
./build/claimdiff compare fixtures/exchange-hack "$@"
