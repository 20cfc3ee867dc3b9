#!/usr/bin/env bash
# The command line's error paths: each prints a clear message naming the input, exits with the
# documented code, and still reports the other documents.
# usage: cli_errors_test.sh path/to/claimdiff fixtures/exchange-hack
set -u
bin=$1
fixtures=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
passed=0

# expect NAME WANT_CODE STDERR_PATTERN STDOUT_PATTERN -- command...
expect() {
  local name=$1 want=$2 err_pat=$3 out_pat=$4
  shift 5
  "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local got=$?
  local ok=1
  [ "$got" = "$want" ] || { echo "FAIL $name: exit $got, want $want"; ok=0; }
  if [ -n "$err_pat" ] && ! grep -qE -- "$err_pat" "$tmp/err"; then
    echo "FAIL $name: stderr lacks /$err_pat/:"; sed 's/^/    /' "$tmp/err"; ok=0
  fi
  if [ -n "$out_pat" ] && ! grep -qE -- "$out_pat" "$tmp/out"; then
    echo "FAIL $name: stdout lacks /$out_pat/"; ok=0
  fi
  if [ $ok = 1 ]; then passed=$((passed + 1)); else fail=$((fail + 1)); fi
}

printf 'عنوان جيد هنا\nقال الوزير إن الهجوم أثر على آلاف الخوادم حول العالم.\n' >"$tmp/good.txt"
printf 'abc\xC3\x28def\n' >"$tmp/bad-utf8.txt"
: >"$tmp/empty.txt"
printf '{"id":"j1","text":"نص صحيح في سطر أول"}\n{"id":"j2","text":\n' >"$tmp/drop.jsonl"

expect "missing path" 1 "nope.txt: no such file or folder" '"id": "good"' -- \
  "$bin" compare "$tmp/nope.txt" "$tmp/good.txt" --format json
expect "invalid UTF-8" 1 "bad-utf8.txt: invalid UTF-8 at byte 3" '"id": "good"' -- \
  "$bin" compare "$tmp/bad-utf8.txt" "$tmp/good.txt" --format json
expect "malformed JSON line" 1 "drop.jsonl:2: malformed JSON" '"id": "j1"' -- \
  "$bin" compare "$tmp/drop.jsonl" --format json
expect "empty document" 1 "empty.txt: empty document" '"id": "good"' -- \
  "$bin" compare "$tmp/empty.txt" "$tmp/good.txt" --format json
expect "errors listed in the report" 1 "" '"message": "invalid UTF-8 at byte 3"' -- \
  "$bin" compare "$tmp/bad-utf8.txt" "$tmp/good.txt" --format json
expect "strict stops" 3 "stopped \(--strict\)" "" -- \
  "$bin" compare --strict "$tmp/bad-utf8.txt" "$tmp/good.txt"
expect "nothing readable" 3 "nothing to compare" "" -- "$bin" compare "$tmp/empty.txt"
expect "unknown option" 2 "unknown option '--frobnicate'" "" -- \
  "$bin" compare --frobnicate "$tmp/good.txt"
expect "bad threshold" 2 "--threshold needs a number" "" -- \
  "$bin" compare --threshold 7 "$tmp/good.txt"
expect "bad format" 2 "unknown --format" "" -- "$bin" compare --format xml "$tmp/good.txt"
expect "no paths" 2 "at least one PATH" "" -- "$bin" compare
expect "unknown command" 2 "unknown command" "" -- "$bin" frobnicate
expect "unwritable output" 3 "cannot write" "" -- \
  "$bin" compare "$tmp/good.txt" -o "$tmp/no/such/dir/out.json"
expect "help" 0 "" "usage: claimdiff compare" -- "$bin" compare --help
expect "version" 0 "" "^claimdiff [0-9]+\.[0-9]+\.[0-9]+" -- "$bin" --version
expect "fixtures" 0 "" "Claims stated by two or more sources" -- "$bin" compare "$fixtures"

printf '{"id":"p1","a":"قتل 30 شخصا في الهجوم على السوق","b":"قتل 45 شخصا في الهجوم على السوق"}\nnot json\n' \
  >"$tmp/pairs.jsonl"
expect "pairs judges and reports a bad line" 1 "pairs.jsonl:2: malformed JSON" \
  '"verdict":"conflict"' -- "$bin" pairs "$tmp/pairs.jsonl"
expect "pairs help" 0 "" "usage: claimdiff pairs" -- "$bin" pairs --help
expect "pairs without file" 2 "pairs needs a FILE" "" -- "$bin" pairs
expect "pairs missing file" 3 "nope.jsonl" "" -- "$bin" pairs "$tmp/nope.jsonl"

expect "colour when asked" 0 "" $'\x1b\\[' -- "$bin" compare "$fixtures" --color=always
"$bin" compare "$fixtures" >"$tmp/plain.txt" 2>/dev/null
if grep -q $'\x1b' "$tmp/plain.txt"; then echo "FAIL colour in a pipe"; fail=$((fail + 1)); else
  passed=$((passed + 1)); fi
expect "bad colour" 2 "unknown --color" "" -- "$bin" compare "$fixtures" --color=sometimes
expect "only agree" 0 "" '"verdict": "agree"' -- "$bin" compare "$fixtures" --only agree --format json
"$bin" compare "$fixtures" --only single --format json >"$tmp/single.json" 2>/dev/null
if python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["clusters"]; sys.exit(0 if c and all(x["verdict"]=="single" for x in c) else 1)' "$tmp/single.json"; then
  passed=$((passed + 1)); else echo "FAIL --only single"; fail=$((fail + 1)); fi
