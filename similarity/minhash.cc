#include "similarity/minhash.h"

#include <algorithm>
#include <atomic>
#include <limits>
#include <utility>

#include "core/hash.h"
#include "core/parallel.h"
#include "core/radix_sort.h"
#include "similarity/shingle.h"

namespace claimdiff {

std::vector<uint64_t> MinHashSignature(const std::vector<uint64_t>& set,
                                       const MinHashOptions& options) {
  const size_t n = static_cast<size_t>(options.bands) * static_cast<size_t>(options.rows_per_band);
  std::vector<uint64_t> sig(n);
  for (size_t i = 0; i < n; ++i) {
    sig[i] = MinMix64(set, 0x9E3779B97F4A7C15ULL * (i + 1));
  }
  return sig;
}

namespace {

// The hashed features of every eligible row that has any, flat: set k is row rows[k]'s, its
// stable hashes hashes[begin[k] .. begin[k + 1]): the row's top_features heaviest word-level
// features whose df is at most max_df, by weight, ties by column.
struct HashedSets {
  std::vector<uint32_t> rows;
  std::vector<size_t> begin{0};
  std::vector<uint64_t> hashes;
};

// Which columns may be hashed, one bit each: word-level features whose df is at most max_df.
// 2.5 MB for 20M columns, where the df and type arrays they come from are 100 MB and missed the
// cache on every entry of every row.
std::vector<uint64_t> HashableColumns(const TfidfMatrix& matrix, const std::vector<uint32_t>& df,
                                      uint32_t max_df, int threads) {
  std::vector<uint64_t> hashable_bits((df.size() + 63) / 64, 0);
  ParallelFor(hashable_bits.size(), threads, [&](size_t begin, size_t end) {
    for (size_t w = begin; w < end; ++w) {
      uint64_t bits = 0;
      for (size_t col = w * 64; col < std::min(df.size(), w * 64 + 64); ++col) {
        if (df[col] <= max_df && matrix.types[col] != ShingleType::kChar) {
          bits |= uint64_t{1} << (col & 63);
        }
      }
      hashable_bits[w] = bits;
    }
  });
  return hashable_bits;
}

// Reads only the matrix's rows and column hashes.
HashedSets SetsOf(const TfidfMatrix& matrix, const std::vector<uint8_t>& eligible,
                  const std::vector<uint64_t>& hashable_bits, const MinHashOptions& options,
                  int threads) {
  const SparseRows& rows = matrix.rows;
  const auto n = static_cast<size_t>(rows.rows());
  const auto top = static_cast<size_t>(options.top_features);
  auto hashable = [&](size_t col) { return ((hashable_bits[col >> 6] >> (col & 63)) & 1) != 0; };
  // Each row's set size first, then every set written in place, rows on several threads.
  std::vector<size_t> size(n, 0);
  ParallelFor(n, threads, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      if (!eligible.empty() && !eligible[i]) continue;
      size_t count = 0;
      for (SparseRows::InnerIterator it(rows, static_cast<int64_t>(i)); it; ++it) {
        count += hashable(static_cast<size_t>(it.col()));
      }
      size[i] = std::min(count, top);
    }
  });
  HashedSets sets;
  for (size_t i = 0; i < n; ++i) {
    if (size[i] == 0) continue;
    sets.rows.push_back(static_cast<uint32_t>(i));
    sets.begin.push_back(sets.begin.back() + size[i]);
  }
  sets.hashes.resize(sets.begin.back());
  ParallelFor(sets.rows.size(), threads, [&](size_t begin, size_t end) {
    std::vector<std::pair<float, int32_t>> weights;
    for (size_t k = begin; k < end; ++k) {
      const int64_t i = sets.rows[k];
      weights.clear();
      for (SparseRows::InnerIterator it(rows, i); it; ++it) {
        if (hashable(static_cast<size_t>(it.col()))) weights.emplace_back(it.value(), it.col());
      }
      const size_t top_k = sets.begin[k + 1] - sets.begin[k];
      std::partial_sort(weights.begin(), weights.begin() + static_cast<std::ptrdiff_t>(top_k),
                        weights.end(), [](const auto& x, const auto& y) {
                          return x.first != y.first ? x.first > y.first : x.second < y.second;
                        });
      for (size_t j = 0; j < top_k; ++j) {
        sets.hashes[sets.begin[k] + j] = matrix.columns[static_cast<size_t>(weights[j].second)];
      }
    }
  });
  return sets;
}

