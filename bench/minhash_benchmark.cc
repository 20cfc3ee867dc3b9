// Micro-benchmarks of the scale path: shingling, MinHash signatures, LSH banding, cosines, the
// dot products of a figure group's block with its partners, and the shared phrases of two
// documents.
// Run: build/bench/minhash_benchmark (items per second = spans per second).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "core/normalize.h"
#include "similarity/minhash.h"
#include "similarity/overlap.h"
#include "similarity/shingle.h"
#include "similarity/tfidf.h"

namespace {

// `n` news-like Arabic sentences from a Zipf-ish vocabulary, with planted near-copies.
std::vector<std::string> Sentences(size_t n) {
  std::mt19937 rng(42);
  const char* letters[] = {"ب", "ت", "ج", "د", "ر", "س", "ع", "ف", "ق", "ك", "ل", "م", "ن", "ه"};
  std::vector<std::string> vocab;
  for (int w = 0; w < 20000; ++w) {
    std::string word;
    for (int k = 0; k < 3 + w % 3; ++k) word.append(letters[rng() % 14]);
    vocab.push_back(word);
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) {
    if (i > 10 && rng() % 6 == 0) {  // a near-copy of an earlier sentence
      std::string copy = out[rng() % out.size()];
      copy.append(" ").append(vocab[rng() % vocab.size()]);
      out.push_back(copy);
      continue;
    }
    std::string s;
    for (int w = 0; w < 20; ++w) {
      const double u = std::uniform_real_distribution<double>(0, 1)(rng);
      const auto rank = static_cast<size_t>(std::pow(20000.0, u)) - 1;  // heavier head
      s.append(vocab[rank % vocab.size()]).append(" ");
    }
    out.push_back(s);
  }
  return out;
}

struct Data {
  std::vector<std::vector<claimdiff::Shingle>> shingles;
  claimdiff::TfidfMatrix tfidf;
};

const Data& Corpus() {
  static const Data data = [] {
    Data d;
    const claimdiff::Normalizer n = *claimdiff::Normalizer::Create();
    for (const std::string& s : Sentences(20000)) {
      d.shingles.push_back(claimdiff::ShingleText(n.Normalize(s).text));
    }
    d.tfidf = claimdiff::BuildTfidf(d.shingles);
    return d;
  }();
  return data;
}

void BM_Shingle(benchmark::State& state) {
  const claimdiff::Normalizer n = *claimdiff::Normalizer::Create();
  const std::vector<std::string> text = Sentences(2000);
  std::vector<std::string> norm;
  for (const std::string& s : text) norm.push_back(n.Normalize(s).text);
  for (auto _ : state) {
    for (const std::string& s : norm) benchmark::DoNotOptimize(claimdiff::ShingleText(s));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(norm.size()));
}
BENCHMARK(BM_Shingle)->Unit(benchmark::kMillisecond);

void BM_MinHashSignature(benchmark::State& state) {
  const Data& d = Corpus();
  const claimdiff::MinHashOptions options;
  std::vector<std::vector<uint64_t>> sets;
  for (size_t i = 0; i < 2000; ++i) {
    std::vector<uint64_t> set;
    for (size_t k = 0; k < d.shingles[i].size() && set.size() < 24; ++k) {
      set.push_back(d.shingles[i][k].hash);
    }
    sets.push_back(std::move(set));
  }
  for (auto _ : state) {
    for (const auto& set : sets)
      benchmark::DoNotOptimize(claimdiff::MinHashSignature(set, options));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(sets.size()));
}
BENCHMARK(BM_MinHashSignature)->Unit(benchmark::kMillisecond);

void BM_LshBanding(benchmark::State& state) {
  const Data& d = Corpus();
  size_t pairs = 0;
  for (auto _ : state) {
    pairs = claimdiff::MinHashLshCandidates(d.tfidf).Generate(d.tfidf.rows, {}, 0.3f).size();
  }
  state.SetItemsProcessed(state.iterations() * d.tfidf.rows.rows());
  state.counters["pairs"] = static_cast<double>(pairs);
}
BENCHMARK(BM_LshBanding)->Unit(benchmark::kMillisecond);

// Cosines of random row pairs (cache misses included, as in verification and clustering):
// claimdiff's merge over the factored rows, and Eigen's sparse dot product of two rows of the
// same matrix with its values stored, for reference.
template <bool kEigen>
void BM_Cosine(benchmark::State& state) {
  const Data& d = Corpus();
  std::mt19937 rng(7);
  const auto rows = static_cast<uint32_t>(d.tfidf.rows.rows());
  std::vector<std::pair<uint32_t, uint32_t>> pairs(1 << 16);
  for (auto& [a, b] : pairs) {
    a = rng() % rows;
    b = rng() % rows;
  }
  const claimdiff::SparseRows::EigenRows eigen =
      kEigen ? d.tfidf.rows.ToEigen() : claimdiff::SparseRows::EigenRows();
  for (auto _ : state) {
    float total = 0;
    for (const auto& [a, b] : pairs) {
      total += kEigen ? eigen.row(a).dot(eigen.row(b)) : claimdiff::Cosine(d.tfidf.rows, a, b);
    }
    benchmark::DoNotOptimize(total);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(pairs.size()));
}
BENCHMARK(BM_Cosine<false>)->Name("BM_Cosine")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Cosine<true>)->Name("BM_CosineEigen")->Unit(benchmark::kMillisecond);

