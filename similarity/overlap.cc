#include "similarity/overlap.h"

#include <algorithm>
#include <string>

#include "core/hash.h"
#include "core/tokenize.h"
#include "similarity/shingle.h"

namespace claimdiff {
namespace {
constexpr uint64_t kSeedPhrase = 0x4004;
constexpr StableHasher kHashPhrase(kSeedPhrase);
constexpr size_t kPhraseWords = 3;

std::string_view Stem(std::string_view text, const Token& t) {
  const std::string_view w = TokenText(text, t);
  return t.numeric ? w : LightStem(w);
}

}  // namespace

void AppendPhrases(const NormalizedText& normalized, uint32_t base, uint32_t segment,
                   std::vector<Phrase>* out) {
  const std::string_view text = normalized.text;
  const std::vector<Token> tokens = Tokenize(text);
  if (tokens.size() < kPhraseWords) return;
  // Each word's stem once; a word is in up to kPhraseWords phrases.
  std::vector<std::string_view> stems(tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) stems[i] = Stem(text, tokens[i]);
  std::string phrase;
  for (size_t i = 0; i + kPhraseWords <= tokens.size(); ++i) {
    phrase.clear();
    for (size_t k = 0; k < kPhraseWords; ++k) {
      if (k) phrase.push_back(' ');
      phrase.append(stems[i + k]);
    }
    const auto [b, e] = normalized.ToOriginal(tokens[i].begin, tokens[i + kPhraseWords - 1].end);
    out->emplace_back(kHashPhrase(phrase), base + b, base + e, segment);
  }
}

std::vector<uint64_t> PhraseShingles(const std::vector<std::string_view>& normalized_texts) {
  std::vector<uint64_t> out;
  std::vector<std::string_view> stems;
  std::string phrase;
  for (std::string_view text : normalized_texts) {
    stems.clear();
    for (const Token& t : Tokenize(text)) stems.push_back(Stem(text, t));
    for (size_t i = 0; i + kPhraseWords <= stems.size(); ++i) {
      phrase.clear();
      for (size_t k = 0; k < kPhraseWords; ++k) {
        if (k) phrase.push_back(' ');
        phrase.append(stems[i + k]);
      }
      out.push_back(kHashPhrase(phrase));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

size_t IntersectionSize(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  return SharedHashCount(a, b);
}

double Containment(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  return BothContainments(a, b).a_in_b;
}

Containments ContainmentsOf(size_t shared, size_t a_size, size_t b_size) {
  auto share_of = [shared](size_t size) {
    return size == 0 ? 0.0 : static_cast<double>(shared) / static_cast<double>(size);
  };
  return {share_of(a_size), share_of(b_size)};
}

Containments BothContainments(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  return ContainmentsOf(IntersectionSize(a, b), a.size(), b.size());
}

}  // namespace claimdiff
