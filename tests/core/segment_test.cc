#include "core/segment.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace claimdiff {
namespace {

Document TextDoc(std::string text) {
  Document d;
  d.id = "t";
  d.source = "t.txt";
  d.text = std::move(text);
  return d;
}

std::vector<std::string> Texts(const Document& d, const std::vector<Span>& spans) {
  std::vector<std::string> out;
  for (const Span& s : spans) out.emplace_back(SpanText(d, s));
  return out;
}

const Segmenter& Seg() {
  static const Segmenter seg = *Segmenter::Create();
  return seg;
}

void ExpectWellFormed(const Document& d, const std::vector<Span>& spans) {
  uint32_t prev_end = 0;
  for (size_t i = 0; i < spans.size(); ++i) {
    const Span& s = spans[i];
    EXPECT_EQ(s.index, i);
    EXPECT_LT(s.begin, s.end);
    EXPECT_LE(s.end, d.text.size());
    EXPECT_GE(s.begin, prev_end) << "spans overlap or are out of order";
    prev_end = s.end;
    const std::string_view t = SpanText(d, s);
    EXPECT_NE(t.front(), ' ');
    EXPECT_NE(t.back(), ' ');
  }
}

TEST(Segmenter, TitleHeadingsAndSentences) {
  const Document d = TextDoc(
      "رئيسي أخبار\n\nكندا تتهم الصين بالهجوم على خوادم مايكروسوفت\n19 يوليو 2021\n"
      "ألقت الحكومة الكندية اللوم على الصين. وقال الوزير إن الهجوم خطير جدا.\n");
  const std::vector<Span> spans = Seg().Segment(d, 0);
  ExpectWellFormed(d, spans);
  EXPECT_THAT(Texts(d, spans),
              testing::ElementsAre("رئيسي أخبار", "كندا تتهم الصين بالهجوم على خوادم مايكروسوفت",
                                   "19 يوليو 2021", "ألقت الحكومة الكندية اللوم على الصين.",
                                   "وقال الوزير إن الهجوم خطير جدا."));
  EXPECT_TRUE(spans[0].boilerplate);  // a breadcrumb before the headline
  EXPECT_EQ(spans[1].kind, SpanKind::kTitle);
  EXPECT_EQ(spans[2].kind, SpanKind::kDateline);
  EXPECT_EQ(spans[3].kind, SpanKind::kSentence);
}

TEST(Segmenter, SpacedLatinCommaSeparatesArabicSentences) {
  const Document d = TextDoc(
      "عنوان الخبر الرئيسي هنا\n"
      "ألقت الحكومة الكندية اللوم على الصين في الهجوم الكبير , وفي بيان مشترك قال الوزير إن "
      "كندا واثقة , وتقول الوكالة إن الخطر مستمر");
  const std::vector<Span> spans = Seg().Segment(d, 0);
  ExpectWellFormed(d, spans);
  ASSERT_EQ(spans.size(), 4u);
  EXPECT_EQ(SpanText(d, spans[1]), "ألقت الحكومة الكندية اللوم على الصين في الهجوم الكبير ,");
  EXPECT_EQ(SpanText(d, spans[2]), "وفي بيان مشترك قال الوزير إن كندا واثقة ,");
  EXPECT_EQ(SpanText(d, spans[3]), "وتقول الوكالة إن الخطر مستمر");
}

TEST(Segmenter, ArabicCommaAndUnspacedCommaDoNotSplitShortSentences) {
  const Document d = TextDoc("عنوان الخبر الرئيسي هنا\nقال الوزير ، في بيان، إن 1,000 خادم تأثرت.");
  const std::vector<Span> spans = Seg().Segment(d, 0);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(SpanText(d, spans[1]), "قال الوزير ، في بيان، إن 1,000 خادم تأثرت.");
}

TEST(Segmenter, QuotationsStayWhole) {
  const std::string quote = "\"هذا أمر خطير. يجب أن يتوقف فورا. لن نقبل ذلك.\"";
  const Document d =
      TextDoc("عنوان الخبر الرئيسي هنا\nقال الوزير: " + quote + " ثم غادر القاعة بعد المؤتمر.");
  const std::vector<Span> spans = Seg().Segment(d, 0);
  ExpectWellFormed(d, spans);
  const size_t qb = d.text.find(quote);
  const size_t qe = qb + quote.size();
  for (const Span& s : spans) {
    EXPECT_FALSE(s.begin > qb && s.begin < qe) << "a span starts inside the quotation";
    EXPECT_FALSE(s.end > qb && s.end < qe) << "a span ends inside the quotation";
  }
}

TEST(Segmenter, GuillemetQuotationsStayWholeToo) {
  const Document d = TextDoc(
      "عنوان الخبر الرئيسي هنا\nوأضاف «الوضع صعب. لكننا سنواصل العمل. هذا وعد.» وانتهى المؤتمر.");
  const std::vector<Span> spans = Seg().Segment(d, 0);
  ExpectWellFormed(d, spans);
  EXPECT_THAT(
      Texts(d, spans),
      testing::ElementsAre("عنوان الخبر الرئيسي هنا",
                           "وأضاف «الوضع صعب. لكننا سنواصل العمل. هذا وعد.»", "وانتهى المؤتمر."));
}

TEST(Segmenter, LongSentencesBecomeClausesWithoutCuttingQuotes) {
  const Document d = TextDoc(
      "عنوان الخبر الرئيسي هنا\n"
      "أعلنت وزارة العدل الأمريكية عن توجيه اتهامات لأربعة مواطنين صينيين في حملة قرصنة واسعة، "
      "وقال المدعون إن الحملة استهدفت العشرات من أنظمة الكمبيوتر في الشركات والجامعات، "
      "فيما قال المتحدث \"لن نعلق، ولن نضيف، على هذه الاتهامات الباطلة\" قبل أن يغادر المؤتمر.");
  const std::vector<Span> spans = Seg().Segment(d, 0);
  ExpectWellFormed(d, spans);
  ASSERT_EQ(spans.size(), 4u);
  for (size_t i = 1; i < spans.size(); ++i) EXPECT_EQ(spans[i].kind, SpanKind::kClause);
  EXPECT_THAT(std::string(SpanText(d, spans[3])),
              testing::HasSubstr("\"لن نعلق، ولن نضيف، على هذه الاتهامات الباطلة\""));
}

TEST(Segmenter, JsonLinesTitleIsMatchedNotGuessed) {
  Document d;
  d.id = "j";
  d.line = 1;
  d.title = "عنوان من الحقل";
  d.text = "عنوان من الحقل\nجملة أولى في النص هنا. جملة ثانية في النص هنا.";
  const std::vector<Span> spans = Seg().Segment(d, 3);
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans[0].kind, SpanKind::kTitle);
  EXPECT_EQ(spans[0].doc, 3u);
  d.title = "عنوان آخر";
  for (const Span& s : Seg().Segment(d, 0)) EXPECT_NE(s.kind, SpanKind::kTitle);
}

TEST(Segmenter, CrLfAndBlankDocumentsAreHandled) {
  const Document d = TextDoc("عنوان الخبر الرئيسي هنا\r\n\r\nجملة أولى في النص هنا.\r\n");
  const std::vector<Span> spans = Seg().Segment(d, 0);
  ExpectWellFormed(d, spans);
  EXPECT_EQ(spans.size(), 2u);
  EXPECT_TRUE(Seg().Segment(TextDoc("  \n\n "), 0).empty());
}

// Regression (bad-input suite): a whole article on one line became its headline, one span of
// megabytes whose figures were then paired in quadratic time. A line longer than
// max_title_words is running text.
TEST(Segmenter, AnArticleOnOneLineIsNotAHeadline) {
  Document d;
  d.id = "one-line";
  for (int i = 0; i < 40; ++i) d.text += "قال الوزير إن الهجوم أثر على 250 ألف خادم في 120 دولة. ";
  const std::vector<Span> spans = Seg().Segment(d, 0);
  ExpectWellFormed(d, spans);
  ASSERT_EQ(spans.size(), 40u);
  for (const Span& s : spans) EXPECT_EQ(s.kind, SpanKind::kSentence);
}

}  // namespace
}  // namespace claimdiff
