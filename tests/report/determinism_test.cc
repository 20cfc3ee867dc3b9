// The same input and options give byte-identical JSON, whatever the thread count, the input
// order, the candidate path's internal scheduling, or how many times it is run.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/ingest.h"
#include "gtest/gtest.h"
#include "report/analysis.h"
#include "report/render.h"
#include "report/report.h"

namespace claimdiff {
namespace {

std::string Json(const std::vector<std::string>& paths, int threads, CandidateMode mode) {
  LocalFileSystem fs;
  LoadedInputs in = LoadInputs(paths, fs);
  CompareOptions options;
  options.threads = threads;
  options.candidates = mode;
  return RenderJson(*BuildReport(std::move(in.documents), options, std::move(in.errors)));
}

TEST(Determinism, ThreadsAndInputOrderDoNotChangeTheReport) {
  // A folder of this process's own: the default temporary folder is shared with other
  // checkouts' test runs, and a corpus rewritten under a reader makes the reports differ.
  const std::string dir = testing::TempDir() + "/determinism-" + std::to_string(getpid());
  ASSERT_EQ(std::system(("mkdir -p '" + dir + "'").c_str()), 0);
  const std::string corpus = dir + "/corpus.jsonl";
  const std::string command = "python3 '" + std::string(CLAIMDIFF_SHARED_DIR) +
                              "/bench/make_corpus.py' --docs 120 --seed 7 --out '" + corpus +
                              "' --truth '" + dir + "/truth.jsonl'";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  // The corpus split into shuffled files, plus the fixtures.
  std::vector<std::string> lines;
  {
    LocalFileSystem fs;
    std::string bytes = *fs.ReadFile(corpus);
    size_t pos = 0;
    while (pos < bytes.size()) {
      const size_t nl = bytes.find('\n', pos);
      lines.push_back(bytes.substr(pos, nl - pos));
      pos = nl == std::string::npos ? bytes.size() : nl + 1;
    }
  }
  std::mt19937 rng(3);
  std::shuffle(lines.begin(), lines.end(), rng);
  std::vector<std::string> parts;
  for (int k = 0; k < 3; ++k) {
    const std::string part = dir + "/part" + std::to_string(k) + ".jsonl";
    std::string text;
    for (size_t i = static_cast<size_t>(k); i < lines.size(); i += 3) text += lines[i] + "\n";
    FILE* f = std::fopen(part.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
    parts.push_back(part);
  }
  const std::string fixtures = std::string(CLAIMDIFF_SOURCE_DIR) + "/fixtures/exchange-hack";
  // Where two reports first differ (gtest's own diff of megabyte strings is too costly).
  auto same = [](const std::string& a, const std::string& b) {
    const auto [ia, ib] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
    if (ia == a.end() && ib == b.end()) return testing::AssertionSuccess();
    const auto at = static_cast<size_t>(ia - a.begin());
    return testing::AssertionFailure() << "reports differ at byte " << at << ": "
                                       << a.substr(at, 80) << " | " << b.substr(at, 80);
  };
  for (CandidateMode mode : {CandidateMode::kExact, CandidateMode::kLsh}) {
    const std::string one = Json({parts[0], parts[1], parts[2], fixtures}, 1, mode);
    EXPECT_TRUE(same(one, Json({parts[0], parts[1], parts[2], fixtures}, 2, mode)));
    EXPECT_TRUE(same(one, Json({parts[0], parts[1], parts[2], fixtures}, 8, mode)));
    EXPECT_TRUE(same(one, Json({fixtures, parts[2], parts[0], parts[1]}, 2, mode)));
    // Repeated runs: the same call again, and again with every thread.
    EXPECT_TRUE(same(one, Json({parts[0], parts[1], parts[2], fixtures}, 1, mode)));
    EXPECT_TRUE(same(one, Json({parts[1], fixtures, parts[0], parts[2]}, 8, mode)));
    EXPECT_GT(one.size(), 100000u);
  }
}

// Figure pairs are made a slice of spans at a time; the slice size bounds memory and changes
// nothing found: the pairs kept for hidden conflicts, the raised scores, the report.
TEST(Determinism, FigureSlicesDoNotChangeTheFigurePairs) {
  const std::string dir = testing::TempDir() + "/figure-slices-" + std::to_string(getpid());
  ASSERT_EQ(std::system(("mkdir -p '" + dir + "'").c_str()), 0);
  const std::string corpus = dir + "/corpus.jsonl";
  const std::string command = "python3 '" + std::string(CLAIMDIFF_SHARED_DIR) +
                              "/bench/make_corpus.py' --docs 200 --seed 11 --out '" + corpus +
                              "' --truth '" + dir + "/truth.jsonl'";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  auto analyze = [&](size_t slice_pairs, int threads) {
    LocalFileSystem fs;
    LoadedInputs in = LoadInputs({corpus}, fs);
    CompareOptions options;
    options.threads = threads;
    options.figure_slice_pairs = slice_pairs;
    return *Analyze(std::move(in.documents), options, {});
  };
  auto fields = [](const Analysis& a) {
    std::vector<std::tuple<uint32_t, uint32_t, bool, bool, bool, bool, bool, float>> out;
    for (const FigurePair& f : a.figure_pairs) {
      out.emplace_back(f.a, f.b, f.compatible, f.same_unit, f.comparable_scale, f.spans_near,
                       f.raises_score, f.window_similarity);
    }
    return out;
  };
  auto boosted = [](const Analysis& a) {
    std::vector<std::pair<uint64_t, float>> out(a.boosted.begin(), a.boosted.end());
    std::sort(out.begin(), out.end());
    return out;
  };
  const Analysis whole = analyze(size_t{1} << 30, 2);
  ASSERT_FALSE(whole.figure_pairs.empty());
  ASSERT_FALSE(whole.boosted.empty());
  for (size_t slice_pairs : {size_t{500}, size_t{5000}}) {
    for (int threads : {1, 2}) {
      const Analysis sliced = analyze(slice_pairs, threads);
      EXPECT_EQ(fields(sliced), fields(whole)) << slice_pairs << " pairs, " << threads;
      EXPECT_EQ(boosted(sliced), boosted(whole)) << slice_pairs << " pairs, " << threads;
    }
  }
  // Only pairs that may be hidden conflicts are kept.
  for (const FigurePair& f : whole.figure_pairs) EXPECT_TRUE(whole.HiddenConflict(f));
}

}  // namespace
}  // namespace claimdiff