// The key of band b of set k: the band's r MinHash values (those MinHashSignature gives for
// hash functions b * r .. b * r + r - 1) folded with the band's seed.
uint64_t BandKey(const HashedSets& sets, size_t k, size_t b, size_t r) {
  uint64_t key = Mix64(b + 1);
  for (size_t j = 0; j < r; ++j) {
    const uint64_t salt = 0x9E3779B97F4A7C15ULL * (b * r + j + 1);
    const uint64_t min_hash = MinMix64(
        std::span(sets.hashes).subspan(sets.begin[k], sets.begin[k + 1] - sets.begin[k]), salt);
    key = Mix64(key ^ min_hash);
  }
  return key;
}

using RowPair = std::pair<uint32_t, uint32_t>;

// Appends to `found` the pairs of band b: the rows sharing the band's key, in buckets of at most
// max_bucket rows. `keys` is scratch of one entry per set.
void BandPairs(const HashedSets& sets, size_t b, size_t r, int max_bucket,
               std::vector<std::pair<uint64_t, uint32_t>>& keys, std::vector<RowPair>* found) {
  for (size_t k = 0; k < sets.rows.size(); ++k) keys[k] = {BandKey(sets, k, b, r), sets.rows[k]};
  // The (key, row) order, sorted in place, then rows put in order within each run of one key.
  // A radix sort with scratch of the whole array (16 bytes per set, on each thread) beside the
  // keys was the candidates stage's peak at 100,000 documents.
  SortByHashInPlace(std::span(keys),
                    [](const std::pair<uint64_t, uint32_t>& k) { return k.first; });
  for (size_t k = 0; k < keys.size();) {
    size_t stop = k + 1;
    while (stop < keys.size() && keys[stop].first == keys[k].first) ++stop;
    if (stop - k > 1) {
      std::sort(keys.begin() + static_cast<std::ptrdiff_t>(k),
                keys.begin() + static_cast<std::ptrdiff_t>(stop));
    }
    k = stop;
  }
  BucketPairs(keys, max_bucket, found);
}

// Distinct candidate pairs in order, each with the number of bands that gave it (saturating).
struct Tally {
  std::vector<RowPair> pairs;
  std::vector<uint16_t> bands;
};

// `tally` with the pairs of a round of bands added: `fresh`, sorted, holds each band's pairs
// once, so a run of one pair is the number of the round's bands that gave it.
Tally AddToTally(const std::vector<RowPair>& fresh, const Tally& tally) {
  Tally merged;
  merged.pairs.reserve(tally.pairs.size() + fresh.size());
  merged.bands.reserve(tally.pairs.size() + fresh.size());
  auto keep = [&](size_t x) {
    merged.pairs.push_back(tally.pairs[x]);
    merged.bands.push_back(tally.bands[x]);
  };
  size_t x = 0;
  for (size_t k = 0; k < fresh.size();) {
    size_t stop = k + 1;
    while (stop < fresh.size() && fresh[stop] == fresh[k]) ++stop;
    while (x < tally.pairs.size() && tally.pairs[x] < fresh[k]) keep(x++);
    size_t count = stop - k;
    if (x < tally.pairs.size() && tally.pairs[x] == fresh[k]) count += tally.bands[x++];
    merged.pairs.push_back(fresh[k]);
    merged.bands.push_back(static_cast<uint16_t>(std::min<size_t>(count, UINT16_MAX)));
    k = stop;
  }
  while (x < tally.pairs.size()) keep(x++);
  merged.pairs.shrink_to_fit();
  merged.bands.shrink_to_fit();
  return merged;
}

}  // namespace

LshParameters LshParametersFor(size_t comparable_rows, const MinHashOptions& options) {
  const bool large = comparable_rows > static_cast<size_t>(options.common_scale_rows);
  const double scale =
      large ? static_cast<double>(options.common_scale_rows) / static_cast<double>(comparable_rows)
            : 1.0;
  LshParameters p;
  p.max_df = static_cast<uint32_t>(
      std::max<double>(options.common_floor_rows, options.common_min_rows * scale));
  p.rows_per_band = large ? options.large_rows_per_band : options.rows_per_band;
  return p;
}

