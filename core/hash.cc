#include "core/hash.h"

#include <algorithm>
#include <bit>
#include <limits>

#if defined(__x86_64__) && defined(__GNUC__)
// GCC 12 warns that the AVX-512 intrinsics' internal placeholder operand is (or may be) used
// uninitialized (it is a don't-care operand of the unmasked forms): not our code.
#pragma GCC diagnostic push
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>
#define CLAIMDIFF_HASH_AVX512 1
#endif

namespace claimdiff {
namespace {

uint64_t MinMix64Portable(std::span<const uint64_t> set, uint64_t salt) {
  uint64_t best = std::numeric_limits<uint64_t>::max();
  for (const uint64_t x : set) best = std::min(best, Mix64(x ^ salt));
  return best;
}

// |a ∩ b| from a[i] and b[j] on, for sorted, distinct hashes. Without branches on the
// comparisons: for hashes, which list advances is a coin toss that a branch predictor loses
// half the time.
size_t SharedFrom(std::span<const uint64_t> a, std::span<const uint64_t> b, size_t i, size_t j) {
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

#if defined(CLAIMDIFF_HASH_AVX512)
__attribute__((target("avx512f,avx512dq"))) __m512i Mix64x8(__m512i v) {
  v = _mm512_xor_si512(v, _mm512_srli_epi64(v, 31));
  v = _mm512_mullo_epi64(v, _mm512_set1_epi64(static_cast<int64_t>(0xBF58476D1CE4E5B9ULL)));
  v = _mm512_xor_si512(v, _mm512_srli_epi64(v, 27));
  v = _mm512_mullo_epi64(v, _mm512_set1_epi64(static_cast<int64_t>(0x94D049BB133111EBULL)));
  return _mm512_xor_si512(v, _mm512_srli_epi64(v, 33));
}

__attribute__((target("avx512f,avx512dq"))) uint64_t MinMix64Avx512(std::span<const uint64_t> set,
                                                                    uint64_t salt) {
  const uint64_t* x = set.data();
  const size_t n = set.size();
  const __m512i s = _mm512_set1_epi64(static_cast<int64_t>(salt));
  __m512i best = _mm512_set1_epi64(-1);
  size_t k = 0;
  for (; k + 8 <= n; k += 8) {
    const __m512i v = _mm512_xor_si512(_mm512_loadu_si512(x + k), s);
    best = _mm512_min_epu64(best, Mix64x8(v));
  }
  if (k < n) {
    const auto lanes = static_cast<__mmask8>((1u << (n - k)) - 1);
    const __m512i v = _mm512_xor_si512(_mm512_maskz_loadu_epi64(lanes, x + k), s);
    best = _mm512_mask_min_epu64(best, lanes, best, Mix64x8(v));
  }
  alignas(64) uint64_t lane[8];
  _mm512_store_si512(lane, best);
  return *std::min_element(lane, lane + 8);
}

// SharedFrom(a, b, 0, 0), eight hashes of each list at a time: every hash of a's block against
// every hash of b's (b's block compared in its eight rotations), then the block whose last
// hash is the smaller moves on (both when they are equal), as the one-at-a-time merge moves a
// hash on. A shared hash lies in one block of each list, and those two blocks are compared
// exactly once (sorted lists: a block moves on only when nothing after it in the other list
// can equal any of its hashes), so it is counted once. The lists' last hashes, fewer than
// eight, are merged one at a time.
__attribute__((target("avx512f"))) size_t SharedHashCountAvx512(std::span<const uint64_t> a,
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
  return n + SharedFrom(a, b, i, j);
}

// Asked once: the processor does not change while the program runs.
bool HasAvx512() {
  static const bool has = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
  return has;
}
#endif

}  // namespace

uint64_t MinMix64(std::span<const uint64_t> set, uint64_t salt) {
#if defined(CLAIMDIFF_HASH_AVX512)
  if (set.size() >= 8 && HasAvx512()) return MinMix64Avx512(set, salt);
#endif
  return MinMix64Portable(set, salt);
}

size_t SharedHashCount(std::span<const uint64_t> a, std::span<const uint64_t> b) {
#if defined(CLAIMDIFF_HASH_AVX512)
  if (a.size() >= 8 && b.size() >= 8 && HasAvx512()) return SharedHashCountAvx512(a, b);
#endif
  return SharedFrom(a, b, 0, 0);
}

}  // namespace claimdiff

#if defined(CLAIMDIFF_HASH_AVX512)
#pragma GCC diagnostic pop
#endif
