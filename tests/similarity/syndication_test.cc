#include "similarity/syndication.h"

#include <algorithm>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/normalize.h"
#include "gtest/gtest.h"

namespace claimdiff {
namespace {

// A document made of paragraphs; each paragraph is one segment. Returns the text too, so
// passages can be read back.
struct Doc {
  std::string text;
  DocumentPhrases phrases;
};

Doc Make(const std::vector<std::string>& paragraphs) {
  const Normalizer n = *Normalizer::Create();
  Doc d;
  std::vector<Phrase> seq;
  for (size_t i = 0; i < paragraphs.size(); ++i) {
    if (i) d.text += "\n\n";
    const auto base = static_cast<uint32_t>(d.text.size());
    d.text += paragraphs[i];
    AppendPhrases(n.Normalize(paragraphs[i]), base, static_cast<uint32_t>(i), &seq);
  }
  d.phrases = MakeDocumentPhrases(std::move(seq));
  return d;
}

const std::vector<std::string> kStory = {
    "The ministry said on Tuesday that hackers had reached the servers of the exchange and "
    "copied the records of several hundred thousand customers before the breach was found.",
    "Officials at the exchange refused to say how long the attackers had been inside the "
    "network, but an internal memo seen by reporters put the first intrusion in early March.",
    "Regulators in three countries opened inquiries into how customer funds were protected "
    "and whether the exchange had warned its users quickly enough about the stolen data.",
    "The company promised to compensate every affected customer and said trading would "
    "resume next week once an outside firm had finished checking its systems for malware.",
};

std::string_view Cut(const std::string& text, uint32_t begin, uint32_t end) {
  return std::string_view(text).substr(begin, end - begin);
}

TEST(MeasureReuse, IdenticalDocumentsAreOneFullPassage) {
  const Doc a = Make(kStory);
  const Doc b = Make(kStory);
  const ReuseMeasure m = MeasureReuse(a.phrases, b.phrases);
  EXPECT_DOUBLE_EQ(m.a_in_b, 1.0);
  EXPECT_DOUBLE_EQ(m.b_in_a, 1.0);
  ASSERT_EQ(m.passages.size(), 1u);
  EXPECT_DOUBLE_EQ(m.passages[0].similarity, 1.0);
  EXPECT_EQ(m.passages[0].a_start, 0u);
  EXPECT_EQ(m.passages[0].a_end, a.text.size() - 1);  // up to the last word, not the full stop
  EXPECT_EQ(m.shared_spans, 4u);
}

TEST(IntersectionSize, CountsTheSharedHashesOfTwoSortedSets) {
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 200; ++trial) {
    // Small universes share many hashes, large ones few; either list may run out first.
    const uint64_t universe = trial % 2 == 0 ? 50 : uint64_t{1} << 40;
    std::set<uint64_t> a_set, b_set;
    const size_t a_size = rng() % 40;
    const size_t b_size = rng() % 40;
    while (a_set.size() < a_size) a_set.insert(rng() % universe);
    while (b_set.size() < b_size) b_set.insert(rng() % universe);
    const std::vector<uint64_t> a(a_set.begin(), a_set.end());
    const std::vector<uint64_t> b(b_set.begin(), b_set.end());
    std::vector<uint64_t> shared;
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(shared));
    ASSERT_EQ(IntersectionSize(a, b), shared.size()) << "trial " << trial;
    ASSERT_EQ(IntersectionSize(b, a), shared.size()) << "trial " << trial;
  }
}

