#!/usr/bin/env bash
# The Dask driver against compare on a generated corpus: wall time, documents/s and spans/s with
# 1 and 2 LocalCluster worker processes (1 thread each), bytes shuffled per span, and a byte
# comparison of the reports. Figures in the README ("Beyond one machine (Dask)").
# usage: bench/dask_benchmark.sh [DOCS] [WORK_DIR]     (from the checkout, after building build/)
set -euo pipefail
cd "$(dirname "$0")/.."
docs=${1:-20000}
work=${2:-build/dask-bench}
bin=$PWD/build/claimdiff
python=/usr/bin/python3
"$python" -c 'import distributed' 2>/dev/null || python=python3
mkdir -p "$work"
corpus=$work/corpus-$docs.jsonl
[ -f "$corpus" ] || "$python" ../shared/bench/make_corpus.py --docs "$docs" --out "$corpus" \
  --truth "$work/truth-$docs.jsonl" >/dev/null
seconds() { /usr/bin/time -f %e -o "$work/time" "$@"; cat "$work/time"; }
rate() { "$python" -c "import sys; n, t = float(sys.argv[1]), float(sys.argv[2]); print('%.0f' % (n / t))" "$@"; }
spans=0
report() {  # name seconds
  printf '%-34s %8.1f s  %7s docs/s  %8s spans/s\n' "$1" "$2" "$(rate "$docs" "$2")" \
    "$(rate "$spans" "$2")"
}
echo "corpus: $docs documents, $(du -m "$corpus" | cut -f1) MB"
t=$(seconds "$bin" compare --format json --threads 1 -o "$work/compare.json" "$corpus")
spans=$("$python" "$(dirname "$0")/dask_spans.py" "$work/compare.json")
echo "spans: $spans"
report "compare --threads 1" "$t"
t=$(seconds "$bin" compare --format json -o "$work/compare-all.json" "$corpus")
report "compare --threads 0 ($(nproc) cores)" "$t"
cmp "$work/compare.json" "$work/compare-all.json"
for w in 1 2; do
  t=$(seconds "$python" python/claimdiff_dask.py --claimdiff "$bin" --workers "$w" --quiet \
        --stats "$work/stats-$w.json" -o "$work/dask-$w.json" "$corpus")
  report "dask, $w worker process(es)" "$t"
  cmp "$work/dask-$w.json" "$work/compare.json" && echo "  report identical to compare's"
  "$python" -c "import json,sys; s=json.load(open(sys.argv[1])); print('  stages (s):', s['stages']); print('  parts', s['parts'], 'shuffle partitions', s['shuffle_partitions'], 'reduce partitions', s['reduce_partitions']); print('  bytes:', s['bytes']); print('  shuffled at most', s['shuffled_bytes'], 'bytes =', s['shuffled_bytes_per_span'], 'per span; verified pairs', s['pairs_bytes'], 'bytes')" "$work/stats-$w.json"
done
