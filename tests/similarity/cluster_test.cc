#include "similarity/cluster.h"

#include <algorithm>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace claimdiff {
namespace {

// Rows from dense unit vectors.
SparseRows Rows(const std::vector<std::vector<float>>& dense) {
  SparseRows m(static_cast<int64_t>(dense.size()), static_cast<int64_t>(dense[0].size()));
  for (size_t i = 0; i < dense.size(); ++i) {
    float norm = 0;
    for (float v : dense[i]) norm += v * v;
    norm = std::sqrt(norm);
    for (size_t j = 0; j < dense[i].size(); ++j) {
      if (dense[i][j] != 0) {
        m.insert(static_cast<int64_t>(i), static_cast<int64_t>(j)) = dense[i][j] / norm;
      }
    }
  }
  m.makeCompressed();
  return m;
}

std::vector<ScoredPair> AllPairs(const SparseRows& m) {
  std::vector<ScoredPair> out;
  for (uint32_t a = 0; a < m.rows(); ++a) {
    for (uint32_t b = a + 1; b < m.rows(); ++b) out.push_back({a, b, Cosine(m, a, b)});
  }
  return out;
}

TEST(ClusterRows, DoesNotChainThroughABridge) {
  // x and y are unrelated; z is close to both (0.71 each).
  const SparseRows m = Rows({{1, 0}, {0, 1}, {1, 1}});
  const std::vector<SpanCluster> c = ClusterRows(m, AllPairs(m), {0.5f, 0.5f});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].members.size(), 2u);
  // With single linkage all three would be one cluster.
}

TEST(ClusterRows, JoinsAGroupOnlyWhenCloseToItAsAWhole) {
  // Three near-identical rows and one row close to only one of them.
  const SparseRows m =
      Rows({{1, 0.1f, 0, 0}, {1, 0, 0.1f, 0}, {1, 0.1f, 0.1f, 0}, {1, 0, 0, 1.4f}});
  const std::vector<SpanCluster> c = ClusterRows(m, AllPairs(m), {0.6f, 0.5f});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].members, (std::vector<uint32_t>{0, 1, 2}));
  ASSERT_GE(Cosine(m, 2, 3), 0.55f);  // the outsider is near one member...
}

TEST(ClusterRows, ReportsCentralReferenceAndMeanSimilarity) {
  const SparseRows m = Rows({{1, 0.2f}, {1, 0}, {1, 0.4f}});
  const std::vector<SpanCluster> c = ClusterRows(m, AllPairs(m), {0.5f, 0.5f});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].reference, 0u);  // the middle vector
  const float mean0 = (Cosine(m, 0, 1) + Cosine(m, 0, 2)) / 2;
  EXPECT_NEAR(c[0].similarity[0], mean0, 1e-5);
}

TEST(ClusterRows, RespectsTheCompatibilityVeto) {
  const SparseRows m = Rows({{1, 0}, {1, 0.1f}, {1, 0.2f}});
  const auto veto = [](uint32_t a, uint32_t b) {
    return !(std::min(a, b) == 0 && std::max(a, b) == 2);
  };
  const std::vector<SpanCluster> c = ClusterRows(m, AllPairs(m), {0.5f, 0.5f}, veto);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].members.size(), 2u);
}

TEST(ClusterRows, PairOrderDoesNotMatter) {
  std::mt19937 rng(5);
  std::vector<std::vector<float>> dense(40, std::vector<float>(6));
  for (auto& row : dense) {
    for (float& v : row) v = (rng() % 3 == 0) ? static_cast<float>(rng() % 10) / 10.0f : 0.0f;
    row[rng() % 6] = 1.0f;
  }
  const SparseRows m = Rows(dense);
  std::vector<ScoredPair> pairs = AllPairs(m);
  const std::vector<SpanCluster> a = ClusterRows(m, pairs, {0.6f, 0.5f});
  std::shuffle(pairs.begin(), pairs.end(), rng);
  const std::vector<SpanCluster> b = ClusterRows(m, pairs, {0.6f, 0.5f});
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].members, b[i].members);
  ASSERT_FALSE(a.empty());
}

}  // namespace
}  // namespace claimdiff
