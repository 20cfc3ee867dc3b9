// Google Benchmark of claimdiff's hot stages, reported as spans per second.
//
//   pipeline_benchmark                                   # the exchange-hack fixtures
//   CLAIMDIFF_BENCH_CORPUS=corpus.jsonl pipeline_benchmark  # the fixtures and that corpus
//
// Each benchmark is registered once per input ("/fixtures", "/corpus"). Inputs are read with
// LoadInputs once, and what a stage consumes (spans, matching forms, shingles, TF-IDF rows) is
// prepared once per input outside the timed loop, the way BuildReport (report/report.cc)
// prepares it, so each benchmark times one stage only:
//   BM_NormalizeSegment   Segmenter::Segment of every document + Normalize of every span
//   BM_ShingleTfidf       ShingleText of every span's matching form + BuildTfidf
//   BM_SimilarityCluster  AllPairsCandidates::Generate, the same-document margin filter and
//                         ClusterRows with the pipeline's compatibility veto (ContentWords
//                         computed beforehand, untimed). Anything else BuildReport does between
//                         Generate and ClusterRows (e.g. adjusting pair scores from facts) is
//                         not mirrored here: it is timed in BM_BuildReport only.
//   BM_BuildReport        the whole BuildReport (the copy of the documents it consumes is untimed)
// FlagRepeatedSpans and ContentWords are only timed as part of BM_BuildReport.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/boilerplate.h"
#include "core/document.h"
#include "core/ingest.h"
#include "core/normalize.h"
#include "core/segment.h"
#include "report/report.h"
#include "similarity/align.h"
#include "similarity/candidates.h"
#include "similarity/cluster.h"
#include "similarity/shingle.h"
#include "similarity/tfidf.h"

namespace claimdiff {
namespace {

// Set when a benchmark could not run as intended, so that main (and the ctest smoke run) fails.
bool g_failed = false;

void Fail(benchmark::State& state, const std::string& message) {
  g_failed = true;
  state.SkipWithError(message.c_str());
}

// One benchmark input and the per-stage data derived from it, built on first use.
struct Input {
  std::string name;
  std::vector<Document> documents;
  CompareOptions options;

  // Filled by Prepare(): the same values BuildReport computes before each stage.
  bool prepared = false;
  std::optional<Segmenter> segmenter;
  std::vector<Span> spans;  // all documents' spans, boilerplate flagged
  std::vector<std::string> normalized;
  std::vector<std::vector<Shingle>> shingles;
  std::vector<ContentSequence> content;
  std::vector<uint8_t> eligible;
  TfidfMatrix tfidf;
};

bool Prepare(Input& in, benchmark::State& state) {
  if (in.prepared) return true;
  absl::StatusOr<Segmenter> segmenter = Segmenter::Create(in.options.segment);
  if (!segmenter.ok()) {
    Fail(state, "Segmenter::Create: " + std::string(segmenter.status().message()));
    return false;
  }
  in.segmenter.emplace(*std::move(segmenter));
  const Normalizer& normalizer = in.segmenter->normalizer();
  for (uint32_t d = 0; d < in.documents.size(); ++d) {
    std::vector<Span> spans = in.segmenter->Segment(in.documents[d], d);
    in.spans.insert(in.spans.end(), spans.begin(), spans.end());
  }
  FlagRepeatedSpans(in.documents, &in.spans, normalizer, in.options.boilerplate);
  const size_t n = in.spans.size();
  in.normalized.resize(n);
  in.shingles.resize(n);
  in.content.resize(n);
  in.eligible.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const Span& s = in.spans[i];
    in.normalized[i] = normalizer.Normalize(SpanText(in.documents[s.doc], s)).text;
    in.shingles[i] = ShingleText(in.normalized[i], in.options.shingle);
    in.content[i] = ContentWords(in.normalized[i]);
    in.eligible[i] = !s.boilerplate && s.kind != SpanKind::kDateline &&
                     in.content[i].keys.size() >= static_cast<size_t>(in.options.min_content_words);
  }
  in.tfidf = BuildTfidf(in.shingles, in.eligible, in.options.tfidf);
  in.prepared = true;
  return true;
}

void SetCounters(benchmark::State& state, const Input& in) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(in.spans.size()));
  state.counters["docs"] = static_cast<double>(in.documents.size());
  state.counters["spans"] = static_cast<double>(in.spans.size());
}

void BM_NormalizeSegment(benchmark::State& state, Input* in) {
  if (!Prepare(*in, state)) return;
  const Segmenter& segmenter = *in->segmenter;
  const Normalizer& normalizer = segmenter.normalizer();
  for (auto _ : state) {
    size_t bytes = 0;
    for (uint32_t d = 0; d < in->documents.size(); ++d) {
      const Document& doc = in->documents[d];
      std::vector<Span> spans = segmenter.Segment(doc, d);
      for (const Span& s : spans) bytes += normalizer.Normalize(SpanText(doc, s)).text.size();
    }
    benchmark::DoNotOptimize(bytes);
  }
  SetCounters(state, *in);
}

