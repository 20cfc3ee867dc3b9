// Repetitive input: a document that repeats a sentence thousands of times, verbatim or nearly,
// must not make pairing or clustering quadratic, and must not change what the report says about
// claims shared across documents.
#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "report/analysis.h"
#include "report/report.h"

namespace claimdiff {
namespace {

const char* const kWords[] = {"الحكومة", "الوزير",   "الهجوم",  "الخوادم",  "الشركة",    "البرنامج",
                              "المدينة", "الشبكة",   "التقرير", "البيان",   "المسؤولين", "الأمن",
                              "الدولة",  "القراصنة", "النظام",  "المجموعة", "الخبراء",   "الاختراق",
                              "الرسمي",  "الجديد",   "الكبير",  "العالم",   "الماضي",    "الأسبوع"};

// A sentence of 20 words drawn from kWords with `rng`.
std::vector<std::string> Sentence(std::mt19937* rng) {
  std::vector<std::string> words;
  for (int i = 0; i < 20; ++i) words.emplace_back(kWords[(*rng)() % std::size(kWords)]);
  return words;
}

// A made-up word of Arabic letters, different for each `n`.
std::string Word(uint32_t n) {
  static const char* const kLetters[] = {"ب", "ت", "ث", "ج", "ح", "خ", "د", "ر", "ز", "س",
                                         "ش", "ص", "ط", "ع", "غ", "ف", "ق", "ك", "ل", "م"};
  std::string w = "و";
  do {
    w += kLetters[n % std::size(kLetters)];
    n /= std::size(kLetters);
  } while (n > 0);
  return w + "ان";
}

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) absl::StrAppend(&out, w, " ");
  out.back() = '.';
  return out;
}

Document Doc(std::string id, std::string text) {
  Document d;
  d.id = std::move(id);
  d.text = std::move(text);
  return d;
}

TEST(Repetition, VerbatimRepeatsAreReportedButStandForOneStatement) {
  std::mt19937 rng(1);
  const std::string sentence = Join(Sentence(&rng));
  std::string text;
  for (int i = 0; i < 3000; ++i) absl::StrAppend(&text, sentence, "\n");
  std::vector<Document> docs;
  docs.push_back(Doc("repeats", text));
  docs.push_back(Doc("once", "مقدمة قصيرة عن موضوع آخر تماما هنا.\n" + sentence + "\n"));
  absl::StatusOr<Report> r = BuildReport(std::move(docs));
  ASSERT_TRUE(r.ok()) << r.status();
  size_t repeats = 0;
  for (const Span& s : r->spans) {
    if (s.doc == 0 && s.index > 0) {
      EXPECT_EQ(s.repeat_of, 0u);
      ++repeats;
    } else {
      EXPECT_FALSE(s.IsRepeat());
    }
  }
  EXPECT_EQ(repeats, 2999u);
  // One claim, stated once by each document.
  ASSERT_EQ(r->clusters.size(), 1u);
  ASSERT_EQ(r->clusters[0].members.size(), 2u);
  const Span& first = r->spans[r->clusters[0].members[0].span];
  const Span& second = r->spans[r->clusters[0].members[1].span];
  EXPECT_EQ(first.doc, 0u);
  EXPECT_EQ(first.index, 0u);
  EXPECT_EQ(second.doc, 1u);
}

