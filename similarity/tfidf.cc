#include "similarity/tfidf.h"

#include <algorithm>
#include <cmath>

namespace claimdiff {
namespace {

// The unit-length weights of one row, as (column, weight) in column order; shingles whose hash
// is not a column are skipped.
void UnitEntries(const TfidfMatrix& m, const std::vector<Shingle>& shingles,
                 const TfidfOptions& options, std::vector<std::pair<int32_t, float>>* entries) {
  const float type_weight[kShingleTypes] = {options.word_weight, options.bigram_weight,
                                            options.char_weight, options.skeleton_weight,
                                            options.number_weight};
  entries->clear();
  double norm = 0;
  for (const Shingle& s : shingles) {
    const auto it = std::lower_bound(m.columns.begin(), m.columns.end(), s.hash);
    if (it == m.columns.end() || *it != s.hash) continue;
    const auto col = static_cast<int32_t>(it - m.columns.begin());
    const float w = type_weight[static_cast<int>(s.type)] *
                    (1.0f + std::log(static_cast<float>(s.count))) *
                    m.idf[static_cast<size_t>(col)];
    if (w <= 0) continue;
    entries->emplace_back(col, w);
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
                       const std::vector<uint8_t>& in_df, const TfidfOptions& options) {
  TfidfMatrix m;
  for (const auto& row : shingles) {
    for (const Shingle& s : row) m.columns.push_back(s.hash);
  }
  std::sort(m.columns.begin(), m.columns.end());
  m.columns.erase(std::unique(m.columns.begin(), m.columns.end()), m.columns.end());
  auto column_of = [&m](uint64_t hash) {
    return static_cast<int32_t>(std::lower_bound(m.columns.begin(), m.columns.end(), hash) -
                                m.columns.begin());
  };

  std::vector<uint32_t> df(m.columns.size(), 0);
  size_t n_df = 0;
  for (size_t i = 0; i < shingles.size(); ++i) {
    if (!in_df.empty() && !in_df[i]) continue;
    ++n_df;
    for (const Shingle& s : shingles[i]) ++df[static_cast<size_t>(column_of(s.hash))];
  }
  m.idf.resize(m.columns.size());
  m.types.assign(m.columns.size(), ShingleType::kWord);
  for (const auto& row : shingles) {
    for (const Shingle& s : row) m.types[static_cast<size_t>(column_of(s.hash))] = s.type;
  }
  for (size_t j = 0; j < df.size(); ++j) {
    m.idf[j] =
        static_cast<float>(std::log((1.0 + static_cast<double>(n_df)) / (1.0 + df[j])) + 1.0);
  }

  m.rows.resize(static_cast<int64_t>(shingles.size()), static_cast<int64_t>(m.columns.size()));
  Eigen::VectorXi reserve(static_cast<int64_t>(shingles.size()));
  for (size_t i = 0; i < shingles.size(); ++i) {
    reserve[static_cast<int64_t>(i)] = static_cast<int>(shingles[i].size());
  }
  m.rows.reserve(reserve);
  std::vector<std::pair<int32_t, float>> entries;
  for (size_t i = 0; i < shingles.size(); ++i) {
    UnitEntries(m, shingles[i], options, &entries);
    for (const auto& [col, w] : entries) m.rows.insert(static_cast<int64_t>(i), col) = w;
  }
  m.rows.makeCompressed();
  return m;
}

Eigen::SparseVector<float> Vectorize(const TfidfMatrix& m, const std::vector<Shingle>& shingles,
                                     const TfidfOptions& options) {
  std::vector<std::pair<int32_t, float>> entries;
  UnitEntries(m, shingles, options, &entries);
  Eigen::SparseVector<float> v(static_cast<int64_t>(m.columns.size()));
  v.reserve(static_cast<int64_t>(entries.size()));
  for (const auto& [col, w] : entries) v.insert(col) = w;
  return v;
}

float Cosine(const SparseRows& rows, int64_t a, int64_t b) { return rows.row(a).dot(rows.row(b)); }

}  // namespace claimdiff
