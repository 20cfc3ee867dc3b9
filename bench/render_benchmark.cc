// Rendering at scale: a 500-member claim and a 5,000-word span must render in linear-ish time
// (word diffs are capped; see report/worddiff.h). Run: build/bench/render_benchmark
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "report/render.h"
#include "report/report.h"

namespace {

// `n` articles that all restate one claim with a changed word each, so one claim has n members.
std::vector<claimdiff::Document> ManyRestatements(int n) {
  std::vector<claimdiff::Document> docs;
  for (int i = 0; i < n; ++i) {
    claimdiff::Document d;
    // Appends, not operator+: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string.
    d.id.append("d").append(std::to_string(100000 + i));
    d.text.append("عنوان رقم ").append(std::to_string(i));
    d.text.append(" للخبر\nأعلنت الحكومة اليوم عن خطة جديدة لدعم الاقتصاد المحلي بقيمة ");
    d.text.append(std::to_string(100 + i % 7));
    d.text.append(" مليون دولار خلال العام المقبل في كل المحافظات.\n");
    docs.push_back(std::move(d));
  }
  return docs;
}

// Two articles sharing one very long sentence (no commas: it stays one span).
std::vector<claimdiff::Document> LongSpan(int words) {
  std::vector<claimdiff::Document> docs(2);
  for (int k = 0; k < 2; ++k) {
    docs[static_cast<size_t>(k)].id.assign(1, k == 0 ? 'a' : 'b');
    std::string text = "عنوان الخبر الطويل جدا\n";
    for (int w = 0; w < words; ++w) {
      if (w % 97 == 13 && k == 1) {
        text.append("مختلفة ");
      } else {
        text.append("كلمة").append(std::to_string(w % 50)).append(" ");
      }
    }
    text += ".\n";
    docs[static_cast<size_t>(k)].text = std::move(text);
  }
  return docs;
}

void RenderAll(benchmark::State& state, std::vector<claimdiff::Document> docs) {
  claimdiff::CompareOptions options;
  options.segment.max_sentence_words = 1 << 20;  // keep the long sentence whole
  const claimdiff::Report report = *claimdiff::BuildReport(std::move(docs), options);
  size_t bytes = 0;
  for (auto _ : state) {
    const std::string html = claimdiff::RenderHtml(report);
    const std::string text = claimdiff::RenderText(report);
    bytes = html.size() + text.size();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["clusters"] = static_cast<double>(report.clusters.size());
  state.counters["bytes"] = static_cast<double>(bytes);
}

void BM_RenderLargeClaim(benchmark::State& state) {
  RenderAll(state, ManyRestatements(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_RenderLargeClaim)->Arg(50)->Arg(500)->Unit(benchmark::kMillisecond);

void BM_RenderLongSpan(benchmark::State& state) {
  RenderAll(state, LongSpan(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_RenderLongSpan)->Arg(500)->Arg(5000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
