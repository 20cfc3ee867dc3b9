// A stable LSD radix sort by a 64-bit key, for the large sorts of candidate generation: MinHash
// band keys of every span, and the candidate pairs of all bands (millions of items, where
// std::sort's comparisons and mispredicted branches dominate).
//
//   RadixSortBy(keys, [](const std::pair<uint64_t, uint32_t>& k) { return k.first; });
//
// Sixteen bits a pass; a pass whose digit is the same for every item is skipped (the high
// bits of row pairs). Items with equal keys keep their input order, so (key, row) pairs whose
// rows ascend in the input come out in std::sort's order. Holds a second copy of the items
// while it runs.
#ifndef CLAIMDIFF_CORE_RADIX_SORT_H_
#define CLAIMDIFF_CORE_RADIX_SORT_H_

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/parallel.h"

namespace claimdiff {

// `key_bits`: the key's significant low bits (16, 32, 48 or 64); the passes above are not made.
template <typename T, typename KeyOf>
void RadixSortBy(std::vector<T>& items, const KeyOf& key_of, int key_bits = 64) {
  const size_t n = items.size();
  // Below this, one comparison sort beats four passes over a 64k-entry histogram.
  constexpr size_t kRadixFrom = 1 << 14;
  if (n < kRadixFrom) {
    std::stable_sort(items.begin(), items.end(),
                     [&](const T& x, const T& y) { return key_of(x) < key_of(y); });
    return;
  }
  constexpr int kBits = 16;
  constexpr uint64_t kMask = (uint64_t{1} << kBits) - 1;
  std::vector<T> buffer(n);
  std::vector<size_t> start(size_t{1} << kBits);
  for (int shift = 0; shift < key_bits; shift += kBits) {
    std::fill(start.begin(), start.end(), 0);
    for (const T& x : items) ++start[(key_of(x) >> shift) & kMask];
    if (start[(key_of(items[0]) >> shift) & kMask] == n) continue;  // nothing would move
    size_t sum = 0;
    for (size_t& s : start) {
      const size_t count = s;
      s = sum;
      sum += count;
    }
    for (const T& x : items) buffer[start[(key_of(x) >> shift) & kMask]++] = x;
    items.swap(buffer);
  }
}

// Splits `items` by the top eight bits of the largest key's width (a stable counting pass,
// blocks on `threads` threads, 0: all cores), then calls `sort_part(part, low_bits)` for each
// part, the parts on all threads: `part` is a vector of the part's items in input order, to be
// sorted in place, whose keys agree above their `low_bits` low bits (0, 16, 32, 48 or 64). The
// items end up in key order, each part as sort_part leaves it. On one thread, or below
// kSplitFrom items, sort_part(items, 64) sorts them all at once. Holds the items twice, and one
// part more, while it runs.
inline constexpr size_t kSplitFrom = size_t{1} << 18;
template <typename T, typename KeyOf, typename SortPart>
void SortByTopBitsThen(std::vector<T>& items, const KeyOf& key_of, int threads,
                       const SortPart& sort_part) {
  const size_t n = items.size();
  if (ThreadCount(threads) <= 1 || n < kSplitFrom) {
    sort_part(items, 64);
    return;
  }
  uint64_t largest = 0;
  for (const T& x : items) largest = std::max(largest, key_of(x));
  constexpr int kTopBits = 8;
  constexpr size_t kParts = size_t{1} << kTopBits;
  const int width = std::bit_width(largest);
  const int shift = std::max(0, width - kTopBits);
  auto part_of = [&](const T& x) { return static_cast<size_t>(key_of(x) >> shift); };
  // Fixed blocks of the input, each with its own count of every part.
  const size_t blocks = static_cast<size_t>(ThreadCount(threads)) * 4;
  auto block_start = [&](size_t b) { return n * b / blocks; };
  std::vector<size_t> count(blocks * kParts, 0);
  ParallelFor(blocks, threads, [&](size_t begin, size_t end) {
    for (size_t b = begin; b < end; ++b) {
      for (size_t k = block_start(b); k < block_start(b + 1); ++k) {
        ++count[b * kParts + part_of(items[k])];
      }
    }
  });
  // Part p's items, block by block in input order: [part_start[p], part_start[p + 1]).
  std::vector<size_t> part_start(kParts + 1, 0);
  {
    size_t sum = 0;
    for (size_t p = 0; p < kParts; ++p) {
      part_start[p] = sum;
      for (size_t b = 0; b < blocks; ++b) {
        const size_t c = count[b * kParts + p];
        count[b * kParts + p] = sum;
        sum += c;
      }
    }
    part_start[kParts] = sum;
  }
  std::vector<T> buffer(n);
  ParallelFor(blocks, threads, [&](size_t begin, size_t end) {
    for (size_t b = begin; b < end; ++b) {
      for (size_t k = block_start(b); k < block_start(b + 1); ++k) {
        buffer[count[b * kParts + part_of(items[k])]++] = items[k];
      }
    }
  });
  std::vector<size_t>().swap(count);
  const int low_bits = std::min(64, (shift + 15) / 16 * 16);
  ParallelFor(kParts, threads, [&](size_t begin, size_t end) {
    std::vector<T> part;
    for (size_t p = begin; p < end; ++p) {
      const auto from = static_cast<std::ptrdiff_t>(part_start[p]);
      const auto to = static_cast<std::ptrdiff_t>(part_start[p + 1]);
      part.assign(buffer.begin() + from, buffer.begin() + to);
      if (part.size() > 1) sort_part(part, low_bits);
      std::copy(part.begin(), part.end(), items.begin() + from);
    }
  });
}

// RadixSortBy's order on `threads` threads (0: all cores), for the large sorts whose input is
// one vector: SortByTopBitsThen with RadixSortBy on the bits below for each part.
template <typename T, typename KeyOf>
void ParallelRadixSortBy(std::vector<T>& items, const KeyOf& key_of, int threads) {
  SortByTopBitsThen(items, key_of, threads, [&](std::vector<T>& part, int low_bits) {
    if (low_bits > 0) RadixSortBy(part, key_of, low_bits);
  });
}

// RadixSortBy's order for keys that are uniform hashes, in two passes that stay in the cache:
// a stable counting pass on the keys' top 8 bits puts the items in 256 parts (a part of a few
// million items is a few hundred KB, cache-sized); each part is then placed by its next bits in
// about one bucket per two items, within the part's own stretch, and each bucket is sorted by
// the whole key (an insertion sort, or a stable comparison sort for a bucket too full, as keys
// that are not uniform make). Sixteen-bit passes over the whole array scattered each item to
// one of 65,536 places far apart: a cache and TLB miss per item.
namespace radix_internal {

// RadixSortByHash's order for one part (items whose keys share their top kTopBits bits): `from`
// placed in `to` (as many items) by the keys' next bits, each bucket then sorted by the whole
// key. `start` is scratch.
template <int kTopBits, typename T, typename KeyOf>
void PlaceHashPart(std::span<const T> from, std::span<T> to, const KeyOf& key_of,
                   std::vector<uint32_t>& start) {
  auto less = [&](const T& x, const T& y) { return key_of(x) < key_of(y); };
  const size_t size = from.size();
  if (size == 0) return;
  // A bucket of more items than this is sorted by comparisons, not by insertion.
  constexpr size_t kInsertionUpTo = 32;
  const int bits = std::clamp(static_cast<int>(std::bit_width(size)) - 1, 1, 16);
  const int shift = 64 - kTopBits - bits;
  const uint64_t mask = (uint64_t{1} << bits) - 1;
  auto bucket_of = [&](const T& x) { return static_cast<size_t>((key_of(x) >> shift) & mask); };
  start.assign((size_t{1} << bits) + 1, 0);
  for (const T& x : from) ++start[bucket_of(x) + 1];
  for (size_t b = 0; b + 1 < start.size(); ++b) start[b + 1] += start[b];
  for (const T& x : from) to[start[bucket_of(x)]++] = x;
  // start[b] is now bucket b's end, and bucket b starts where bucket b - 1 ends.
  size_t bucket_begin = 0;
  for (size_t b = 0; b + 1 < start.size(); ++b) {
    const size_t bucket_end = start[b];
    if (bucket_end - bucket_begin > kInsertionUpTo) {
      std::stable_sort(to.begin() + static_cast<std::ptrdiff_t>(bucket_begin),
                       to.begin() + static_cast<std::ptrdiff_t>(bucket_end), less);
    } else {
      for (size_t i = bucket_begin + 1; i < bucket_end; ++i) {
        if (!less(to[i], to[i - 1])) continue;
        T x = to[i];
        size_t j = i;
        for (; j > bucket_begin && less(x, to[j - 1]); --j) to[j] = to[j - 1];
        to[j] = x;
      }
    }
    bucket_begin = bucket_end;
  }
}

}  // namespace radix_internal

// The parts of a hash sort: items whose keys are uniform hashes, grouped by their keys' top
// kHashPartBits bits.
inline constexpr int kHashPartBits = 8;
using HashPartStarts = std::array<size_t, (size_t{1} << kHashPartBits) + 1>;

// RadixSortByHash's order for keys that are uniform hashes, in two passes that stay in the cache:
// a stable counting pass on the keys' top 8 bits puts the items in 256 parts (a part of a few
// million items is a few hundred KB, cache-sized); each part is then placed by its next bits in
// about one bucket per two items, within the part's own stretch, and each bucket is sorted by
// the whole key (an insertion sort, or a stable comparison sort for a bucket too full, as keys
// that are not uniform make). Sixteen-bit passes over the whole array scattered each item to
// one of 65,536 places far apart: a cache and TLB miss per item.
template <typename T, typename KeyOf>
void RadixSortByHash(std::vector<T>& items, const KeyOf& key_of) {
  const size_t n = items.size();
  auto less = [&](const T& x, const T& y) { return key_of(x) < key_of(y); };
  constexpr size_t kRadixFrom = 1 << 14;
  if (n < kRadixFrom) {
    std::stable_sort(items.begin(), items.end(), less);
    return;
  }
  constexpr size_t kParts = size_t{1} << kHashPartBits;
  HashPartStarts part_start{};
  for (const T& x : items) ++part_start[(key_of(x) >> (64 - kHashPartBits)) + 1];
  for (size_t p = 0; p < kParts; ++p) part_start[p + 1] += part_start[p];
  std::vector<T> buffer(n);
  {
    std::array<size_t, kParts> next{};
    std::copy(part_start.begin(), part_start.end() - 1, next.begin());
    for (const T& x : items) buffer[next[key_of(x) >> (64 - kHashPartBits)]++] = x;
  }
  std::vector<uint32_t> start;
  for (size_t p = 0; p < kParts; ++p) {
    const size_t from = part_start[p];
    const size_t size = part_start[p + 1] - from;
    radix_internal::PlaceHashPart<kHashPartBits>(std::span<const T>(buffer).subspan(from, size),
                                                 std::span<T>(items).subspan(from, size), key_of,
                                                 start);
  }
}

// Groups `items` in place by their keys' top kHashPartBits bits (an American flag pass: each
// item is swapped straight into its part), with no scratch; returns the parts' starts, as
// SortHashParts takes them. The order within a part is not kept.
template <typename T, typename KeyOf>
HashPartStarts PartitionByHashParts(std::span<T> items, const KeyOf& key_of) {
  constexpr size_t kParts = size_t{1} << kHashPartBits;
  auto part_of = [&](const T& x) { return static_cast<size_t>(key_of(x) >> (64 - kHashPartBits)); };
  HashPartStarts part_start{};
  for (const T& x : items) ++part_start[part_of(x) + 1];
  for (size_t p = 0; p < kParts; ++p) part_start[p + 1] += part_start[p];
  std::array<size_t, kParts> next{};
  std::copy(part_start.begin(), part_start.end() - 1, next.begin());
  for (size_t p = 0; p < kParts; ++p) {
    while (next[p] < part_start[p + 1]) {
      T item = items[next[p]];
      size_t q = part_of(item);
      // Follow the cycle: each item displaced goes to its own part's next free place.
      while (q != p) {
        std::swap(item, items[next[q]++]);
        q = part_of(item);
      }
      items[next[p]++] = item;
    }
  }
  return part_start;
}

// RadixSortByHash's order for items already in their parts (part p, [part_start[p],
// part_start[p + 1]), holds the items whose keys' top kHashPartBits bits are p; in any order
// within a part, which is the order ties keep): each part sorted in place, with scratch of one
// part's size rather than of all the items. Parts on `threads` threads (the same order for any
// number).
template <typename T, typename KeyOf>
void SortHashParts(std::span<T> items, const HashPartStarts& part_start, const KeyOf& key_of,
                   int threads = 1) {
  ParallelFor(part_start.size() - 1, threads, [&](size_t begin, size_t end) {
    std::vector<T> part;
    std::vector<uint32_t> start;
    for (size_t p = begin; p < end; ++p) {
      const size_t from = part_start[p];
      const size_t size = part_start[p + 1] - from;
      part.assign(items.begin() + static_cast<std::ptrdiff_t>(from),
                  items.begin() + static_cast<std::ptrdiff_t>(from + size));
      radix_internal::PlaceHashPart<kHashPartBits>(std::span<const T>(part),
                                                   items.subspan(from, size), key_of, start);
    }
  });
}

// Sorts items keyed by uniform hashes by key in place: PartitionByHashParts, then
// SortHashParts. Scratch of one part's size, not of all the items (a large array, such as a
// hash table's keys or one LSH band's, is never held twice); ties end in no particular order.
template <typename T, typename KeyOf>
void SortByHashInPlace(std::span<T> items, const KeyOf& key_of, int threads = 1) {
  SortHashParts(items, PartitionByHashParts(items, key_of), key_of, threads);
}

// A stable sort for a few hundred items keyed by uniform hashes (a span's shingles), where
// std::sort's comparisons mispredict: one counting pass places each item in a bucket of its
// key's top bits (about one item per bucket), then an insertion sort, which has only the
// order within buckets left to fix. Sorts into `out` (resized to items.size()); the same order
// as std::stable_sort by key.
template <typename T, typename KeyOf>
void SortSmallByHash(std::span<const T> items, const KeyOf& key_of, std::vector<T>* out) {
  const size_t n = items.size();
  // Buckets: the power of two at or above n, at most 2^12; beyond eight items a bucket (a
  // gigantic span), the insertion sort would be quadratic: a comparison sort instead.
  constexpr size_t kMaxItems = size_t{8} << 12;
  if (n > kMaxItems) {
    out->assign(items.begin(), items.end());
    std::stable_sort(out->begin(), out->end(),
                     [&](const T& x, const T& y) { return key_of(x) < key_of(y); });
    return;
  }
  out->resize(n);  // every item is placed below
  if (n == 0) return;
  const int bits = std::min(12, std::max(1, static_cast<int>(std::bit_width(n - 1))));
  const int shift = 64 - bits;
  // Only the buckets in use are cleared: the whole array is 16 KB, and a sentence of a hundred
  // shingles uses 129 of them.
  std::array<uint32_t, (1 << 12) + 1> start;
  std::fill_n(start.begin(), (size_t{1} << bits) + 1, 0u);
  for (const T& x : items) ++start[(key_of(x) >> shift) + 1];
  for (size_t b = 1; b <= (size_t{1} << bits); ++b) start[b] += start[b - 1];
  for (const T& x : items) (*out)[start[key_of(x) >> shift]++] = x;
  for (size_t i = 1; i < n; ++i) {
    if (!(key_of((*out)[i]) < key_of((*out)[i - 1]))) continue;
    T x = (*out)[i];
    size_t j = i;
    for (; j > 0 && key_of(x) < key_of((*out)[j - 1]); --j) (*out)[j] = (*out)[j - 1];
    (*out)[j] = x;
  }
}

}  // namespace claimdiff

#endif  // CLAIMDIFF_CORE_RADIX_SORT_H_
