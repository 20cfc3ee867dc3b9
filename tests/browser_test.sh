#!/usr/bin/env bash
# The HTML report in a real browser: headless Chromium opens the page from file://, and the
# DOM it built is checked: claim cards, verdict badges, the heatmap, the filters' script ran;
# a page made from hostile article text runs none of it and shows it as text. A screenshot of
# the fixtures' report is left in the build folder for a person to look at.
# usage: browser_test.sh path/to/claimdiff SOURCE_DIR OUT_DIR
set -u
bin=$1
src=$2
out=$3
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "browser_test: chromium is not installed (bash scripts/test.sh installs it)" >&2
  exit 1
fi
mkdir -p "$out"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$profile"
       --virtual-time-budget=3000)

"$bin" compare "$src/fixtures/exchange-hack" --format html -o "$out/report.html" || exit 1
"$bin" compare "$src/fixtures/hostile" --format html -o "$out/hostile.html" || exit 1
timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$out/report.html" >"$out/report.dom.html" \
  2>/dev/null
timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$out/hostile.html" >"$out/hostile.dom.html" \
  2>/dev/null
timeout 120 "$browser" "${flags[@]}" --window-size=1280,1800 --screenshot="$out/report.png" \
  "file://$out/report.html" >/dev/null 2>&1

python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]
dom = open(out + "/report.dom.html", encoding="utf-8").read()
hostile = open(out + "/hostile.dom.html", encoding="utf-8").read()
passed = failed = 0
def check(name, ok):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL", name)
cards = re.findall(r'<article class="claim" id="c\d+" data-verdict="(agree|conflict|single)"', dom)
check("claim cards", len(cards) >= 5)
check("verdict badges", len(re.findall(r'<span class="badge (agree|conflict|single)">', dom)) == len(cards))
check("heatmap", '<table class="heatmap">' in dom and len(re.findall(r'<td class="cell"', dom)) == 20)
check("quarter-million claim shown", "ربع مليون" in dom and "250 ألف" in dom)
check("word diff marks", "<ins>" in dom and "<del>" in dom and "<mark title=" in dom)
shown = re.search(r'<span id="shown">(\d+)</span>', dom)
check("filter script ran", shown is not None and int(shown.group(1)) == len(cards))
check("screenshot", __import__("os").path.getsize(out + "/report.png") > 10000)
# Hostile text: nothing it carries ran or became markup, and it is visible as text.
check("no injected attribute", "data-pwned=" not in hostile.split("<body", 1)[1].split(">", 1)[0])
check("no injected image", "<img" not in hostile)
check("no injected link", re.search(r'<a [^>]*href="javascript:', hostile) is None)
check("one script element (ours)", hostile.count("<script") == 1)
check("hostile markup shown as text", "&lt;script&gt;" in hostile and "&lt;img src=x" in hostile)
check("bidi controls neutralized", "\u202e" not in hostile and "⟦U+202E⟧" in hostile)
print("browser_test: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PY