void BM_ShingleTfidf(benchmark::State& state, Input* in) {
  if (!Prepare(*in, state)) return;
  const size_t n = in->normalized.size();
  std::vector<std::vector<Shingle>> shingles(n);
  for (auto _ : state) {
    for (size_t i = 0; i < n; ++i)
      shingles[i] = ShingleText(in->normalized[i], in->options.shingle);
    TfidfMatrix tfidf = BuildTfidf(shingles, in->eligible, in->options.tfidf);
    benchmark::DoNotOptimize(tfidf.rows.nonZeros());
  }
  SetCounters(state, *in);
}

void BM_SimilarityCluster(benchmark::State& state, Input* in) {
  if (!Prepare(*in, state)) return;
  const CompareOptions& options = in->options;
  const std::vector<ContentSequence>& content = in->content;
  // The same veto BuildReport passes to ClusterRows.
  const CompatibleFn compatible = [&content, &options](uint32_t x, uint32_t y) {
    const size_t words = std::min(content[x].keys.size(), content[y].keys.size());
    if (words > static_cast<size_t>(options.substitution_check_words)) return true;
    return !HasEnclosedSubstitution(content[x], content[y]);
  };
  size_t pairs_found = 0;
  size_t clusters_found = 0;
  for (auto _ : state) {
    std::vector<ScoredPair> pairs =
        AllPairsCandidates().Generate(in->tfidf.rows, in->eligible, options.threshold);
    // Two spans of one document need threshold + same_document_margin, as in BuildReport.
    std::erase_if(pairs, [&](const ScoredPair& p) {
      return in->spans[p.a].doc == in->spans[p.b].doc &&
             p.similarity < options.threshold + options.same_document_margin;
    });
    pairs_found = pairs.size();
    std::vector<SpanCluster> clusters = ClusterRows(
        in->tfidf.rows, std::move(pairs), {options.threshold, options.min_link}, compatible);
    clusters_found = clusters.size();
    benchmark::DoNotOptimize(clusters.data());
  }
  SetCounters(state, *in);
  state.counters["pairs"] = static_cast<double>(pairs_found);
  state.counters["clusters"] = static_cast<double>(clusters_found);
}

void BM_BuildReport(benchmark::State& state, Input* in) {
  if (!Prepare(*in, state)) return;  // only for the span count
  size_t clusters_found = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<Document> documents = in->documents;
    state.ResumeTiming();
    absl::StatusOr<Report> report = BuildReport(std::move(documents), in->options);
    if (!report.ok()) {
      Fail(state, "BuildReport: " + std::string(report.status().message()));
      return;
    }
    if (report->spans.size() != in->spans.size()) {
      Fail(state, "BuildReport made a different number of spans than the stages");
      return;
    }
    clusters_found = report->clusters.size();
    benchmark::DoNotOptimize(report->clusters.data());
    // The report (and its documents) is destroyed inside the timed region, as in the CLI.
  }
  SetCounters(state, *in);
  state.counters["clusters"] = static_cast<double>(clusters_found);
}

// Reads `path` (a folder or a JSON Lines file). Returns nullptr, after printing why, when
// nothing could be read.
std::unique_ptr<Input> LoadInput(std::string name, const std::string& path) {
  LocalFileSystem fs;
  LoadedInputs loaded = LoadInputs({path}, fs);
  for (const InputError& e : loaded.errors) {
    std::cerr << "pipeline_benchmark: " << FormatInputError(e) << "\n";
  }
  if (loaded.documents.empty()) {
    std::cerr << "pipeline_benchmark: no documents in " << path << "\n";
    return nullptr;
  }
  auto in = std::make_unique<Input>();
  in->name = std::move(name);
  in->documents = std::move(loaded.documents);
  return in;
}

void Register(Input* in) {
  const std::string suffix = "/" + in->name;
  benchmark::RegisterBenchmark(("BM_NormalizeSegment" + suffix).c_str(), BM_NormalizeSegment, in)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark(("BM_ShingleTfidf" + suffix).c_str(), BM_ShingleTfidf, in)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark(("BM_SimilarityCluster" + suffix).c_str(), BM_SimilarityCluster, in)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark(("BM_BuildReport" + suffix).c_str(), BM_BuildReport, in)
      ->Unit(benchmark::kMillisecond);
}

}  // namespace
}  // namespace claimdiff

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

  std::vector<std::unique_ptr<claimdiff::Input>> inputs;
  inputs.push_back(
      claimdiff::LoadInput("fixtures", CLAIMDIFF_SOURCE_DIR "/fixtures/exchange-hack"));
  if (const char* corpus = std::getenv("CLAIMDIFF_BENCH_CORPUS");
      corpus != nullptr && *corpus != '\0') {
    inputs.push_back(claimdiff::LoadInput("corpus", corpus));
  }
  for (const auto& in : inputs) {
    if (in == nullptr) return 1;
    std::cerr << "pipeline_benchmark: " << in->name << ": " << in->documents.size()
              << " documents\n";
    claimdiff::Register(in.get());
  }

  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return claimdiff::g_failed ? 1 : 0;
}
