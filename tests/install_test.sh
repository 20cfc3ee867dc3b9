#!/usr/bin/env bash
# Installs the built claimdiff into a scratch prefix, builds tests/install (the README example)
# against the installed CMake package, and runs it on the fixtures.
# usage: install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$src/tests/install" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/build" >/dev/null
"$work/build/install_check" "$src/fixtures/exchange-hack" | grep -q "^c1: "
"$work/prefix/bin/claimdiff" --version
echo "install check: 1 passed, 0 failed"
