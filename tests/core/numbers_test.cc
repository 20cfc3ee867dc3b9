#include "core/numbers.h"

#include <string>

#include "core/normalize.h"
#include "gtest/gtest.h"

namespace claimdiff {
namespace {

struct Case {
  const char* text;
  double value;
};

TEST(FindNumbers, ReadsDigitsScalesAndFractions) {
  const Normalizer n = *Normalizer::Create();
  const Case cases[] = {
      {"250 ألف خادم", 250000},
      {"أكثر من ربع مليون خادم", 250000},
      {"٢٥٠ ألف", 250000},
      {"250,000 servers", 250000},
      {"1.5 مليون", 1500000},
      {"250k", 250000},
      {"half a million", 500000},
      {"a quarter of a million", 250000},
      {"نصف مليار دولار", 500000000},
      {"3 مليارات", 3000000000},
      {"ثلث مليون", 333333},
      {"في عام 2017", 2017},
      {"8٪ من الشركات", 8},
      {"1.2 billion", 1200000000},
  };
  for (const Case& c : cases) {
    const NormalizedText m = n.Normalize(c.text);
    const std::vector<Token> tokens = Tokenize(m.text);
    const std::vector<NumberMention> found = FindNumbers(m.text, tokens);
    ASSERT_EQ(found.size(), 1u) << c.text;
    EXPECT_DOUBLE_EQ(found[0].value, c.value) << c.text;
  }
}

TEST(FindNumbers, IgnoresWordsWithoutAQuantity) {
  const Normalizer n = *Normalizer::Create();
  for (const char* text : {"ربع النهائي", "الف ليلة", "من المتوقع أن تحذو"}) {
    const NormalizedText m = n.Normalize(text);
    EXPECT_TRUE(FindNumbers(m.text, Tokenize(m.text)).empty()) << text;
  }
}

}  // namespace
}  // namespace claimdiff
