// Quantities in the matching form, read as values: "250 الف", "ربع مليون", "250,000",
// "1.5 million" and "quarter of a million" are all 250000 (or 1500000).
//
//   std::vector<Token> tokens = Tokenize(m.text);
//   for (const NumberMention& n : FindNumbers(m.text, tokens)) { n.value; n.first_token; ... }
//
// This is the first layer of the facts extractor: digits with separators, scale words
// (thousand/million/billion in Arabic and English, singular, dual and plural) and fractions of a
// scale (ربع/نصف/ثلث, quarter/half/third). Each mention covers a run of tokens, so matching can
// replace the run by one canonical feature. Stateless; thread-safe.
#ifndef CLAIMDIFF_CORE_NUMBERS_H_
#define CLAIMDIFF_CORE_NUMBERS_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/tokenize.h"

namespace claimdiff {

struct NumberMention {
  size_t first_token = 0;  // tokens [first_token, end_token) of the tokenized text
  size_t end_token = 0;
  double value = 0;
};

// Mentions in token order, never overlapping. `tokens` must be Tokenize(normalized).
std::vector<NumberMention> FindNumbers(std::string_view normalized,
                                       const std::vector<Token>& tokens);

}  // namespace claimdiff

#endif  // CLAIMDIFF_CORE_NUMBERS_H_
