#!/usr/bin/env bash
# End-to-end workload: generated corpora of growing size through `claimdiff compare`, with
# documents/s, spans/s, peak RSS, bytes of peak RSS per span and planted-pair recall. Each
# run's per-stage times and memory (`--verbose`) are kept in $WORK/stages-N.
#
#   bash bench/e2e.sh                 # 1,000 and 10,000 documents
#   SIZES="1000 10000 100000" bash bench/e2e.sh
#
# Then the index: for each size N, the first N - N/10 documents are added with `index add` in
# drops of DROP_DOCS (default 10,000), and the last N/10 are matched with `index match`; it
# prints the time and peak RSS of both, the index file's size, and the recall of the planted
# pairs that cross from the matched drop to the index.
#
# Environment: BUILD_DIR (default build), SIZES, THREADS (default 0: all cores), WORK (scratch
# folder, default a new temporary one), COMPARE=0 or INDEX=0 to skip a part, DROP_DOCS,
# MAX_VMEM_KB (default 20000000: a cap on each run's virtual memory, so a large size cannot
# take a shared machine down), MATCH_MIN_BANDS (e.g. "4 6 8": the drop matched again with
# each `--min-bands N`, one line each: the speed and memory it buys, and the recall it costs).
# Needs /usr/bin/time (Debian package time).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
build="${BUILD_DIR:-build}"
case "$build" in /*) ;; *) build="$repo/$build" ;; esac
sizes="${SIZES:-1000 10000}"
threads="${THREADS:-0}"
work="${WORK:-$(mktemp -d)}"
mkdir -p "$work"
make_corpus="$repo/../shared/bench/make_corpus.py"
[ -x /usr/bin/time ] || { echo "e2e.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc)" --target claimdiff >/dev/null

drop_docs="${DROP_DOCS:-10000}"
max_vmem="${MAX_VMEM_KB:-20000000}"
for n in $sizes; do
  corpus="$work/corpus-$n.jsonl"
  truth="$work/truth-$n.jsonl"
  [ -f "$corpus" ] || python3 "$make_corpus" --docs "$n" --out "$corpus" --truth "$truth"
done

[ "${COMPARE:-1}" = 0 ] || {
echo "compare:"
printf '%-9s %-8s %-10s %-10s %-12s %-10s %-12s %s\n' docs spans seconds docs/s spans/s peak_MB \
  bytes/span recall
for n in $sizes; do
  corpus="$work/corpus-$n.jsonl"
  truth="$work/truth-$n.jsonl"
  (ulimit -v "$max_vmem"; /usr/bin/time -f '%e %M' -o "$work/time-$n" "$build/claimdiff" compare \
    "$corpus" --threads "$threads" --verbose --format json -o "$work/report-$n.json" \
    2>"$work/stages-$n") || true
  read -r secs kb <"$work/time-$n"
  python3 - "$work/report-$n.json" "$truth" "$n" "$secs" "$kb" "$here" <<'PY'
import json, subprocess, sys
report, truth, n, secs, kb, here = sys.argv[1:]
r = json.load(open(report, encoding="utf-8"))
spans = sum(len(d["spans"]) for d in r["documents"])
recall = subprocess.run([sys.executable, here + "/planted_recall.py", report, truth],
                        capture_output=True, text=True).stdout.strip().split()[-1]
secs = float(secs)
print("%-9s %-8d %-10.1f %-10.0f %-12.0f %-10.0f %-12.0f %s" %
      (n, spans, secs, int(n) / secs, spans / secs, int(kb) / 1024, int(kb) * 1024 / spans,
       recall))
PY
done
}

# `index match` of size $n's new documents against $db, with `--min-bands $1` unless $1 is
# empty; sets match_s, match_kb and recall (its files end in -bands-$1 when given).
match_once() {
  local suffix="" bands=()
  [ -z "$1" ] || { suffix="-bands-$1"; bands=(--min-bands "$1"); }
  (ulimit -v "$max_vmem"; /usr/bin/time -f '%e %M' -o "$work/time-match" "$build/claimdiff" \
    index match --db "$db" --threads "$threads" "${bands[@]}" --verbose "$work/new-$n.jsonl" \
    -o "$work/match-$n$suffix.jsonl" 2>"$work/match-stages-$n$suffix")
  read -r match_s match_kb <"$work/time-match"
  python3 "$here/match_recall.py" "$work/match-$n$suffix.jsonl" "$truth" "$work/new-$n.jsonl" \
    >"$work/match-recall-$n$suffix"
  recall=$(head -1 "$work/match-recall-$n$suffix" | awk '{print $NF}')
}

[ "${INDEX:-1}" = 0 ] || {
echo "index:"
printf '%-9s %-9s %-9s %-11s %-13s %-9s %-9s %-11s %-13s %s\n' docs indexed drops add_s add_peak_MB \
  index_MB matched match_s match_peak_MB recall
for n in $sizes; do
  corpus="$work/corpus-$n.jsonl"
  truth="$work/truth-$n.jsonl"
  new=$((n / 10))
  old=$((n - new))
  db="$work/index-$n.db"
  rm -f "$db" "$db-wal" "$db-shm" "$work"/part-"$n"-*
  head -n "$old" "$corpus" | split -l "$drop_docs" -d -a 3 --additional-suffix=.jsonl - \
    "$work/part-$n-"
  tail -n "$new" "$corpus" >"$work/new-$n.jsonl"
  add_s=0
  add_kb=0
  drops=0
  for part in "$work"/part-"$n"-*.jsonl; do
    (ulimit -v "$max_vmem"; /usr/bin/time -f '%e %M' -o "$work/time-add" "$build/claimdiff" \
      index add --db "$db" --threads "$threads" --quiet "$part" >/dev/null)
    read -r secs kb <"$work/time-add"
    add_s=$(python3 -c "print($add_s + $secs)")
    [ "$kb" -gt "$add_kb" ] && add_kb=$kb
    drops=$((drops + 1))
  done
  match_once "" # the default
  printf '%-9s %-9s %-9s %-11.1f %-13.0f %-9s %-9s %-11.1f %-13.0f %s\n' "$n" "$old" "$drops" \
    "$add_s" "$((add_kb / 1024))" "$(($(stat -c %s "$db") / 1048576))" "$new" "$match_s" \
    "$((match_kb / 1024))" "$recall"
  tail -n +2 "$work/match-recall-$n"
  for m in ${MATCH_MIN_BANDS:-}; do
    match_once "$m"
    printf '  --min-bands %-3s match %.1f s, peak %d MB, recall %s\n' "$m" "$match_s" \
      "$((match_kb / 1024))" "$recall"
  done
done
}
