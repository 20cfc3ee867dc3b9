#include "similarity/tfidf.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_map.h"
#include "core/parallel.h"

namespace claimdiff {
namespace {

// The unit-length weights of one row, as (key, weight) in shingle order; shingles whose
// `key_of(k)` is negative (not a column) are skipped. `idf_of(k)` is the idf of shingles[k].
template <typename Key, typename KeyOf, typename IdfOf>
void UnitEntries(const std::vector<Shingle>& shingles, const TfidfOptions& options,
                 const KeyOf& key_of, const IdfOf& idf_of,
                 std::vector<std::pair<Key, float>>* entries) {
  const float type_weight[kShingleTypes] = {options.word_weight, options.bigram_weight,
                                            options.char_weight, options.skeleton_weight,
                                            options.number_weight};
  entries->clear();
  double norm = 0;
  for (size_t k = 0; k < shingles.size(); ++k) {
    const Shingle& s = shingles[k];
    const Key key = key_of(k);
    if (key < 0) continue;
    const float w = type_weight[static_cast<int>(s.type)] *
                    (1.0f + std::log(static_cast<float>(s.count))) * idf_of(k);
    if (w <= 0) continue;
    entries->emplace_back(key, w);
    norm += static_cast<double>(w) * w;
  }
  if (norm <= 0) {
    entries->clear();
    return;
  }
  const auto inv = static_cast<float>(1.0 / std::sqrt(norm));
  for (auto& e : *entries) e.second *= inv;
}

}  // namespace

TfidfMatrix BuildTfidf(const std::vector<std::vector<Shingle>>& shingles,
                       const std::vector<uint8_t>& in_df, const TfidfOptions& options, int threads,
                       const PriorFrequencies* prior) {
  TfidfMatrix m;
  for (const auto& row : shingles) {
    for (const Shingle& s : row) m.columns.push_back(s.hash);
  }
  std::sort(m.columns.begin(), m.columns.end());
  m.columns.erase(std::unique(m.columns.begin(), m.columns.end()), m.columns.end());
  absl::flat_hash_map<uint64_t, int32_t> index;
  index.reserve(m.columns.size());
  for (size_t j = 0; j < m.columns.size(); ++j) index[m.columns[j]] = static_cast<int32_t>(j);
  // The column of every shingle, row by row.
  const size_t n = shingles.size();
  std::vector<size_t> first(n + 1, 0);
  for (size_t i = 0; i < n; ++i) first[i + 1] = first[i] + shingles[i].size();
  std::vector<int32_t> col(first[n]);
  ParallelFor(n, threads, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      for (size_t k = 0; k < shingles[i].size(); ++k) {
        col[first[i] + k] = index.find(shingles[i][k].hash)->second;
      }
    }
  });
  auto column_of = [&](size_t i, size_t k) { return static_cast<size_t>(col[first[i] + k]); };

  std::vector<uint32_t> df(m.columns.size(), 0);
  size_t n_df = 0;
  for (size_t i = 0; i < shingles.size(); ++i) {
    if (!in_df.empty() && !in_df[i]) continue;
    ++n_df;
    for (size_t k = 0; k < shingles[i].size(); ++k) ++df[column_of(i, k)];
  }
  if (prior != nullptr) {
    const std::vector<uint32_t> counts = prior->Counts(m.columns);
    for (size_t j = 0; j < df.size(); ++j) df[j] += counts[j];
    n_df += prior->rows();
  }
  m.idf.resize(m.columns.size());
  m.types.assign(m.columns.size(), ShingleType::kWord);
  for (size_t i = 0; i < n; ++i) {
    for (size_t k = 0; k < shingles[i].size(); ++k) m.types[column_of(i, k)] = shingles[i][k].type;
  }
  for (size_t j = 0; j < df.size(); ++j) m.idf[j] = Idf(n_df, df[j]);
  m.df = std::move(df);
  m.df_rows = n_df;

  m.rows.resize(static_cast<int64_t>(shingles.size()), static_cast<int64_t>(m.columns.size()));
  Eigen::VectorXi reserve(static_cast<int64_t>(shingles.size()));
  for (size_t i = 0; i < shingles.size(); ++i) {
    reserve[static_cast<int64_t>(i)] = static_cast<int>(shingles[i].size());
  }
  m.rows.reserve(reserve);
  // Weights in parallel, then one pass filling the matrix in row order.
  std::vector<std::vector<std::pair<int32_t, float>>> entries(n);
  ParallelFor(n, threads, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      UnitEntries(
          shingles[i], options, [&](size_t k) { return col[first[i] + k]; },
          [&](size_t k) { return m.idf[static_cast<size_t>(col[first[i] + k])]; }, &entries[i]);
    }
  });
  for (size_t i = 0; i < n; ++i) {
    for (const auto& [c, w] : entries[i]) m.rows.insert(static_cast<int64_t>(i), c) = w;
    std::vector<std::pair<int32_t, float>>().swap(entries[i]);
  }
  m.rows.makeCompressed();
  return m;
}