TEST(Repetition, NearRepeatsGiveBoundedPairs) {
  std::mt19937 rng(2);
  const std::vector<std::string> base = Sentence(&rng);
  // 500 near-repeats of one sentence (one word differs), between sentences of other words.
  std::string text;
  for (int i = 0; i < 500; ++i) {
    std::vector<std::string> words = base;
    words[rng() % words.size()] = Word(static_cast<uint32_t>(i));
    absl::StrAppend(&text, Join(words), "\n");
    std::vector<std::string> filler;
    for (int k = 0; k < 12; ++k) filler.push_back(Word(100000 + rng() % 5000));
    absl::StrAppend(&text, Join(filler), "\n");
  }
  std::vector<Document> docs;
  docs.push_back(Doc("near", text));
  CompareOptions options;
  options.candidates = CandidateMode::kExact;
  absl::StatusOr<Analysis> a = Analyze(std::move(docs), options, {});
  ASSERT_TRUE(a.ok()) << a.status();
  const std::vector<ScoredPair> pairs = ClaimPairs(*a);
  const size_t spans = a->report.spans.size();
  ASSERT_EQ(spans, 1000u);
  // Every pair of these spans clears the same-document bar: 125k pairs without the cap.
  EXPECT_LE(pairs.size(), spans * static_cast<size_t>(options.max_partners));
  EXPECT_GE(pairs.size(), 500 * static_cast<size_t>(options.max_partners) / 2);
  for (size_t k = 1; k < pairs.size(); ++k) {
    EXPECT_TRUE(pairs[k - 1].a < pairs[k].a ||
                (pairs[k - 1].a == pairs[k].a && pairs[k - 1].b < pairs[k].b));
  }
  // Each span keeps its max_partners strongest pairs (similarity descending, partner
  // ascending) of the uncapped set.
  a->report.options.max_partners = 0;
  const std::vector<ScoredPair> all = ClaimPairs(*a);
  EXPECT_GT(all.size(), 5 * pairs.size());
  std::vector<std::vector<std::pair<float, uint32_t>>> by_span(spans);
  for (const ScoredPair& p : all) {
    by_span[p.a].emplace_back(-p.similarity, p.b);
    by_span[p.b].emplace_back(-p.similarity, p.a);
  }
  std::set<std::pair<uint32_t, uint32_t>> kept;
  for (const ScoredPair& p : pairs) kept.emplace(p.a, p.b);
  for (uint32_t i = 0; i < spans; ++i) {
    std::vector<std::pair<float, uint32_t>>& v = by_span[i];
    std::sort(v.begin(), v.end());
    for (size_t k = 0; k < std::min<size_t>(v.size(), 32); ++k) {
      const uint32_t j = v[k].second;
      EXPECT_TRUE(kept.count({std::min(i, j), std::max(i, j)})) << i << " " << j;
    }
  }
}

TEST(Repetition, AClaimStatedByMoreOutletsThanThePartnerCapIsStillOneCluster) {
  std::mt19937 rng(3);
  const std::vector<std::string> claim = Sentence(&rng);
  std::vector<Document> docs;
  const int outlets = 80;
  for (int d = 0; d < outlets; ++d) {
    // Each outlet words the claim slightly differently, and adds a sentence of its own.
    std::vector<std::string> words = claim;
    words.push_back(Word(static_cast<uint32_t>(50000 + d)));
    std::vector<std::string> own;
    for (int k = 0; k < 12; ++k) own.push_back(Word(100000 + rng() % 5000));
    docs.push_back(Doc(absl::StrCat("outlet", d), absl::StrCat(Join(words), "\n", Join(own))));
  }
  CompareOptions options;
  options.max_partners = 8;  // each statement has 79 partners, but one in each document
  absl::StatusOr<Report> capped = BuildReport(docs, options);
  ASSERT_TRUE(capped.ok()) << capped.status();
  ASSERT_EQ(capped->clusters.size(), 1u)
      << "uncapped: " << BuildReport(docs, CompareOptions())->clusters.size();
  EXPECT_EQ(capped->clusters[0].members.size(), static_cast<size_t>(outlets));
  options.max_partners = 0;
  absl::StatusOr<Report> uncapped = BuildReport(docs, options);
  ASSERT_TRUE(uncapped.ok()) << uncapped.status();
  ASSERT_EQ(uncapped->clusters.size(), 1u);
  for (size_t k = 0; k < static_cast<size_t>(outlets); ++k) {
    EXPECT_EQ(uncapped->clusters[0].members[k].span, capped->clusters[0].members[k].span);
  }
}

}  // namespace
}  // namespace claimdiff
