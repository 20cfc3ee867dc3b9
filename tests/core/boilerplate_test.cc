#include "core/boilerplate.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace claimdiff {
namespace {

TEST(LooksLikeFurniture, KindsOfPageFurniture) {
  const Normalizer n = *Normalizer::Create();
  const char* furniture[] = {"{{ reviewsTotal }}{{ options.labels.singularReviewCountLabel }}",
                             "{% block ad %}",
                             "${user.name}",
                             "+ الخط -",
                             "A+ A-",
                             "شاركها ...",
                             "Scroll to Top",
                             "مقالات ذات صلة",
                             "زر الذهاب إلى الأعلى",
                             "الأكثر مشاهدة",
                             "اقرأ أيضاً",
                             "Share on Facebook",
                             "Related articles",
                             "بقلم: محمد علي",
                             "المساهمون",
                             "تكنولوجيا",
                             "التحديثات الحية",
                             "اشترك في النشرة البريدية",
                             "طباعة",
                             "| | |",
                             "جميع الحقوق محفوظة"};
  for (const char* line : furniture) EXPECT_TRUE(LooksLikeFurniture(line, n)) << line;
  const char* content[] = {"قال وزير الخارجية إن الهجوم خطير.",
                           "الهجوم أثر على أكثر من ربع مليون خادم حول العالم",
                           "إعلان يوم الاثنين يمثل إسناد رسمي للمسؤولية من قبل الغرب.",
                           "ومن المتوقع الإعلان عن المزيد من الدول الأخرى في القريب العاجل.",
                           "تسببت في اختراق عشرات آلاف الحسابات (Getty)",
                           "19 يوليو 2021"};
  for (const char* line : content) EXPECT_FALSE(LooksLikeFurniture(line, n)) << line;
  // A short headline is not a section label.
  EXPECT_TRUE(LooksLikeFurniture("عاجل", n));
  EXPECT_FALSE(LooksLikeFurniture("كندا تتهم الصين", n, /*title_candidate=*/true));
}

// Long lines are decided from their first words when those are enough; lines with many
// spaces but few words still go through every rule.
TEST(LooksLikeFurniture, ManySpacesAreNotManyWords) {
  const Normalizer n = *Normalizer::Create();
  std::string sentence;
  for (int k = 0; k < 30; ++k) sentence += k % 2 == 0 ? "خادمٍ " : "الهجومُ ";
  EXPECT_FALSE(LooksLikeFurniture(sentence, n));
  // Marks after spaces (they join the space's segment, not the word before).
  std::string marked;
  for (int k = 0; k < 30; ++k) marked += "كلمة \u064E";
  EXPECT_FALSE(LooksLikeFurniture(marked, n));
  // No words at all, however many spaces: furniture.
  EXPECT_TRUE(
      LooksLikeFurniture(std::string(40, ' ') + "| | | | | | | | | | | | | | | | | | | |", n));
  // Three words spread over many spaces, with the font-size marks: furniture.
  EXPECT_TRUE(
      LooksLikeFurniture("+" + std::string(30, ' ') + "الخط" + std::string(30, ' ') + "-", n));
  // Eight words then many spaces: the full rules (a byline lead with six words or fewer is
  // furniture; here eight content words are not).
  EXPECT_FALSE(
      LooksLikeFurniture("قال وزير الخارجية إن الهجوم خطير جدا اليوم" + std::string(40, ' '), n));
}

TEST(LooksLikeDateline, DatesOnly) {
  const Normalizer n = *Normalizer::Create();
  for (const char* s : {"19 يوليو 2021", "الاثنين 19/07/2021 - 10:30", "July 19, 2021", "تموز 2021",
                        "Updated: 12 March 2020 GMT"}) {
    EXPECT_TRUE(LooksLikeDateline(s, n)) << s;
  }
  for (const char* s : {"يوليو", "قال الوزير في 19 يوليو 2021", "2021 عام الأزمات"}) {
    EXPECT_FALSE(LooksLikeDateline(s, n)) << s;
  }
}

TEST(FlagRepeatedSpans, ShortRepeatsAcrossDocumentsAreFurniture) {
  const Normalizer n = *Normalizer::Create();
  std::vector<Document> docs(3);
  std::vector<Span> spans;
  const std::string line = "تابعونا على القناة";
  const std::string sentence =
      "أعلنت الحكومة اليوم عن خطة جديدة لدعم الاقتصاد المحلي خلال العام المقبل بشكل كبير.";
  for (uint32_t d = 0; d < 3; ++d) {
    docs[d].id = std::to_string(d);
    docs[d].text = line + "\n" + sentence + "\nجملة خاصة بالوثيقة رقم " + std::to_string(d);
    spans.push_back({d, 0, 0, static_cast<uint32_t>(line.size()), SpanKind::kHeading, false});
    const auto sb = static_cast<uint32_t>(line.size() + 1);
    spans.push_back(
        {d, 1, sb, static_cast<uint32_t>(sb + sentence.size()), SpanKind::kSentence, false});
  }
  FlagRepeatedSpans(docs, &spans, n);
  for (const Span& s : spans) {
    // The short line is furniture; the long sentence shared by three outlets is syndication,
    // which editors want to see, not furniture.
    EXPECT_EQ(s.boilerplate, s.index == 0) << s.doc << "/" << s.index;
  }
}

TEST(FlagRepeatedSpans, TwoDocumentsAreNotEnough) {
  const Normalizer n = *Normalizer::Create();
  std::vector<Document> docs(2);
  std::vector<Span> spans;
  for (uint32_t d = 0; d < 2; ++d) {
    docs[d].text = "اقرأ المزيد";
    spans.push_back(
        {d, 0, 0, static_cast<uint32_t>(docs[d].text.size()), SpanKind::kHeading, false});
  }
  FlagRepeatedSpans(docs, &spans, n);
  EXPECT_FALSE(spans[0].boilerplate);
}

TEST(FlagRepeatedSpans, VerbatimRepeatsWithinADocumentPointToTheFirstOccurrence) {
  const Normalizer n = *Normalizer::Create();
  // Doc 0 says sentence A, then B, then A again (with other diacritics and punctuation: the
  // same matching form), then A once more; doc 1 says A once.
  const std::string a = "أعلنت الحكومة اليوم عن خطة جديدة لدعم الاقتصاد.";
  const std::string a2 = "أعلنَت الحكومة اليوم عن خطة جديدة لدعم الاقتصاد!";
  const std::string b = "وقال الوزير إن الخطة ستبدأ في الربيع.";
  std::vector<Document> docs(2);
  std::vector<Span> spans;
  auto add = [&](uint32_t d, const std::string& text) {
    const auto begin = static_cast<uint32_t>(docs[d].text.size());
    docs[d].text += text + "\n";
    const auto index = static_cast<uint32_t>(
        std::count_if(spans.begin(), spans.end(), [d](const Span& s) { return s.doc == d; }));
    spans.push_back(
        {d, index, begin, static_cast<uint32_t>(begin + text.size()), SpanKind::kSentence, false});
  };
  add(0, a);
  add(0, b);
  add(0, a2);
  add(0, a);
  add(1, a);
  FlagRepeatedSpans(docs, &spans, n);
  ASSERT_EQ(spans.size(), 5u);
  EXPECT_FALSE(spans[0].IsRepeat());
  EXPECT_FALSE(spans[1].IsRepeat());
  EXPECT_EQ(spans[2].repeat_of, 0u);
  EXPECT_EQ(spans[3].repeat_of, 0u);
  EXPECT_FALSE(spans[4].IsRepeat());  // another document's first statement of it
  for (const Span& s : spans) EXPECT_FALSE(s.boilerplate);
}

}  // namespace
}  // namespace claimdiff
