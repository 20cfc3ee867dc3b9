// A bit filter in front of a small fixed set of words (stop words, cue words): most words of a
// text are not in the set, and one bit read rules nearly all of them out before the set is
// hashed and probed. A word's bit comes from its length and its first and last two bytes.
//
//   WordFilter f;
//   for (std::string_view w : words) f.Add(w);
//   if (f.MayContain(token) && set.contains(token)) ...  // never false for a word added
//
// BitTable16 is its table of 2^16 bits (8 KB, cache-resident), for filters of other keys too.
//
// Immutable once filled; safe to read from many threads.
#ifndef CLAIMDIFF_CORE_WORD_FILTER_H_
#define CLAIMDIFF_CORE_WORD_FILTER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace claimdiff {

class BitTable16 {
 public:
  // `bit` below 2^16.
  void Set(uint32_t bit) { words_[bit >> 6] |= uint64_t{1} << (bit & 63); }
  bool Test(uint32_t bit) const { return ((words_[bit >> 6] >> (bit & 63)) & 1) != 0; }

 private:
  std::array<uint64_t, 1024> words_{};
};

class WordFilter {
 public:
  void Add(std::string_view w) { bits_.Set(Bit(w)); }
  // False only for a word never added.
  bool MayContain(std::string_view w) const { return bits_.Test(Bit(w)); }

 private:
  static uint32_t Bit(std::string_view w) {
    const size_t n = w.size();
    auto byte = [&](size_t i) {
      return i < n ? static_cast<uint32_t>(static_cast<uint8_t>(w[i])) : 0u;
    };
    const uint32_t first = byte(0) | byte(1) << 8;
    const uint32_t last = n >= 2 ? byte(n - 2) | byte(n - 1) << 8 : first;
    const uint64_t x =
        (static_cast<uint64_t>(first) << 32 | last << 8 | (n & 0xFF)) * 0x9E3779B97F4A7C15ULL;
    return static_cast<uint32_t>(x >> 48);  // 16 bits
  }
  BitTable16 bits_;
};

}  // namespace claimdiff

#endif  // CLAIMDIFF_CORE_WORD_FILTER_H_
