#!/usr/bin/env bash
# Peak RSS of ingestion alone (build/bench/load_inputs) and of a whole `claimdiff compare`, on a
# generated JSON Lines corpus. JSON Lines are streamed, so loading should hold about the
# documents' text plus one 1 MiB chunk and one batch of lines (8 MB, parsed on all threads), not
# the file as well.
#
#   bash bench/ingest_memory.sh                       # build folder build, 10,000 documents
#   DOCS=1000 BUILD_DIR=/tmp/b bash bench/ingest_memory.sh
#   CORPUS=/tmp/ingest/c.jsonl bash bench/ingest_memory.sh   # an existing corpus
#
# Environment: BUILD_DIR (default build, relative to the repository root), DOCS (default 10000),
# CORPUS (a JSON Lines file to use instead of generating one), SKIP_COMPARE=1 (loading only).
set -euo pipefail

script_dir="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "${script_dir}/.." && pwd)"
build_dir="${BUILD_DIR:-build}"
case "${build_dir}" in
  /*) ;;
  *) build_dir="${repo}/${build_dir}" ;;
esac
for bin in "${build_dir}/bench/load_inputs" "${build_dir}/claimdiff"; do
  if [[ ! -x "${bin}" ]]; then
    echo "ingest_memory.sh: ${bin} not built" >&2
    exit 1
  fi
done
if [[ ! -x /usr/bin/time ]]; then
  echo "ingest_memory.sh: needs /usr/bin/time (apt-get install time)" >&2
  exit 1
fi

TMP="$(mktemp -d)"
trap 'rm -rf "${TMP}"' EXIT
corpus="${CORPUS:-}"
if [[ -z "${corpus}" ]]; then
  make_corpus="${repo}/../shared/bench/make_corpus.py"
  if [[ ! -f "${make_corpus}" ]]; then
    echo "ingest_memory.sh: corpus generator not found: ${make_corpus}" >&2
    exit 1
  fi
  corpus="${TMP}/corpus.jsonl"
  python3 "${make_corpus}" --docs "${DOCS:-10000}" --out "${corpus}" --truth "${TMP}/truth.jsonl"
fi
echo "corpus: ${corpus} ($(stat -c %s "${corpus}") bytes)"

/usr/bin/time -f "load_inputs: %e s, peak RSS %M KB" "${build_dir}/bench/load_inputs" "${corpus}"
if [[ "${SKIP_COMPARE:-0}" != 1 ]]; then
  /usr/bin/time -f "claimdiff compare: %e s, peak RSS %M KB" "${build_dir}/claimdiff" compare \
    "${corpus}" --quiet --format json -o /dev/null
fi