// The dot products of a block of R queries with a run of 32 partners each (the figures of one
// group, state.range(0) = R): one query at a time against each partner (DotProbe), or the run
// read once for the block (PartnerDots). Items are query-partner pairs.
template <bool kPartnerDots>
void BM_BlockDots(benchmark::State& state) {
  const Data& d = Corpus();
  const auto queries = static_cast<size_t>(state.range(0));
  constexpr size_t kPartners = 32;
  constexpr size_t kBlocks = 256;
  std::mt19937 rng(11);
  const auto rows = static_cast<int64_t>(d.tfidf.rows.rows());
  std::vector<std::vector<claimdiff::SparseView>> query_views(kBlocks), run_views(kBlocks);
  for (size_t b = 0; b < kBlocks; ++b) {
    for (size_t q = 0; q < queries; ++q) {
      query_views[b].push_back(claimdiff::RowView(d.tfidf.rows, rng() % rows));
    }
    for (size_t y = 0; y < kPartners; ++y) {
      run_views[b].push_back(claimdiff::RowView(d.tfidf.rows, rng() % rows));
    }
  }
  claimdiff::DotProbe probe;
  claimdiff::PartnerDots partners;
  std::vector<float> dots;
  for (auto _ : state) {
    float total = 0;
    for (size_t b = 0; b < kBlocks; ++b) {
      if (kPartnerDots) partners.Build(query_views[b], run_views[b]);
      for (const claimdiff::SparseView& x : query_views[b]) {
        if (kPartnerDots) {
          partners.Dots(x, 0, &dots);
          for (float v : dots) total += v;
        } else {
          probe.Reset(x, kPartners);
          for (const claimdiff::SparseView& y : run_views[b]) total += probe.Dot(y);
        }
      }
    }
    benchmark::DoNotOptimize(total);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kBlocks * queries * kPartners));
}
BENCHMARK(BM_BlockDots<false>)->Name("BM_BlockDotsProbe")->Arg(1)->Arg(2)->Arg(3)->Arg(4)->Arg(16);
BENCHMARK(BM_BlockDots<true>)
    ->Name("BM_BlockDotsPartnerDots")
    ->Arg(1)
    ->Arg(2)
    ->Arg(3)
    ->Arg(4)
    ->Arg(16);

// The shared hashes of two documents' phrase sets (IntersectionSize, eight at a time where the
// processor has AVX-512), against a plain one-at-a-time merge: 2,000 sorted sets of 200-600
// hashes, two thirds of them drawn from a pool of 20,000, intersected in fixed pairs. Items
// are intersections.
template <bool kLibrary>
void BM_Intersection(benchmark::State& state) {
  std::mt19937_64 rng(7);
  std::vector<uint64_t> pool(20000);
  for (uint64_t& x : pool) x = rng();
  std::vector<std::vector<uint64_t>> sets(2000);
  for (std::vector<uint64_t>& set : sets) {
    const size_t n = 200 + rng() % 400;
    for (size_t k = 0; k < n; ++k)
      set.push_back(rng() % 3 != 0 ? pool[rng() % pool.size()] : rng());
    std::sort(set.begin(), set.end());
    set.erase(std::unique(set.begin(), set.end()), set.end());
  }
  auto plain = [](const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
    size_t i = 0, j = 0, n = 0;
    while (i < a.size() && j < b.size()) {
      n += static_cast<size_t>(a[i] == b[j]);
      const bool a_first = a[i] <= b[j];
      const bool b_first = b[j] <= a[i];
      i += static_cast<size_t>(a_first);
      j += static_cast<size_t>(b_first);
    }
    return n;
  };
  constexpr size_t kPairs = 100000;
  for (auto _ : state) {
    size_t shared = 0;
    for (size_t k = 0; k < kPairs; ++k) {
      const std::vector<uint64_t>& a = sets[k % sets.size()];
      const std::vector<uint64_t>& b = sets[(k * 7 + 1) % sets.size()];
      shared += kLibrary ? claimdiff::IntersectionSize(a, b) : plain(a, b);
    }
    benchmark::DoNotOptimize(shared);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kPairs));
}
BENCHMARK(BM_Intersection<true>)->Name("BM_IntersectionSize")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Intersection<false>)->Name("BM_IntersectionPlainMerge")->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
