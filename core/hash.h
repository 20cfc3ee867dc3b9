// Stable hashes: the same value for the same bytes on every machine, compiler and run, so they
// can be stored (shingles, signatures, band keys) and compared later. Defined here, inline:
// they sit in the innermost loops of shingling and MinHash.
//
// Stateless functions; thread-safe.
#ifndef CLAIMDIFF_CORE_HASH_H_
#define CLAIMDIFF_CORE_HASH_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace claimdiff {

// A stable 64-bit bit mixer (a SplitMix64-style finalizer): the same on every machine. Used by
// StableHash64 and to derive the MinHash functions.
constexpr uint64_t Mix64(uint64_t x) {
  x ^= x >> 31;
  x *= 0xBF58476D1CE4E5B9ULL;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBULL;
  x ^= x >> 33;
  return x;
}

// StableHash64 in two steps, for loops that hash many short strings with one seed: the state
// it starts from depends on the seed and the length alone (StableHashStart), so a table of
// starts by length (StableHasher, below) saves one mix of the three a short string takes.
constexpr uint64_t kStableHashMul = 0x9E3779B97F4A7C15ULL;
constexpr uint64_t StableHashStart(uint64_t seed, size_t size) {
  return Mix64(seed ^ (size * kStableHashMul));
}
// StableHash64(bytes, seed) given `start` = StableHashStart(seed, bytes.size()).
inline uint64_t StableHash64From(uint64_t start, std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t n = bytes.size();
  uint64_t h = start;
  while (n >= 8) {
    uint64_t word = 0;
    for (int i = 7; i >= 0; --i) word = (word << 8) | p[i];  // little-endian on every machine
    h = Mix64(h ^ word) * kStableHashMul;
    p += 8;
    n -= 8;
  }
  uint64_t tail = 0;
  for (size_t i = 0; i < n; ++i) tail |= static_cast<uint64_t>(p[i]) << (8 * i);
  return Mix64(h ^ tail ^ (static_cast<uint64_t>(n) << 59));
}

// A 64-bit hash of `bytes` that never changes across platforms, compilers or runs
// (byte-order independent). Not cryptographic.
inline uint64_t StableHash64(std::string_view bytes, uint64_t seed = 0) {
  return StableHash64From(StableHashStart(seed, bytes.size()), bytes);
}

// StableHash64 with one seed, its starts for the lengths under kStarts made once (at compile
// time for a constant seed):
//   static constexpr StableHasher kHash(0x3003);
//   uint64_t h = kHash(bytes);  // StableHash64(bytes, 0x3003)
class StableHasher {
 public:
  static constexpr size_t kStarts = 64;
  constexpr explicit StableHasher(uint64_t seed) : seed_(seed) {
    for (size_t n = 0; n < kStarts; ++n) starts_[n] = StableHashStart(seed, n);
  }
  uint64_t operator()(std::string_view bytes) const {
    return StableHash64From(
        bytes.size() < kStarts ? starts_[bytes.size()] : StableHashStart(seed_, bytes.size()),
        bytes);
  }

 private:
  uint64_t seed_;
  uint64_t starts_[kStarts] = {};
};

// The least Mix64(x ^ salt) over the hashes of `set`, or the largest uint64_t when it is
// empty: one MinHash value of a set of stable hashes. Eight at a time with AVX-512 where the
// processor has it (the same value: integer arithmetic).
uint64_t MinMix64(std::span<const uint64_t> set, uint64_t salt);

// |a ∩ b| for two sorted lists of distinct hashes (two documents' phrase sets, for
// containment). Eight hashes against eight with AVX-512 where the processor has it (the same
// count as a one-at-a-time merge).
size_t SharedHashCount(std::span<const uint64_t> a, std::span<const uint64_t> b);

}  // namespace claimdiff

#endif  // CLAIMDIFF_CORE_HASH_H_
