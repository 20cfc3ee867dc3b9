#!/usr/bin/env bash
# Installs the Debian 12 packages claimdiff needs, only those that are missing.
# usage: deps.sh [EXTRA_PACKAGE...]   (the test script adds chromium for the browser test,
#   scripts/sanitize.sh clang-14 and libclang-rt-14-dev for the sanitizer and fuzz build)
set -euo pipefail
packages=(cmake g++ make python3 libeigen3-dev libicu-dev libabsl-dev rapidjson-dev
          libgtest-dev libgmock-dev libbenchmark-dev libsqlite3-dev
          python3-dask python3-distributed "$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "installing: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
fi
