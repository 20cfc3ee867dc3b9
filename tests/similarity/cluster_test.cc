#include "similarity/cluster.h"

#include <algorithm>
#include <random>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"

namespace claimdiff {
namespace {

// Rows from dense unit vectors.
SparseRows Rows(const std::vector<std::vector<float>>& dense) {
  SparseRows::EigenRows m(static_cast<int64_t>(dense.size()),
                          static_cast<int64_t>(dense[0].size()));
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
  return SparseRows::FromEigen(m);
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

// The greedy average linkage written out plainly: every candidate merge tested in full, every
// member's mean taken over all its pairs. The oracle for ClusterRows' shortcuts (refused merges
// remembered while both groups are unchanged; each pair of a small cluster scored once).
std::vector<std::vector<uint32_t>> NaiveClusters(const SparseRows& m, std::vector<ScoredPair> pairs,
                                                 const ClusterOptions& o,
                                                 const CompatibleFn& compatible) {
  std::sort(pairs.begin(), pairs.end(), [](const ScoredPair& x, const ScoredPair& y) {
    return std::tie(y.similarity, x.a, x.b) < std::tie(x.similarity, y.a, y.b);
  });
  std::vector<std::vector<uint32_t>> groups;
  std::vector<int> owner(static_cast<size_t>(m.rows()), -1);
  auto group_of = [&](uint32_t r) {
    if (owner[r] < 0) {
      owner[r] = static_cast<int>(groups.size());
      groups.push_back({r});
    }
    return owner[r];
  };
  for (const ScoredPair& p : pairs) {
    if (p.similarity < o.threshold) break;
    const int ga = group_of(p.a);
    const int gb = group_of(p.b);
    if (ga == gb) continue;
    double total = 0;
    bool weak = false;
    for (uint32_t x : groups[ga]) {
      for (uint32_t y : groups[gb]) {
        const float v = Cosine(m, x, y);
        total += v;
        if (v < o.min_link * o.threshold || !compatible(x, y)) weak = true;
        if (weak) break;
      }
      if (weak) break;
    }
    const double cross = static_cast<double>(groups[ga].size() * groups[gb].size());
    if (weak || total / cross < o.threshold) continue;
    const int keep = groups[ga].size() >= groups[gb].size() ? ga : gb;
    const int gone = keep == ga ? gb : ga;
    for (uint32_t r : groups[gone]) owner[r] = keep;
    groups[keep].insert(groups[keep].end(), groups[gone].begin(), groups[gone].end());
    groups[gone].clear();
  }
  std::vector<std::vector<uint32_t>> out;
  for (auto& g : groups) {
    if (g.size() < 2) continue;
    std::sort(g.begin(), g.end());
    out.push_back(g);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ClusterRows, MatchesThePlainGreedyLinkage) {
  // Small vocabularies so groups meet again and again: merges are refused, then retried after
  // one of the groups has grown; a veto on some row pairs refuses others.
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    std::mt19937 rng(seed);
    std::vector<std::vector<float>> dense(60, std::vector<float>(5));
    for (auto& row : dense) {
      for (float& v : row) v = (rng() % 2 == 0) ? static_cast<float>(rng() % 10) / 10.0f : 0.0f;
      row[rng() % 5] = 1.0f;
    }
    const SparseRows m = Rows(dense);
    const CompatibleFn veto = [](uint32_t x, uint32_t y) { return (x + y) % 7 != 0; };
    const ClusterOptions options{0.55f, 0.5f};
    const std::vector<SpanCluster> got = ClusterRows(m, AllPairs(m), options, veto);
    std::vector<std::vector<uint32_t>> members;
    for (const SpanCluster& c : got) {
      members.push_back(c.members);
      // Each member's mean score to the others, as defined.
      for (size_t i = 0; i < c.members.size(); ++i) {
        double total = 0;
        for (size_t j = 0; j < c.members.size(); ++j) {
          if (j != i) total += Cosine(m, c.members[i], c.members[j]);
        }
        EXPECT_EQ(c.similarity[i],
                  static_cast<float>(total / static_cast<double>(c.members.size() - 1)));
      }
    }
    std::sort(members.begin(), members.end());
    EXPECT_EQ(members, NaiveClusters(m, AllPairs(m), options, veto)) << "seed " << seed;
    EXPECT_FALSE(members.empty()) << "seed " << seed;
  }
}

// Rows in blocks of disjoint columns: many connected components of pairs, clustered on their
// own threads. Any thread count gives the clusters of the plain greedy linkage, to the bit.
TEST(ClusterRows, ComponentsOnThreadsGiveTheSameClusters) {
  std::mt19937 rng(9);
  constexpr size_t kBlocks = 12;
  constexpr size_t kColumns = 5;
  std::vector<std::vector<float>> dense;
  for (size_t b = 0; b < kBlocks; ++b) {
    for (size_t r = 0; r < 6 + b * 2; ++r) {  // blocks of different sizes
      std::vector<float> row(kBlocks * kColumns, 0.0f);
      for (size_t c = 0; c < kColumns; ++c) {
        if (rng() % 2 == 0) row[b * kColumns + c] = static_cast<float>(rng() % 10) / 10.0f;
      }
      row[b * kColumns + rng() % kColumns] = 1.0f;
      dense.push_back(row);
    }
  }
  const SparseRows m = Rows(dense);
  const CompatibleFn veto = [](uint32_t x, uint32_t y) { return (x + y) % 7 != 0; };
  std::vector<SpanCluster> one;
  for (int threads : {1, 2, 4}) {
    ClusterOptions options{0.55f, 0.5f, threads};
    std::vector<ScoredPair> pairs = AllPairs(m);
    std::shuffle(pairs.begin(), pairs.end(), rng);
    const std::vector<SpanCluster> got = ClusterRows(m, pairs, options, veto);
    if (threads == 1) {
      one = got;
      std::vector<std::vector<uint32_t>> members;
      for (const SpanCluster& c : got) members.push_back(c.members);
      std::sort(members.begin(), members.end());
      EXPECT_EQ(members, NaiveClusters(m, AllPairs(m), options, veto));
      // Clusters in several blocks, so several components were clustered.
      std::vector<bool> block_has(kBlocks, false);
      for (const SpanCluster& c : got) {
        block_has[static_cast<size_t>(RowView(m, c.members[0]).index[0]) / kColumns] = true;
      }
      EXPECT_GE(std::count(block_has.begin(), block_has.end(), true), 8);
      continue;
    }
    ASSERT_EQ(got.size(), one.size()) << threads << " threads";
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].members, one[i].members) << threads << " threads";
      EXPECT_EQ(got[i].similarity, one[i].similarity) << threads << " threads";
      EXPECT_EQ(got[i].reference, one[i].reference) << threads << " threads";
    }
  }
}

}  // namespace
}  // namespace claimdiff
