#include "similarity/cluster.h"

#include <algorithm>
#include <tuple>

#include <Eigen/SparseCore>

#include "absl/container/flat_hash_map.h"

namespace claimdiff {
namespace {

// Above this many cross pairs a merge is judged by the groups' summed rows alone (no pair scores,
// no min-link or compatibility check).
constexpr size_t kMaxMinLinkPairs = 4096;

struct Group {
  std::vector<uint32_t> members;
  uint32_t version = 0;  // merges into this group so far
  // Sum of the members' rows, kept once the group has two or more; a single member's sum is
  // its row (not copied: most groups never merge).
  Eigen::SparseVector<float> sum;
};

}  // namespace

std::vector<SpanCluster> ClusterRows(const SparseRows& rows, std::vector<ScoredPair> pairs,
                                     const ClusterOptions& options, const CompatibleFn& compatible,
                                     const PairScoreFn& score) {
  auto sim = [&](uint32_t x, uint32_t y) { return score ? score(x, y) : Cosine(rows, x, y); };
  std::sort(pairs.begin(), pairs.end(), [](const ScoredPair& x, const ScoredPair& y) {
    return std::tie(y.similarity, x.a, x.b) < std::tie(x.similarity, y.a, y.b);
  });
  constexpr uint32_t kNone = UINT32_MAX;
  std::vector<uint32_t> owner(static_cast<size_t>(rows.rows()), kNone);  // row -> group index
  std::vector<Group> groups;
  auto group_of = [&](uint32_t row) -> uint32_t {
    if (owner[row] == kNone) {
      owner[row] = static_cast<uint32_t>(groups.size());
      groups.emplace_back();
      groups.back().members = {row};
    }
    return owner[row];
  };
  // x.sum · y.sum, reading a single member's row in place (the same entries as its sum).
  auto dot_sums = [&](const Group& x, const Group& y) -> double {
    const bool xs = x.members.size() == 1;
    const bool ys = y.members.size() == 1;
    if (xs && ys) return Cosine(rows, x.members[0], y.members[0]);
    if (xs) return rows.row(x.members[0]).dot(y.sum);
    if (ys) return x.sum.dot(rows.row(y.members[0]));
    return x.sum.dot(y.sum);
  };
  const float floor = options.min_link * options.threshold;
  // Merges refused, by (group of the pair's a, group of its b) -> the groups' versions then:
  // the test depends only on the two groups' members in that order, so while neither group
  // has changed, a later pair between them is refused without testing it again.
  absl::flat_hash_map<uint64_t, uint64_t> refused;
  for (size_t pk = 0; pk < pairs.size(); ++pk) {
    const ScoredPair& p = pairs[pk];
    if (p.similarity < options.threshold) break;
    // Most tests are of two single rows, the pair itself: ask for the rows a few pairs ahead.
    constexpr size_t kAhead = 8;
    if (pk + kAhead < pairs.size()) {
      PrefetchRow(rows, pairs[pk + kAhead].a);
      PrefetchRow(rows, pairs[pk + kAhead].b);
    }
    const uint32_t ga = group_of(p.a);
    const uint32_t gb = group_of(p.b);
    if (ga == gb) continue;
    Group& a = groups[ga];
    Group& b = groups[gb];
    const uint64_t groups_key = (static_cast<uint64_t>(ga) << 32) | gb;
    const uint64_t versions = (static_cast<uint64_t>(a.version) << 32) | b.version;
    if (auto it = refused.find(groups_key); it != refused.end() && it->second == versions) {
      continue;
    }
    auto refuse = [&] { refused[groups_key] = versions; };
    const size_t cross_pairs = a.members.size() * b.members.size();
    if (cross_pairs <= kMaxMinLinkPairs) {
      double total = 0;
      bool weak = false;
      for (uint32_t x : a.members) {
        for (uint32_t y : b.members) {
          const float v = sim(x, y);
          total += v;
          if (v < floor || (compatible && !compatible(x, y))) {
            weak = true;
            break;
          }
        }
        if (weak) break;
      }
      if (weak || total / static_cast<double>(cross_pairs) < options.threshold) {
        refuse();
        continue;
      }
    } else if (dot_sums(a, b) / static_cast<double>(cross_pairs) < options.threshold) {
      refuse();
      continue;
    }
    // Merge the smaller group into the larger; keep the lower index on ties.
    const uint32_t keep = a.members.size() >= b.members.size() ? ga : gb;
    const uint32_t gone = keep == ga ? gb : ga;
    Group& k = groups[keep];
    Group& g = groups[gone];
    for (uint32_t m : g.members) owner[m] = keep;
    if (k.members.size() == 1) k.sum = rows.row(k.members[0]);
    if (g.members.size() == 1) {
      k.sum += rows.row(g.members[0]).transpose();
    } else {
      k.sum += g.sum;
    }
    k.members.insert(k.members.end(), g.members.begin(), g.members.end());
    ++k.version;
    g.members.clear();
    g.sum = Eigen::SparseVector<float>();
  }

  std::vector<SpanCluster> out;
  for (Group& g : groups) {
    if (g.members.size() < 2) continue;
    SpanCluster c;
    c.members = std::move(g.members);
    std::sort(c.members.begin(), c.members.end());
    const size_t n = c.members.size();
    c.similarity.assign(n, 0.0f);
    // Small clusters: every pair's score once (scores are symmetric), each member's row of
    // them summed in member order.
    std::vector<float> scores;
    if (n * n <= kMaxMinLinkPairs) {
      scores.assign(n * n, 0.0f);
      for (size_t i = 0; i < n; ++i) {
        for (size_t j = i + 1; j < n; ++j) {
          scores[i * n + j] = scores[j * n + i] = sim(c.members[i], c.members[j]);
        }
      }
    }
    for (size_t i = 0; i < n; ++i) {
      if (n * n <= kMaxMinLinkPairs) {
        double total = 0;
        for (size_t j = 0; j < n; ++j) {
          if (j != i) total += scores[i * n + j];
        }
        c.similarity[i] = static_cast<float>(total / static_cast<double>(n - 1));
      } else {
        // Mean cosine to the others: (row · sum - row · row) / (n - 1).
        const float self = Cosine(rows, c.members[i], c.members[i]);
        const float dot = rows.row(c.members[i]).dot(g.sum);
        c.similarity[i] = (dot - self) / static_cast<float>(n - 1);
      }
    }
    size_t best = 0;
    for (size_t i = 1; i < n; ++i) {
      if (c.similarity[i] > c.similarity[best]) best = i;
    }
    c.reference = c.members[best];
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const SpanCluster& x, const SpanCluster& y) {
    return x.members.front() < y.members.front();
  });
  return out;
}

}  // namespace claimdiff