Eigen::SparseVector<float> Vectorize(const TfidfMatrix& m, const std::vector<Shingle>& shingles,
                                     const TfidfOptions& options) {
  std::vector<int32_t> cols(shingles.size());
  for (size_t k = 0; k < shingles.size(); ++k) {
    const auto it = std::lower_bound(m.columns.begin(), m.columns.end(), shingles[k].hash);
    cols[k] = it == m.columns.end() || *it != shingles[k].hash
                  ? int32_t{-1}
                  : static_cast<int32_t>(it - m.columns.begin());
  }
  std::vector<std::pair<int32_t, float>> entries;
  UnitEntries(
      shingles, options, [&](size_t k) { return cols[k]; },
      [&](size_t k) { return m.idf[static_cast<size_t>(cols[k])]; }, &entries);
  Eigen::SparseVector<float> v(static_cast<int64_t>(m.columns.size()));
  v.reserve(static_cast<int64_t>(entries.size()));
  for (const auto& [col, w] : entries) v.insert(col) = w;
  return v;
}

std::vector<uint32_t> DocumentFrequencies::Counts(
    const std::vector<uint64_t>& sorted_hashes) const {
  std::vector<uint32_t> out(sorted_hashes.size(), 0);
  auto it = counts.begin();
  for (size_t k = 0; k < sorted_hashes.size() && it != counts.end(); ++k) {
    while (it != counts.end() && it->first < sorted_hashes[k]) ++it;
    if (it != counts.end() && it->first == sorted_hashes[k]) out[k] = it->second;
  }
  return out;
}

float Idf(uint64_t rows, uint64_t df) {
  return static_cast<float>(
      std::log((1.0 + static_cast<double>(rows)) / (1.0 + static_cast<double>(df))) + 1.0);
}

DocumentFrequencies OwnDocumentFrequencies(const TfidfMatrix& m,
                                           const std::vector<uint8_t>& in_df) {
  std::vector<uint32_t> df(m.columns.size(), 0);
  DocumentFrequencies out;
  for (int64_t i = 0; i < m.rows.rows(); ++i) {
    if (!in_df.empty() && !in_df[static_cast<size_t>(i)]) continue;
    ++out.counted_rows;
    for (SparseRows::InnerIterator it(m.rows, i); it; ++it) ++df[static_cast<size_t>(it.col())];
  }
  for (size_t j = 0; j < df.size(); ++j) {
    if (df[j] > 0) out.counts.emplace_back(m.columns[j], df[j]);
  }
  return out;
}

std::vector<std::pair<uint64_t, float>> WeighShingles(const std::vector<Shingle>& shingles,
                                                      const std::vector<uint32_t>& df,
                                                      uint64_t rows, const TfidfOptions& options) {
  std::vector<std::pair<int64_t, float>> entries;
  UnitEntries(
      shingles, options, [](size_t k) { return static_cast<int64_t>(k); },
      [&](size_t k) { return Idf(rows, df[k]); }, &entries);
  std::vector<std::pair<uint64_t, float>> out;
  out.reserve(entries.size());
  for (const auto& [k, w] : entries) out.emplace_back(shingles[static_cast<size_t>(k)].hash, w);
  return out;
}

float Cosine(const SparseRows& rows, int64_t a, int64_t b) { return rows.row(a).dot(rows.row(b)); }

}  // namespace claimdiff
