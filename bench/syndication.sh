#!/usr/bin/env bash
# Syndication on a synthetic drop: recall and precision of `copy` against make_corpus.py's planted
# copies (bench/syndication_eval.py), and the wall time of `claimdiff syndication`.
# usage: bench/syndication.sh path/to/claimdiff [DOCS] [THREADS]   (defaults 5000, 2)
set -euo pipefail
bin=$1
docs=${2:-5000}
threads=${3:-2}
here=$(cd "$(dirname "$0")" && pwd)
shared=${CLAIMDIFF_SHARED:-$here/../../shared}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$shared/bench/make_corpus.py" --docs "$docs" --out "$tmp/corpus.jsonl" \
  --truth "$tmp/truth.jsonl" >/dev/null
start=$(date +%s.%N)
"$bin" syndication --quiet --threads "$threads" --format json -o "$tmp/report.json" "$tmp/corpus.jsonl"
end=$(date +%s.%N)
echo "claimdiff syndication: $docs documents, $threads threads, $(echo "$end - $start" | bc) s"
python3 "$here/syndication_eval.py" "$tmp/report.json" "$tmp/truth.jsonl"
