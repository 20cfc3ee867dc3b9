#!/usr/bin/env bash
# End-to-end workload: generated corpora of growing size through `claimdiff compare`, with
# documents/s, spans/s, peak RSS, bytes of peak RSS per span and planted-pair recall. Each
# run's per-stage times and memory (`--verbose`) are kept in $WORK/stages-N.
#
#   bash bench/e2e.sh                 # 1,000 and 10,000 documents
#   SIZES="1000 10000 100000" bash bench/e2e.sh
#
# Environment: BUILD_DIR (default build), SIZES, THREADS (default 0: all cores), WORK (scratch
# folder, default a new temporary one), MAX_VMEM_KB (default 20000000: a cap on the run's
# virtual memory, so a large size cannot take a shared machine down). Needs /usr/bin/time
# (Debian package time).
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

max_vmem="${MAX_VMEM_KB:-20000000}"

printf '%-9s %-8s %-10s %-10s %-12s %-10s %-12s %s\n' docs spans seconds docs/s spans/s peak_MB \
  bytes/span recall
for n in $sizes; do
  corpus="$work/corpus-$n.jsonl"
  truth="$work/truth-$n.jsonl"
  [ -f "$corpus" ] || python3 "$make_corpus" --docs "$n" --out "$corpus" --truth "$truth"
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
