#!/usr/bin/env bash
# The terminal and Markdown views of the fixtures against their golden files.
# usage: golden_test.sh path/to/claimdiff SOURCE_DIR [--update]
# After a deliberate change to the pipeline or the views, regenerate them with
#   bash tests/golden_test.sh build/claimdiff . --update
# and review the diff (git diff tests/golden) before committing.
set -u
bin=$1
src=$2
update=${3:-}
fail=0
passed=0
for view in text markdown; do
  ext=$([ "$view" = text ] && echo txt || echo md)
  golden="$src/tests/golden/exchange-hack.$ext"
  actual=$(cd "$src" && "$bin" compare fixtures/exchange-hack --format "$view" --color=never)
  if [ "$update" = "--update" ]; then
    printf '%s\n' "$actual" >"$golden"
    echo "updated $golden"
  elif ! diff -u "$golden" <(printf '%s\n' "$actual") >/dev/null; then
    echo "FAIL $view view differs from $golden:"
    diff -u "$golden" <(printf '%s\n' "$actual") | head -40
    fail=$((fail + 1))
  else
    passed=$((passed + 1))
  fi
done
echo "golden: $passed passed, $fail failed"
[ "$fail" = 0 ]
