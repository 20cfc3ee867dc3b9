#include "similarity/align.h"

#include <string>

#include "core/hash.h"
#include "core/numbers.h"
#include "core/tokenize.h"
#include "similarity/shingle.h"

namespace claimdiff {
namespace {
constexpr size_t kMaxAlignWords = 256;
constexpr uint64_t kSeedAlign = 0x7007;
constexpr StableHasher kHashAlign(kSeedAlign);
}  // namespace

ContentSequence ContentWords(std::string_view normalized) {
  const std::vector<Token> tokens = Tokenize(normalized);
  return ContentWords(normalized, tokens, FindNumbers(normalized, tokens));
}

ContentSequence ContentWords(std::string_view normalized, const std::vector<Token>& tokens,
                             const std::vector<NumberMention>& numbers) {
  return ContentWords(tokens, numbers, ContentWordFormsOf(normalized, tokens));
}

ContentSequence ContentWords(const std::vector<Token>& tokens,
                             const std::vector<NumberMention>& numbers,
                             const ContentWordForms& words) {
  ContentSequence out;
  // Words of a quantity ("ما يقدر بنحو 250 ألف", "أكثر من ربع مليون") count as figures: a
  // changed figure is a conflict within one claim, not another claim.
  std::vector<uint8_t> in_figure(tokens.size(), 0);
  for (const NumberMention& m : numbers) {
    for (size_t k = m.qualifier_token; k < m.end_token; ++k) in_figure[k] = 1;
  }
  out.keys.reserve(words.size());
  out.numeric.reserve(words.size());
  for (size_t k = 0; k < words.size(); ++k) {
    const std::string_view skeleton = words.Skeleton(k);  // empty for a number
    out.keys.push_back(kHashAlign(skeleton.empty() ? words.stem[k] : skeleton));
    const uint32_t ti = words.token[k];
    out.numeric.push_back(tokens[ti].numeric || in_figure[ti] ? 1 : 0);
  }
  return out;
}

void ContentRun::Append(const ContentSequence& s) {
  keys_.insert(keys_.end(), s.keys.begin(), s.keys.end());
  numeric_.insert(numeric_.end(), s.numeric.begin(), s.numeric.end());
  end_.push_back(static_cast<uint32_t>(keys_.size()));
}

void ContentRun::ShrinkToFit() {
  end_.shrink_to_fit();
  keys_.shrink_to_fit();
  numeric_.shrink_to_fit();
}

bool HasEnclosedSubstitution(ContentView a, ContentView b) {
  const size_t n = a.keys.size();
  const size_t m = b.keys.size();
  if (n == 0 || m == 0 || n > kMaxAlignWords || m > kMaxAlignWords) return false;
  // lcs[i][j]: LCS length of a[i:] and b[j:].
  std::vector<uint16_t> lcs((n + 1) * (m + 1), 0);
  auto at = [m](size_t i, size_t j) { return i * (m + 1) + j; };
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      lcs[at(i, j)] = a.keys[i] == b.keys[j] ? static_cast<uint16_t>(lcs[at(i + 1, j + 1)] + 1)
                                             : std::max(lcs[at(i + 1, j)], lcs[at(i, j + 1)]);
    }
  }
  // Walk the alignment; track the unmatched words since the last match on each side.
  size_t i = 0, j = 0;
  bool matched_before = false;
  bool gap_a = false, gap_b = false;
  while (i < n && j < m) {
    if (a.keys[i] == b.keys[j]) {
      if (matched_before && gap_a && gap_b) return true;
      matched_before = true;
      gap_a = gap_b = false;
      ++i, ++j;
    } else if (lcs[at(i + 1, j)] >= lcs[at(i, j + 1)]) {
      gap_a |= a.numeric[i] == 0;
      ++i;
    } else {
      gap_b |= b.numeric[j] == 0;
      ++j;
    }
  }
  return false;
}

}  // namespace claimdiff
