// Candidate pairs at scale: MinHash signatures banded into LSH buckets, verified by exact cosine.
//
//   MinHashLshCandidates lsh(m);                      // m: the TfidfMatrix
//   std::vector<ScoredPair> pairs = lsh.Generate(m.rows, eligible, 0.30f);
//
// What is hashed: each row's `top_features` heaviest word-level TF-IDF features (stems, stem
// pairs, skeletons and quantities: character n-grams are shared by unrelated words and would
// fill the buckets), by weight with ties by column, identified by their stable 64-bit shingle
// hashes, so signatures are the same on every machine and can be stored. A cosine of 0.3 between
// TF-IDF rows means little overlap of whole feature sets (character n-grams are shared by unrelated
// Arabic spans), but similar spans share most of their few heaviest features; the Jaccard
// similarity J of those sets is what MinHash estimates.
//
// Banding: `bands` bands of `rows_per_band` hashes each. Two rows collide in a band with
// probability J^r, and become candidates with probability P(J) = 1 - (1 - J^r)^b: an S-curve
// whose midpoint is near (1/b)^(1/r). A TF-IDF cosine of 0.3 (the default threshold) can come
// from sharing two or three of 24 heavy features, J ≈ 0.05-0.1, so the defaults are r = 1,
// b = 64: P(0.05) ≈ 0.96, P(0.1) ≈ 0.999. Selectivity comes from hashing only heavy, rare
// features: a bucket holds spans that share one of them. Every
// candidate is verified by exact cosine, so LSH can miss a pair but never invents or misscores
// one; tests hold its recall against the exact all-pairs generator.
//
// Immutable; Generate() is thread-safe.
#ifndef CLAIMDIFF_SIMILARITY_MINHASH_H_
#define CLAIMDIFF_SIMILARITY_MINHASH_H_

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "similarity/candidates.h"

namespace claimdiff {

struct MinHashOptions {
  int top_features = 24;  // features per row that are hashed
  int bands = 64;         // b
  int rows_per_band = 1;  // r
  // Features in more than common_min_rows rows are left out of the signatures: they put
  // unrelated spans in one bucket (the exact cosine still counts them).
  int common_min_rows = 128;
  // Above common_scale_rows comparable rows the cap shrinks in proportion (never below
  // common_floor_rows): a larger corpus has more mid-frequency words, whose buckets would fill
  // with unrelated pairs. Recall of paraphrases drops a little; near-copies share rare words.
  int common_scale_rows = 20000;
  int common_floor_rows = 16;
  // Above common_scale_rows rows, bands of this many rows: pairs sharing a few mid-frequency
  // features stop colliding (P(0.1) ≈ 0.47), near-copies still do (P(0.3) ≈ 0.998).
  int large_rows_per_band = 2;
  // Buckets holding more rows than this are skipped: a feature set shared by thousands of
  // spans is boilerplate-like and would make candidate generation quadratic again.
  int max_bucket = 2000;
  // A pair is a candidate when it shares at least this many of the b bands: for a pair whose
  // hashed sets have Jaccard J, P(candidate) = P(Binomial(b, J^r) >= m) (m = 1 gives
  // 1 - (1 - J^r)^b). A higher m drops pairs that met by chance in a band or two, at some
  // recall. 0 is each path's own: 1 in compare, 2 in `index match` (the archive is large).
  int min_shared_bands = 0;
};

// The MinHash signature of a set of stable 64-bit hashes: bands * rows_per_band values.
std::vector<uint64_t> MinHashSignature(const std::vector<uint64_t>& set,
                                       const MinHashOptions& options);

// The LSH parameters a corpus of `comparable_rows` rows gets from `options`: rows per band, and
// the document frequency above which a feature is left out of the signatures.
struct LshParameters {
  int rows_per_band = 1;
  uint32_t max_df = 0;
};
LshParameters LshParametersFor(size_t comparable_rows, const MinHashOptions& options);

// The band keys of every eligible row of `matrix` that has a hashable feature: (key, row) pairs,
// `options.bands` per row, rows ascending. `df[j]` is the document frequency of column j that
// the max_df cap is held against (the matrix's own, or an index's global one). A key is the
// same for the same features on every machine and run, so keys can be stored and joined later.
std::vector<std::pair<uint64_t, uint32_t>> LshBandKeys(const TfidfMatrix& matrix,
                                                       const std::vector<uint8_t>& eligible,
                                                       const std::vector<uint32_t>& df,
                                                       const MinHashOptions& options,
                                                       const LshParameters& parameters,
                                                       int threads = 1);

// The pieces of MinHashLshCandidates::Generate, for a caller that holds the band keys of a
// corpus in partitions (report/stages.h: a partition holds every row of each of its keys):
//
// Appends to `out` the candidate pairs of one band: `keys` are the band's (key, row) pairs,
// sorted; the rows sharing a key form a bucket, and a bucket of 2 to max_bucket rows gives all
// its pairs (row ascending within a key). Larger buckets are skipped.
void BucketPairs(const std::vector<std::pair<uint64_t, uint32_t>>& keys, int max_bucket,
                 std::vector<std::pair<uint32_t, uint32_t>>* out);
// The pairs of `candidates` (sorted, each once) whose exact cosine reaches min_similarity, in
// the same order, verified on `threads` threads (the result does not depend on the count).
std::vector<ScoredPair> VerifyCandidates(
    const SparseRows& rows, const std::vector<std::pair<uint32_t, uint32_t>>& candidates,
    float min_similarity, int threads);

// How much of a matrix's per-column arrays a candidate generator still reads.
enum class ColumnsRead {
  kFrequencies,  // the columns' document frequencies, types and idf are read: only hashes now
  kAll,          // all of them are read: only the rows now
};

class MinHashLshCandidates final : public CandidateGenerator {
 public:
  // `matrix` provides each column's stable hash and family; it must outlive the generator.
  // Candidates are verified on `threads` threads (0: all cores); the result does not depend on
  // the count.
  // `eligible_df`, when given, is each column's document frequency among the rows Generate is
  // then given as eligible (a matrix's df when it was built with those rows as in_df and
  // df_own), so Generate need not count it; it must outlive the generator.
  explicit MinHashLshCandidates(const TfidfMatrix& matrix, MinHashOptions options = {},
                                int threads = 1, const std::vector<uint32_t>* eligible_df = nullptr)
      : matrix_(matrix), options_(options), threads_(threads), eligible_df_(eligible_df) {}

  std::vector<ScoredPair> Generate(const SparseRows& rows, const std::vector<uint8_t>& eligible,
                                   float min_similarity) const override;

  // `columns_read`, when set, is called by Generate as it stops reading the matrix's
  // per-column arrays, so the caller may free them: with kFrequencies once it knows which
  // columns it hashes (it reads no document frequencies, types nor idf after, only the
  // columns' hashes), with kAll once the hashed sets are made (it reads only `rows` after).
  void OnColumnsRead(std::function<void(ColumnsRead)> columns_read) {
    columns_read_ = std::move(columns_read);
  }

 private:
  const TfidfMatrix& matrix_;
  MinHashOptions options_;
  int threads_;
  const std::vector<uint32_t>* eligible_df_;
  std::function<void(ColumnsRead)> columns_read_;
};

}  // namespace claimdiff

#endif  // CLAIMDIFF_SIMILARITY_MINHASH_H_