"$bin" compare "$fixtures" --limit 2 --format json >"$tmp/limit.json" 2>/dev/null
if python3 -c 'import json,sys; sys.exit(0 if len(json.load(open(sys.argv[1]))["clusters"])==2 else 1)' "$tmp/limit.json"; then
  passed=$((passed + 1)); else echo "FAIL --limit"; fail=$((fail + 1)); fi
expect "bad limit" 2 "--limit needs" "" -- "$bin" compare "$fixtures" --limit 0
expect "bad min-bands" 2 "--min-bands needs a whole number from 1 to 64" "" -- \
  "$bin" compare "$fixtures" --min-bands 65
expect "min-bands" 0 "" "^# claimdiff report" -- \
  "$bin" compare "$fixtures" --candidates lsh --min-bands 4 --format markdown
expect "verbose stage lines" 0 "claimdiff: stage (segmenting|writing) .* s .*rss .* MB" "" -- \
  "$bin" compare "$fixtures" --verbose --format json -o "$tmp/verbose.json"
expect "markdown" 0 "" "^# claimdiff report" -- "$bin" compare "$fixtures" --format markdown
expect "html" 0 "" "^<!doctype html>" -- "$bin" compare "$fixtures" --format html

# The index: add, re-add (reported, not duplicated), stats, match.
expect "index add" 0 "" "drop 1: 3 documents added" -- "$bin" index add --db "$tmp/i.db" \
  "$fixtures/000_835bbbf155f2670c.txt" "$fixtures/001_370d6861181d9299.txt" \
  "$fixtures/002_c85ade4d3a6a166a.txt"
expect "index re-add" 0 "already indexed, not added again" "0 documents added" -- \
  "$bin" index add --db "$tmp/i.db" "$fixtures/002_c85ade4d3a6a166a.txt"
expect "index stats" 0 "" "^documents 3" -- "$bin" index stats --db "$tmp/i.db"
expect "index match" 0 "" '"matches":\[\{"doc":"002_c85ade4d3a6a166a"' -- \
  "$bin" index match --db "$tmp/i.db" "$fixtures/003_da4c103c08c58f7a.txt"
expect "index match for people" 0 "" "^# claimdiff report" -- \
  "$bin" index match --db "$tmp/i.db" --format markdown "$fixtures/003_da4c103c08c58f7a.txt"
expect "index match already indexed" 0 "already indexed, not matched" "" -- \
  "$bin" index match --db "$tmp/i.db" "$fixtures/002_c85ade4d3a6a166a.txt"
expect "index match min-bands" 0 "" '"matches":\[\{"doc":"002_c85ade4d3a6a166a"' -- \
  "$bin" index match --db "$tmp/i.db" --min-bands 1 "$fixtures/003_da4c103c08c58f7a.txt"
expect "index bad min-bands" 2 "--min-bands needs" "" -- \
  "$bin" index match --db "$tmp/i.db" --min-bands 0 "$fixtures/003_da4c103c08c58f7a.txt"
expect "index bad format" 2 "unknown --format" "" -- \
  "$bin" index match --db "$tmp/i.db" --format xml "$fixtures/003_da4c103c08c58f7a.txt"
expect "index stats spans" 0 "" "^comparable_spans [0-9]" -- "$bin" index stats --db "$tmp/i.db"
printf 'not sqlite at all\n' >"$tmp/junk.db"
expect "index not a database" 3 "index" "" -- "$bin" index stats --db "$tmp/junk.db"
expect "index needs db" 2 "index needs --db" "" -- "$bin" index stats
expect "index bad db" 3 "cannot open" "" -- "$bin" index stats --db "$tmp/no/such/dir/x.db"

# syndication: usage errors, input problems, and the documented JSON on the fixtures (five
# independent outlets: no copies).
expect "syndication needs path" 2 "syndication needs at least one PATH" "" -- "$bin" syndication
expect "syndication bad format" 2 "unknown --format 'xml'" "" -- \
  "$bin" syndication --format xml "$fixtures"
expect "syndication bad candidates" 2 "--candidates needs exact, lsh or auto" "" -- \
  "$bin" syndication --candidates maybe "$fixtures"
expect "syndication missing path" 1 "nope.txt: no such file or folder" '"schema": "claimdiff/syndication-v1"' -- \
  "$bin" syndication "$tmp/nope.txt" "$fixtures" --format json
expect "syndication nothing" 3 "no document could be read" "" -- "$bin" syndication "$tmp/empty.txt"
expect "syndication help" 0 "" "usage: claimdiff syndication" -- "$bin" syndication --help
"$bin" syndication "$fixtures" --format json >"$tmp/s.json" 2>"$tmp/err"
if [ $? = 0 ] && ! grep -q '"label": "copy"' "$tmp/s.json" && grep -q '"families": \[\]' "$tmp/s.json"; then
  passed=$((passed + 1)); else echo "FAIL syndication fixtures: copies reported"; fail=$((fail + 1)); fi

# Standard input as JSON Lines.
printf '{"id":"s1","text":"نص من الدخل القياسي هنا"}\n' |
  "$bin" compare - --format json >"$tmp/out" 2>"$tmp/err"
if [ $? = 0 ] && grep -q '"id": "s1"' "$tmp/out"; then passed=$((passed + 1)); else
  echo "FAIL stdin"; fail=$((fail + 1)); fi

# -o writes the same bytes as stdout.
"$bin" compare "$fixtures" --format json >"$tmp/a.json" &&
  "$bin" compare "$fixtures" --format json -o "$tmp/b.json" && cmp -s "$tmp/a.json" "$tmp/b.json"
if [ $? = 0 ]; then passed=$((passed + 1)); else echo "FAIL -o differs"; fail=$((fail + 1)); fi

echo "cli_errors: $passed passed, $fail failed"
[ "$fail" = 0 ]
