// Linear time in one document's length: each stage on a single document of 1 to 50 MB, with
// the time per MB reported (counter ms_per_MB), which must stay flat as the size grows.
// Run: build/bench/linear_benchmark   (about a minute; --benchmark_filter=Stage/Normalize etc.)
//
// The text is varied news prose built from the fixtures' words (so the stages see realistic
// sentences, figures and quotations), one paragraph per ~600 bytes, plus one case that is a
// single line with no line break at all, and two adversarial cases for the whole report: one
// sentence repeated throughout, and near-repeats of it.
#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "benchmark/benchmark.h"
#include "core/facts.h"
#include "core/ingest.h"
#include "core/normalize.h"
#include "core/segment.h"
#include "report/report.h"
#include "report/worddiff.h"

namespace {

constexpr size_t kMiB = size_t{1} << 20;

std::vector<std::string> FixtureWords() {
  claimdiff::LocalFileSystem fs;
  const claimdiff::LoadedInputs in =
      claimdiff::LoadInputs({std::string(CLAIMDIFF_SOURCE_DIR) + "/fixtures/exchange-hack"}, fs);
  std::vector<std::string> words;
  for (const claimdiff::Document& d : in.documents) {
    size_t pos = 0;
    while (pos < d.text.size()) {
      const size_t end = std::min(d.text.find_first_of(" \n", pos), d.text.size());
      if (end > pos) words.emplace_back(d.text.substr(pos, end - pos));
      pos = end + 1;
    }
  }
  return words;
}

// `bytes` of prose; `lines` false: one line only.
std::string Prose(size_t bytes, bool lines) {
  static const std::vector<std::string> words = FixtureWords();
  std::mt19937 rng(11);
  std::string text;
  text.reserve(bytes + 64);
  size_t paragraph = 0;
  while (text.size() < bytes) {
    text.append(words[rng() % words.size()]);
    if (rng() % 23 == 0) text.append(" ").append(std::to_string(rng() % 100000));
    if (text.size() - paragraph > 600 && lines) {
      text.append(".\n");
      paragraph = text.size();
    } else {
      text.push_back(' ');
    }
  }
  text.append(".\n");
  return text;
}

claimdiff::Document Doc(size_t bytes, bool lines) {
  claimdiff::Document d;
  d.id = "big";
  d.text = Prose(bytes, lines);
  return d;
}

void Report(benchmark::State& state, size_t bytes) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["ms_per_MB"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * static_cast<double>(bytes) / (1e3 * kMiB),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_Ingest(benchmark::State& state) {
  const size_t bytes = static_cast<size_t>(state.range(0)) * kMiB;
  const std::string text = Prose(bytes, true);
  for (auto _ : state) {
    auto doc = claimdiff::ParseTextDocument("big", "big.txt", text);
    benchmark::DoNotOptimize(doc);
  }
  Report(state, bytes);
}

void BM_Normalize(benchmark::State& state) {
  const size_t bytes = static_cast<size_t>(state.range(0)) * kMiB;
  const std::string text = Prose(bytes, true);
  const claimdiff::Normalizer n = *claimdiff::Normalizer::Create();
  for (auto _ : state) benchmark::DoNotOptimize(n.Normalize(text));
  Report(state, bytes);
}

void BM_Segment(benchmark::State& state) {
  const size_t bytes = static_cast<size_t>(state.range(0)) * kMiB;
  const claimdiff::Document doc = Doc(bytes, state.range(1) != 0);
  const claimdiff::Segmenter seg = *claimdiff::Segmenter::Create();
  for (auto _ : state) benchmark::DoNotOptimize(seg.Segment(doc, 0));
  Report(state, bytes);
}

void BM_Facts(benchmark::State& state) {
  const size_t bytes = static_cast<size_t>(state.range(0)) * kMiB;
  const claimdiff::Document doc = Doc(bytes, true);
  const claimdiff::Segmenter seg = *claimdiff::Segmenter::Create();
  const std::vector<claimdiff::Span> spans = seg.Segment(doc, 0);
  const claimdiff::FactExtractor facts(seg.normalizer());
  for (auto _ : state) {
    claimdiff::SpanFacts previous;
    for (const claimdiff::Span& s : spans) previous = facts.Extract(doc, s, &previous);
    benchmark::DoNotOptimize(previous);
  }
  Report(state, bytes);
}

void BM_DiffTokens(benchmark::State& state) {
  const size_t bytes = static_cast<size_t>(state.range(0)) * kMiB;
  const std::string text = Prose(bytes, false);
  const claimdiff::Normalizer n = *claimdiff::Normalizer::Create();
  for (auto _ : state) benchmark::DoNotOptimize(claimdiff::DiffTokens(n, text, 0));
  Report(state, bytes);
}

// The whole pipeline on one document (what `claimdiff compare big.txt` does before rendering).
void TimeBuildReport(benchmark::State& state, const claimdiff::Document& doc, size_t bytes) {
  claimdiff::CompareOptions options;
  options.threads = 1;
  for (auto _ : state) {
    std::vector<claimdiff::Document> docs{doc};
    benchmark::DoNotOptimize(claimdiff::BuildReport(std::move(docs), options));
  }
  Report(state, bytes);
}

void BM_BuildReport(benchmark::State& state) {
  const size_t bytes = static_cast<size_t>(state.range(0)) * kMiB;
  TimeBuildReport(state, Doc(bytes, true), bytes);
}

// Adversarial repetition: one sentence repeated (mode 0), or near-repeats that each change one
// word of it (mode 1). Every pair of spans is similar, so an all-pairs stage would be quadratic.
claimdiff::Document Repeated(size_t bytes, bool vary) {
  static const std::vector<std::string> words = FixtureWords();
  std::mt19937 rng(5);
  std::vector<std::string> sentence;
  for (int i = 0; i < 24; ++i) sentence.push_back(words[rng() % words.size()]);
  claimdiff::Document d;
  d.id = "repeated";
  while (d.text.size() < bytes) {
    const size_t changed = vary ? rng() % sentence.size() : sentence.size();
    for (size_t i = 0; i < sentence.size(); ++i) {
      d.text.append(i == changed ? words[rng() % words.size()] : sentence[i]).push_back(' ');
    }
    d.text.append(".\n");
  }
  return d;
}

void BM_BuildReportRepeated(benchmark::State& state) {
  const size_t bytes = static_cast<size_t>(state.range(0)) * kMiB;
  TimeBuildReport(state, Repeated(bytes, state.range(1) != 0), bytes);
}

void Sizes(benchmark::internal::Benchmark* b) {
  for (int mb : {1, 2, 5, 10, 20, 50}) b->Arg(mb);
}
void LinesAndSizes(benchmark::internal::Benchmark* b) {
  for (int lines : {1, 0}) {
    for (int mb : {1, 2, 5, 10, 20, 50}) b->Args({mb, lines});
  }
}

BENCHMARK(BM_Ingest)->Apply(Sizes)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_Normalize)->Apply(Sizes)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_Segment)->Apply(LinesAndSizes)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_Facts)->Apply(Sizes)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_DiffTokens)->Apply(Sizes)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_BuildReport)->Apply(Sizes)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_BuildReportRepeated)
    ->Apply(LinesAndSizes)
    ->ArgNames({"MB", "near"})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