// Lists of eight hashes or more are compared eight against eight where the processor can:
// long lists, blocks that end on the same hash, a list inside the other, and lists that share
// everything or nothing give what a plain merge gives.
TEST(IntersectionSize, CountsLongListsAsAPlainMergeDoes) {
  std::mt19937_64 rng(11);
  auto check = [](const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
    std::vector<uint64_t> shared;
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(shared));
    EXPECT_EQ(IntersectionSize(a, b), shared.size());
    EXPECT_EQ(IntersectionSize(b, a), shared.size());
  };
  for (int trial = 0; trial < 300; ++trial) {
    const uint64_t universe = trial % 3 == 0 ? 64 : trial % 3 == 1 ? 700 : uint64_t{1} << 40;
    std::set<uint64_t> a_set, b_set;
    const size_t a_size = 8 + rng() % 300;
    const size_t b_size = 8 + rng() % 300;
    while (a_set.size() < std::min<uint64_t>(a_size, universe / 2)) a_set.insert(rng() % universe);
    while (b_set.size() < std::min<uint64_t>(b_size, universe / 2)) b_set.insert(rng() % universe);
    SCOPED_TRACE(testing::Message() << "trial " << trial);
    check({a_set.begin(), a_set.end()}, {b_set.begin(), b_set.end()});
  }
  std::vector<uint64_t> all(64), evens, odds;
  for (uint64_t k = 0; k < all.size(); ++k) {
    all[k] = k * 1000;
    (k % 2 == 0 ? evens : odds).push_back(k * 1000);
  }
  const std::vector<uint64_t> first_half(all.begin(), all.begin() + 32);
  check(all, all);                      // every block pair ends on the same hash
  check(all, evens);                    // one list inside the other
  check(evens, odds);                   // nothing shared, blocks interleaved
  check(first_half, all);               // one list ends first
  std::vector<uint64_t> shifted = all;  // blocks that straddle each other's
  shifted.erase(shifted.begin(), shifted.begin() + 3);
  check(all, shifted);
  EXPECT_EQ(IntersectionSize(all, all), all.size());
  EXPECT_EQ(IntersectionSize(evens, odds), 0u);
}

TEST(BothContainments, AreTheTwoOneWayContainments) {
  const std::vector<uint64_t> a = {1, 2, 3, 4};
  const std::vector<uint64_t> b = {2, 4, 6};
  const Containments c = BothContainments(a, b);
  EXPECT_EQ(c.a_in_b, 0.5);
  EXPECT_EQ(c.b_in_a, 2.0 / 3.0);
  EXPECT_EQ(c.a_in_b, Containment(a, b));
  EXPECT_EQ(c.b_in_a, Containment(b, a));
  const Containments empty = BothContainments({}, b);
  EXPECT_EQ(empty.a_in_b, 0.0);
  EXPECT_EQ(empty.b_in_a, 0.0);
}

TEST(MeasureReuse, ContainmentIsAsymmetricForACopyWithANewFirstParagraph) {
  const Doc a = Make(kStory);
  std::vector<std::string> longer = {
      "In a statement released late on Wednesday evening the opposition demanded that the "
      "finance minister appear before parliament to explain the failures of oversight."};
  longer.insert(longer.end(), kStory.begin(), kStory.end());
  const Doc b = Make(longer);
  const ReuseMeasure m = MeasureReuse(a.phrases, b.phrases);
  EXPECT_DOUBLE_EQ(m.a_in_b, 1.0);
  EXPECT_LT(m.b_in_a, 0.9);
  EXPECT_GT(m.b_in_a, 0.6);
  ASSERT_EQ(m.passages.size(), 1u);
  // The passage starts in b where the copied text starts: after the new paragraph.
  EXPECT_EQ(Cut(b.text, m.passages[0].b_start, m.passages[0].b_start + 12), "The ministry");
  EXPECT_EQ(m.passages[0].a_start, 0u);
}

TEST(MeasureReuse, SmallEditsStayInsideOnePassage) {
  const Doc a = Make(kStory);
  std::vector<std::string> edited = kStory;
  edited[1].replace(edited[1].find("refused"), 7, "declined");  // a replaced word
  edited[2].replace(edited[2].find("three "), 6, "");           // a dropped word
  edited[3].insert(edited[3].find("every"), "nearly ");         // an inserted word
  const Doc b = Make(edited);
  const ReuseMeasure m = MeasureReuse(a.phrases, b.phrases);
  ASSERT_EQ(m.passages.size(), 1u);
  EXPECT_LT(m.passages[0].similarity, 1.0);
  EXPECT_GT(m.passages[0].similarity, 0.8);
  EXPECT_EQ(m.passages[0].a_start, 0u);
  EXPECT_EQ(m.passages[0].b_end, b.text.size() - 1);
  EXPECT_LT(m.a_in_b, 1.0);
}

TEST(MeasureReuse, ReorderedParagraphsKeepEveryPassage) {
  const Doc a = Make(kStory);
  const Doc b = Make({kStory[2], kStory[3], kStory[0], kStory[1]});
  const ReuseMeasure m = MeasureReuse(a.phrases, b.phrases);
  EXPECT_DOUBLE_EQ(m.a_in_b, 1.0);
  // Paragraphs 0-1 and 2-3 each stay together in b, so two passages cover all of a.
  ASSERT_EQ(m.passages.size(), 2u);
  for (const Passage& p : m.passages) {
    EXPECT_EQ(Cut(a.text, p.a_start, p.a_end), Cut(b.text, p.b_start, p.b_end));
    EXPECT_DOUBLE_EQ(p.similarity, 1.0);
  }
  EXPECT_EQ(m.passages[0].a_start, 0u);
  EXPECT_EQ(m.passages[1].b_start, 0u);
}

