// Quantities in the matching form, read as values, in Arabic and English.
//
//   const NormalizedText m = normalizer.Normalize("أكثر من ربع مليون خادم");
//   const std::vector<Token> tokens = Tokenize(m.text);
//   for (const NumberMention& n : FindNumbers(m.text, tokens)) {
//     // n.low == n.high == 250000, n.qualifier == Qualifier::kOver, n.unit == "خادم"
//   }
//
// What is read:
//  - digits with separators ("250,000", "1.5", "2,5"), "250k", "1.5m", "$5bn";
//  - scale words after a number: ألف/آلاف/ألفا, مليون/ملايين, مليار/مليارات/بليون, thousand,
//    million, billion; duals (ألفين, مليونين) alone;
//  - fractions of a scale: ربع/نصف/ثلث/ثلاثة أرباع + scale, "a quarter of a million";
//  - spelled cardinals: Arabic 1-999 in both genders with an attached و/ب/ل/ف/ك
//    ("لأربعة" = 4, "خمسة وعشرون" = 25, "ثلاثمائة"), English one to ninety-nine and hundreds;
//  - vague quantities as ranges: عشرات (10-99), مئات (100-999), آلاف (1,000-9,999),
//    عشرات الآلاف (10,000-99,999), dozens, hundreds, thousands, tens of thousands, millions;
//  - percents (8٪, 8%, "8 في المئة", "بالمائة", percent) and money (currency words and signs);
//  - qualifiers before (نحو, حوالي, قرابة, ما يقارب, ما يقدر بنحو, أكثر من, ما يزيد على,
//    أقل من, حتى, about, over, at least, fewer than, up to...) or after (تقريبا, about);
//    ranges "بين 10 و20", "من 10 إلى 20", "10-20", "between 10 and 20";
//  - years (a four-digit 1800-2100 figure: "عام 2020", "في عامي 2017 و 2018") and dates
//    ("19 يوليو 2021", "July 19, 2021", "19/07/2021"): a year is never a count;
//  - ordinals written with digits ("21st", "المرتبة 3").
//
// Stateless; thread-safe.
#ifndef CLAIMDIFF_CORE_NUMBERS_H_
#define CLAIMDIFF_CORE_NUMBERS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/tokenize.h"

namespace claimdiff {

enum class Qualifier : uint8_t { kExact, kAbout, kOver, kUnder, kUpTo, kRange };
enum class NumberKind : uint8_t { kCount, kPercent, kMoney, kYear, kDate, kOrdinal };

std::string_view QualifierName(Qualifier q);
std::string_view NumberKindName(NumberKind k);

struct NumberMention {
  // Tokens [first_token, end_token) hold the figure itself (digits or words, scale, percent or
  // currency); a qualifier before it starts at qualifier_token (== first_token when none).
  size_t qualifier_token = 0;
  size_t first_token = 0;
  size_t end_token = 0;
  // The literal value as an interval: low == high for a single figure, low < high for a
  // vague quantity (عشرات) or a written range. Dates are yyyymmdd (month or day 0 if absent).
  double low = 0;
  double high = 0;
  Qualifier qualifier = Qualifier::kExact;
  NumberKind kind = NumberKind::kCount;
  // The counted thing, as the light stem of the first content word after the figure (matching
  // form), or a currency code for money ("usd", "eur", ...); empty when none.
  std::string unit;

  bool is_range() const { return low != high; }
};

// Mentions in token order, never overlapping. `tokens` must be Tokenize(normalized).
std::vector<NumberMention> FindNumbers(std::string_view normalized,
                                       const std::vector<Token>& tokens);

// The interval of values a mention allows once its qualifier is applied: "about 250,000" is
// 250,000 ± 20%, "over 250,000" is [250,000, inf), "up to 10" is [0, 10]; an exact figure keeps
// a rounding margin of 2%.
struct Interval {
  double low;
  double high;
};
Interval Allowed(const NumberMention& n);

// Whether two mentions can describe the same quantity: same kind, and allowed intervals that
// overlap. Units are not compared here.
bool Compatible(const NumberMention& a, const NumberMention& b);

}  // namespace claimdiff

#endif  // CLAIMDIFF_CORE_NUMBERS_H_
