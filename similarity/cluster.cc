#include "similarity/cluster.h"

#include <algorithm>
#include <atomic>
#include <numeric>
#include <span>
#include <tuple>

#include <Eigen/SparseCore>

#include "absl/container/flat_hash_map.h"
#include "core/parallel.h"

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

// The greedy merges of one connected component of the strong pairs (`order` indexes its pairs
// in `pairs`, strongest first), and its clusters. Components share no row, so they run on
// their own threads: `owner` is written only at the component's rows. A group's index is its
// creation order within the component, which is the order the whole list would give (the
// component's pairs keep their relative order), so ties are broken as over the whole list.
std::vector<SpanCluster> ClusterComponent(const SparseRows& rows,
                                          const std::vector<ScoredPair>& pairs,
                                          std::span<const uint32_t> order,
                                          const ClusterOptions& options,
                                          const CompatibleFn& compatible, const PairScoreFn& score,
                                          std::vector<uint32_t>* owner_of) {
  std::vector<uint32_t>& owner = *owner_of;
  auto sim = [&](uint32_t x, uint32_t y) { return score ? score(x, y) : Cosine(rows, x, y); };
  constexpr uint32_t kNone = UINT32_MAX;
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
    if (xs) return Dot(RowView(rows, x.members[0]), VectorView(y.sum));
    if (ys) return Dot(VectorView(x.sum), RowView(rows, y.members[0]));
    return x.sum.dot(y.sum);
  };
  const float floor = options.min_link * options.threshold;
  // Merges refused, by (group of the pair's a, group of its b) -> the groups' versions then:
  // the test depends only on the two groups' members in that order, so while neither group
  // has changed, a later pair between them is refused without testing it again.
  absl::flat_hash_map<uint64_t, uint64_t> refused;
  for (size_t pk = 0; pk < order.size(); ++pk) {
    const ScoredPair& p = pairs[order[pk]];
    // Most tests are of two single rows, the pair itself: ask for the rows a few pairs ahead.
    constexpr size_t kAhead = 8;
    if (pk + kAhead < order.size()) {
      PrefetchRow(rows, pairs[order[pk + kAhead]].a);
      PrefetchRow(rows, pairs[order[pk + kAhead]].b);
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
    if (k.members.size() == 1) k.sum = RowVector(rows, k.members[0]);
    if (g.members.size() == 1) {
      k.sum += RowVector(rows, g.members[0]);
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
        const float dot = Dot(RowView(rows, c.members[i]), VectorView(g.sum));
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
  return out;
}

}  // namespace

std::vector<SpanCluster> ClusterRows(const SparseRows& rows, std::vector<ScoredPair> pairs,
                                     const ClusterOptions& options, const CompatibleFn& compatible,
                                     const PairScoreFn& score) {
  std::sort(pairs.begin(), pairs.end(), [](const ScoredPair& x, const ScoredPair& y) {
    return std::tie(y.similarity, x.a, x.b) < std::tie(x.similarity, y.a, y.b);
  });
  // Only pairs at the threshold can merge anything.
  pairs.erase(std::find_if(pairs.begin(), pairs.end(),
                           [&](const ScoredPair& p) { return p.similarity < options.threshold; }),
              pairs.end());
  // Connected components of those pairs (union-find, halving paths): a merge joins two groups
  // of one component, and a merge test reads only rows of the two groups.
  const auto n = static_cast<size_t>(rows.rows());
  std::vector<uint32_t> parent(n);
  for (size_t i = 0; i < n; ++i) parent[i] = static_cast<uint32_t>(i);
  auto find = [&](uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const ScoredPair& p : pairs) {
    const uint32_t ra = find(p.a);
    const uint32_t rb = find(p.b);
    if (ra != rb) parent[std::max(ra, rb)] = std::min(ra, rb);
  }
  // Each component's pairs in list order: numbered by first appearance, counted, placed.
  constexpr uint32_t kNone = UINT32_MAX;
  std::vector<uint32_t> component(n, kNone);  // by root
  std::vector<uint32_t> starts;               // pair counts, then offsets
  std::vector<uint32_t> pair_component(pairs.size());
  for (size_t k = 0; k < pairs.size(); ++k) {
    uint32_t& c = component[find(pairs[k].a)];
    if (c == kNone) {
      c = static_cast<uint32_t>(starts.size());
      starts.push_back(0);
    }
    pair_component[k] = c;
    ++starts[c];
  }
  const size_t components = starts.size();
  std::vector<uint32_t>().swap(parent);
  std::vector<uint32_t>().swap(component);
  // Counts to offsets: component c's pairs are order[starts[c], starts[c + 1]).
  starts.push_back(0);
  std::exclusive_scan(starts.begin(), starts.end(), starts.begin(), uint32_t{0});
  std::vector<uint32_t> order(pairs.size());
  {
    std::vector<uint32_t> next(starts.begin(), starts.end() - 1);
    for (size_t k = 0; k < pairs.size(); ++k)
      order[next[pair_component[k]]++] = static_cast<uint32_t>(k);
  }
  std::vector<uint32_t>().swap(pair_component);
  // The largest components first, each claimed by the next free thread, so that a large one
  // does not start last or queue behind others.
  std::vector<uint32_t> by_size(components);
  for (size_t c = 0; c < components; ++c) by_size[c] = static_cast<uint32_t>(c);
  std::stable_sort(by_size.begin(), by_size.end(), [&](uint32_t x, uint32_t y) {
    return starts[x + 1] - starts[x] > starts[y + 1] - starts[y];
  });
  std::vector<uint32_t> owner(n, kNone);  // row -> group index within its component
  std::vector<std::vector<SpanCluster>> found(components);
  std::atomic<size_t> next{0};
  const size_t workers = std::min<size_t>(static_cast<size_t>(ThreadCount(options.threads)),
                                          std::max<size_t>(components, 1));
  ParallelFor(workers, static_cast<int>(workers), [&](size_t, size_t) {
    for (size_t k = next++; k < components; k = next++) {
      const uint32_t c = by_size[k];
      found[c] = ClusterComponent(
          rows, pairs,
          std::span<const uint32_t>(order).subspan(starts[c], starts[c + 1] - starts[c]), options,
          compatible, score, &owner);
    }
  });
  std::vector<SpanCluster> out;
  for (std::vector<SpanCluster>& f : found) {
    for (SpanCluster& c : f) out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const SpanCluster& x, const SpanCluster& y) {
    return x.members.front() < y.members.front();
  });
  return out;
}

}  // namespace claimdiff
