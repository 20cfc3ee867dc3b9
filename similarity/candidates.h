// Candidate pairs: which spans are worth comparing, and how similar they are.
//
//   AllPairsCandidates all;
//   std::vector<ScoredPair> pairs = all.Generate(m.rows, eligible, /*min_similarity=*/0.3f);
//
// A CandidateGenerator proposes pairs and scores each with the exact cosine of its rows. The
// exact all-pairs generator is the oracle; a MinHash-LSH generator (for large inputs) plugs in
// behind the same interface and is tested against it.
//
// Generators are immutable; Generate() is thread-safe.
#ifndef CLAIMDIFF_SIMILARITY_CANDIDATES_H_
#define CLAIMDIFF_SIMILARITY_CANDIDATES_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "similarity/tfidf.h"

namespace claimdiff {

struct ScoredPair {
  uint32_t a = 0;  // row indices, a < b
  uint32_t b = 0;
  float similarity = 0;  // exact cosine of rows a and b
};

class CandidateGenerator {
 public:
  virtual ~CandidateGenerator() = default;
  // Pairs of eligible rows (eligible[i] != 0; empty means all) with cosine >= min_similarity,
  // sorted by (a, b). A generator may miss pairs (LSH) but never invents or misscores one.
  virtual std::vector<ScoredPair> Generate(const SparseRows& rows,
                                           const std::vector<uint8_t>& eligible,
                                           float min_similarity) const = 0;
};

// Every pair that shares a column, scored through an inverted index (a column-major copy of
// the matrix): cost is the sum over columns of the squared column length.
class AllPairsCandidates final : public CandidateGenerator {
 public:
  std::vector<ScoredPair> Generate(const SparseRows& rows, const std::vector<uint8_t>& eligible,
                                   float min_similarity) const override;
  // The same pairs, or std::nullopt as soon as more than `max_pairs` pass: input whose pairs
  // would be quadratic in number (thousands of near-identical spans) is then better served by
  // MinHash-LSH. Costs at most the work of finding max_pairs pairs.
  std::optional<std::vector<ScoredPair>> GenerateAtMost(const SparseRows& rows,
                                                        const std::vector<uint8_t>& eligible,
                                                        float min_similarity,
                                                        size_t max_pairs) const;
};

// The work of AllPairsCandidates on these rows: the sum over columns of the squared number of
// eligible rows holding the column (multiply-adds of the inverted-index pass). Linear to
// compute; lets a caller see that one document repeating near-identical sentences would make
// the exact path quadratic, and take MinHash-LSH instead.
double ExactPairWork(const SparseRows& rows, const std::vector<uint8_t>& eligible);

}  // namespace claimdiff

#endif  // CLAIMDIFF_SIMILARITY_CANDIDATES_H_
