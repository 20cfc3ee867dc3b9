#!/usr/bin/env bash
# The bad-input suite: each hostile or broken input, end to end through `claimdiff compare`
# next to a good article. Every case must exit 0 or 1 (never crash or abort), finish within
# LIMIT_S seconds and LIMIT_MB of memory, print valid JSON that still reports the good article,
# and either report the bad input with a clear message or handle it correctly.
# usage: bad_input_test.sh path/to/claimdiff [BIG_MB]
#   BIG_MB: size of the single-line document (default 50; the sanitizer build passes less).
set -u
bin=$1
big_mb=${2:-50}
limit_s=${LIMIT_S:-120}
limit_mb=${LIMIT_MB:-3000}
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
passed=0
failed=0
runner=()
good="$tmp/good.txt"
printf 'هجوم إلكتروني يضرب خوادم البريد\nقال الوزير إن الهجوم أثر على أكثر من 250 ألف خادم حول العالم.\n' >"$good"

# check NAME WANT_CODES STDERR_PATTERN CHECK_PY -- ARGS...
#   WANT_CODES: allowed exit codes, e.g. "0" or "1"; STDERR_PATTERN: grep -E for stderr (or "");
#   CHECK_PY: a Python expression over `r` (the parsed report) that must be true (or "").
check() {
  local name=$1 want=$2 err_pat=$3 py=$4
  shift 5
  local ok=1 code
  /usr/bin/time -f '%e %M' -o "$tmp/usage" timeout -s KILL "$limit_s" \
    "${runner[@]}" "$bin" compare --format json "$@" "$good" >"$tmp/out.json" 2>"$tmp/err" </dev/null
  code=$?
  local secs kb
  read -r secs kb < <(tail -1 "$tmp/usage" 2>/dev/null || echo "0 0")
  case " $want " in *" $code "*) ;; *)
    echo "FAIL $name: exit $code, want $want"; sed 's/^/    /' "$tmp/err" | head -5; ok=0 ;;
  esac
  if [ -n "$err_pat" ] && ! grep -qE -- "$err_pat" "$tmp/err"; then
    echo "FAIL $name: stderr lacks /$err_pat/:"; sed 's/^/    /' "$tmp/err" | head -5; ok=0
  fi
  if ! python3 - "$tmp/out.json" "$py" <<'PY'
import json, sys
def strict(x):
    raise ValueError("non-finite number " + x)
r = json.load(open(sys.argv[1], encoding="utf-8"), parse_constant=strict)
ids = [d["id"] for d in r["documents"]]
assert "good" in ids, "the good article is missing: %r" % ids
for d in r["documents"]:
    last = 0
    for s in d["spans"]:
        assert last <= s["start"] < s["end"], "spans overlap or are empty"
        last = s["end"]
if sys.argv[2]:
    assert eval(sys.argv[2]), "check failed: " + sys.argv[2]
PY
  then echo "FAIL $name: report"; ok=0; fi
  if [ "${kb:-0}" -gt $((limit_mb * 1024)) ]; then
    echo "FAIL $name: ${kb} KB of memory"; ok=0
  fi
  if [ $ok = 1 ]; then
    passed=$((passed + 1)); echo "ok   $name (exit $code, ${secs}s, $((kb / 1024)) MB)"
  else failed=$((failed + 1)); fi
}

# A document is reported with this many spans.
doc() { echo "next(d for d in r['documents'] if d['id'] == '$1')"; }

# ---- encodings ----
printf 'abc \xC0\xAF def ghi jkl\n' >"$tmp/overlong.txt"
check "overlong UTF-8" 1 "overlong.txt: invalid UTF-8 at byte 4" "" -- "$tmp/overlong.txt"
printf 'abc def \xED\xA0\x80 ghi jkl\n' >"$tmp/surrogate.txt"
check "UTF-8 surrogate" 1 "surrogate.txt: invalid UTF-8 at byte 8" "" -- "$tmp/surrogate.txt"
printf 'abc def ghi \xE2\x82' >"$tmp/truncated.txt"
check "truncated UTF-8 sequence" 1 "truncated.txt: invalid UTF-8 at byte 12" "" -- "$tmp/truncated.txt"
printf '\xF4\x90\x80\x80 beyond U+10FFFF\n' >"$tmp/beyond.txt"
check "code point above U+10FFFF" 1 "beyond.txt: invalid UTF-8 at byte 0" "" -- "$tmp/beyond.txt"
printf '{"id":"j1","text":"a \xC0\xAF b"}\n{"id":"j2","text":"نص سليم في سطر ثان من الملف"}\n' >"$tmp/badutf8.jsonl"
check "invalid UTF-8 in a JSON line" 1 "badutf8.jsonl:1: malformed JSON" \
  "'j2' in [d['id'] for d in r['documents']]" -- "$tmp/badutf8.jsonl"
