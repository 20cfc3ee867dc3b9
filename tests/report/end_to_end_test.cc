// The whole pipeline on the five fixture articles (fixtures/exchange-hack).
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/ingest.h"
#include "core/normalize.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "report/analysis.h"
#include "report/render.h"
#include "report/report.h"
#include "tests/report/fixture_report.h"

namespace claimdiff {
namespace {

const std::string kFixtures = std::string(CLAIMDIFF_SOURCE_DIR) + "/fixtures/exchange-hack";

class ExchangeHack : public testing::Test {
 protected:
  static const Report& report() { return testing_util::FixtureReport(); }
  static uint32_t SpanWith(const std::string& doc_prefix, const std::string& needle) {
    return testing_util::SpanWith(report(), doc_prefix, needle);
  }
  static int32_t ClusterOf(uint32_t span) { return report().cluster_of[span]; }
};

TEST_F(ExchangeHack, QuarterMillionServersIsOneClaim) {
  const uint32_t a = SpanWith("003", "الهجوم أثر على أكثر من ربع مليون خادم");
  const uint32_t b = SpanWith("004", "أكثر من ربع مليون من الخوادم");
  ASSERT_GE(ClusterOf(a), 0);
  EXPECT_EQ(ClusterOf(a), ClusterOf(b));
}

TEST_F(ExchangeHack, RaabQuoteInTwoTranslationsIsOneClaim) {
  const uint32_t a = SpanWith("002", "إنهاء هذا التخريب السيبراني المنهجي");
  const uint32_t b = SpanWith("003", "إنهاء هذا التخريب الإلكتروني المنهجي");
  ASSERT_GE(ClusterOf(a), 0);
  EXPECT_EQ(ClusterOf(a), ClusterOf(b));
}

TEST_F(ExchangeHack, DifferentSubjectsAreDifferentClaims) {
  const uint32_t a = SpanWith("002", "من المتوقع أن تحذو دول أخرى حذوها");
  const uint32_t b = SpanWith("003", "من المتوقع أن تحذو الولايات المتحدة حذوها");
  EXPECT_TRUE(ClusterOf(a) < 0 || ClusterOf(a) != ClusterOf(b));
}

TEST_F(ExchangeHack, PageFurnitureIsFlaggedAndNeverClustered) {
  const std::vector<std::pair<std::string, std::string>> furniture = {
      {"000", "{{ reviewsTotal }}"}, {"000", "Scroll to Top"},  {"000", "شاركها"},
      {"000", "الأكثر مشاهدة"},      {"001", "+ الخط -"},       {"001", "المساهمون"},
      {"001", "التحديثات الحية"},    {"002", "مقالات ذات صلة"}, {"002", "زر الذهاب إلى الأعلى"},
      {"002", "رئيسيشئون أوروبية"}};
  for (const auto& [doc, text] : furniture) {
    const uint32_t s = SpanWith(doc, text);
    EXPECT_TRUE(report().spans[s].boilerplate) << doc << ": " << text;
    EXPECT_LT(ClusterOf(s), 0);
  }
  for (const Document& d : report().documents) EXPECT_FALSE(d.title.empty()) << d.id;
  EXPECT_EQ(report().documents[2].title,
            "المملكة المتحدة وحلفاؤها تتهم مجموعة صينية تدعمها الدولة باختراق مايكروسوفت");
  size_t content = 0;
  for (const Span& s : report().spans) content += !s.boilerplate;
  EXPECT_GT(content, 100u);  // the articles themselves are not mistaken for furniture
}

TEST_F(ExchangeHack, ClustersAreWellFormed) {
  ASSERT_FALSE(report().clusters.empty());
  std::vector<int> seen(report().spans.size(), 0);
  for (const Cluster& c : report().clusters) {
    EXPECT_GE(c.members.size(), 2u);
    bool has_reference = false;
    for (const ClusterMember& m : c.members) {
      ++seen[m.span];
      has_reference |= m.span == c.reference;
      EXPECT_GT(m.similarity, 0.0f);
      EXPECT_LE(m.similarity, 1.0001f);
    }
    EXPECT_TRUE(has_reference);
  }
  for (int n : seen) EXPECT_LE(n, 1) << "a span is in two clusters";
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST_F(ExchangeHack, JsonOffsetsRoundTripToTheFileBytes) {
  const std::string json = RenderJson(report());
  rapidjson::Document doc;
  doc.Parse(json.c_str(), json.size());
  ASSERT_FALSE(doc.HasParseError());
  ASSERT_STREQ(doc["schema"].GetString(), "claimdiff/report-v1");
  size_t spans = 0;
  for (const auto& d : doc["documents"].GetArray()) {
    const std::string raw = ReadFile(d["source"].GetString());
    ASSERT_FALSE(raw.empty());
    for (const auto& s : d["spans"].GetArray()) {
      const size_t start = s["start"].GetUint();
      const size_t end = s["end"].GetUint();
      ASSERT_LE(end, raw.size());
      EXPECT_EQ(raw.substr(start, end - start),
                std::string(s["text"].GetString(), s["text"].GetStringLength()));
      ++spans;
    }
  }
  EXPECT_EQ(spans, report().spans.size());
}

TEST(EndToEnd, InputOrderNeverChangesTheJson) {
  LocalFileSystem fs;
  std::vector<std::string> files;
  for (const char* f : {"000_835bbbf155f2670c", "001_370d6861181d9299", "002_c85ade4d3a6a166a",
                        "003_da4c103c08c58f7a", "004_c0460f2d3ddee5fa"}) {
    files.push_back(kFixtures + "/" + f + ".txt");
  }
  std::vector<std::string> reversed(files.rbegin(), files.rend());
  LoadedInputs a = LoadInputs(files, fs);
  LoadedInputs b = LoadInputs(reversed, fs);
  const std::string ja = RenderJson(*BuildReport(std::move(a.documents)));
  const std::string jb = RenderJson(*BuildReport(std::move(b.documents)));
  EXPECT_EQ(ja, jb);
}

TEST(EndToEnd, InputErrorsAreCarriedIntoTheReport) {
  MemoryFileSystem fs;
  fs.AddFile("in/good.txt", "عنوان الخبر هنا\nقال الوزير إن الهجوم أثر على آلاف الخوادم.");
  fs.AddFile("in/bad.txt", "\xFF");
  LoadedInputs in = LoadInputs({"in"}, fs);
  const Report r = *BuildReport(std::move(in.documents), {}, std::move(in.errors));
  EXPECT_EQ(r.documents.size(), 1u);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(RenderJson(r).find("invalid UTF-8 at byte 0"), std::string::npos);
  EXPECT_NE(RenderText(r).find("in/bad.txt: invalid UTF-8 at byte 0"), std::string::npos);
}

TEST(EndToEnd, TextSummaryListsCrossSourceClaimsFirst) {
  LocalFileSystem fs;
  LoadedInputs in = LoadInputs({kFixtures}, fs);
  const std::string text = RenderText(*BuildReport(std::move(in.documents)));
  const size_t across = text.find("Claims stated by two or more sources");
  ASSERT_NE(across, std::string::npos);
  const size_t within = text.find("Repeated within one source");
  if (within != std::string::npos) {
    EXPECT_LT(across, within);
  }
  EXPECT_NE(text.find("ربع مليون"), std::string::npos);
}

}  // namespace
}  // namespace claimdiff

namespace claimdiff {
namespace {

TEST(EndToEnd, OptionsOutOfRangeAreRejected) {
  CompareOptions options;
  options.threshold = 1.5f;
  EXPECT_EQ(BuildReport({}, options).status().code(), absl::StatusCode::kInvalidArgument);
  options.threshold = 0.5f;
  options.min_link = 0.0f;
  EXPECT_EQ(BuildReport({}, options).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace claimdiff

namespace claimdiff {
namespace {

// Stages are announced in order, and the steps within each go from 0 to its total without
// going back, from whichever thread; the report is the same with or without the callbacks.
TEST(EndToEnd, ProgressStepsCountUpToEachStageTotal) {
  for (int threads : {1, 4}) {
    SCOPED_TRACE(threads);
    std::vector<std::string> stages;
    std::map<std::string, std::vector<std::pair<size_t, size_t>>> steps;
    std::mutex mu;
    CompareOptions options;
    options.threads = threads;
    options.progress = [&](std::string_view stage, size_t, size_t) { stages.emplace_back(stage); };
    options.step = [&](std::string_view stage, size_t done, size_t total) {
      std::scoped_lock lock(mu);  // never concurrent, but a data race would be a bug too
      steps[std::string(stage)].emplace_back(done, total);
    };
    LocalFileSystem fs;
    LoadedInputs in = LoadInputs({kFixtures}, fs);
    absl::StatusOr<Report> r = BuildReport(std::move(in.documents), options);
    ASSERT_TRUE(r.ok());
    ASSERT_FALSE(stages.empty());
    EXPECT_EQ(stages.front(), "segmenting");
    for (const char* s : {"segmenting", "shingling", "verdicts"}) {
      SCOPED_TRACE(s);
      const auto& v = steps[s];
      ASSERT_GE(v.size(), 2u);
      EXPECT_EQ(v.front().first, 0u);
      EXPECT_EQ(v.back().first, v.back().second);
      for (size_t k = 1; k < v.size(); ++k) {
        EXPECT_GE(v[k].first, v[k - 1].first);
        EXPECT_EQ(v[k].second, v.front().second);
      }
    }
    EXPECT_EQ(steps["segmenting"].back().second, 5u);
    EXPECT_EQ(steps["shingling"].back().second, 5u);  // documents: facts follow text order
    EXPECT_EQ(steps["verdicts"].back().second, r->clusters.size());
    LoadedInputs again = LoadInputs({kFixtures}, fs);
    EXPECT_EQ(RenderJson(*r), RenderJson(*BuildReport(std::move(again.documents))));
  }
}

}  // namespace
}  // namespace claimdiff

namespace claimdiff {
namespace {

// Coverage: `lacks` counts the shared claims a document is not in; `missing` names them for
// small reports (the fixtures) and is left empty above kListMissingUpTo documents.
TEST(EndToEnd, CoverageListsMissingClaimsOnlyForSmallReports) {
  const Report& small = testing_util::FixtureReport();
  uint32_t shared_claims = 0;
  for (const Cluster& c : small.clusters) shared_claims += c.documents >= 2;
  ASSERT_GT(shared_claims, 0u);
  for (const DocumentCoverage& cov : small.coverage) {
    EXPECT_EQ(cov.lacks, shared_claims - cov.shared);
    EXPECT_EQ(cov.missing.size(), cov.lacks);
  }

  std::vector<Document> docs(kListMissingUpTo + 1);
  const std::vector<std::string> topics = {"الذهب", "النفط", "القمح", "الحديد", "النحاس",
                                           "الفضة", "السكر", "القطن", "البن",   "الأرز"};
  for (size_t d = 0; d < docs.size(); ++d) {
    docs[d].id = absl::StrCat("d", d);
    docs[d].source = "test";
    // Three documents repeat one claim; the others state claims of their own.
    docs[d].text =
        d < 3 ? std::string("عنوان الخبر\nقال الوزير إن الهجوم أثر على آلاف الخوادم حول العالم.")
              : absl::StrCat("عنوان الخبر\nارتفعت أسعار ", topics[d % topics.size()],
                             " في السوق رقم ", d, " بنسبة ", d, " بالمئة اليوم.");
  }
  absl::StatusOr<Report> large = BuildReport(std::move(docs));
  ASSERT_TRUE(large.ok());
  uint32_t large_claims = 0;
  for (const Cluster& c : large->clusters) large_claims += c.documents >= 2;
  ASSERT_GT(large_claims, 0u);
  for (const DocumentCoverage& cov : large->coverage) {
    EXPECT_EQ(cov.lacks, large_claims - cov.shared);
    EXPECT_TRUE(cov.missing.empty());
  }
  EXPECT_GE(large->coverage[0].shared, 1u);
  EXPECT_GE(large->coverage[kListMissingUpTo].lacks, 1u);
}

}  // namespace
}  // namespace claimdiff

namespace claimdiff {
namespace {

// Every view written to a stream (in pieces, as the CLI does) gives the bytes of the string
// it renders, on a report large enough for several pieces of each.
TEST(EndToEnd, StreamedViewsEqualRenderedStrings) {
  const std::string dir = testing::TempDir() + "/streamed-" + std::to_string(getpid());
  ASSERT_EQ(std::system(("mkdir -p '" + dir + "'").c_str()), 0);
  const std::string corpus = dir + "/corpus.jsonl";
  const std::string command = "python3 '" + std::string(CLAIMDIFF_SHARED_DIR) +
                              "/bench/make_corpus.py' --docs 250 --seed 5 --out '" + corpus +
                              "' --truth '" + dir + "/truth.jsonl'";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  LocalFileSystem fs;
  LoadedInputs in = LoadInputs({corpus}, fs);
  absl::StatusOr<Report> r = BuildReport(std::move(in.documents));
  ASSERT_TRUE(r.ok());
  for (const bool filtered : {false, true}) {
    RenderOptions view;
    if (filtered) view.only = Verdict::kAgree;
    std::ostringstream json, text, markdown, html;
    RenderJson(*r, view, json);
    RenderText(*r, view, text);
    RenderMarkdown(*r, view, markdown);
    RenderHtml(*r, view, html);
    const std::string whole_text = RenderText(*r, view);
    if (!filtered) {
      EXPECT_GT(whole_text.size(), size_t{1} << 20);  // more than one piece
    }
    EXPECT_TRUE(json.str() == RenderJson(*r, view));
    EXPECT_TRUE(text.str() == whole_text);
    EXPECT_TRUE(markdown.str() == RenderMarkdown(*r, view));
    EXPECT_TRUE(html.str() == RenderHtml(*r, view));
  }
}

}  // namespace
}  // namespace claimdiff

namespace claimdiff {
namespace {

// Word diffs are for the human views: a report built without them has the same JSON.
TEST(EndToEnd, WordDiffsOffLeavesTheJsonUnchanged) {
  LocalFileSystem fs;
  LoadedInputs a = LoadInputs({kFixtures}, fs);
  LoadedInputs b = LoadInputs({kFixtures}, fs);
  CompareOptions options;
  options.word_diffs = false;
  absl::StatusOr<Report> without = BuildReport(std::move(a.documents), options);
  absl::StatusOr<Report> with = BuildReport(std::move(b.documents));
  ASSERT_TRUE(without.ok() && with.ok());
  EXPECT_EQ(RenderJson(*without), RenderJson(*with));
  ASSERT_FALSE(without->clusters.empty());
  for (const Cluster& c : without->clusters) {
    EXPECT_TRUE(c.diffs.empty());
    EXPECT_TRUE(c.member_words.empty());
  }
  EXPECT_FALSE(with->clusters.front().diffs.empty());
  // The views still draw every member, without marks.
  auto marks = [](const std::string& text) {
    size_t count = 0;
    for (size_t at = text.find("{+"); at != std::string::npos; at = text.find("{+", at + 1)) {
      ++count;
    }
    return count;
  };
  const std::string text = RenderText(*without);
  EXPECT_EQ(marks(text), 1u);  // the legend only
  EXPECT_GT(marks(RenderText(*with)), 1u);
  EXPECT_NE(text.find("ربع مليون"), std::string::npos);
}

// The matching forms the figure windows read are kept for the spans with a number, each the
// span's normalized text (Analysis::MatchingForm, one string per document), and for no other.
TEST(EndToEnd, MatchingFormsAreKeptForSpansWithANumber) {
  LocalFileSystem fs;
  LoadedInputs in = LoadInputs({testing_util::FixturesDir()}, fs);
  const absl::StatusOr<Analysis> analysis =
      AnalyzeSpans(std::move(in.documents), CompareOptions{}, {}, nullptr, CorpusCounts{});
  ASSERT_TRUE(analysis.ok()) << analysis.status();
  const absl::StatusOr<Normalizer> normalizer = Normalizer::Create();
  ASSERT_TRUE(normalizer.ok());
  const Report& r = analysis->report;
  size_t kept = 0;
  for (uint32_t i = 0; i < r.spans.size(); ++i) {
    const std::string_view form = analysis->MatchingForm(i);
    if (r.facts[i].numbers.empty()) {
      EXPECT_TRUE(form.empty()) << i;
      continue;
    }
    EXPECT_EQ(form, normalizer->Normalize(SpanText(r.documents[r.spans[i].doc], r.spans[i])).text)
        << i;
    ++kept;
  }
  EXPECT_GT(kept, 10u);
  Analysis released = *analysis;
  released.ReleaseMatchingForms();
  EXPECT_TRUE(released.MatchingForm(0).empty());
}

}  // namespace
}  // namespace claimdiff
