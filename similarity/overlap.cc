#include "similarity/overlap.h"

#include <algorithm>
#include <bit>
#include <span>
#include <string>

#include "core/hash.h"
#include "core/tokenize.h"
#include "similarity/shingle.h"

#if defined(__x86_64__) && defined(__GNUC__)
// GCC 12 warns that the AVX-512 intrinsics' internal placeholder operand is (or may be) used
// uninitialized (it is a don't-care operand of the unmasked forms): not our code.
#pragma GCC diagnostic push
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>
#define CLAIMDIFF_OVERLAP_AVX512 1
#endif

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

namespace {

// |a ∩ b| from a[i] and b[j] on, for sorted, distinct hashes. Without branches on the
// comparisons: for hashes, which list advances is a coin toss that a branch predictor loses
// half the time.
size_t IntersectionFrom(std::span<const uint64_t> a, std::span<const uint64_t> b, size_t i,
                        size_t j) {
  size_t n = 0;
  while (i < a.size() && j < b.size()) {
    const uint64_t x = a[i];
    const uint64_t y = b[j];
    n += static_cast<size_t>(x == y);
    i += static_cast<size_t>(x <= y);
    j += static_cast<size_t>(y <= x);
  }
  return n;
}

#if defined(CLAIMDIFF_OVERLAP_AVX512)
// The same, eight hashes of each list at a time: every hash of a's block against every hash
// of b's (b's block compared in its eight rotations), then the block whose last hash is the
// smaller moves on (both when they are equal), as the one-at-a-time merge moves a hash on. A
// shared hash lies in one block of each list, and those two blocks are compared exactly once
// (sorted lists: a block moves on only when nothing after it in the other list can equal any
// of its hashes), so it is counted once. The lists' last hashes, fewer than eight, are merged
// one at a time.
__attribute__((target("avx512f"))) size_t IntersectionAvx512(std::span<const uint64_t> a,
                                                             std::span<const uint64_t> b) {
  size_t i = 0, j = 0, n = 0;
  while (i + 8 <= a.size() && j + 8 <= b.size()) {
    const __m512i x = _mm512_loadu_si512(a.data() + i);
    const __m512i y = _mm512_loadu_si512(b.data() + j);
    __mmask8 equal = _mm512_cmpeq_epi64_mask(x, y);
    equal |= _mm512_cmpeq_epi64_mask(x, _mm512_alignr_epi64(y, y, 1));
    equal |= _mm512_cmpeq_epi64_mask(x, _mm512_alignr_epi64(y, y, 2));
    equal |= _mm512_cmpeq_epi64_mask(x, _mm512_alignr_epi64(y, y, 3));
    equal |= _mm512_cmpeq_epi64_mask(x, _mm512_alignr_epi64(y, y, 4));
    equal |= _mm512_cmpeq_epi64_mask(x, _mm512_alignr_epi64(y, y, 5));
    equal |= _mm512_cmpeq_epi64_mask(x, _mm512_alignr_epi64(y, y, 6));
    equal |= _mm512_cmpeq_epi64_mask(x, _mm512_alignr_epi64(y, y, 7));
    n += static_cast<size_t>(std::popcount(static_cast<unsigned>(equal)));
    const uint64_t last_a = a[i + 7];
    const uint64_t last_b = b[j + 7];
    i += last_a <= last_b ? 8 : 0;
    j += last_b <= last_a ? 8 : 0;
  }
  return n + IntersectionFrom(a, b, i, j);
}

// Asked once: the processor does not change while the program runs.
bool HasAvx512() {
  static const bool has = __builtin_cpu_supports("avx512f");
  return has;
}
#endif

}  // namespace

size_t IntersectionSize(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
#if defined(CLAIMDIFF_OVERLAP_AVX512)
  if (a.size() >= 8 && b.size() >= 8 && HasAvx512()) return IntersectionAvx512(a, b);
#endif
  return IntersectionFrom(a, b, 0, 0);
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

#if defined(CLAIMDIFF_OVERLAP_AVX512)
#pragma GCC diagnostic pop
#endif
