#include "core/radix_sort.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "core/hash.h"
#include "gtest/gtest.h"

namespace claimdiff {
namespace {

using KeyRow = std::pair<uint64_t, uint32_t>;

// Sizes on both sides of the switch to radix passes; keys that repeat (ties keep input order)
// and keys whose high or low bits are all alike (passes that are skipped).
TEST(RadixSortBy, EqualsAStableSortByKey) {
  std::mt19937_64 rng(7);
  for (const size_t n : {size_t{0}, size_t{1}, size_t{100}, size_t{20000}, size_t{300000}}) {
    for (const int shape : {0, 1, 2}) {
      std::vector<KeyRow> items(n);
      for (size_t i = 0; i < n; ++i) {
        uint64_t key = rng();
        if (shape == 1) key %= 5000;              // high bits all zero, many ties
        if (shape == 2) key = (key % 300) << 40;  // low bits all zero
        items[i] = {key, static_cast<uint32_t>(i)};
      }
      std::vector<KeyRow> expected = items;
      std::stable_sort(expected.begin(), expected.end(),
                       [](const KeyRow& x, const KeyRow& y) { return x.first < y.first; });
      RadixSortBy(items, [](const KeyRow& k) { return k.first; });
      EXPECT_EQ(items, expected) << "n " << n << " shape " << shape;
    }
  }
}

// Below and above the size where it splits the work; keys of several widths (the split is by
// the top bits of the largest key's width), skewed parts, ties; on 1 to 3 threads.
TEST(ParallelRadixSortBy, EqualsAStableSortByKeyOnAnyThreadCount) {
  std::mt19937_64 rng(11);
  for (const size_t n : {size_t{0}, size_t{5}, size_t{1000}, size_t{400000}}) {
    for (const int shape : {0, 1, 2, 3, 4}) {
      std::vector<KeyRow> items(n);
      for (size_t i = 0; i < n; ++i) {
        uint64_t key = rng();
        if (shape == 1) key %= 200;                                   // fewer keys than parts
        if (shape == 2) key = ((key % 3000000) << 32) | (key >> 48);  // row pairs, 54 bits
        if (shape == 3) key = i % 7 == 0 ? key : key % 17;            // most in the first part
        if (shape == 4) key = key % 70000;                            // 17 bits, many ties
        items[i] = {key, static_cast<uint32_t>(i)};
      }
      std::vector<KeyRow> expected = items;
      std::stable_sort(expected.begin(), expected.end(),
                       [](const KeyRow& x, const KeyRow& y) { return x.first < y.first; });
      for (const int threads : {1, 2, 3}) {
        std::vector<KeyRow> sorted = items;
        ParallelRadixSortBy(
            sorted, [](const KeyRow& k) { return k.first; }, threads);
        EXPECT_EQ(sorted, expected) << "n " << n << " shape " << shape << " threads " << threads;
      }
    }
  }
}

TEST(RadixSortBy, SortsByTheLowKeyBitsAlone) {
  std::mt19937_64 rng(9);
  std::vector<KeyRow> items(50000);
  for (size_t i = 0; i < items.size(); ++i) items[i] = {rng(), static_cast<uint32_t>(i)};
  auto low = [](const KeyRow& k) { return k.first & 0xFFFFFFFFu; };
  std::vector<KeyRow> expected = items;
  std::stable_sort(expected.begin(), expected.end(),
                   [&](const KeyRow& x, const KeyRow& y) { return low(x) < low(y); });
  RadixSortBy(items, low, 32);
  EXPECT_EQ(items, expected);
}

// Uniform keys, and keys whose top halves collide often (the runs sorted again) with ties.
TEST(RadixSortByHash, EqualsAStableSortByKey) {
  std::mt19937_64 rng(11);
  for (const size_t n : {size_t{0}, size_t{1}, size_t{5000}, size_t{200000}}) {
    for (const int shape : {0, 1, 2, 3, 4}) {
      std::vector<KeyRow> items(n);
      for (size_t i = 0; i < n; ++i) {
        uint64_t key = rng();
        if (shape == 1) key = ((key % 64) << 32) | (rng() % 1000);  // top halves in 64 runs
        if (shape == 2) key = (key >> 32) << 32;                    // low halves all zero
        if (shape == 3) key = Mix64(key % (n / 2 + 1));  // uniform, most keys twice: ties
        if (shape == 4) key = Mix64(key % 40);           // a few keys, thousands of times each
        items[i] = {key, static_cast<uint32_t>(i)};
      }
      std::vector<KeyRow> expected = items;
      std::stable_sort(expected.begin(), expected.end(),
                       [](const KeyRow& x, const KeyRow& y) { return x.first < y.first; });
      RadixSortByHash(items, [](const KeyRow& k) { return k.first; });
      EXPECT_EQ(items, expected) << "n " << n << " shape " << shape;
    }
  }
}

// n (key, row) items, rows 0..n-1, with keys of `shape`: 0 uniform, 3 most keys twice (ties),
// 4 a few keys, many times each.
std::vector<KeyRow> HashRows(size_t n, int shape, std::mt19937_64& rng) {
  std::vector<KeyRow> items(n);
  for (size_t i = 0; i < n; ++i) {
    uint64_t key = rng();
    if (shape == 3) key = Mix64(key % (n / 2 + 1));
    if (shape == 4) key = Mix64(key % 40);
    items[i] = {key, static_cast<uint32_t>(i)};
  }
  return items;
}

// Items already grouped by their keys' top bits (in their given order within a group) sort
// as a stable sort by key of the grouped array would, part by part in place.
TEST(SortHashParts, EqualsAStableSortOfTheGroupedItems) {
  std::mt19937_64 rng(17);
  for (const size_t n : {size_t{0}, size_t{1}, size_t{300}, size_t{200000}}) {
    for (const int shape : {0, 3, 4}) {
      std::vector<KeyRow> items = HashRows(n, shape, rng);
      auto part_of = [](const KeyRow& k) { return k.first >> (64 - kHashPartBits); };
      std::stable_sort(items.begin(), items.end(),
                       [&](const KeyRow& x, const KeyRow& y) { return part_of(x) < part_of(y); });
      HashPartStarts part_start{};
      for (const KeyRow& k : items) ++part_start[part_of(k) + 1];
      for (size_t p = 0; p + 1 < part_start.size(); ++p) part_start[p + 1] += part_start[p];
      std::vector<KeyRow> expected = items;
      std::stable_sort(expected.begin(), expected.end(),
                       [](const KeyRow& x, const KeyRow& y) { return x.first < y.first; });
      SortHashParts(std::span<KeyRow>(items), part_start, [](const KeyRow& k) { return k.first; });
      EXPECT_EQ(items, expected) << "n " << n << " shape " << shape;
    }
  }
}

// PartitionByHashParts groups the items by their keys' top bits in place, keeping every item
// once, and gives the parts' starts; SortHashParts then sorts them by key, as a stable sort
// would up to the order of ties (which the LSH band loop restores by row).
TEST(PartitionByHashParts, GroupsItemsByTheirTopBitsInPlace) {
  std::mt19937_64 rng(23);
  for (const size_t n : {size_t{0}, size_t{1}, size_t{300}, size_t{200000}}) {
    for (const int shape : {0, 3, 4}) {
      std::vector<KeyRow> items = HashRows(n, shape, rng);
      std::vector<KeyRow> expected = items;
      std::sort(expected.begin(), expected.end());
      auto key_of = [](const KeyRow& k) { return k.first; };
      const HashPartStarts part_start = PartitionByHashParts(std::span<KeyRow>(items), key_of);
      EXPECT_EQ(part_start.front(), 0u);
      EXPECT_EQ(part_start.back(), n);
      for (size_t p = 0; p + 1 < part_start.size(); ++p) {
        for (size_t k = part_start[p]; k < part_start[p + 1]; ++k) {
          ASSERT_EQ(items[k].first >> (64 - kHashPartBits), p) << "n " << n << " at " << k;
        }
      }
      SortHashParts(std::span<KeyRow>(items), part_start, key_of);
      std::vector<KeyRow> by_key_then_row = items;
      std::sort(by_key_then_row.begin(), by_key_then_row.end());
      EXPECT_EQ(by_key_then_row, expected) << "every item once; n " << n << " shape " << shape;
      EXPECT_TRUE(
          std::is_sorted(items.begin(), items.end(),
                         [](const KeyRow& x, const KeyRow& y) { return x.first < y.first; }))
          << "n " << n << " shape " << shape;
    }
  }
}

// SortByHashInPlace leaves every item once, in key order, on one thread or two.
TEST(SortByHashInPlace, SortsByKeyKeepingEveryItem) {
  std::mt19937_64 rng(29);
  for (const size_t n : {size_t{0}, size_t{1}, size_t{300}, size_t{200000}}) {
    for (const int shape : {0, 3, 4}) {
      for (const int threads : {1, 2}) {
        std::vector<KeyRow> items = HashRows(n, shape, rng);
        std::vector<KeyRow> expected = items;
        std::sort(expected.begin(), expected.end());
        SortByHashInPlace(
            std::span<KeyRow>(items), [](const KeyRow& k) { return k.first; }, threads);
        EXPECT_TRUE(
            std::is_sorted(items.begin(), items.end(),
                           [](const KeyRow& x, const KeyRow& y) { return x.first < y.first; }))
            << "n " << n << " shape " << shape;
        std::sort(items.begin(), items.end());
        EXPECT_EQ(items, expected) << "n " << n << " shape " << shape;
      }
    }
  }
}

// Sizes around the bucket counts and the comparison-sort fallback; uniform keys, repeated
// keys, and keys alike in their top bits (all in one bucket).
TEST(SortSmallByHash, EqualsAStableSortByKey) {
  std::mt19937_64 rng(13);
  for (const size_t n : {size_t{0}, size_t{1}, size_t{2}, size_t{3}, size_t{100}, size_t{140},
                         size_t{4097}, size_t{40000}}) {
    for (const int shape : {0, 1, 2}) {
      std::vector<KeyRow> items(n);
      for (size_t i = 0; i < n; ++i) {
        uint64_t key = rng();
        if (shape == 1) key = (key % 7) << 58;    // few distinct keys, many ties
        if (shape == 2 && n <= 4097) key >>= 20;  // the top 20 bits zero: one bucket
        items[i] = {key, static_cast<uint32_t>(i)};
      }
      std::vector<KeyRow> expected = items;
      std::stable_sort(expected.begin(), expected.end(),
                       [](const KeyRow& x, const KeyRow& y) { return x.first < y.first; });
      std::vector<KeyRow> sorted;
      SortSmallByHash(
          std::span<const KeyRow>(items), [](const KeyRow& k) { return k.first; }, &sorted);
      EXPECT_EQ(sorted, expected) << "n " << n << " shape " << shape;
    }
  }
}

TEST(RadixSortBy, SortsRowPairsAsStdSortDoes) {
  std::mt19937 rng(3);
  std::vector<std::pair<uint32_t, uint32_t>> pairs(100000);
  for (auto& p : pairs) p = {rng() % 40000, rng() % 40000};
  std::vector<std::pair<uint32_t, uint32_t>> expected = pairs;
  std::sort(expected.begin(), expected.end());
  RadixSortBy(pairs, [](const std::pair<uint32_t, uint32_t>& p) {
    return (static_cast<uint64_t>(p.first) << 32) | p.second;
  });
  EXPECT_EQ(pairs, expected);
}

}  // namespace
}  // namespace claimdiff
