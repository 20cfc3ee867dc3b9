// Claim clusters: groups of spans that state the same claim.
//
//   std::vector<SpanCluster> c = ClusterRows(m.rows, pairs, {.threshold = 0.45f});
//
// Greedy average linkage over the scored pairs, strongest first: two groups merge only when
// the mean similarity over all their cross pairs reaches `threshold` and no cross pair falls
// below `min_link` × threshold. A span therefore joins a cluster only when it is close to the
// cluster as a whole, not through one bridging member (single-link chaining).
//
// Pure function of its inputs: the same rows and pairs give the same clusters, in the same
// order, whatever order the pairs came in.
#ifndef CLAIMDIFF_SIMILARITY_CLUSTER_H_
#define CLAIMDIFF_SIMILARITY_CLUSTER_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "similarity/candidates.h"
#include "similarity/tfidf.h"

namespace claimdiff {

struct ClusterOptions {
  // Mean cosine required between two groups for them to merge. See README "Choosing the
  // threshold" for how the default was measured.
  float threshold = 0.30f;
  // Every cross pair of a merge must reach min_link * threshold. Default 0.5.
  float min_link = 0.5f;
  // Worker threads (0: all cores): connected components of the pairs are clustered apart. The
  // clusters are the same for any count.
  int threads = 1;
};

struct SpanCluster {
  std::vector<uint32_t> members;  // row indices, increasing; at least two
  std::vector<float> similarity;  // per member: mean cosine to the other members
  uint32_t reference = 0;         // the most central member (highest mean; lowest row on ties)
};

// Says whether two rows may share a cluster at all, whatever their similarity (the pipeline
// vetoes short spans whose wording differs in a substituted phrase: another subject, another
// place). Must be symmetric and deterministic.
using CompatibleFn = std::function<bool(uint32_t, uint32_t)>;

// The similarity of two rows used for merging; by default their cosine. The pipeline raises it
// for spans that state the same figure about the same thing (see report.cc). Must be symmetric
// to the bit (score(x, y) == score(y, x)): a small cluster scores each pair once.
using PairScoreFn = std::function<float(uint32_t, uint32_t)>;

// Clusters ordered by their first member. When `compatible` is set, every cross pair of a merge
// must be compatible. Merges of up to 4096 cross pairs are judged pair by pair with `score`;
// larger ones by the cosine of the groups' summed rows.
std::vector<SpanCluster> ClusterRows(const SparseRows& rows, std::vector<ScoredPair> pairs,
                                     const ClusterOptions& options = {},
                                     const CompatibleFn& compatible = nullptr,
                                     const PairScoreFn& score = nullptr);

}  // namespace claimdiff

#endif  // CLAIMDIFF_SIMILARITY_CLUSTER_H_
