#include "core/hash.h"
#include "core/hash_slots.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <limits>
#include <map>
#include <string>
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
      EXPECT_EQ(MinMix64(x, salt), MinMixOneByOne(x, salt)) << "n=" << n;
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
    EXPECT_EQ(MinMix64(moved, salt), expected) << "at=" << at;
  }
}

size_t SharedOneByOne(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  std::vector<uint64_t> shared;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(shared));
  return shared.size();
}

// Hashes spread over the whole 64-bit range (half of them above 2^63, where a signed compare
// would misorder blocks), at list sizes around the eight-hash blocks, empty lists included.
TEST(SharedHashCount, CountsWhatAMergeCountsAcrossTheWholeHashRange) {
  uint64_t state = 3;
  auto sorted_sample = [&](size_t n, const std::vector<uint64_t>& pool, int keep_one_in) {
    std::vector<uint64_t> out;
    for (uint64_t v : pool) {
      state = Mix64(state);
      if (state % static_cast<uint64_t>(keep_one_in) == 0 && out.size() < n) out.push_back(v);
    }
    return out;
  };
  std::vector<uint64_t> pool(400);
  for (uint64_t& v : pool) v = state = Mix64(state);
  pool.push_back(std::numeric_limits<uint64_t>::max());
  pool.push_back(uint64_t{1} << 63);
  pool.push_back(0);
  std::sort(pool.begin(), pool.end());
  pool.erase(std::unique(pool.begin(), pool.end()), pool.end());
  int above = 0;
  for (uint64_t v : pool) above += v >> 63 != 0 ? 1 : 0;
  ASSERT_GT(above, 100);  // the sample reaches the top half
  for (size_t n : {0u, 1u, 7u, 8u, 9u, 16u, 17u, 63u, 200u}) {
    for (size_t m : {0u, 5u, 8u, 15u, 64u, 300u}) {
      for (int keep : {1, 2, 3}) {
        const std::vector<uint64_t> a = sorted_sample(n, pool, keep);
        const std::vector<uint64_t> b = sorted_sample(m, pool, 2);
        SCOPED_TRACE(testing::Message() << "n=" << n << " m=" << m << " keep=" << keep);
        EXPECT_EQ(SharedHashCount(a, b), SharedOneByOne(a, b));
        EXPECT_EQ(SharedHashCount(b, a), SharedOneByOne(a, b));
      }
    }
  }
  // The largest hash, shared, in the last block of both lists.
  std::vector<uint64_t> top(pool.end() - 16, pool.end());
  EXPECT_EQ(SharedHashCount(top, top), 16u);
  const std::vector<uint64_t> last_only{std::numeric_limits<uint64_t>::max()};
  EXPECT_EQ(SharedHashCount(top, last_only), 1u);
}

// Against std::map, through several growths: hashes that share their top bits (as a caller's
// parts do), hash 0, and values given only the first time.
// A hasher's starts by length (made at compile time here) give StableHash64's values, below
// its table's lengths and past them.
TEST(StableHasher, GivesStableHash64AtEveryLength) {
  static constexpr StableHasher kHash(0x3003);
  const StableHasher other(7);
  std::string bytes;
  for (size_t n = 0; n < 2 * StableHasher::kStarts + 3; ++n) {
    EXPECT_EQ(kHash(bytes), StableHash64(bytes, 0x3003)) << "n=" << n;
    EXPECT_EQ(other(bytes), StableHash64(bytes, 7)) << "n=" << n;
    bytes.push_back(static_cast<char>('a' + n % 26));
  }
  EXPECT_EQ(other("خادم"), UINT64_C(0x92c91082d71a3f37));  // StableHash64's pinned value
}

