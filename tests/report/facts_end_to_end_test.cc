// Facts and verdicts on the fixtures (fixtures/exchange-hack), and on small made-up articles
// that isolate each kind of conflict.
#include <memory>
#include <string>
#include <vector>

#include "core/ingest.h"
#include "gtest/gtest.h"
#include "report/pairs.h"
#include "report/report.h"
#include "tests/report/fixture_report.h"

namespace claimdiff {
namespace {

const std::string kFixtures = std::string(CLAIMDIFF_SOURCE_DIR) + "/fixtures/exchange-hack";

class ExchangeHackFacts : public testing::Test {
 protected:
  static const Report& report() { return testing_util::FixtureReport(); }
  static uint32_t SpanWith(const std::string& doc_prefix, const std::string& needle) {
    return testing_util::SpanWith(report(), doc_prefix, needle);
  }
  // The number of span `i` whose printed text contains `needle`.
  static const NumberMention* NumberWith(uint32_t i, const std::string& needle) {
    const Document& d = report().documents[report().spans[i].doc];
    for (const NumberFact& n : report().facts[i].numbers) {
      if (d.text.substr(n.begin, n.end - n.begin).find(needle) != std::string::npos) {
        return &n.mention;
      }
    }
    ADD_FAILURE() << "no number " << needle << " in span " << i;
    return nullptr;
  }
};

TEST_F(ExchangeHackFacts, EveryQuarterMillionMentionIsOneAgreeingClaim) {
  const std::vector<std::pair<uint32_t, std::string>> mentions = {
      {SpanWith("002", "250 ألف خادم"), "250 ألف"},
      {SpanWith("003", "الهجوم أثر على أكثر من ربع مليون خادم"), "ربع مليون"},
      {SpanWith("003", "مما أثر على أكثر من ربع مليون خادم"), "ربع مليون"},
      {SpanWith("004", "أكثر من ربع مليون من الخوادم"), "ربع مليون"}};
  const int32_t cluster = report().cluster_of[mentions[0].first];
  ASSERT_GE(cluster, 0);
  for (const auto& [span, figure] : mentions) {
    EXPECT_EQ(report().cluster_of[span], cluster) << figure;
    const NumberMention* n = NumberWith(span, figure);
    ASSERT_NE(n, nullptr);
    EXPECT_EQ(n->low, 250000);
    EXPECT_EQ(n->high, 250000);
    EXPECT_EQ(n->kind, NumberKind::kCount);
  }
  EXPECT_EQ(report().clusters[static_cast<size_t>(cluster)].verdict, Verdict::kAgree);
}

TEST_F(ExchangeHackFacts, CountsPercentsAndYears) {
  EXPECT_EQ(NumberWith(SpanWith("000", "لأربعة مواطنين صينيين"), "لأربعة")->low, 4);
  EXPECT_EQ(NumberWith(SpanWith("001", "أربعة صينيين"), "أربعة")->low, 4);
  const NumberMention* percent = NumberWith(SpanWith("002", "8٪"), "8٪");
  EXPECT_EQ(percent->low, 8);
  EXPECT_EQ(percent->kind, NumberKind::kPercent);
  const uint32_t years = SpanWith("000", "2017 و 2018");
  EXPECT_EQ(NumberWith(years, "2017")->kind, NumberKind::kYear);
  EXPECT_EQ(NumberWith(years, "2018")->kind, NumberKind::kYear);
}

TEST_F(ExchangeHackFacts, ScaleOfTheHackConflictIsReported) {
  const uint32_t a = SpanWith("001", "عشرات الآلاف من أجهزة الكمبيوتر");
  const uint32_t b = SpanWith("002", "250 ألف خادم");
  bool found = false;
  for (const Conflict& c : report().conflicts) {
    found |= c.kind == ConflictKind::kNumber && c.spans == std::vector<uint32_t>{a, b};
  }
  EXPECT_TRUE(found);
}

TEST_F(ExchangeHackFacts, RaabQuotesCarryTheSpeaker) {
  for (const auto& [doc, text] : std::vector<std::pair<std::string, std::string>>{
           {"002", "إنهاء هذا التخريب السيبراني المنهجي"},
           {"003", "إنهاء هذا التخريب الإلكتروني المنهجي"}}) {
    const uint32_t s = SpanWith(doc, text);
    ASSERT_FALSE(report().facts[s].quotes.empty()) << doc;
    bool raab = false;
    for (const QuoteFact& q : report().facts[s].quotes) {
      raab |= q.speaker.find("راب") != std::string::npos;
    }
    EXPECT_TRUE(raab) << doc;
  }
}

// Two made-up articles, each a headline and one sentence.
Report Build(const std::string& a, const std::string& b) {
  std::vector<Document> docs(2);
  docs[0].id = "a";
  docs[0].text = "عنوان أول للخبر هنا\n" + a;
  docs[1].id = "b";
  docs[1].text = "عنوان ثان مختلف تماما\n" + b;
  return *BuildReport(std::move(docs));
}

const Cluster* ClusterOfSentence(const Report& r) {
  const int32_t c = r.cluster_of[1];  // the first document's sentence
  return c < 0 ? nullptr : &r.clusters[static_cast<size_t>(c)];
}

TEST(Verdicts, NumberConflict) {
  const Report r = Build("قتل 30 شخصا في الهجوم على السوق المركزي في مدينة حلب أمس.",
                         "قتل 45 شخصا في الهجوم على السوق المركزي في مدينة حلب أمس.");
  const Cluster* c = ClusterOfSentence(r);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->verdict, Verdict::kConflict);
  ASSERT_EQ(c->conflicts.size(), 1u);
  EXPECT_EQ(c->conflicts[0].kind, ConflictKind::kNumber);
  EXPECT_NE(c->conflicts[0].detail.find("“30”"), std::string::npos);
}

TEST(Verdicts, QualifiedFiguresThatOverlapAgree) {
  const Report r =
      Build("استغل القراصنة نحو 250 ألف خادم حول العالم في وقت سابق من هذا العام.",
            "استغل القراصنة أكثر من ربع مليون خادم حول العالم في وقت سابق من هذا العام.");
  const Cluster* c = ClusterOfSentence(r);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->verdict, Verdict::kAgree);
}

