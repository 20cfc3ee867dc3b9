#!/usr/bin/env bash
# Builds claimdiff in Release, generates a synthetic corpus and benchmarks the pipeline on it.
#
#   bench/run_benchmarks.sh                  # 1000 documents, build folder build-bench
#   DOCS=200 bench/run_benchmarks.sh         # a smaller corpus
#   BUILD_DIR=/tmp/cd-bench bench/run_benchmarks.sh --benchmark_filter=Cluster
#
# Environment: BUILD_DIR (default build-bench, relative to the repository root), DOCS (default
# 1000), SEED (default 1). Extra arguments go to pipeline_benchmark.
# Prints the Google Benchmark table (spans per second per stage, on the fixtures and the
# corpus), then the wall time and peak RSS of `claimdiff compare` on the corpus.
set -euo pipefail

script_dir="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "${script_dir}/.." && pwd)"
make_corpus="${script_dir}/../../shared/bench/make_corpus.py"
build_dir="${BUILD_DIR:-build-bench}"
case "${build_dir}" in
  /*) ;;
  *) build_dir="${repo}/${build_dir}" ;;
esac
docs="${DOCS:-1000}"
seed="${SEED:-1}"

if [[ ! -f "${make_corpus}" ]]; then
  echo "run_benchmarks.sh: corpus generator not found: ${make_corpus}" >&2
  exit 1
fi

echo "== build (Release) in ${build_dir}"
cmake -S "${repo}" -B "${build_dir}" -DCMAKE_BUILD_TYPE=Release -DCLAIMDIFF_BUILD_BENCHMARKS=ON \
  >/dev/null
cmake --build "${build_dir}" -j"$(nproc)" --target claimdiff pipeline_benchmark

TMP="$(mktemp -d)"
trap 'rm -rf "${TMP}"' EXIT

echo "== corpus: ${docs} documents (seed ${seed})"
python3 "${make_corpus}" --docs "${docs}" --seed "${seed}" --out "${TMP}/corpus.jsonl" \
  --truth "${TMP}/truth.jsonl"
ls -l "${TMP}/corpus.jsonl"

echo "== pipeline_benchmark (items_per_second = spans per second)"
CLAIMDIFF_BENCH_CORPUS="${TMP}/corpus.jsonl" "${build_dir}/bench/pipeline_benchmark" "$@"

echo "== end to end: claimdiff compare (${docs} documents)"
compare=("${build_dir}/claimdiff" compare "${TMP}/corpus.jsonl" --format json -o /dev/null)
status=0
if [[ -x /usr/bin/time ]]; then
  /usr/bin/time -v -o "${TMP}/time.txt" "${compare[@]}" || status=$?
  grep -E 'Elapsed \(wall clock\)|Maximum resident set size|User time|System time' \
    "${TMP}/time.txt"
else
  echo "(no /usr/bin/time: wall time only, no peak RSS)"
  time "${compare[@]}" || status=$?
fi
# Exit code 1 means some input could not be read; the report still covers the rest.
if ((status > 1)); then
  echo "run_benchmarks.sh: claimdiff compare failed with exit code ${status}" >&2
  exit "${status}"
fi