TEST(HashSlots, FindsWhatWasInsertedAndKeepsTheFirstValue) {
  HashSlots<uint32_t> slots;
  std::map<uint64_t, uint32_t> expected;
  uint64_t state = 7;
  for (uint32_t k = 0; k < 20000; ++k) {
    state = Mix64(state);
    // Three top bits fixed; every fifth hash is one of a series met twice (k / 10).
    const uint64_t hash =
        k % 5 == 4 ? Mix64(k / 10) >> 3 | (uint64_t{5} << 61) : (state >> 3) | (uint64_t{5} << 61);
    const auto [value, inserted] = slots.FindOrInsert(hash, k);
    const auto [it, fresh] = expected.try_emplace(hash, k);
    EXPECT_EQ(inserted, fresh);
    EXPECT_EQ(*value, it->second);
  }
  const auto [zero, inserted] = slots.FindOrInsert(0, 99);
  EXPECT_TRUE(inserted);
  EXPECT_EQ(*zero, 99u);
  EXPECT_FALSE(slots.FindOrInsert(0, 100).second);
  EXPECT_EQ(slots.size(), expected.size() + 1);
  for (const auto& [hash, value] : expected) {
    const uint32_t* found = slots.Find(hash);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(*found, value);
  }
  EXPECT_EQ(*slots.Find(0), 99u);
  EXPECT_EQ(slots.Find(Mix64(123456789)), nullptr);
  HashSlots<uint32_t> empty;
  EXPECT_EQ(empty.Find(42), nullptr);
  EXPECT_EQ(empty.Find(0), nullptr);
}

// Fills `slots` with hash 0 and `n` other hashes; returns what it holds.
std::map<uint64_t, uint32_t> FillSlots(uint32_t n, HashSlots<uint32_t>* slots) {
  std::map<uint64_t, uint32_t> held = {{0, 7}};
  slots->FindOrInsert(0, 7);
  for (uint32_t k = 1; k <= n; ++k) {
    slots->FindOrInsert(Mix64(k), k);
    held.emplace(Mix64(k), k);
  }
  return held;
}

// What a walk of a table (ForEach or Drain, given the visitor) visits, each hash checked once.
template <typename Walk>
std::map<uint64_t, uint32_t> Visited(const Walk& walk) {
  std::map<uint64_t, uint32_t> visited;
  walk([&](uint64_t hash, uint32_t value) {
    EXPECT_TRUE(visited.emplace(hash, value).second) << hash;
  });
  return visited;
}

TEST(HashSlots, ForEachVisitsEveryHashOnce) {
  HashSlots<uint32_t> slots;
  const std::map<uint64_t, uint32_t> expected = FillSlots(3000, &slots);
  EXPECT_EQ(Visited([&](const auto& visit) { slots.ForEach(visit); }), expected);
}

// Drain hands over every hash once, as ForEach, while it gives the table's pages back (the
// table here spans several of its release steps), and leaves an empty table that works.
TEST(HashSlots, DrainVisitsEveryHashOnceAndLeavesTheTableEmpty) {
  HashSlots<uint32_t> slots;
  const std::map<uint64_t, uint32_t> expected = FillSlots(600000, &slots);
  EXPECT_EQ(Visited([&](const auto& visit) { slots.Drain(visit); }), expected);
  EXPECT_EQ(slots.size(), 0u);
  EXPECT_EQ(slots.Find(Mix64(1)), nullptr);
  EXPECT_EQ(slots.Find(0), nullptr);
  EXPECT_TRUE(slots.FindOrInsert(Mix64(1), 5).second);
  EXPECT_EQ(*slots.Find(Mix64(1)), 5u);
}

TEST(HashSlots, ReserveKeepsWhatIsThere) {
  HashSlots<uint64_t> slots;
  for (uint64_t k = 1; k <= 100; ++k) slots.FindOrInsert(Mix64(k), k);
  slots.Reserve(100000);
  for (uint64_t k = 1; k <= 100; ++k) {
    ASSERT_NE(slots.Find(Mix64(k)), nullptr);
    EXPECT_EQ(*slots.Find(Mix64(k)), k);
  }
  EXPECT_EQ(slots.size(), 100u);
}

}  // namespace
}  // namespace claimdiff