TEST(Verdicts, NegationConflict) {
  const Report r = Build("الحكومة توافق على الخطة الجديدة لدعم الاقتصاد المحلي هذا العام.",
                         "الحكومة لا توافق على الخطة الجديدة لدعم الاقتصاد المحلي هذا العام.");
  const Cluster* c = ClusterOfSentence(r);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->verdict, Verdict::kConflict);
  ASSERT_FALSE(c->conflicts.empty());
  EXPECT_EQ(c->conflicts[0].kind, ConflictKind::kNegation);
}

TEST(Verdicts, SpeakerConflict) {
  const Report r = Build(
      "وقال وزير الخارجية أحمد علي: \"سنواصل دعم الخطة الاقتصادية الجديدة حتى نهاية العام\".",
      "وقال رئيس البرلمان محمود سعيد: \"سنواصل دعم الخطة الاقتصادية الجديدة حتى نهاية العام\".");
  const Cluster* c = ClusterOfSentence(r);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->verdict, Verdict::kConflict);
  ASSERT_FALSE(c->conflicts.empty());
  EXPECT_EQ(c->conflicts[0].kind, ConflictKind::kSpeaker);
}

TEST(Verdicts, RestatementAgrees) {
  const Report r = Build("أعلنت الشركة عن أرباح قياسية في الربع الأخير من العام الماضي.",
                         "الشركة أعلنت تحقيق أرباح قياسية خلال الربع الأخير من العام الماضي.");
  const Cluster* c = ClusterOfSentence(r);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->verdict, Verdict::kAgree);
  EXPECT_TRUE(c->conflicts.empty());
}

TEST(Pairs, JudgesEachPairWithTheComparePipeline) {
  const std::vector<PairInput> in = {
      {"same", "الهجوم أثر على أكثر من ربع مليون خادم حول العالم",
       "أثر الهجوم على 250 ألف خادم في العالم", 1},
      {"figures", "قتل 30 شخصا في الهجوم على السوق", "قتل 45 شخصا في الهجوم على السوق", 2},
      {"negated", "الحكومة توافق على الخطة الجديدة للاقتصاد",
       "الحكومة لم توافق على الخطة الجديدة للاقتصاد", 3},
      {"unrelated", "ارتفاع أسعار النفط اليوم", "فوز الفريق بالبطولة", 4},
      {"subject", "من المتوقع أن تحذو دول أخرى حذوها", "من المتوقع أن تحذو الولايات المتحدة حذوها",
       5}};
  const std::vector<PairJudgment> out = *JudgePairs(in);
  ASSERT_EQ(out.size(), in.size());
  EXPECT_EQ(out[0].verdict, "agree");
  EXPECT_TRUE(out[0].same_claim);
  EXPECT_EQ(out[1].verdict, "conflict");
  EXPECT_EQ(out[1].conflicts[0].kind, ConflictKind::kNumber);
  EXPECT_EQ(out[2].verdict, "conflict");
  EXPECT_EQ(out[2].conflicts[0].kind, ConflictKind::kNegation);
  EXPECT_EQ(out[3].verdict, "different");
  EXPECT_FALSE(out[3].same_claim);
  EXPECT_FALSE(out[4].same_claim);  // the substitution veto, as in compare
  EXPECT_EQ(RenderPairJson(out[3]),
            "{\"id\":\"unrelated\",\"similarity\":0.0,\"same_claim\":false,\"verdict\":"
            "\"different\",\"conflicts\":[]}\n");
}

TEST(Pairs, ParseReportsBadLinesAndKeepsTheRest) {
  std::vector<PairInput> pairs;
  std::vector<InputError> errors;
  ParsePairs("p.jsonl",
             "{\"id\":\"1\",\"a\":\"x\",\"b\":\"y\"}\n{\"id\":\"2\",\"a\":\"x\"}\nnot json\n"
             "{\"id\":3,\"a\":\"x\",\"b\":\"y\"}\n",
             &pairs, &errors);
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(pairs[1].id, "3");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(FormatInputError(errors[0]), "p.jsonl:2: missing required field \"b\"");
  EXPECT_EQ(errors[1].line, 3);
}

}  // namespace
}  // namespace claimdiff

namespace claimdiff {
namespace {

TEST(Verdicts, DirectionConflict) {
  std::vector<Document> docs(2);
  docs[0].id = "a";
  docs[0].text = "عنوان أول للخبر هنا\nارتفاع أسعار الذهب في التعاملات المبكرة اليوم في الأسواق.";
  docs[1].id = "b";
  docs[1].text = "عنوان ثان مختلف تماما\nتراجع أسعار الذهب في التعاملات المبكرة اليوم في الأسواق.";
  const Report r = *BuildReport(std::move(docs));
  ASSERT_GE(r.cluster_of[1], 0);
  const Cluster& c = r.clusters[static_cast<size_t>(r.cluster_of[1])];
  EXPECT_EQ(c.verdict, Verdict::kConflict);
  ASSERT_FALSE(c.conflicts.empty());
  EXPECT_EQ(c.conflicts[0].kind, ConflictKind::kDirection);
}

}  // namespace
}  // namespace claimdiff