printf 'عنوان فيه\x00 بايت صفر\nقال الوزير إن\x00 الهجوم أثر على الخوادم في العالم.\n' >"$tmp/nul.txt"
check "NUL bytes" 0 "" "len($(doc nul)['spans']) >= 2" -- "$tmp/nul.txt"
printf '\xEF\xBB\xBFعنوان بعد علامة ترتيب البايت\nقال الوزير إن الهجوم أثر على الخوادم.\n' >"$tmp/bom.txt"
check "byte-order mark" 0 "" "not $(doc bom)['spans'][0]['text'].startswith('\ufeff')" -- "$tmp/bom.txt"
printf 'عنوان بأسطر ويندوز\r\nقال الوزير إن الهجوم أثر على الخوادم.\r\nوأضاف أن التحقيق مستمر.\r\n' >"$tmp/crlf.txt"
check "CRLF line ends" 0 "" "all('\r' not in s['text'] for s in $(doc crlf)['spans']) and len($(doc crlf)['spans']) == 3" -- "$tmp/crlf.txt"
printf 'عنوان بأسطر ماك القديمة\rقال الوزير إن الهجوم أثر على الخوادم.\rوأضاف أن التحقيق مستمر.\r' >"$tmp/cr.txt"
check "lone CR line ends" 0 "" "all('\r' not in s['text'] for s in $(doc cr)['spans']) and len($(doc cr)['spans']) == 3" -- "$tmp/cr.txt"

# ---- empty and degenerate documents ----
: >"$tmp/empty.txt"
check "empty file" 1 "empty.txt: empty document" "" -- "$tmp/empty.txt"
: >"$tmp/empty.jsonl"
check "empty JSON Lines file" 0 "" "len(r['documents']) == 1" -- "$tmp/empty.jsonl"
printf ' \n\t\n\xE2\x80\x8B\n' >"$tmp/blank.txt"
check "blank document (spaces, zero-width space)" 1 "blank.txt: empty document" "" -- "$tmp/blank.txt"
printf '\xE2\x80\x8D\xE2\x81\xA0\xC2\xAD\n' >"$tmp/zerospan.txt"
check "0-span document (only invisible joiners)" "0 1" "" \
  "all(len(s['numbers']) == 0 for s in $(doc zerospan)['spans'])" -- "$tmp/zerospan.txt"
printf '{"id":"z","text":"\\u200b \\n "}\n' >"$tmp/zero.jsonl"
check "0-span JSON document" 1 "zero.jsonl:1: .*empty document" "" -- "$tmp/zero.jsonl"

