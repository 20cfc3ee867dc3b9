#include "core/hash.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "gtest/gtest.h"

namespace claimdiff {
namespace {

uint64_t MinMixOneByOne(const std::vector<uint64_t>& x, uint64_t salt) {
  uint64_t best = std::numeric_limits<uint64_t>::max();
  for (uint64_t v : x) best = std::min(best, Mix64(v ^ salt));
  return best;
}

TEST(MinMix64, IsTheMinimumOfEachMixedValueAtEverySetSize) {
  // Sizes around the eight-lane blocks: none, a partial block, whole blocks, a tail.
  uint64_t state = 1;
  for (size_t n : {0u, 1u, 2u, 7u, 8u, 9u, 15u, 16u, 17u, 24u, 100u}) {
    std::vector<uint64_t> x(n);
    for (uint64_t& v : x) v = state = Mix64(state);
    for (uint64_t salt : {uint64_t{0}, uint64_t{0x9E3779B97F4A7C15ULL}, ~uint64_t{0}}) {
      EXPECT_EQ(MinMix64(x.data(), x.size(), salt), MinMixOneByOne(x, salt)) << "n=" << n;
    }
  }
}

TEST(MinMix64, FindsTheMinimumInAnyLane) {
  // The smallest mixed value moved through every position of 24 values: each lane and the
  // tail must be read.
  std::vector<uint64_t> x(24);
  for (size_t k = 0; k < x.size(); ++k) x[k] = Mix64(k + 1000);
  const uint64_t salt = 0x51;
  const uint64_t expected = MinMixOneByOne(x, salt);
  const auto smallest = static_cast<size_t>(
      std::min_element(x.begin(), x.end(),
                       [&](uint64_t a, uint64_t b) { return Mix64(a ^ salt) < Mix64(b ^ salt); }) -
      x.begin());
  for (size_t at = 0; at < x.size(); ++at) {
    std::vector<uint64_t> moved = x;
    std::swap(moved[smallest], moved[at]);
    EXPECT_EQ(MinMix64(moved.data(), moved.size(), salt), expected) << "at=" << at;
  }
}

}  // namespace
}  // namespace claimdiff
