#include "core/facts.h"

#include <string>
#include <vector>

#include "core/parallel.h"
#include "gtest/gtest.h"

namespace claimdiff {
namespace {

struct Fixture {
  Normalizer normalizer = *Normalizer::Create();
  FactExtractor extractor{normalizer};
  Document doc;

  SpanFacts Extract(const std::string& text, const SpanFacts* previous = nullptr) {
    doc.text = "xx " + text;  // spans start inside documents
    Span s;
    s.begin = 3;
    s.end = static_cast<uint32_t>(doc.text.size());
    return extractor.Extract(doc, s, previous);
  }
  std::string Text(uint32_t b, uint32_t e) const { return doc.text.substr(b, e - b); }
};

TEST(FactExtractor, NumbersPointAtTheOriginalBytes) {
  Fixture f;
  const SpanFacts facts = f.Extract("استغلال ما يقدر بنحو ٢٥٠ ألف خادمٍ و8٪ من الشركات");
  ASSERT_EQ(facts.numbers.size(), 2u);
  EXPECT_EQ(f.Text(facts.numbers[0].begin, facts.numbers[0].end), "٢٥٠ ألف");
  EXPECT_EQ(facts.numbers[0].mention.low, 250000);
  EXPECT_EQ(facts.numbers[0].mention.qualifier, Qualifier::kAbout);
  EXPECT_EQ(facts.numbers[0].mention.unit, "خادم");
  EXPECT_EQ(f.Text(facts.numbers[1].begin, facts.numbers[1].end), "8٪");
  EXPECT_EQ(facts.numbers[1].mention.kind, NumberKind::kPercent);
}

TEST(FactExtractor, QuoteWithSpeechVerbSpeaker) {
  Fixture f;
  const SpanFacts facts =
      f.Extract("وقال وزير الخارجية دومينيك راب: \"يجب على الحكومة إنهاء هذا التخريب\".");
  ASSERT_EQ(facts.quotes.size(), 1u);
  EXPECT_EQ(f.Text(facts.quotes[0].begin, facts.quotes[0].end),
            "يجب على الحكومة إنهاء هذا التخريب");
  EXPECT_EQ(facts.quotes[0].speaker, "وزير الخارجية دومينيك راب");
}

TEST(FactExtractor, CallingOnSomeoneNamesTheCallerNotTheObject) {
  Fixture f;
  const SpanFacts facts =
      f.Extract("دعا دومينيك راب بكين إلى “إنهاء هذا التخريب السيبراني المنهجي” فورا");
  ASSERT_EQ(facts.quotes.size(), 1u);
  EXPECT_EQ(facts.quotes[0].speaker, "دومينيك راب");
}

TEST(FactExtractor, BrokenPairsAndMissingClose) {
  Fixture f;
  // A closing mark used to open, and a quote never closed.
  const SpanFacts facts =
      f.Extract("وأضاف توم توجندهات ”يجب أن نشعر بالقلق الشديد“ ثم قال “هذا دليل مروع على الحقيقة");
  ASSERT_EQ(facts.quotes.size(), 2u);
  EXPECT_EQ(f.Text(facts.quotes[0].begin, facts.quotes[0].end), "يجب أن نشعر بالقلق الشديد");
  EXPECT_EQ(f.Text(facts.quotes[1].begin, facts.quotes[1].end), "هذا دليل مروع على الحقيقة");
  EXPECT_EQ(facts.quotes[0].speaker, "توم توجندهات");
}

TEST(FactExtractor, ShortQuotedNamesAreNotQuotations) {
  Fixture f;
  EXPECT_TRUE(f.Extract("هجوم على خوادم “مايكروسوفت” وحلف “ناتو ” أمس").quotes.empty());
}

TEST(FactExtractor, SpeakerAfterTheQuoteAndInherited) {
  Fixture f;
  const SpanFacts a = f.Extract("«الهجمات مستمرة في عدة دول» وفقا لمايكروسوفت");
  ASSERT_EQ(a.quotes.size(), 1u);
  EXPECT_EQ(a.quotes[0].speaker, "لمايكروسوفت");
  const SpanFacts b = f.Extract("\"The attacks will continue for weeks,\" said John Smith.");
  ASSERT_EQ(b.quotes.size(), 1u);
  EXPECT_EQ(b.quotes[0].speaker, "John Smith");
  // A quotation that continues in the next sentence keeps its speaker.
  const SpanFacts c = f.Extract("\"يجب على الحكومة الصينية إنهاء هذا التخريب.\"", &a);
  ASSERT_EQ(c.quotes.size(), 1u);
  EXPECT_EQ(c.quotes[0].speaker, "لمايكروسوفت");
}

TEST(FactExtractor, NegationCues) {
  Fixture f;
  EXPECT_EQ(f.Extract("ونفى المتحدث هذه المزاعم").negations.size(), 1u);
  EXPECT_EQ(f.Extract("لم يتم تحديد المزيد من العقوبات").negations.size(), 1u);
  EXPECT_EQ(f.Extract("The ministry did not confirm it").negations.size(), 1u);
  EXPECT_EQ(f.Extract("The ministry didn't confirm it").negations.size(), 1u);
  EXPECT_TRUE(f.Extract("أكد المتحدث هذه المزاعم").negations.empty());
  EXPECT_TRUE(f.Extract("السعودية لا تزال تعتقل تسعة أشخاص").negations.empty());
}

// The content words' stems handed in (as `compare` does) give the facts Extract finds alone:
// cues as written, with prefixes and suffixes, numbers whose text ends like a plural.
TEST(FactExtractor, GivenContentWordStemsGiveTheSameFacts) {
  Fixture f;
  const std::vector<std::string> texts = {
      "ارتفعت الأسعار بنسبة 5% ولم تتراجع الصادرات",
      "والانخفاضات في الأسواق لا تزال مستمرة، ونفت الوزارة ذلك",
      "Sales rose in the 1990s but never fell below 250 units, officials denied",
      "قال الوزير: \"لن نتراجع\" وأكد ارتفاع الطلب", "غير أن التراجعات والزيادات 3 مرات"};
  for (const std::string& text : texts) {
    SCOPED_TRACE(text);
    f.doc.text = "xx " + text;
    Span s;
    s.begin = 3;
    s.end = static_cast<uint32_t>(f.doc.text.size());
    const NormalizedText norm = f.normalizer.Normalize(SpanText(f.doc, s));
    const std::vector<Token> tokens = Tokenize(norm.text);
    const std::vector<NumberMention> numbers = FindNumbers(norm.text, tokens);
    const ContentWordForms words = ContentWordFormsOf(norm.text, tokens);
    const SpanFacts alone = f.extractor.Extract(f.doc, s, nullptr, norm, tokens, numbers);
    const SpanFacts given = f.extractor.Extract(f.doc, s, nullptr, norm, tokens, numbers, &words);
    EXPECT_EQ(given.negations, alone.negations);
    EXPECT_EQ(given.direction, alone.direction);
    EXPECT_EQ(given.direction_cue, alone.direction_cue);
    EXPECT_EQ(given.numbers.size(), alone.numbers.size());
    EXPECT_EQ(given.quotes.size(), alone.quotes.size());
  }
}

TEST(SameSpeaker, SharedNameWords) {
  const Normalizer n = *Normalizer::Create();
  EXPECT_TRUE(SameSpeaker(n, "وزير الخارجية دومينيك راب", "دومينيك راب"));
  EXPECT_TRUE(SameSpeaker(n, "", "دومينيك راب"));
  EXPECT_FALSE(SameSpeaker(n, "دومينيك راب", "جوزيب بوريل"));
}

}  // namespace
}  // namespace claimdiff

