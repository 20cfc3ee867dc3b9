#include "similarity/syndication.h"

#include <algorithm>
#include <bitset>
#include <cstdint>
#include <iterator>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "core/parallel.h"
#include "similarity/minhash.h"
#include "similarity/shingle.h"

namespace claimdiff {
namespace {

// Document band keys live apart from the span index's keys (minhash.cc) even when stored
// side by side.
constexpr uint64_t kDocumentBandSeed = 0x5D0C5D0C5D0C5D0CULL;

// The hashes two sorted sets share, sorted.
std::vector<uint64_t> Intersection(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  std::vector<uint64_t> out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

// (hash, position) for the phrases of a document whose hash is in `shared` (sorted), in text
// order. Only shared phrases can be matched, and most phrases of a pair are not shared.
std::vector<std::pair<uint64_t, uint32_t>> SharedPositions(const std::vector<Phrase>& sequence,
                                                           const std::vector<uint64_t>& shared) {
  // A bitmap of the shared hashes' low bits rules most phrases out before the binary search.
  std::bitset<4096> maybe;
  for (const uint64_t h : shared) maybe.set(h & 4095);
  std::vector<std::pair<uint64_t, uint32_t>> out;
  for (size_t i = 0; i < sequence.size(); ++i) {
    const uint64_t h = sequence[i].hash();
    if (maybe.test(h & 4095) && std::binary_search(shared.begin(), shared.end(), h)) {
      out.emplace_back(h, static_cast<uint32_t>(i));
    }
  }
  return out;
}

std::pair<size_t, size_t> Range(const std::vector<std::pair<uint64_t, uint32_t>>& positions,
                                uint64_t hash) {
  // Binary searches at both ends: a phrase repeated 100,000 times in one document must not cost
  // 100,000 steps for each of its occurrences (a walk to the range's end made that quadratic).
  const auto lo = std::lower_bound(positions.begin(), positions.end(), std::make_pair(hash, 0u));
  const auto hi = std::upper_bound(lo, positions.end(), std::make_pair(hash, UINT32_MAX));
  return {static_cast<size_t>(lo - positions.begin()), static_cast<size_t>(hi - positions.begin())};
}

struct Run {
  uint32_t first_i = 0, first_j = 0, last_i = 0, last_j = 0;
  std::vector<std::pair<uint32_t, uint32_t>> matched;
};

// Spans at least half of whose phrases are marked.
uint32_t CoveredSegments(const std::vector<Phrase>& sequence, const std::vector<uint8_t>& marked) {
  uint32_t covered = 0;
  size_t i = 0;
  while (i < sequence.size()) {
    size_t k = i, hits = 0;
    while (k < sequence.size() && sequence[k].segment == sequence[i].segment) hits += marked[k++];
    if (2 * hits >= k - i && hits > 0) ++covered;
    i = k;
  }
  return covered;
}

}  // namespace

DocumentPhrases MakeDocumentPhrases(std::vector<Phrase> sequence) {
  DocumentPhrases d;
  d.sequence = std::move(sequence);
  d.set.reserve(d.sequence.size());
  for (const Phrase& p : d.sequence) d.set.push_back(p.hash());
  std::sort(d.set.begin(), d.set.end());
  d.set.erase(std::unique(d.set.begin(), d.set.end()), d.set.end());
  return d;
}

ReuseMeasure MeasureReuse(const DocumentPhrases& a, const DocumentPhrases& b,
                          const PassageOptions& options) {
  ReuseMeasure m;
  const std::vector<uint64_t> shared = Intersection(a.set, b.set);
  m.shared_phrases = static_cast<uint32_t>(shared.size());
  const Containments c = ContainmentsOf(shared.size(), a.set.size(), b.set.size());
  m.a_in_b = c.a_in_b;
  m.b_in_a = c.b_in_a;
  const auto min_phrases = static_cast<size_t>(std::max(1, options.min_phrases));
  if (m.shared_phrases < min_phrases) return m;

  // Only a's shared phrases are walked (in text order): a run is closed at the first walked
  // phrase past its reach, which is where a walk over every phrase would close it too.
  auto a_pos = SharedPositions(a.sequence, shared);
  auto b_pos = SharedPositions(b.sequence, shared);
  std::vector<uint32_t> a_walk;
  a_walk.reserve(a_pos.size());
  for (const auto& [hash, i] : a_pos) a_walk.push_back(i);
  std::sort(a_pos.begin(), a_pos.end());
  std::sort(b_pos.begin(), b_pos.end());
  const auto repeats = static_cast<size_t>(std::max(1, options.max_repeats));
  const auto step = static_cast<uint32_t>(std::max(0, options.max_gap)) + 1;
  std::vector<Run> open, done;
  for (const uint32_t i : a_walk) {
    const uint64_t h = a.sequence[i].hash();
    // Runs that can no longer be extended.
    for (size_t r = 0; r < open.size();) {
      if (i - open[r].last_i > step) {
        done.push_back(std::move(open[r]));
        open.erase(open.begin() + static_cast<std::ptrdiff_t>(r));
      } else {
        ++r;
      }
    }
    const auto [blo, bhi] = Range(b_pos, h);
    if (blo == bhi || bhi - blo > repeats) continue;
    const auto [alo, ahi] = Range(a_pos, h);
    if (ahi - alo > repeats) continue;
    const size_t open_before = open.size();
    for (size_t k = blo; k < bhi; ++k) {
      const uint32_t j = b_pos[k].second;
      size_t best = open_before;
      uint32_t best_cost = 0;
      for (size_t r = 0; r < open_before; ++r) {
        const Run& run = open[r];
        if (run.last_i >= i || run.last_j >= j || j - run.last_j > step) continue;
        const uint32_t cost = (i - run.last_i) + (j - run.last_j);
        if (best == open_before || cost < best_cost) best = r, best_cost = cost;
      }
      if (best != open_before) {
        open[best].last_i = i;
        open[best].last_j = j;
        open[best].matched.emplace_back(i, j);
      } else {
        Run run;
        run.first_i = run.last_i = i;
        run.first_j = run.last_j = j;
        run.matched.emplace_back(i, j);
        open.push_back(std::move(run));
      }
    }
  }
  for (Run& run : open) done.push_back(std::move(run));

  std::vector<uint8_t> a_marked(a.sequence.size(), 0), b_marked(b.sequence.size(), 0);
  for (const Run& run : done) {
    if (run.matched.size() < min_phrases) continue;
    Passage p;
    p.a_start = a.sequence[run.first_i].begin;
    p.a_end = a.sequence[run.last_i].end;
    p.b_start = b.sequence[run.first_j].begin;
    p.b_end = b.sequence[run.last_j].end;
    p.phrases = static_cast<uint32_t>(run.matched.size());
    const double spanned = static_cast<double>(run.last_i - run.first_i + 1) +
                           static_cast<double>(run.last_j - run.first_j + 1);
    p.similarity = 2.0 * static_cast<double>(p.phrases) / spanned;
    m.passages.push_back(p);
    for (const auto& [i, j] : run.matched) a_marked[i] = b_marked[j] = 1;
  }
  std::sort(m.passages.begin(), m.passages.end(), [](const Passage& x, const Passage& y) {
    if (x.a_start != y.a_start) return x.a_start < y.a_start;
    if (x.b_start != y.b_start) return x.b_start < y.b_start;
    if (x.a_end != y.a_end) return x.a_end < y.a_end;
    return x.b_end < y.b_end;
  });
  m.shared_spans =
      std::min(CoveredSegments(a.sequence, a_marked), CoveredSegments(b.sequence, b_marked));
  return m;
}

std::vector<uint64_t> DocumentBandKeys(const std::vector<uint64_t>& phrase_set,
                                       const ReuseCandidateOptions& options) {
  std::vector<uint64_t> keys;
  if (phrase_set.empty() || options.bands <= 0 || options.rows_per_band <= 0) return keys;
  MinHashOptions mh;
  mh.bands = options.bands;
  mh.rows_per_band = options.rows_per_band;
  const std::vector<uint64_t> sig = MinHashSignature(phrase_set, mh);
  const auto r = static_cast<size_t>(options.rows_per_band);
  for (size_t band = 0; band < static_cast<size_t>(options.bands); ++band) {
    uint64_t key = Mix64(kDocumentBandSeed ^ (band + 1));
    for (size_t j = 0; j < r; ++j) key = Mix64(key ^ sig[band * r + j]);
    keys.push_back(key);
  }
  return keys;
}

std::vector<std::pair<uint32_t, uint32_t>> ReuseCandidates(
    const std::vector<DocumentPhrases>& documents, const ReuseCandidateOptions& options,
    int threads) {
  const size_t n = documents.size();
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  // (key, document), sorted: documents sharing a key are one run.
  std::vector<std::pair<uint64_t, uint32_t>> postings;
  size_t max_group = options.max_postings;
  const bool lsh = options.force_lsh || n > options.lsh_from_documents;
  if (lsh) {
    std::vector<std::vector<uint64_t>> keys(n);
    ParallelFor(n, threads, [&](size_t begin, size_t end) {
      for (size_t d = begin; d < end; ++d) keys[d] = DocumentBandKeys(documents[d].set, options);
    });
    for (size_t d = 0; d < n; ++d) {
      for (uint64_t k : keys[d]) postings.emplace_back(k, static_cast<uint32_t>(d));
    }
    max_group = options.max_bucket;
  } else {
    for (size_t d = 0; d < n; ++d) {
      for (uint64_t h : documents[d].set) postings.emplace_back(h, static_cast<uint32_t>(d));
    }
  }
  std::sort(postings.begin(), postings.end());
  postings.erase(std::unique(postings.begin(), postings.end()), postings.end());
  absl::flat_hash_map<uint64_t, uint32_t> shared;
  for (size_t i = 0; i < postings.size();) {
    size_t k = i;
    while (k < postings.size() && postings[k].first == postings[i].first) ++k;
    if (k - i >= 2 && k - i <= max_group) {
      for (size_t x = i; x < k; ++x) {
        for (size_t y = x + 1; y < k; ++y) {
          ++shared[static_cast<uint64_t>(postings[x].second) << 32 | postings[y].second];
        }
      }
    }
    i = k;
  }
  for (const auto& [key, count] : shared) {
    if (lsh || count >= options.min_shared) {
      pairs.emplace_back(static_cast<uint32_t>(key >> 32), static_cast<uint32_t>(key));
    }
  }
  std::sort(pairs.begin(), pairs.end());
  return pairs;
}

}  // namespace claimdiff