TEST(MeasureReuse, OneSharedSentenceIsAShortPassageAndLowContainment) {
  const Doc a = Make(kStory);
  const Doc b =
      Make({"Markets fell sharply after the announcement and analysts warned of more "
            "volatility in the coming weeks as investors weighed the damage.",
            kStory[2],
            "Several smaller platforms reported a surge in new accounts from customers "
            "leaving the exchange, according to figures shared with journalists."});
  const ReuseMeasure m = MeasureReuse(a.phrases, b.phrases);
  ASSERT_EQ(m.passages.size(), 1u);
  EXPECT_EQ(Cut(b.text, m.passages[0].b_start, m.passages[0].b_end),
            Cut(a.text, m.passages[0].a_start, m.passages[0].a_end));
  EXPECT_LT(m.a_in_b, 0.3);
  EXPECT_EQ(m.shared_spans, 1u);
}

TEST(MeasureReuse, UnrelatedDocumentsShareNoPassage) {
  const Doc a = Make(kStory);
  const Doc b =
      Make({"The national football team won its qualifying match on Saturday night "
            "with two late goals from the captain in front of a sold out stadium."});
  const ReuseMeasure m = MeasureReuse(a.phrases, b.phrases);
  EXPECT_TRUE(m.passages.empty());
  EXPECT_EQ(m.shared_spans, 0u);
}

TEST(MeasureReuse, ArabicTextWithDiacriticsAndPrefixesAligns) {
  const Doc a =
      Make({"قالت وزارة الخارجية إن المتسللين وصلوا إلى خوادم البورصة ونسخوا سجلات "
            "مئات الآلاف من العملاء قبل اكتشاف الاختراق."});
  const Doc b =
      Make({"وقالت وزارةُ الخارجية إنّ المتسللين وصلوا إلى خوادم البورصة ونسخوا سجلات "
            "مئات الآلاف من العملاء قبل اكتشاف الاختراق."});
  const ReuseMeasure m = MeasureReuse(a.phrases, b.phrases);
  ASSERT_EQ(m.passages.size(), 1u);
  EXPECT_DOUBLE_EQ(m.a_in_b, 1.0);
  // Offsets are in the original bytes: b's passage covers its diacritics.
  EXPECT_EQ(m.passages[0].b_start, 0u);
  EXPECT_EQ(m.passages[0].b_end, b.text.size() - 1);
}

TEST(ReuseCandidates, LshFindsNearCopiesLikeTheExactIndex) {
  std::vector<DocumentPhrases> docs;
  docs.push_back(Make(kStory).phrases);
  std::vector<std::string> edited = kStory;
  edited[0].replace(edited[0].find("Tuesday"), 7, "Monday");
  docs.push_back(Make(edited).phrases);
  docs.push_back(Make({"The national football team won its qualifying match on Saturday night "
                       "with two late goals from the captain in front of a sold out stadium."})
                     .phrases);
  docs.push_back(Make({kStory[1], kStory[3], kStory[0]}).phrases);
  ReuseCandidateOptions exact;
  ReuseCandidateOptions lsh;
  lsh.force_lsh = true;
  const auto e = ReuseCandidates(docs, exact);
  const auto l = ReuseCandidates(docs, lsh, 2);
  const std::vector<std::pair<uint32_t, uint32_t>> want = {{0, 1}, {0, 3}, {1, 3}};
  EXPECT_EQ(e, want);
  EXPECT_EQ(l, want);
}

TEST(DocumentBandKeys, StableAndOrderIndependent) {
  const std::vector<uint64_t> set = {1, 5, 9, 1234567890123ULL};
  ReuseCandidateOptions options;
  const std::vector<uint64_t> k1 = DocumentBandKeys(set, options);
  ASSERT_EQ(k1.size(), static_cast<size_t>(options.bands));
  EXPECT_EQ(k1, DocumentBandKeys(set, options));
  EXPECT_NE(k1, DocumentBandKeys({1, 5, 9}, options));
  EXPECT_TRUE(DocumentBandKeys({}, options).empty());
}

}  // namespace
}  // namespace claimdiff