std::vector<std::pair<uint64_t, uint32_t>> LshBandKeys(const TfidfMatrix& matrix,
                                                       const std::vector<uint8_t>& eligible,
                                                       const std::vector<uint32_t>& df,
                                                       const MinHashOptions& options,
                                                       const LshParameters& parameters,
                                                       int threads) {
  const HashedSets sets = SetsOf(
      matrix, eligible, HashableColumns(matrix, df, parameters.max_df, threads), options, threads);
  const auto r = static_cast<size_t>(parameters.rows_per_band);
  const auto bands = static_cast<size_t>(options.bands);
  std::vector<std::pair<uint64_t, uint32_t>> keys(sets.rows.size() * bands);
  ParallelFor(sets.rows.size(), threads, [&](size_t begin, size_t end) {
    for (size_t k = begin; k < end; ++k) {
      for (size_t b = 0; b < bands; ++b)
        keys[k * bands + b] = {BandKey(sets, k, b, r), sets.rows[k]};
    }
  });
  return keys;
}

std::vector<ScoredPair> MinHashLshCandidates::Generate(const SparseRows& rows,
                                                       const std::vector<uint8_t>& eligible,
                                                       float min_similarity) const {
  const int64_t n = rows.rows();
  size_t eligible_rows = 0;
  for (int64_t i = 0; i < n; ++i) {
    eligible_rows += eligible.empty() || eligible[static_cast<size_t>(i)] ? 1 : 0;
  }
  // Document frequency of each column among eligible rows, to leave common features out: as
  // given, or rows on all threads counting into one array (exact integers: the same for any
  // thread count).
  std::vector<uint32_t> counted;
  if (eligible_df_ == nullptr) {
    counted.assign(static_cast<size_t>(rows.cols()), 0);
    ParallelFor(static_cast<size_t>(n), threads_, [&](size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) {
        if (!eligible.empty() && !eligible[i]) continue;
        const SparseView row = RowView(rows, static_cast<int64_t>(i));
        for (size_t k = 0; k < row.size; ++k) {
          std::atomic_ref<uint32_t>(counted[static_cast<size_t>(row.index[k])])
              .fetch_add(1, std::memory_order_relaxed);
        }
      }
    });
  }
  const std::vector<uint32_t>& df = eligible_df_ != nullptr ? *eligible_df_ : counted;
  const LshParameters parameters = LshParametersFor(eligible_rows, options_);
  const auto r = static_cast<size_t>(parameters.rows_per_band);
  std::vector<uint64_t> hashable = HashableColumns(matrix_, df, parameters.max_df, threads_);
  std::vector<uint32_t>().swap(counted);
  if (columns_read_) columns_read_(ColumnsRead::kFrequencies);
  HashedSets sets = SetsOf(matrix_, eligible, hashable, options_, threads_);
  std::vector<uint64_t>().swap(hashable);
  if (columns_read_) columns_read_(ColumnsRead::kAll);
  // One band at a time, bands on several threads: the band's key of every set (the values
  // MinHashSignature gives for the band's hash functions), sorted; rows sharing a key are
  // candidates. Per band, not all (key, row) pairs at once: 16 bytes per row per thread
  // rather than per row and band. (Keys of different bands are told apart by their seeds.)
  const auto bands = static_cast<size_t>(options_.bands);
  // A band's pairs are put in parts by their first row, kParts ranges of rows. After each round
  // of kRoundBands bands, each part's new pairs join its tally: its distinct pairs so far in
  // order, each with the number of bands that gave it. Most pairs come again in band after band
  // (a near-copy meets its twin in most of them): the tally holds each once, where keeping
  // every band's pairs until the end held 37M pairs for 5M distinct ones at 100,000 documents.
  constexpr size_t kParts = 16;
  constexpr size_t kRoundBands = 8;
  auto part_of = [&](uint32_t row) {
    return static_cast<size_t>(row) * kParts / std::max<size_t>(static_cast<size_t>(n), 1);
  };
  std::vector<Tally> tally(kParts);
  for (size_t round = 0; round < bands; round += kRoundBands) {
    const size_t round_bands = std::min(kRoundBands, bands - round);
    std::vector<std::vector<std::vector<RowPair>>> per_band(
        round_bands, std::vector<std::vector<RowPair>>(kParts));
    ParallelFor(round_bands, threads_, [&](size_t begin, size_t end) {
      std::vector<std::pair<uint64_t, uint32_t>> keys(sets.rows.size());
      std::vector<RowPair> found;
      for (size_t j = begin; j < end; ++j) {
        found.clear();
        BandPairs(sets, round + j, r, options_.max_bucket, keys, &found);
        std::vector<size_t> sizes(kParts, 0);
        for (const RowPair& pair : found) ++sizes[part_of(pair.first)];
        for (size_t p = 0; p < kParts; ++p) per_band[j][p].reserve(sizes[p]);
        for (const RowPair& pair : found) per_band[j][part_of(pair.first)].push_back(pair);
      }
    });
    // Each part on one thread: the round's pairs sorted, then added to the part's tally.
    ParallelFor(kParts, threads_, [&](size_t begin, size_t end) {
      for (size_t p = begin; p < end; ++p) {
        size_t total = 0;
        for (size_t j = 0; j < round_bands; ++j) total += per_band[j][p].size();
        std::vector<RowPair> fresh;
        fresh.reserve(total);
        for (size_t j = 0; j < round_bands; ++j) {
          fresh.insert(fresh.end(), per_band[j][p].begin(), per_band[j][p].end());
          std::vector<RowPair>().swap(per_band[j][p]);
        }
        RadixSortBy(fresh, [](const RowPair& x) {
          return (static_cast<uint64_t>(x.first) << 32) | x.second;
        });
        tally[p] = AddToTally(fresh, tally[p]);
      }
    });
  }
  std::vector<uint64_t>().swap(sets.hashes);
  // Parts are row ranges in order, each in order: the candidates come out sorted.
  const auto min_bands =
      std::min<size_t>(static_cast<size_t>(std::max(1, options_.min_shared_bands)), UINT16_MAX);
  size_t total = 0;
  for (const Tally& t : tally) {
    for (uint16_t count : t.bands) total += count >= min_bands;
  }
  std::vector<RowPair> candidates;
  candidates.reserve(total);
  for (Tally& t : tally) {
    for (size_t k = 0; k < t.pairs.size(); ++k) {
      if (t.bands[k] >= min_bands) candidates.push_back(t.pairs[k]);
    }
    t = Tally();
  }
  return VerifyCandidates(rows, candidates, min_similarity, threads_);
}

