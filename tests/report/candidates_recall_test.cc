// MinHash-LSH against the exact all-pairs oracle: it must find at least 99% of the pairs the
// exact path finds above the threshold, on the fixtures and on a generated corpus.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/ingest.h"
#include "gtest/gtest.h"
#include "report/analysis.h"
#include "similarity/candidates.h"
#include "similarity/minhash.h"

namespace claimdiff {
namespace {

// Share of the exact path's pairs (cosine >= threshold) that LSH also finds.
double LshRecall(std::vector<Document> docs, size_t* exact_pairs) {
  const CompareOptions options;
  const Analysis a = *Analyze(std::move(docs), options, {});
  const std::vector<ScoredPair> exact =
      AllPairsCandidates().Generate(a.tfidf.rows, a.eligible, options.threshold);
  const std::vector<ScoredPair> lsh = MinHashLshCandidates(a.tfidf, options.minhash)
                                          .Generate(a.tfidf.rows, a.eligible, options.threshold);
  std::set<std::pair<uint32_t, uint32_t>> found;
  for (const ScoredPair& p : lsh) found.emplace(p.a, p.b);
  size_t hit = 0;
  for (const ScoredPair& p : exact) hit += found.count({p.a, p.b});
  // LSH never reports a pair the exact path would not.
  std::set<std::pair<uint32_t, uint32_t>> all;
  for (const ScoredPair& p : exact) all.emplace(p.a, p.b);
  for (const ScoredPair& p : lsh) EXPECT_TRUE(all.count({p.a, p.b})) << p.a << "," << p.b;
  *exact_pairs = exact.size();
  return exact.empty() ? 1.0 : static_cast<double>(hit) / static_cast<double>(exact.size());
}

TEST(MinHashLsh, FindsTheExactPairsOnTheFixtures) {
  LocalFileSystem fs;
  LoadedInputs in = LoadInputs({std::string(CLAIMDIFF_SOURCE_DIR) + "/fixtures/exchange-hack"}, fs);
  size_t pairs = 0;
  const double recall = LshRecall(std::move(in.documents), &pairs);
  std::printf("fixtures: %zu exact pairs, LSH recall %.4f\n", pairs, recall);
  EXPECT_GT(pairs, 10u);
  EXPECT_GE(recall, 0.99);
}

// A matrix built over the eligible rows alone (compare's) carries their document frequencies,
// and the generator given them finds what it finds when it counts them itself.
TEST(MinHashLsh, TheMatrixsOwnFrequenciesAreTheOnesItWouldCount) {
  LocalFileSystem fs;
  LoadedInputs in = LoadInputs({std::string(CLAIMDIFF_SOURCE_DIR) + "/fixtures/exchange-hack"}, fs);
  CompareOptions options;
  // A low cap on common features, so the frequencies decide which features are hashed.
  options.minhash.common_min_rows = 2;
  options.minhash.common_floor_rows = 2;
  const Analysis a = *Analyze(std::move(in.documents), options, {});
  ASSERT_TRUE(a.tfidf.df_own);
  auto pairs_of = [&](const std::vector<uint32_t>* df) {
    std::set<std::pair<uint32_t, uint32_t>> out;
    for (const ScoredPair& p : MinHashLshCandidates(a.tfidf, options.minhash, 1, df)
                                   .Generate(a.tfidf.rows, a.eligible, 0.1f)) {
      out.emplace(p.a, p.b);
    }
    return out;
  };
  const std::set<std::pair<uint32_t, uint32_t>> counted = pairs_of(nullptr);
  EXPECT_GT(counted.size(), 10u);
  EXPECT_EQ(pairs_of(&a.tfidf.df), counted);
  // Other frequencies give other candidates: the frequencies are read.
  const std::vector<uint32_t> none(a.tfidf.df.size(), 0);
  EXPECT_NE(pairs_of(&none), counted);
}

// The generator says when it stops reading the frequencies, types and idf (it then reads the
// columns' hashes alone), then when its sets are made (the rows alone): a caller that frees
// each as it is told gets the same pairs (and, under the sanitizers, no read of freed memory).
TEST(MinHashLsh, ReadsOnlyWhatItHasNotSaidItIsDoneWith) {
  LocalFileSystem fs;
  LoadedInputs in = LoadInputs({std::string(CLAIMDIFF_SOURCE_DIR) + "/fixtures/exchange-hack"}, fs);
  CompareOptions options;
  const Analysis a = *Analyze(std::move(in.documents), options, {});
  auto pairs_of = [&](const std::vector<ScoredPair>& pairs) {
    std::vector<std::tuple<uint32_t, uint32_t, float>> out;
    for (const ScoredPair& p : pairs) out.emplace_back(p.a, p.b, p.similarity);
    return out;
  };
  const auto kept = pairs_of(MinHashLshCandidates(a.tfidf, options.minhash, 1, &a.tfidf.df)
                                 .Generate(a.tfidf.rows, a.eligible, 0.2f));
  EXPECT_GT(kept.size(), 10u);
  TfidfMatrix copy = a.tfidf;
  std::vector<ColumnsRead> calls;
  MinHashLshCandidates lsh(copy, options.minhash, 1, &copy.df);
  lsh.OnColumnsRead([&](ColumnsRead read) {
    calls.push_back(read);
    std::vector<float>().swap(copy.idf);
    std::vector<ShingleType>().swap(copy.types);
    std::vector<uint32_t>().swap(copy.df);
    if (read == ColumnsRead::kAll) std::vector<uint64_t>().swap(copy.columns);
  });
  EXPECT_EQ(pairs_of(lsh.Generate(copy.rows, a.eligible, 0.2f)), kept);
  EXPECT_EQ(calls, (std::vector<ColumnsRead>{ColumnsRead::kFrequencies, ColumnsRead::kAll}));
  EXPECT_TRUE(copy.columns.empty());
}

TEST(MinHashLsh, FindsTheExactPairsOnAGeneratedCorpus) {
  const std::string dir = testing::TempDir();
  const std::string corpus = dir + "/lsh_corpus.jsonl";
  const std::string command = "python3 '" + std::string(CLAIMDIFF_SHARED_DIR) +
                              "/bench/make_corpus.py' --docs 300 --out '" + corpus + "' --truth '" +
                              dir + "/lsh_truth.jsonl'";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  LocalFileSystem fs;
  LoadedInputs in = LoadInputs({corpus}, fs);
  ASSERT_EQ(in.documents.size(), 300u);
  size_t pairs = 0;
  const double recall = LshRecall(std::move(in.documents), &pairs);
  std::printf("generated corpus: %zu exact pairs, LSH recall %.4f\n", pairs, recall);
  EXPECT_GT(pairs, 100u);
  EXPECT_GE(recall, 0.99);
}

TEST(AllPairsCandidates, GivesUpPastThePairLimitAndCountsItsWork) {
  LocalFileSystem fs;
  LoadedInputs in = LoadInputs({std::string(CLAIMDIFF_SOURCE_DIR) + "/fixtures/exchange-hack"}, fs);
  const CompareOptions options;
  const Analysis a = *Analyze(std::move(in.documents), options, {});
  const AllPairsCandidates all;
  const std::vector<ScoredPair> pairs = all.Generate(a.tfidf.rows, a.eligible, options.threshold);
  ASSERT_GT(pairs.size(), 10u);
  const auto within = all.GenerateAtMost(a.tfidf.rows, a.eligible, options.threshold, pairs.size());
  ASSERT_TRUE(within.has_value());
  ASSERT_EQ(within->size(), pairs.size());
  for (size_t k = 0; k < pairs.size(); ++k) {
    EXPECT_EQ((*within)[k].a, pairs[k].a);
    EXPECT_EQ((*within)[k].b, pairs[k].b);
    EXPECT_EQ((*within)[k].similarity, pairs[k].similarity);
  }
  EXPECT_FALSE(all.GenerateAtMost(a.tfidf.rows, a.eligible, options.threshold, pairs.size() - 1));

  // The work is the sum over columns of the squared count of eligible rows holding it.
  SparseRows::EigenRows given(3, 4);
  given.insert(0, 0) = 1;
  given.insert(0, 1) = 1;
  given.insert(1, 0) = 1;
  given.insert(2, 0) = 1;
  given.insert(2, 3) = 1;
  const SparseRows rows = SparseRows::FromEigen(given);
  EXPECT_EQ(ExactPairWork(rows, {}), 9.0 + 1.0 + 1.0);
  EXPECT_EQ(ExactPairWork(rows, {1, 0, 1}), 4.0 + 1.0 + 1.0);
}

// With min_shared_bands m, the candidates are exactly the pairs of the one-band run whose band
// keys (LshBandKeys, as stored by the index) agree in at least m bands.
TEST(MinHashLsh, KeepsThePairsSharingTheMinimumNumberOfBands) {
  LocalFileSystem fs;
  LoadedInputs in = LoadInputs({std::string(CLAIMDIFF_SOURCE_DIR) + "/fixtures/exchange-hack"}, fs);
  const CompareOptions options;
  const Analysis a = *Analyze(std::move(in.documents), options, {});
  // The band keys Generate uses: document frequencies over the eligible rows.
  std::vector<uint32_t> df(static_cast<size_t>(a.tfidf.rows.cols()), 0);
  size_t eligible_rows = 0;
  for (int64_t i = 0; i < a.tfidf.rows.rows(); ++i) {
    if (!a.eligible[static_cast<size_t>(i)]) continue;
    ++eligible_rows;
    for (SparseRows::InnerIterator it(a.tfidf.rows, i); it; ++it)
      ++df[static_cast<size_t>(it.col())];
  }
  const auto keys = LshBandKeys(a.tfidf, a.eligible, df, options.minhash,
                                LshParametersFor(eligible_rows, options.minhash));
  const auto bands = static_cast<size_t>(options.minhash.bands);
  std::map<uint32_t, size_t> first_key;  // row -> index of its band 0 key
  for (size_t k = 0; k < keys.size(); k += bands) first_key[keys[k].second] = k;
  auto shared_bands = [&](uint32_t x, uint32_t y) {
    size_t same = 0;
    for (size_t b = 0; b < bands; ++b) {
      same += keys[first_key.at(x) + b].first == keys[first_key.at(y) + b].first;
    }
    return same;
  };
  const std::vector<ScoredPair> one = MinHashLshCandidates(a.tfidf, options.minhash)
                                          .Generate(a.tfidf.rows, a.eligible, options.threshold);
  size_t fewer_than_all = 0;
  for (int m : {1, 2, 8, 32}) {
    MinHashOptions o = options.minhash;
    o.min_shared_bands = m;
    std::set<std::pair<uint32_t, uint32_t>> expected;
    for (const ScoredPair& p : one) {
      if (shared_bands(p.a, p.b) >= static_cast<size_t>(m)) expected.emplace(p.a, p.b);
    }
    std::set<std::pair<uint32_t, uint32_t>> found;
    for (const ScoredPair& p :
         MinHashLshCandidates(a.tfidf, o).Generate(a.tfidf.rows, a.eligible, options.threshold)) {
      found.emplace(p.a, p.b);
    }
    EXPECT_EQ(found, expected) << "m = " << m;
    if (m == 32) fewer_than_all = one.size() - found.size();
    if (m == 1) {
      EXPECT_EQ(found.size(), one.size());
    }
  }
  EXPECT_GT(fewer_than_all, 0u);  // 32 bands is a real cut on the fixtures
}

TEST(MinHashSignature, IsStableAndEstimatesJaccard) {
  MinHashOptions o;
  o.bands = 128;
  o.rows_per_band = 2;
  std::vector<uint64_t> a, b;
  for (uint64_t i = 0; i < 100; ++i) a.push_back(i * 7919);
  for (uint64_t i = 50; i < 150; ++i) b.push_back(i * 7919);  // Jaccard 50/150
  const auto sa = MinHashSignature(a, o);
  const auto sb = MinHashSignature(b, o);
  EXPECT_EQ(sa, MinHashSignature(a, o));
  size_t same = 0;
  for (size_t i = 0; i < sa.size(); ++i) same += sa[i] == sb[i];
  EXPECT_NEAR(static_cast<double>(same) / static_cast<double>(sa.size()), 1.0 / 3, 0.08);
}

}  // namespace
}  // namespace claimdiff
