#!/usr/bin/env bash
# claimdiff starts itself again with glibc's malloc asking for transparent huge pages
# (cli/main.cc, UseHugePages): a run over a generated corpus holds some of its memory on huge
# pages (the `huge` column of --verbose), and none when the user turns the tunable off.
# usage: huge_pages_test.sh path/to/claimdiff path/to/shared
set -u
bin=$1
shared=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$shared/bench/make_corpus.py" --docs 1000 --out "$tmp/corpus.jsonl" \
  --truth "$tmp/truth.jsonl" || exit 1
# The most held on huge pages at the end of any stage, in MB.
most_huge() {
  "$@" compare "$tmp/corpus.jsonl" --verbose --quiet --format json -o "$tmp/report.json" \
    2>"$tmp/stages" || { cat "$tmp/stages"; return 1; }
  sed -n 's/.* huge *\([0-9]*\) MB$/\1/p' "$tmp/stages" | sort -n | tail -1
}
fail=0
off=$(most_huge env GLIBC_TUNABLES=glibc.malloc.hugetlb=0 "$bin") || exit 1
[ "$off" = 0 ] || { echo "FAIL: $off MB on huge pages with glibc.malloc.hugetlb=0"; fail=1; }
if grep -q '\[never\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
  echo "transparent huge pages are off on this machine: only the tunable's off switch checked"
else
  on=$(most_huge env -u GLIBC_TUNABLES "$bin") || exit 1
  [ "${on:-0}" -gt 0 ] || { echo "FAIL: no memory on huge pages by default"; fail=1; }
  # The user's other tunables are kept.
  kept=$(most_huge env GLIBC_TUNABLES=glibc.malloc.arena_max=4 "$bin") || exit 1
  [ "${kept:-0}" -gt 0 ] || { echo "FAIL: no huge pages beside another tunable"; fail=1; }
  echo "most on huge pages: $on MB by default, $kept MB beside another tunable, $off MB when off"
fi
exit $fail
