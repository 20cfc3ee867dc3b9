#include "similarity/candidates.h"

#include <algorithm>

namespace claimdiff {
namespace {
// Rounding differences between two summation orders of a dot product of unit vectors stay far
// below this.
constexpr float kSlack = 1e-4f;
}  // namespace

std::vector<ScoredPair> AllPairsCandidates::Generate(const SparseRows& rows,
                                                     const std::vector<uint8_t>& eligible,
                                                     float min_similarity) const {
  return *GenerateAtMost(rows, eligible, min_similarity, 0);
}

std::optional<std::vector<ScoredPair>> AllPairsCandidates::GenerateAtMost(
    const SparseRows& rows, const std::vector<uint8_t>& eligible, float min_similarity,
    size_t max_pairs) const {
  const int64_t n = rows.rows();
  auto ok = [&eligible](int64_t i) {
    return eligible.empty() || eligible[static_cast<size_t>(i)] != 0;
  };
  // Column-major copy restricted to eligible rows: the inverted index.
  Eigen::SparseMatrix<float, Eigen::ColMajor, int32_t> by_column(rows.rows(), rows.cols());
  {
    SparseRows::EigenRows kept = rows.ToEigen();
    for (int64_t i = 0; i < n; ++i) {
      if (!ok(i)) kept.row(i) *= 0.0f;
    }
    kept.prune(0.0f);
    by_column = kept;
  }
  std::vector<ScoredPair> out;
  std::vector<float> acc(static_cast<size_t>(n), 0.0f);
  std::vector<uint32_t> touched;
  for (int64_t i = 0; i < n; ++i) {
    if (!ok(i)) continue;
    touched.clear();
    for (SparseRows::InnerIterator it(rows, i); it; ++it) {
      const float v = it.value();
      for (decltype(by_column)::InnerIterator jt(by_column, it.col()); jt; ++jt) {
        const int64_t j = jt.row();
        if (j <= i) continue;
        if (acc[static_cast<size_t>(j)] == 0.0f) touched.push_back(static_cast<uint32_t>(j));
        acc[static_cast<size_t>(j)] += v * jt.value();
      }
    }
    const size_t first = out.size();
    for (uint32_t j : touched) {
      // The accumulated dot product decides; pairs that pass are rescored with Cosine so every
      // generator reports the same value for a pair, whatever order it summed in.
      if (acc[j] >= min_similarity - kSlack) {
        const float sim = Cosine(rows, i, j);
        if (sim >= min_similarity) out.push_back({static_cast<uint32_t>(i), j, sim});
      }
      acc[j] = 0.0f;
    }
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
              [](const ScoredPair& x, const ScoredPair& y) { return x.b < y.b; });
    if (max_pairs > 0 && out.size() > max_pairs) return std::nullopt;
  }
  return out;
}

double ExactPairWork(const SparseRows& rows, const std::vector<uint8_t>& eligible) {
  std::vector<uint32_t> count(static_cast<size_t>(rows.cols()), 0);
  for (int64_t i = 0; i < rows.rows(); ++i) {
    if (!eligible.empty() && eligible[static_cast<size_t>(i)] == 0) continue;
    for (SparseRows::InnerIterator it(rows, i); it; ++it) ++count[static_cast<size_t>(it.col())];
  }
  double work = 0;
  for (const uint32_t c : count) work += static_cast<double>(c) * c;
  return work;
}

}  // namespace claimdiff