namespace claimdiff {
namespace {

// Facts set from several threads, a span each: every span reads back its own, a span without
// facts reads empty ones, a reference Set gives stays in place while others are added, and
// resize keeps what was set.
TEST(SpanFactsTable, HoldsTheFactsOfSpansThatHaveSome) {
  constexpr size_t kSpans = 20000;
  SpanFactsTable table(kSpans);
  auto facts_of = [](size_t i) {
    SpanFacts f;
    if (i % 3 == 0) f.negations.push_back("لم" + std::to_string(i));
    if (i % 7 == 0) f.direction = 1;
    return f;
  };
  std::vector<const SpanFacts*> held(kSpans, nullptr);
  ParallelFor(kSpans, 4, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) held[i] = &table.Set(i, facts_of(i));
  });
  table.resize(kSpans + 5);
  ASSERT_EQ(table.size(), kSpans + 5);
  for (size_t i = 0; i < kSpans; ++i) {
    const SpanFacts want = facts_of(i);
    ASSERT_EQ(table[i].negations, want.negations) << i;
    ASSERT_EQ(table[i].direction, want.direction) << i;
    ASSERT_EQ(&table[i], held[i]) << i;
    ASSERT_EQ(HasFacts(table[i]), i % 3 == 0 || i % 7 == 0) << i;
  }
  EXPECT_FALSE(HasFacts(table[kSpans + 4]));
  const SpanFactsTable copy = table;
  EXPECT_EQ(copy[3].negations, table[3].negations);
  EXPECT_NE(&copy[3], &table[3]);
}

}  // namespace
}  // namespace claimdiff
