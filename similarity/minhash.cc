#include "similarity/minhash.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "core/parallel.h"
#include "similarity/shingle.h"

namespace claimdiff {

std::vector<uint64_t> MinHashSignature(const std::vector<uint64_t>& set,
                                       const MinHashOptions& options) {
  const size_t n = static_cast<size_t>(options.bands) * static_cast<size_t>(options.rows_per_band);
  std::vector<uint64_t> sig(n, std::numeric_limits<uint64_t>::max());
  for (uint64_t x : set) {
    for (size_t i = 0; i < n; ++i) {
      const uint64_t h = Mix64(x ^ (0x9E3779B97F4A7C15ULL * (i + 1)));
      sig[i] = std::min(sig[i], h);
    }
  }
  return sig;
}

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
                                                       const LshParameters& parameters) {
  const SparseRows& rows = matrix.rows;
  const int64_t n = rows.rows();
  MinHashOptions sig_options = options;
  sig_options.rows_per_band = parameters.rows_per_band;
  const auto r = static_cast<size_t>(parameters.rows_per_band);
  std::vector<std::pair<uint64_t, uint32_t>> keys;
  std::vector<std::pair<float, int32_t>> weights;
  std::vector<uint64_t> set;
  for (int64_t i = 0; i < n; ++i) {
    if (!eligible.empty() && !eligible[static_cast<size_t>(i)]) continue;
    weights.clear();
    for (SparseRows::InnerIterator it(rows, i); it; ++it) {
      const auto col = static_cast<size_t>(it.col());
      if (df[col] <= parameters.max_df && matrix.types[col] != ShingleType::kChar) {
        weights.emplace_back(it.value(), it.col());
      }
    }
    if (weights.empty()) continue;
    const size_t k = std::min(weights.size(), static_cast<size_t>(options.top_features));
    std::partial_sort(weights.begin(), weights.begin() + static_cast<std::ptrdiff_t>(k),
                      weights.end(), [](const auto& x, const auto& y) {
                        return x.first != y.first ? x.first > y.first : x.second < y.second;
                      });
    set.clear();
    for (size_t j = 0; j < k; ++j) {
      set.push_back(matrix.columns[static_cast<size_t>(weights[j].second)]);
    }
    const std::vector<uint64_t> sig = MinHashSignature(set, sig_options);
    for (size_t b = 0; b < static_cast<size_t>(options.bands); ++b) {
      uint64_t key = Mix64(b + 1);
      for (size_t j = 0; j < r; ++j) key = Mix64(key ^ sig[b * r + j]);
      keys.emplace_back(key, static_cast<uint32_t>(i));
    }
  }
  return keys;
}

std::vector<ScoredPair> MinHashLshCandidates::Generate(const SparseRows& rows,
                                                       const std::vector<uint8_t>& eligible,
                                                       float min_similarity) const {
  const int64_t n = rows.rows();
  // Document frequency of each column among eligible rows, to leave common features out.
  std::vector<uint32_t> df(static_cast<size_t>(rows.cols()), 0);
  size_t eligible_rows = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (!eligible.empty() && !eligible[static_cast<size_t>(i)]) continue;
    ++eligible_rows;
    for (SparseRows::InnerIterator it(rows, i); it; ++it) ++df[static_cast<size_t>(it.col())];
  }
  std::vector<std::pair<uint64_t, uint32_t>> keys =
      LshBandKeys(matrix_, eligible, df, options_, LshParametersFor(eligible_rows, options_));
  std::sort(keys.begin(), keys.end());
  std::vector<std::pair<uint32_t, uint32_t>> candidates;
  for (size_t start = 0; start < keys.size();) {
    size_t end = start + 1;
    while (end < keys.size() && keys[end].first == keys[start].first) ++end;
    if (end - start > 1 && end - start <= static_cast<size_t>(options_.max_bucket)) {
      for (size_t a = start; a < end; ++a) {
        for (size_t b = a + 1; b < end; ++b) {
          candidates.emplace_back(keys[a].second, keys[b].second);  // rows ascend within a key
        }
      }
    }
    start = end;
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  // Verify in blocks on several threads; blocks are joined in order.
  const size_t blocks = std::max<size_t>(1, std::min<size_t>(candidates.size() / 4096 + 1, 64));
  std::vector<std::vector<ScoredPair>> verified(blocks);
  ParallelFor(blocks, threads_, [&](size_t begin, size_t end) {
    for (size_t blk = begin; blk < end; ++blk) {
      const size_t from = candidates.size() * blk / blocks;
      const size_t to = candidates.size() * (blk + 1) / blocks;
      for (size_t k = from; k < to; ++k) {
        const auto [a, b] = candidates[k];
        const float sim = Cosine(rows, a, b);
        if (sim >= min_similarity) verified[blk].push_back({a, b, sim});
      }
    }
  });
  std::vector<ScoredPair> out;
  for (auto& v : verified) out.insert(out.end(), v.begin(), v.end());
  return out;
}

}  // namespace claimdiff
