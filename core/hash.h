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
inline uint64_t Mix64(uint64_t x) {
  x ^= x >> 31;
  x *= 0xBF58476D1CE4E5B9ULL;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBULL;
  x ^= x >> 33;
  return x;
}

// A 64-bit hash of `bytes` that never changes across platforms, compilers or runs
// (byte-order independent). Not cryptographic.
inline uint64_t StableHash64(std::string_view bytes, uint64_t seed = 0) {
  constexpr uint64_t kMul = 0x9E3779B97F4A7C15ULL;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t n = bytes.size();
  uint64_t h = Mix64(seed ^ (n * kMul));
  while (n >= 8) {
    uint64_t word = 0;
    for (int i = 7; i >= 0; --i) word = (word << 8) | p[i];  // little-endian on every machine
    h = Mix64(h ^ word) * kMul;
    p += 8;
    n -= 8;
  }
  uint64_t tail = 0;
  for (size_t i = 0; i < n; ++i) tail |= static_cast<uint64_t>(p[i]) << (8 * i);
  return Mix64(h ^ tail ^ (static_cast<uint64_t>(n) << 59));
}

// The least Mix64(x ^ salt) over the hashes of `set`, or the largest uint64_t when it is
// empty: one MinHash value of a set of stable hashes. Eight at a time with AVX-512 where the
// processor has it (the same value: integer arithmetic).
uint64_t MinMix64(std::span<const uint64_t> set, uint64_t salt);

}  // namespace claimdiff

#endif  // CLAIMDIFF_CORE_HASH_H_
