#include "core/numbers.h"

#include <string>
#include <vector>

#include "core/normalize.h"
#include "gtest/gtest.h"

namespace claimdiff {
namespace {

using K = NumberKind;
using Q = Qualifier;

struct Case {
  const char* text;
  double low;
  double high;
  Qualifier qualifier;
  NumberKind kind;
  const char* unit;  // matching form; nullptr: not checked
};

std::vector<NumberMention> Find(const Normalizer& n, const char* text, std::string* norm) {
  *norm = n.Normalize(text).text;
  return FindNumbers(*norm, Tokenize(*norm));
}

// Each expression holds exactly one quantity.
const Case kCases[] = {
    // Digits, separators and scripts.
    {"250 ألف خادم", 250000, 250000, Q::kExact, K::kCount, "خادم"},
    {"٢٥٠ ألف خادم", 250000, 250000, Q::kExact, K::kCount, "خادم"},
    {"۲۵۰ هزار", 250, 250, Q::kExact, K::kCount, nullptr},
    {"250,000 servers", 250000, 250000, Q::kExact, K::kCount, "server"},
    {"٢٥٠٬٠٠٠ خادم", 250000, 250000, Q::kExact, K::kCount, "خادم"},
    {"1.5 مليون شخص", 1500000, 1500000, Q::kExact, K::kCount, "شخص"},
    {"١٫٥ مليون شخص", 1500000, 1500000, Q::kExact, K::kCount, "شخص"},
    {"2,5 مليار", 2500000000, 2500000000, Q::kExact, K::kCount, nullptr},
    {"250k users", 250000, 250000, Q::kExact, K::kCount, "user"},
    {"1.5m people", 1500000, 1500000, Q::kExact, K::kCount, "people"},
    {"3 آلاف جندي", 3000, 3000, Q::kExact, K::kCount, "جند"},
    {"70 منظمة", 70, 70, Q::kExact, K::kCount, "منظم"},
    {"1,200,000 votes", 1200000, 1200000, Q::kExact, K::kCount, "vote"},
    // Scale words and fractions of a scale.
    {"ربع مليون خادم", 250000, 250000, Q::kExact, K::kCount, "خادم"},
    {"نصف مليون لاجئ", 500000, 500000, Q::kExact, K::kCount, "لاجئ"},
    {"ثلث مليون", 333333, 333333, Q::kExact, K::kCount, nullptr},
    {"ثلاثة أرباع مليون", 750000, 750000, Q::kExact, K::kCount, nullptr},
    {"a quarter of a million servers", 250000, 250000, Q::kExact, K::kCount, "server"},
    {"half a million people", 500000, 500000, Q::kExact, K::kCount, "people"},
    {"three quarters of a million", 750000, 750000, Q::kExact, K::kCount, nullptr},
    {"مليون شخص", 1000000, 1000000, Q::kExact, K::kCount, "شخص"},
    {"ألفين عامل", 2000, 2000, Q::kExact, K::kCount, "عامل"},
    {"مليونين دولار", 2000000, 2000000, Q::kExact, K::kMoney, "usd"},
    {"3 مليارات", 3000000000, 3000000000, Q::kExact, K::kCount, nullptr},
    {"5 billion", 5000000000, 5000000000, Q::kExact, K::kCount, nullptr},
    {"two million", 2000000, 2000000, Q::kExact, K::kCount, nullptr},
    // Spelled Arabic cardinals, both genders, attached prefixes.
    {"لأربعة مواطنين صينيين", 4, 4, Q::kExact, K::kCount, "مواطن"},
    {"أربعة صينيين", 4, 4, Q::kExact, K::kCount, nullptr},
    {"وثلاثة أعضاء", 3, 3, Q::kExact, K::kCount, "اعضاء"},
    {"ثلاث دول", 3, 3, Q::kExact, K::kCount, "دول"},
    {"خمسة جنود", 5, 5, Q::kExact, K::kCount, "جنود"},
    {"بخمس سنوات", 5, 5, Q::kExact, K::kCount, "سنو"},
    {"سبع ساعات", 7, 7, Q::kExact, K::kCount, nullptr},
    {"عشرة أيام", 10, 10, Q::kExact, K::kCount, nullptr},
    {"أحد عشر لاعبا", 11, 11, Q::kExact, K::kCount, nullptr},
    {"اثنا عشر شهرا", 12, 12, Q::kExact, K::kCount, nullptr},
    {"خمسة عشر قتيلا", 15, 15, Q::kExact, K::kCount, nullptr},
    {"خمسة وعشرون طالبا", 25, 25, Q::kExact, K::kCount, nullptr},
    {"عشرون دولة", 20, 20, Q::kExact, K::kCount, "دول"},
    {"ثلاثين عاما", 30, 30, Q::kExact, K::kCount, nullptr},
    {"مئة شخص", 100, 100, Q::kExact, K::kCount, "شخص"},
    {"مائتي جندي", 200, 200, Q::kExact, K::kCount, nullptr},
    {"ثلاثمائة موظف", 300, 300, Q::kExact, K::kCount, "موظف"},
    {"ثلاث مئة موظف", 300, 300, Q::kExact, K::kCount, "موظف"},
    {"مئة وخمسون", 150, 150, Q::kExact, K::kCount, nullptr},
    {"ثلاثة آلاف", 3000, 3000, Q::kExact, K::kCount, nullptr},
    {"خمسة ملايين نسمة", 5000000, 5000000, Q::kExact, K::kCount, nullptr},
    // Spelled English cardinals.
    {"four Chinese nationals", 4, 4, Q::kExact, K::kCount, "chinese"},
    {"twenty-five students", 25, 25, Q::kExact, K::kCount, "student"},
    {"nineteen cases", 19, 19, Q::kExact, K::kCount, "case"},
    {"two hundred and fifty thousand", 250000, 250000, Q::kExact, K::kCount, nullptr},
    {"three hundred people", 300, 300, Q::kExact, K::kCount, "people"},
    {"a dozen countries", 12, 12, Q::kExact, K::kCount, "countrie"},
    {"six ships", 6, 6, Q::kExact, K::kCount, "ship"},  // words under four bytes
    {"ten days", 10, 10, Q::kExact, K::kCount, nullptr},
    // Vague quantities.
    {"عشرات الآلاف من أجهزة الكمبيوتر", 10000, 99999, Q::kRange, K::kCount, "اجهز"},
    {"عشرات القتلى", 10, 99, Q::kRange, K::kCount, "قتل"},
    {"العشرات من أنظمة الكمبيوتر", 10, 99, Q::kRange, K::kCount, "انظم"},
    {"مئات المتظاهرين", 100, 999, Q::kRange, K::kCount, nullptr},
    {"آلاف اللاجئين", 1000, 9999, Q::kRange, K::kCount, nullptr},
    {"الآلاف من أجهزة الكمبيوتر", 1000, 9999, Q::kRange, K::kCount, "اجهز"},
    {"مئات الآلاف", 100000, 999999, Q::kRange, K::kCount, nullptr},
    {"dozens of people", 12, 99, Q::kRange, K::kCount, "people"},
    {"hundreds of protesters", 100, 999, Q::kRange, K::kCount, "protester"},
    {"thousands of computers", 1000, 9999, Q::kRange, K::kCount, "computer"},
    {"tens of thousands of computers", 10000, 99999, Q::kRange, K::kCount, "computer"},
    {"hundreds of thousands", 100000, 999999, Q::kRange, K::kCount, nullptr},
    // Percents and money.
    {"8٪ من الشركات", 8, 8, Q::kExact, K::kPercent, "شرك"},
    {"8% of companies", 8, 8, Q::kExact, K::kPercent, "companie"},
    {"8 في المئة", 8, 8, Q::kExact, K::kPercent, nullptr},
    {"12 بالمائة", 12, 12, Q::kExact, K::kPercent, nullptr},
    {"15 percent", 15, 15, Q::kExact, K::kPercent, nullptr},
    {"3.5 per cent", 3.5, 3.5, Q::kExact, K::kPercent, nullptr},
    {"5 مليارات دولار", 5000000000, 5000000000, Q::kExact, K::kMoney, "usd"},
    {"100 مليون يورو", 100000000, 100000000, Q::kExact, K::kMoney, "eur"},
    {"$5bn", 5000000000, 5000000000, Q::kExact, K::kMoney, "usd"},
    {"€200", 200, 200, Q::kExact, K::kMoney, "eur"},
    {"20 dollars", 20, 20, Q::kExact, K::kMoney, "usd"},
    // Qualifiers.
    {"ما يقدر بنحو 250 ألف خادم", 250000, 250000, Q::kAbout, K::kCount, "خادم"},
    {"نحو 200 شركة", 200, 200, Q::kAbout, K::kCount, "شرك"},
    {"حوالي 300 شخص", 300, 300, Q::kAbout, K::kCount, "شخص"},
    {"قرابة ألفين", 2000, 2000, Q::kAbout, K::kCount, nullptr},
    {"ما يقارب 40 قتيلا", 40, 40, Q::kAbout, K::kCount, nullptr},
    {"50 شخصا تقريبا", 50, 50, Q::kAbout, K::kCount, nullptr},
    {"أكثر من ربع مليون خادم", 250000, 250000, Q::kOver, K::kCount, "خادم"},
    {"لأكثر من 70 منظمة", 70, 70, Q::kOver, K::kCount, "منظم"},
    {"ما يزيد على 100 قتيل", 100, 100, Q::kOver, K::kCount, "قتيل"},
    {"ما لا يقل عن 30 شخصا", 30, 30, Q::kOver, K::kCount, nullptr},
    {"أقل من 5 آلاف", 5000, 5000, Q::kUnder, K::kCount, nullptr},
    {"حتى 10 آلاف", 10000, 10000, Q::kUpTo, K::kCount, nullptr},
    {"about 250,000 servers", 250000, 250000, Q::kAbout, K::kCount, "server"},
    {"an estimated 250,000 servers", 250000, 250000, Q::kAbout, K::kCount, "server"},
    {"nearly 40 people", 40, 40, Q::kAbout, K::kCount, "people"},
    {"more than 250,000 servers", 250000, 250000, Q::kOver, K::kCount, "server"},
    {"at least 30 people", 30, 30, Q::kOver, K::kCount, "people"},
    {"fewer than 20 cases", 20, 20, Q::kUnder, K::kCount, "case"},
    {"up to 10,000 jobs", 10000, 10000, Q::kUpTo, K::kCount, "jobs"},
    // Ranges.
    {"بين 10 و20 شخصا", 10, 20, Q::kRange, K::kCount, nullptr},
    {"من 10 إلى 20 مليون", 10000000, 20000000, Q::kRange, K::kCount, nullptr},
    {"10-20 people", 10, 20, Q::kRange, K::kCount, "people"},
    {"between 5 and 7 million", 5000000, 7000000, Q::kRange, K::kCount, nullptr},
    // Years and dates: a year is never a count.
    {"في عام 2020", 2020, 2020, Q::kExact, K::kYear, nullptr},
    {"the 2016 election", 2016, 2016, Q::kExact, K::kYear, nullptr},
    {"19 يوليو 2021", 20210719, 20210719, Q::kExact, K::kDate, nullptr},
    {"July 19, 2021", 20210719, 20210719, Q::kExact, K::kDate, nullptr},
    {"19/07/2021", 20210719, 20210719, Q::kExact, K::kDate, nullptr},
    {"في 3 مارس", 303, 303, Q::kExact, K::kDate, nullptr},
    {"تموز 2021", 20210700, 20210700, Q::kExact, K::kDate, nullptr},
    // Ordinals.
    {"the 21st century", 21, 21, Q::kExact, K::kOrdinal, nullptr},
};

TEST(FindNumbers, ReadsEveryTableExpression) {
  const Normalizer n = *Normalizer::Create();
  for (const Case& c : kCases) {
    std::string norm;
    const std::vector<NumberMention> found = Find(n, c.text, &norm);
    ASSERT_EQ(found.size(), 1u) << c.text;
    const NumberMention& m = found[0];
    EXPECT_DOUBLE_EQ(m.low, c.low) << c.text;
    EXPECT_DOUBLE_EQ(m.high, c.high) << c.text;
    EXPECT_EQ(QualifierName(m.qualifier), QualifierName(c.qualifier)) << c.text;
    EXPECT_EQ(NumberKindName(m.kind), NumberKindName(c.kind)) << c.text;
    if (c.unit != nullptr) {
      EXPECT_EQ(m.unit, c.unit) << c.text;
    }
  }
  EXPECT_GE(std::size(kCases), 80u);
}

TEST(FindNumbers, TwoYearsInOnePhrase) {
  const Normalizer n = *Normalizer::Create();
  std::string norm;
  const auto found = Find(n, "في عامي 2017 و 2018", &norm);
  ASSERT_EQ(found.size(), 2u);
  for (const NumberMention& m : found) EXPECT_EQ(m.kind, NumberKind::kYear);
  EXPECT_EQ(found[0].low, 2017);
  EXPECT_EQ(found[1].low, 2018);
}

TEST(FindNumbers, IgnoresWordsWithoutAQuantity) {
  const Normalizer n = *Normalizer::Create();
  for (const char* text : {"ربع النهائي", "من المتوقع أن تحذو", "يوم الأحد", "يوم الإثنين",
                           "الثلث الأخير من", "tens of people were"}) {
    std::string norm;
    EXPECT_TRUE(Find(n, text, &norm).empty()) << text;
  }
}

TEST(FindNumbers, TokenRangesCoverTheFigureAndItsQualifier) {
  const Normalizer n = *Normalizer::Create();
  std::string norm;
  const auto found = Find(n, "قال إن أكثر من ربع مليون خادم تأثر", &norm);
  ASSERT_EQ(found.size(), 1u);
  const std::vector<Token> tokens = Tokenize(norm);
  EXPECT_EQ(TokenText(norm, tokens[found[0].qualifier_token]), "اكثر");
  EXPECT_EQ(TokenText(norm, tokens[found[0].first_token]), "ربع");
  EXPECT_EQ(TokenText(norm, tokens[found[0].end_token - 1]), "مليون");
}

NumberMention Parse(const char* text) {
  static const Normalizer n = *Normalizer::Create();
  std::string norm;
  const auto found = Find(n, text, &norm);
  EXPECT_EQ(found.size(), 1u) << text;
  return found.empty() ? NumberMention{} : found[0];
}

TEST(Compatible, QualifiersDecideWhetherFiguresAgree) {
  EXPECT_TRUE(Compatible(Parse("about 250,000"), Parse("more than 250,000")));
  EXPECT_TRUE(Compatible(Parse("250 ألف"), Parse("ربع مليون")));
  EXPECT_TRUE(Compatible(Parse("ما يقدر بنحو 250 ألف"), Parse("أكثر من ربع مليون")));
  EXPECT_FALSE(Compatible(Parse("250 ألف"), Parse("عشرات الآلاف")));
  EXPECT_FALSE(Compatible(Parse("30 قتيلا"), Parse("45 قتيلا")));
  EXPECT_TRUE(Compatible(Parse("نحو 40"), Parse("45")));
  EXPECT_FALSE(Compatible(Parse("أقل من 100"), Parse("أكثر من 200")));
  EXPECT_TRUE(Compatible(Parse("حتى 10 آلاف"), Parse("5000")));
  EXPECT_FALSE(Compatible(Parse("8%"), Parse("8 dollars")));  // another kind
  EXPECT_FALSE(Compatible(Parse("عام 2017"), Parse("عام 2018")));
}

}  // namespace
}  // namespace claimdiff