void BucketPairs(const std::vector<std::pair<uint64_t, uint32_t>>& keys, int max_bucket,
                 std::vector<std::pair<uint32_t, uint32_t>>* out) {
  for (size_t start = 0; start < keys.size();) {
    size_t stop = start + 1;
    while (stop < keys.size() && keys[stop].first == keys[start].first) ++stop;
    if (stop - start > 1 && stop - start <= static_cast<size_t>(max_bucket)) {
      for (size_t a = start; a < stop; ++a) {
        for (size_t c = a + 1; c < stop; ++c) {
          out->emplace_back(keys[a].second, keys[c].second);  // rows ascend within a key
        }
      }
    }
    start = stop;
  }
}

std::vector<ScoredPair> VerifyCandidates(
    const SparseRows& rows, const std::vector<std::pair<uint32_t, uint32_t>>& candidates,
    float min_similarity, int threads) {
  // Verify in blocks on several threads; blocks are joined in order.
  const size_t blocks = std::max<size_t>(1, std::min<size_t>(candidates.size() / 4096 + 1, 64));
  std::vector<std::vector<ScoredPair>> verified(blocks);
  ParallelFor(blocks, threads, [&](size_t begin, size_t end) {
    for (size_t blk = begin; blk < end; ++blk) {
      const size_t from = candidates.size() * blk / blocks;
      const size_t to = candidates.size() * (blk + 1) / blocks;
      constexpr size_t kAhead = 8;
      DotProbe probe;         // row a, for its run of candidates (the same sums as Cosine)
      size_t run_end = from;  // the end of the current row's run of candidates
      for (size_t k = from; k < to; ++k) {
        if (k + kAhead < to) PrefetchRow(rows, candidates[k + kAhead].second);
        const auto [a, b] = candidates[k];
        if (k == run_end) {
          while (run_end < to && candidates[run_end].first == a) ++run_end;
          probe.Reset(RowView(rows, a), run_end - k);
        }
        const float sim = probe.Dot(RowView(rows, b));
        if (sim >= min_similarity) verified[blk].push_back({a, b, sim});
      }
    }
  });
  // Joined at their total size, each block released once copied: the joined pairs and the
  // blocks are held side by side only a block at a time (growing `out` by doubling held two
  // copies of most of them).
  size_t total = 0;
  for (const auto& v : verified) total += v.size();
  std::vector<ScoredPair> out;
  out.reserve(total);
  for (auto& v : verified) {
    out.insert(out.end(), v.begin(), v.end());
    std::vector<ScoredPair>().swap(v);
  }
  return out;
}

}  // namespace claimdiff