# ---- size ----
python3 - "$tmp/big.txt" "$big_mb" <<'PY'
import sys
words = "قال الوزير إن الهجوم أثر على 250 ألف خادم في 120 دولة، وفق مصادر رسمية. ".encode()
n = int(sys.argv[2]) * 1024 * 1024
with open(sys.argv[1], "wb") as f:
    f.write((words * (n // len(words) + 1))[:n - 1].decode("utf-8", "ignore").encode() + b"\n")
PY
check "${big_mb} MB single-line document" 0 "" "len($(doc big)['spans']) > 1000" -- "$tmp/big.txt"

# ---- folders ----
mkdir -p "$tmp/dir/sub"
cp "$good" "$tmp/dir/readable.txt"
printf 'نص لا يمكن قراءته في هذا الملف\n' >"$tmp/dir/locked.txt"
chmod 000 "$tmp/dir/locked.txt"
ln -s "$tmp/dir" "$tmp/dir/sub/loop"
ln -s "$tmp/dir/b.txt" "$tmp/dir/a.txt"
ln -s "$tmp/dir/a.txt" "$tmp/dir/b.txt"
chmod -R go+rX "$tmp/dir"
chmod 000 "$tmp/dir/locked.txt"
# As root every file is readable: run this case as nobody so the locked file is not.
[ "$(id -u)" = 0 ] && runner=(setpriv --reuid=65534 --regid=65534 --clear-groups)
cp "$bin" "$tmp/claimdiff" && chmod 755 "$tmp/claimdiff"
chmod 644 "$good"
saved_bin=$bin
bin=$tmp/claimdiff
check "folder with an unreadable file and symlink loops" 1 \
  "locked.txt: cannot open: Permission denied" \
  "'readable' in [d['id'] for d in r['documents']]" -- "$tmp/dir"
grep -qE "a.txt: .*(loop|symbolic)" "$tmp/err" && grep -qE "b.txt: .*(loop|symbolic)" "$tmp/err" &&
  passed=$((passed + 1)) || { echo "FAIL symlink loop not reported"; sed 's/^/    /' "$tmp/err"; failed=$((failed + 1)); }
bin=$saved_bin
runner=()

# ---- JSON ----
printf '{"id":"m1","text":"نص أول صحيح تماما"}\n{"id":"m2","text":"مقطوع\n{"id":"m3"\n' >"$tmp/malformed.jsonl"
check "malformed JSON lines" 1 "malformed.jsonl:2: malformed JSON" "'m1' in [d['id'] for d in r['documents']]" -- "$tmp/malformed.jsonl"
python3 -c 'import sys; d=200000; sys.stdout.write("{\"id\":\"deep\",\"text\":\"x\",\"n\":" + "["*d + "]"*d + "}\n" + "["*d + "\n" + "{\"a\":"*d + "\n{\"id\":\"ok\",\"text\":\"نص سليم بعد السطور العميقة\"}\n")' >"$tmp/nested.jsonl"
check "deeply nested JSON" 1 "nested.jsonl:1: .*nest" "'ok' in [d['id'] for d in r['documents']]" -- "$tmp/nested.jsonl"
printf '{"id":"w1","text":42}\n{"id":["w2"],"text":"x"}\n{"id":"w3","text":"نص","title":7}\n{"id":"w4","text":"نص صحيح هنا أيضا"}\n' >"$tmp/types.jsonl"
check "wrong-typed fields" 1 'types.jsonl:1: field "text" must be a string' \
  "[d['id'] for d in r['documents']] == ['good', 'w4'] and len(r['errors']) == 3" -- "$tmp/types.jsonl"
printf '{"id":"same","text":"النص الأول لهذا المعرف"}\n{"id":"same","text":"النص الثاني لهذا المعرف"}\n' >"$tmp/dup.jsonl"
check "duplicate document ids" 1 'dup.jsonl:2: duplicate document id "same"' \
  "'الأول' in $(doc same)['spans'][0]['text']" -- "$tmp/dup.jsonl"

# ---- hostile text ----
{ printf 'رقم هائل جدا في هذا الخبر\nبلغ العدد 1'; head -c 400 /dev/zero | tr '\0' 0; printf ' شخص في المدينة.\n'; } >"$tmp/huge-number.txt"
check "10^400" 0 "" "True" -- "$tmp/huge-number.txt"
printf 'رقم كبير بالأرقام الهندية\nبلغت الخسائر ٩٩٩٩٩٩٩٩٩٩٩٩٩٩٩٩٩٩٩٩ مليار دولار هذا العام.\n' >"$tmp/indic.txt"
check "٩٩٩٩٩٩٩٩٩٩٩٩٩٩٩٩٩٩٩٩ مليار" 0 "" "$(doc indic)['spans'][1]['numbers'][0]['value'] > 1e28" -- "$tmp/indic.txt"
printf '%.0s!?.,;:«»"()[]—…' $(seq 1 200) >"$tmp/punct.txt"
check "all punctuation" 0 "" "len($(doc punct)['spans']) >= 1" -- "$tmp/punct.txt"
printf '%.0s1234567890 ' $(seq 1 300) >"$tmp/digits.txt"
check "all digits" 0 "" "len($(doc digits)['spans']) >= 1" -- "$tmp/digits.txt"
python3 -c 'import sys; sys.stdout.write(("\u064e\u0651\u064f\u0652\u0650" * 20000) + "\n")' >"$tmp/diacritics.txt"
check "all diacritics" "0 1" "" "" -- "$tmp/diacritics.txt"
printf 'Breaking: الهجوم hit 250,000 خوادم in 120 countries, Русский 日本語 עברית\n' >"$tmp/mixed.txt"
check "mixed scripts" 0 "" "len($(doc mixed)['spans']) == 1" -- "$tmp/mixed.txt"
printf 'الهج\xE2\x80\x8Dوم أثر على الخو\xE2\x80\x8Cادم في العالم كله\n' >"$tmp/zwj.txt"
check "zero-width joiners inside words" 0 "" "len($(doc zwj)['spans']) == 1" -- "$tmp/zwj.txt"
printf 'عنوان \xE2\x80\xAEمقلوب\xE2\x80\xAC هنا\nقال \xE2\x81\xA7الوزير\xE2\x81\xA9 إن \xE2\x80\x8Fالهجوم أثر على الخوادم.\n' >"$tmp/bidi.txt"
check "bidi controls" 0 "" "'\u202e' in $(doc bidi)['spans'][0]['text']" -- "$tmp/bidi.txt"
"$bin" compare "$tmp/bidi.txt" "$good" >"$tmp/bidi.out" 2>/dev/null
if grep -q $'\xE2\x80\xAE' "$tmp/bidi.out"; then echo "FAIL bidi control reaches the terminal view"
  failed=$((failed + 1)); else passed=$((passed + 1)); fi

echo "bad input: $passed passed, $failed failed"
[ "$failed" = 0 ]
