#include "similarity/tfidf.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <functional>

#include "core/parallel.h"
#include "core/radix_sort.h"

namespace claimdiff {
namespace {

// 1 + ln(count), the weight of a shingle's count in its row. Most counts are 1, whose logarithm
// is +0 exactly: the same float without the call.
float CountWeight(uint32_t count) {
  return count == 1 ? 1.0f : 1.0f + std::log(static_cast<float>(count));
}

// The unit-length weights of one row, as (key, weight) in shingle order; shingles whose
// `key_of(k)` is negative (not a column) are skipped. `idf_of(k)` is the idf of shingles[k].
template <typename Key, typename KeyOf, typename IdfOf>
void UnitEntries(std::span<const Shingle> shingles, const TfidfOptions& options,
                 const KeyOf& key_of, const IdfOf& idf_of,
                 std::vector<std::pair<Key, float>>* entries, float* scale = nullptr) {
  const float type_weight[kShingleTypes] = {options.word_weight, options.bigram_weight,
                                            options.char_weight, options.skeleton_weight,
                                            options.number_weight};
  entries->clear();
  double norm = 0;
  for (size_t k = 0; k < shingles.size(); ++k) {
    const Shingle& s = shingles[k];
    const Key key = key_of(k);
    if (key < 0) continue;
    const float w = type_weight[static_cast<int>(s.type)] * CountWeight(s.count) * idf_of(k);
    if (w <= 0) continue;
    entries->emplace_back(key, w);
    norm += static_cast<double>(w) * w;
  }
  if (norm <= 0) {
    entries->clear();
    return;
  }
  const auto inv = static_cast<float>(1.0 / std::sqrt(norm));
  if (scale != nullptr) {
    *scale = inv;  // the caller scales
    return;
  }
  for (auto& e : *entries) e.second *= inv;
}

}  // namespace

TfidfMatrix BuildTfidf(const std::vector<std::vector<Shingle>>& shingles,
                       const std::vector<uint8_t>& in_df, const TfidfOptions& options,
                       int threads) {
  TfidfBuilder builder(shingles.size());
  ParallelFor(shingles.size(), threads, [&](size_t begin, size_t end) {
    TfidfBuilder::RowWriter writer = builder.Writer();
    for (size_t i = begin; i < end; ++i) writer.Set(i, shingles[i]);
  });
  return builder.Build(in_df, options, threads);
}

TfidfBuilder::RowWriter TfidfBuilder::Writer() {
  std::scoped_lock lock(mu_);
  Vocabulary* v = nullptr;
  if (!idle_.empty()) {
    v = idle_.back();
    idle_.pop_back();
  } else {
    v = NewVocabulary();
  }
  return RowWriter(this, v);
}

TfidfBuilder::Vocabulary* TfidfBuilder::NewVocabulary() {
  Vocabulary* v = &vocabularies_.emplace_back();
  v->index = static_cast<uint32_t>(vocabularies_.size() - 1);
  return v;
}

TfidfBuilder::Vocabulary* TfidfBuilder::Replace() {
  std::scoped_lock lock(mu_);
  return NewVocabulary();
}

TfidfBuilder::RowWriter::~RowWriter() {
  if (vocabulary_ != nullptr) builder_->Release(vocabulary_);
}

void TfidfBuilder::Release(Vocabulary* vocabulary) {
  std::scoped_lock lock(mu_);
  idle_.push_back(vocabulary);
}

void TfidfBuilder::MakeRoom(Vocabulary& v, size_t entries) {
  if (v.chunk != nullptr && v.chunk->entries.size() + entries <= v.chunk->entries.capacity()) {
    return;
  }
  std::scoped_lock lock(mu_);
  Chunk& chunk = chunks_.emplace_back();
  chunk.vocabulary = v.index;
  chunk.entries.reserve(std::max(kChunkEntries, entries));
  v.chunk = &chunk;
  v.chunk_index = static_cast<uint32_t>(chunks_.size() - 1);
}

void TfidfBuilder::RowWriter::Set(size_t row, const std::vector<Shingle>& shingles) {
  if (vocabulary_->ids.capacity() >= builder_->vocabulary_slots_ &&
      vocabulary_->ids.Room() < shingles.size()) {
    vocabulary_ = builder_->Replace();
  }
  Vocabulary& v = *vocabulary_;
  builder_->MakeRoom(v, shingles.size());
  Chunk& chunk = *v.chunk;
  builder_->rows_[row] = {v.chunk_index, static_cast<uint32_t>(shingles.size()),
                          chunk.entries.size()};
  chunk.rows.push_back(static_cast<uint32_t>(row));
  // The table is large and each lookup misses the cache: the slots of the next kAhead
  // shingles are asked for while this one is looked up (no other thread touches the table).
  constexpr size_t kAhead = 16;
  for (size_t k = 0; k < std::min(kAhead, shingles.size()); ++k) v.ids.Prefetch(shingles[k].hash);
  for (size_t k = 0; k < shingles.size(); ++k) {
    if (k + kAhead < shingles.size()) v.ids.Prefetch(shingles[k + kAhead].hash);
    const Shingle& sh = shingles[k];
    const auto [found, inserted] =
        v.ids.FindOrInsert(sh.hash, {static_cast<uint32_t>(v.types.size()), 0});
    if (inserted) v.types.push_back(sh.type);
    ++found->rows;  // a row's shingles are distinct hashes
    if (sh.count != 1) {
      chunk.counts.emplace_back(static_cast<uint32_t>(chunk.entries.size()), sh.count);
    }
    chunk.entries.push_back(found->id);
  }
}

void TfidfBuilder::Freeze(int threads) {
  if (frozen_) return;
  frozen_ = true;
  // Columns: the distinct hashes of all vocabularies in increasing order. Each vocabulary's
  // (hash, id, type) sorted, in parallel; then merged, each hash once, the hash space cut into
  // ranges merged on all threads (hashes are uniform: the ranges are about equal).
  const size_t num_vocabularies = vocabularies_.size();
  struct Key {
    uint64_t hash;
    uint32_t id;
    uint32_t rows;
  };
  std::vector<std::vector<Key>> sorted(num_vocabularies);
  // One vocabulary after another, each table released as its keys come out (they are written
  // in table order, so their pages join the resident set one after another), so a table and its
  // keys are hardly held side by side: at 100,000 documents, two tables of 512 MB and two key
  // arrays of 240 MB side by side, one vocabulary per thread, were once the run's peak. The
  // keys are then sorted in place (parts on all threads): they are never held twice.
  for (size_t x = 0; x < num_vocabularies; ++x) {
    Vocabulary& v = vocabularies_[x];
    std::vector<Key>& out = sorted[x];
    out.reserve(v.ids.size());
    v.ids.Drain([&](uint64_t hash, const Shingled& sh) { out.push_back({hash, sh.id, sh.rows}); });
    SortByHashInPlace(
        std::span<Key>(out), [](const Key& e) { return e.hash; }, threads);
  }
  std::vector<std::vector<uint32_t>> column_of(num_vocabularies);  // id -> column
  // The rows set with each column's hash, from the vocabularies' counts: the document
  // frequencies once Build takes out the rows not in_df.
  std::vector<uint32_t>& df = rows_with_;
  for (size_t x = 0; x < num_vocabularies; ++x) column_of[x].resize(sorted[x].size());
  {
    // Range p holds the hashes whose top bits are p (kRangeBits of them); [from, to) in each
    // vocabulary's sorted keys.
    constexpr int kRangeBits = 8;
    constexpr size_t kRanges = size_t{1} << kRangeBits;
    auto range_start = [&](size_t x, size_t p) -> size_t {
      if (p >= kRanges) return sorted[x].size();
      const uint64_t lo = static_cast<uint64_t>(p) << (64 - kRangeBits);
      return static_cast<size_t>(
          std::lower_bound(sorted[x].begin(), sorted[x].end(), lo,
                           [](const Key& e, uint64_t h) { return e.hash < h; }) -
          sorted[x].begin());
    };
    std::vector<size_t> starts(num_vocabularies * (kRanges + 1));
    for (size_t x = 0; x < num_vocabularies; ++x) {
      for (size_t p = 0; p <= kRanges; ++p) starts[x * (kRanges + 1) + p] = range_start(x, p);
    }
    // Merges range p: `emit(column, first_of_hash, x, key)` for each key of vocabulary x, in
    // increasing (hash, vocabulary) order, `column` counting distinct hashes from 0 within the
    // range; returns their number.
    auto merge = [&](size_t p, const auto& emit) {
      std::vector<size_t> next(num_vocabularies);
      for (size_t x = 0; x < num_vocabularies; ++x) next[x] = starts[x * (kRanges + 1) + p];
      auto stop = [&](size_t x) { return starts[x * (kRanges + 1) + p + 1]; };
      size_t distinct = 0;
      bool any = false;
      uint64_t last = 0;
      for (;;) {
        // The smallest head; ties (a hash in several vocabularies) by vocabulary.
        size_t best = num_vocabularies;
        for (size_t x = 0; x < num_vocabularies; ++x) {
          if (next[x] < stop(x) && (best == num_vocabularies ||
                                    sorted[x][next[x]].hash < sorted[best][next[best]].hash)) {
            best = x;
          }
        }
        if (best == num_vocabularies) break;
        const Key& key = sorted[best][next[best]++];
        const bool first_of_hash = !any || key.hash != last;
        distinct += first_of_hash ? 1 : 0;
        any = true;
        last = key.hash;
        emit(distinct - 1, first_of_hash, best, key);
      }
      return distinct;
    };
    std::vector<size_t> first(kRanges + 1, 0);
    ParallelFor(kRanges, threads, [&](size_t begin, size_t end) {
      for (size_t p = begin; p < end; ++p) {
        first[p + 1] = merge(p, [](size_t, bool, size_t, const Key&) {});
      }
    });
    for (size_t p = 0; p < kRanges; ++p) first[p + 1] += first[p];
    columns_.resize(first[kRanges]);
    types_.resize(first[kRanges]);
    df.assign(first[kRanges], 0);
    ParallelFor(kRanges, threads, [&](size_t begin, size_t end) {
      for (size_t p = begin; p < end; ++p) {
        merge(p, [&](size_t local, bool first_of_hash, size_t x, const Key& key) {
          const size_t column = first[p] + local;
          if (first_of_hash) {  // the smallest vocabulary holding the hash gives its type
            columns_[column] = key.hash;
            types_[column] = vocabularies_[x].types[key.id];
          }
          column_of[x][key.id] = static_cast<uint32_t>(column);
          df[column] += key.rows;  // range p's columns are this thread's
        });
      }
    });
  }
  std::vector<std::vector<Key>>().swap(sorted);
  for (Vocabulary& v : vocabularies_) std::vector<ShingleType>().swap(v.types);
  // Ids become columns; a row's entries stay in hash order, which is column order.
  ParallelFor(chunks_.size(), threads, [&](size_t begin, size_t end) {
    for (size_t c = begin; c < end; ++c) {
      const std::vector<uint32_t>& columns = column_of[chunks_[c].vocabulary];
      for (uint32_t& e : chunks_[c].entries) e = columns[e];
    }
  });
}

TfidfMatrix TfidfBuilder::Build(const std::vector<uint8_t>& in_df, const TfidfOptions& options,
                                int threads, const PriorCounts* prior, bool count_own) {
  Freeze(threads);
  const size_t n = rows_.size();
  TfidfMatrix m;
  m.columns = std::move(columns_);
  m.types = std::move(types_);
  std::vector<uint32_t> df = std::move(rows_with_);
  if (!count_own) std::fill(df.begin(), df.end(), 0);
  auto row_entries = [&](size_t i) {
    const Place& p = rows_[i];
    const uint32_t* first = chunks_.empty() ? nullptr : chunks_[p.chunk].entries.data() + p.offset;
    return std::pair<const uint32_t*, const uint32_t*>(first, first + p.size);
  };

  // The rows not counted (page furniture, repeated lines: a few) are taken out of the
  // frequencies, chunks on all threads (exact integers: the same for any thread count).
  size_t n_df = 0;
  if (count_own) {
    for (size_t i = 0; i < n; ++i) n_df += in_df.empty() || in_df[i] ? 1 : 0;
    if (!in_df.empty()) {
      ParallelFor(chunks_.size(), threads, [&](size_t begin, size_t end) {
        for (size_t c = begin; c < end; ++c) {
          for (const uint32_t i : chunks_[c].rows) {
            if (in_df[i]) continue;
            const auto [first, last] = row_entries(i);
            for (const uint32_t* e = first; e != last; ++e) {
              std::atomic_ref<uint32_t>(df[*e]).fetch_sub(1, std::memory_order_relaxed);
            }
          }
        }
      });
    }
  }
  m.idf.resize(m.columns.size());
  if (prior != nullptr) {
    for (size_t j = 0; j < df.size(); ++j) df[j] += prior->counts[j];
    n_df += prior->rows;
  }
  ParallelFor(df.size(), threads, [&](size_t begin, size_t end) {
    for (size_t j = begin; j < end; ++j) m.idf[j] = Idf(n_df, df[j]);
  });
  m.df = std::move(df);
  m.df_rows = n_df;
  m.df_own = count_own && prior == nullptr;

  // Weights straight into the compressed matrix, rows in parallel; each row's shingles are
  // freed once written. A weight is type_weight * (1 + ln count) * idf with idf >= 1 and
  // count >= 1, so it is kept (not <= 0) exactly when its type's weight is.
  const float type_weight[kShingleTypes] = {options.word_weight, options.bigram_weight,
                                            options.char_weight, options.skeleton_weight,
                                            options.number_weight};
  auto kept = [&](uint32_t column) {
    return !(type_weight[static_cast<int>(m.types[column])] <= 0);
  };
  SparseRows& rows = m.rows;
  rows.cols_ = static_cast<int64_t>(m.columns.size());
  rows.outer_.assign(n + 1, 0);
  std::vector<int64_t>& outer = rows.outer_;
  // With every type weighed (the default), every entry is kept: no need to read their types.
  const bool all_kept =
      std::none_of(std::begin(type_weight), std::end(type_weight), [](float w) { return w <= 0; });
  for (size_t i = 0; i < n; ++i) {
    const auto [first, last] = row_entries(i);
    outer[i + 1] = outer[i] + (all_kept ? last - first : std::count_if(first, last, kept));
  }
  // The matrix's pages are touched only as rows are written, and each chunk is released once
  // its rows are: resident memory holds about one of the two at a time.
  rows.index_.resize(static_cast<size_t>(outer[n]));
  int32_t* inner = rows.index_.data();
  // Each column's type weight times its idf: the weight of a count of 1 (most entries). A
  // row's value is that weight times the row's scale, computed when read.
  rows.column_weight_.resize(m.columns.size());
  ParallelFor(m.columns.size(), threads, [&](size_t begin, size_t end) {
    for (size_t j = begin; j < end; ++j) {
      rows.column_weight_[j] = type_weight[static_cast<int>(m.types[j])] * m.idf[j];
    }
  });
  const float* single = rows.column_weight_.data();
  rows.scale_.assign(n, 1.0f);
  // The entries counted more than once, (row, weight) in each chunk's order, placed once all
  // are known.
  std::vector<uint32_t> odd_count(n + 1, 0);
  std::vector<std::vector<std::pair<uint32_t, OddWeight>>> odd_of_chunk(chunks_.size());
  ParallelFor(chunks_.size(), threads, [&](size_t begin, size_t end) {
    for (size_t c = begin; c < end; ++c) {
      const Chunk& chunk = chunks_[c];
      std::vector<std::pair<uint32_t, OddWeight>>& odd = odd_of_chunk[c];
      // The chunk's rows come in the order their entries were appended, and so do the counts
      // above 1: one cursor walks them along.
      size_t next_count = 0;
      const uint32_t* chunk_start = chunk.entries.data();
      for (const uint32_t i : chunk.rows) {
        const auto first = static_cast<size_t>(outer[i]);
        size_t pos = first;
        double norm = 0;
        const auto [e_first, e_last] = row_entries(i);
        for (const uint32_t* e = e_first; e != e_last; ++e) {
          uint32_t count = 1;
          if (next_count < chunk.counts.size() &&
              chunk.counts[next_count].first == static_cast<uint32_t>(e - chunk_start)) {
            count = chunk.counts[next_count++].second;
          }
          const uint32_t column = *e;
          float w = 0;
          if (count == 1) {
            if (!all_kept && !kept(column)) continue;
            w = single[column];  // the same float: CountWeight(1) is 1
          } else {
            if (!kept(column)) continue;
            w = type_weight[static_cast<int>(m.types[column])] * CountWeight(count) * m.idf[column];
            odd.push_back({i, {static_cast<uint32_t>(pos - first), w}});
            ++odd_count[i + 1];
          }
          inner[pos] = static_cast<int32_t>(column);
          norm += static_cast<double>(w) * w;
          ++pos;
        }
        // A value is w * scale, the float that w *= inv gave.
        if (!(norm <= 0)) rows.scale_[i] = static_cast<float>(1.0 / std::sqrt(norm));
      }
      std::vector<uint32_t>().swap(chunks_[c].entries);
      std::vector<std::pair<uint32_t, uint32_t>>().swap(chunks_[c].counts);
      std::vector<uint32_t>().swap(chunks_[c].rows);
    }
  });
  for (size_t i = 0; i < n; ++i) odd_count[i + 1] += odd_count[i];
  rows.odd_.resize(odd_count[n]);
  ParallelFor(odd_of_chunk.size(), threads, [&](size_t begin, size_t end) {
    for (size_t c = begin; c < end; ++c) {
      // A row's odd entries are together in its chunk's list, in place order.
      size_t next = 0;
      int64_t row = -1;
      for (const auto& [i, odd] : odd_of_chunk[c]) {
        if (static_cast<int64_t>(i) != row) {
          row = i;
          next = odd_count[i];
        }
        rows.odd_[next++] = odd;
      }
      std::vector<std::pair<uint32_t, OddWeight>>().swap(odd_of_chunk[c]);
    }
  });
  rows.odd_begin_ = std::move(odd_count);
  std::deque<Chunk>().swap(chunks_);
  std::deque<Vocabulary>().swap(vocabularies_);
  idle_.clear();
  std::vector<Place>().swap(rows_);
  return m;
}

namespace {

// VectorEntries' weights before the vector's scale, which goes in `scale`.
void ScaledVectorEntries(const TfidfMatrix& m, const std::vector<Shingle>& shingles,
                         const TfidfOptions& options, int64_t near_row,
                         std::vector<std::pair<int32_t, float>>* entries, float* scale) {
  constexpr int32_t kUnknown = -2;
  std::vector<int32_t> cols(shingles.size(), kUnknown);
  if (near_row >= 0) {
    // Both in hash order (a row's columns ascend, and columns ascend by hash): one merge.
    const SparseView row = RowView(m.rows, near_row);
    size_t r = 0;
    for (size_t k = 0; k < shingles.size() && r < row.size; ++k) {
      while (r < row.size && m.columns[static_cast<size_t>(row.index[r])] < shingles[k].hash) ++r;
      if (r < row.size && m.columns[static_cast<size_t>(row.index[r])] == shingles[k].hash) {
        cols[k] = row.index[r];
      }
    }
  }
  for (size_t k = 0; k < shingles.size(); ++k) {
    if (cols[k] != kUnknown) continue;
    const auto it = std::lower_bound(m.columns.begin(), m.columns.end(), shingles[k].hash);
    cols[k] = it == m.columns.end() || *it != shingles[k].hash
                  ? int32_t{-1}
                  : static_cast<int32_t>(it - m.columns.begin());
  }
  UnitEntries(
      shingles, options, [&](size_t k) { return cols[k]; },
      [&](size_t k) { return m.idf[static_cast<size_t>(cols[k])]; }, entries, scale);
}

}  // namespace

void VectorEntries(const TfidfMatrix& m, const std::vector<Shingle>& shingles,
                   const TfidfOptions& options, int64_t near_row,
                   std::vector<std::pair<int32_t, float>>* entries) {
  ScaledVectorEntries(m, shingles, options, near_row, entries, nullptr);
}

float FactoredVectorEntries(const TfidfMatrix& m, const std::vector<Shingle>& shingles,
                            const TfidfOptions& options, int64_t near_row,
                            const float* column_weight,
                            std::vector<std::pair<int32_t, float>>* scratch,
                            std::vector<int32_t>* index, std::vector<OddWeight>* odd) {
  float scale = 1.0f;
  ScaledVectorEntries(m, shingles, options, near_row, scratch, &scale);
  const size_t first = index->size();
  for (const auto& [column, w] : *scratch) {
    // The column's weight, bit for bit, or an odd entry (a shingle counted more than once).
    if (std::bit_cast<uint32_t>(column_weight[static_cast<size_t>(column)]) !=
        std::bit_cast<uint32_t>(w)) {
      odd->push_back({static_cast<uint32_t>(index->size() - first), w});
    }
    index->push_back(column);
  }
  return scale;
}

Eigen::SparseVector<float> Vectorize(const TfidfMatrix& m, const std::vector<Shingle>& shingles,
                                     const TfidfOptions& options, int64_t near_row) {
  std::vector<std::pair<int32_t, float>> entries;
  VectorEntries(m, shingles, options, near_row, &entries);
  Eigen::SparseVector<float> v(static_cast<int64_t>(m.columns.size()));
  v.reserve(static_cast<int64_t>(entries.size()));
  for (const auto& [col, w] : entries) v.insert(col) = w;
  return v;
}

absl::StatusOr<std::vector<uint32_t>> DocumentFrequencies::Counts(
    const std::vector<uint64_t>& sorted_hashes) const {
  std::vector<uint32_t> out(sorted_hashes.size(), 0);
  auto it = counts.begin();
  for (size_t k = 0; k < sorted_hashes.size() && it != counts.end(); ++k) {
    while (it != counts.end() && it->first < sorted_hashes[k]) ++it;
    if (it != counts.end() && it->first == sorted_hashes[k]) out[k] = it->second;
  }
  return out;
}

float Idf(uint64_t rows, uint64_t df) {
  return static_cast<float>(
      std::log((1.0 + static_cast<double>(rows)) / (1.0 + static_cast<double>(df))) + 1.0);
}

DocumentFrequencies OwnDocumentFrequencies(const TfidfMatrix& m,
                                           const std::vector<uint8_t>& in_df) {
  std::vector<uint32_t> df(m.columns.size(), 0);
  DocumentFrequencies out;
  for (int64_t i = 0; i < m.rows.rows(); ++i) {
    if (!in_df.empty() && !in_df[static_cast<size_t>(i)]) continue;
    ++out.counted_rows;
    for (SparseRows::InnerIterator it(m.rows, i); it; ++it) ++df[static_cast<size_t>(it.col())];
  }
  for (size_t j = 0; j < df.size(); ++j) {
    if (df[j] > 0) out.counts.emplace_back(m.columns[j], df[j]);
  }
  return out;
}

namespace {

template <typename IdfOf>
std::vector<std::pair<uint64_t, float>> WeighWith(std::span<const Shingle> shingles,
                                                  const IdfOf& idf_of,
                                                  const TfidfOptions& options) {
  std::vector<std::pair<int64_t, float>> entries;
  UnitEntries(
      shingles, options, [](size_t k) { return static_cast<int64_t>(k); }, idf_of, &entries);
  std::vector<std::pair<uint64_t, float>> out;
  out.reserve(entries.size());
  for (const auto& [k, w] : entries) out.emplace_back(shingles[static_cast<size_t>(k)].hash, w);
  return out;
}

}  // namespace

std::vector<std::pair<uint64_t, float>> WeighShingles(std::span<const Shingle> shingles,
                                                      const std::vector<uint32_t>& df,
                                                      uint64_t rows, const TfidfOptions& options) {
  return WeighWith(
      shingles, [&](size_t k) { return Idf(rows, df[k]); }, options);
}

std::vector<std::pair<uint64_t, float>> WeighShinglesWithIdf(std::span<const Shingle> shingles,
                                                             std::span<const float> idf,
                                                             const TfidfOptions& options) {
  return WeighWith(
      shingles, [&](size_t k) { return idf[k]; }, options);
}

SparseRows SparseRows::WithValues(int64_t cols, std::vector<int64_t> outer,
                                  UninitializedVector<int32_t> index, std::vector<float> value) {
  SparseRows rows;
  rows.cols_ = cols;
  rows.outer_ = std::move(outer);
  rows.index_ = std::move(index);
  rows.value_ = std::move(value);
  return rows;
}

SparseRows SparseRows::FromEigen(const EigenRows& m) {
  std::vector<int64_t> outer(static_cast<size_t>(m.rows()) + 1, 0);
  UninitializedVector<int32_t> index;
  std::vector<float> value;
  index.reserve(static_cast<size_t>(m.nonZeros()));
  value.reserve(static_cast<size_t>(m.nonZeros()));
  for (int64_t i = 0; i < m.rows(); ++i) {
    for (EigenRows::InnerIterator it(m, i); it; ++it) {
      index.push_back(static_cast<int32_t>(it.col()));
      value.push_back(it.value());
    }
    outer[static_cast<size_t>(i) + 1] = static_cast<int64_t>(index.size());
  }
  return WithValues(m.cols(), std::move(outer), std::move(index), std::move(value));
}

SparseRows::EigenRows SparseRows::ToEigen() const {
  EigenRows m(rows(), cols());
  m.reserve(nonZeros());
  for (int64_t i = 0; i < rows(); ++i) {
    m.startVec(i);
    for (InnerIterator it(*this, i); it; ++it) m.insertBack(i, it.col()) = it.value();
  }
  m.finalize();
  return m;
}

Eigen::SparseVector<float> RowVector(const SparseRows& rows, int64_t i) {
  Eigen::SparseVector<float> v(rows.cols());
  const SparseView row = rows.Row(i);
  v.reserve(static_cast<int64_t>(row.size));
  for (SparseRows::InnerIterator it(rows, i); it; ++it) v.insertBack(it.col()) = it.value();
  return v;
}

namespace {

// A merge of two index lists: `on_match(k, m)` for each index in both (a.index[k] ==
// b.index[m]), in index order. Four indices of each list at a time: one SSE2 comparison of a's
// four with each rotation of b's four tells which of a's four occur among b's; only those are
// looked up. The block whose last index is smaller (or both) moves on: an index found is in no
// later block of the other list, so each match is given once, in order.
template <typename OnMatch>
inline void MergeIndices(const SparseView& a, const SparseView& b, const OnMatch& on_match) {
  size_t i = 0;
  size_t j = 0;
#if defined(__SSE2__)
  while (i + 4 <= a.size && j + 4 <= b.size) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a.index + i));
    const __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b.index + j));
    const __m128i y1 = _mm_shuffle_epi32(y, _MM_SHUFFLE(0, 3, 2, 1));
    const __m128i y2 = _mm_shuffle_epi32(y, _MM_SHUFFLE(1, 0, 3, 2));
    const __m128i y3 = _mm_shuffle_epi32(y, _MM_SHUFFLE(2, 1, 0, 3));
    const __m128i equal =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi32(x, y), _mm_cmpeq_epi32(x, y1)),
                     _mm_or_si128(_mm_cmpeq_epi32(x, y2), _mm_cmpeq_epi32(x, y3)));
    const int found = _mm_movemask_ps(_mm_castsi128_ps(equal));
    if (found == 0xF && a.index[i] == b.index[j]) {
      // The same four indices (a near-copy's rows are mostly runs of these).
      on_match(i, j);
      on_match(i + 1, j + 1);
      on_match(i + 2, j + 2);
      on_match(i + 3, j + 3);
    } else {
      for (int rest = found; rest != 0; rest &= rest - 1) {
        const size_t k = i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(rest)));
        size_t m = j;
        while (b.index[m] != a.index[k]) ++m;
        on_match(k, m);
      }
    }
    const int32_t last_a = a.index[i + 3];
    const int32_t last_b = b.index[j + 3];
    i += last_a <= last_b ? 4 : 0;
    j += last_b <= last_a ? 4 : 0;
  }
#endif
  while (i < a.size && j < b.size) {
    const int32_t x = a.index[i];
    const int32_t y = b.index[j];
    if (x == y) on_match(i, j);
    i += static_cast<size_t>(x <= y);
    j += static_cast<size_t>(y <= x);
  }
}

}  // namespace

float Dot(const SparseView& a, const SparseView& b) {
  // The float sum of the products in index order, as Eigen's sparse dot product (the same
  // value).
  float sum = 0.0f;
  if (!a.factored() && !b.factored()) {
    MergeIndices(a, b, [&](size_t k, size_t m) { sum += a.value[k] * b.value[m]; });
    return sum;
  }
  // Factored rows: the matches' places are gathered a batch at a time and their products
  // summed after, in the same order, so the merge itself reads no values. Rows of one matrix
  // share their column weights: one read serves both.
  constexpr size_t kBatch = 64;
  std::array<std::pair<uint32_t, uint32_t>, kBatch> batch;
  size_t held = 0;
  SparseValueReader va(a);
  SparseValueReader vb(b);
  const bool shared = a.factored() && b.factored() && a.column_weight == b.column_weight;
  auto flush = [&] {
    for (size_t x = 0; x < held; ++x) {
      const auto [k, m] = batch[x];
      if (shared) {
        const float w = a.column_weight[a.index[k]];
        sum += va.Factored(k, w) * vb.Factored(m, w);
      } else {
        sum += va.At(k) * vb.At(m);
      }
    }
    held = 0;
  };
  MergeIndices(a, b, [&](size_t k, size_t m) {
    batch[held++] = {static_cast<uint32_t>(k), static_cast<uint32_t>(m)};
    if (held == kBatch) flush();
  });
  flush();
  return sum;
}

float Cosine(const SparseRows& rows, int64_t a, int64_t b) {
  return Dot(RowView(rows, a), RowView(rows, b));
}

void DotProbe::Reset(const SparseView& a, size_t partners) {
  // The old row's slots are cleared, not the whole table.
  for (const uint32_t h : used_) columns_[h] = kEmpty;
  used_.clear();
  filter_.fill(0);
  a_ = a;
  probing_ = partners >= kProbeFrom;
  if (!probing_) return;
  // A factored a's values and column weights, read once here rather than at every hit.
  a_column_weight_ = a.factored() ? a.column_weight : nullptr;
  if (a.factored()) {
    values_.resize(a.size);
    weights_.resize(a.size);
    SparseValueReader reader(a);
    for (size_t i = 0; i < a.size; ++i) {
      weights_[i] = a.column_weight[a.index[i]];
      values_[i] = reader.Factored(i, weights_[i]);
    }
    a_.value = values_.data();
  }
  // At most half full.
  size_t slots = 64;
  while (slots < 2 * a.size) slots *= 2;
  if (slots > columns_.size()) {
    columns_.assign(slots, kEmpty);
    places_.resize(slots);
    shift_ = static_cast<uint32_t>(32 - std::countr_zero(slots));
  }
  const size_t mask = columns_.size() - 1;
  for (size_t i = 0; i < a.size; ++i) {
    const int32_t c = a.index[i];
    filter_[static_cast<size_t>(c >> 6) & 63] |= uint64_t{1} << (c & 63);
    size_t h = Home(c);
    while (columns_[h] != kEmpty) h = (h + 1) & mask;
    columns_[h] = c;
    places_[h] = static_cast<uint32_t>(i);
    used_.push_back(static_cast<uint32_t>(h));
  }
}

float DotProbe::Dot(const SparseView& b) const {
  if (!probing_) return claimdiff::Dot(a_, b);
  float sum = 0.0f;
  if (a_.size == 0) return sum;
  const size_t mask = columns_.size() - 1;
  SparseValueReader vb(b);
  // b's column weights are a's own when both are rows of one matrix.
  const bool shared = b.factored() && a_column_weight_ == b.column_weight;
  for (size_t j = 0; j < b.size; ++j) {
    const int32_t c = b.index[j];
    if (((filter_[static_cast<size_t>(c >> 6) & 63] >> (c & 63)) & 1) == 0) continue;
    for (size_t h = Home(c); columns_[h] != kEmpty; h = (h + 1) & mask) {
      if (columns_[h] == c) {
        // a's value first, as Dot multiplies them.
        const uint32_t place = places_[h];
        sum += a_.value[place] * (shared ? vb.Factored(j, weights_[place]) : vb.At(j));
        break;
      }
    }
  }
  return sum;
}

void PartnerDots::Build(std::span<const SparseView> queries, std::span<const SparseView> run) {
  run_size_ = run.size();
  // The queries' columns: a table at most half full, each with its number (ids_, in order of
  // first appearance), and a filter of bits (column mod its size, 8 bits or more a column)
  // that rules most of the run's entries out before the table is looked at.
  size_t entries = 0;
  for (const SparseView& q : queries) entries += q.size;
  size_t slots = 64;
  while (slots < 2 * entries) slots *= 2;
  columns_.assign(slots, kEmpty);
  ids_.resize(slots);
  shift_ = static_cast<uint32_t>(32 - std::countr_zero(slots));
  filter_mask_ = static_cast<uint32_t>(std::max<size_t>(4096, 4 * slots) - 1);
  filter_.assign((filter_mask_ + 1) / 64, 0);
  const size_t mask = slots - 1;
  uint32_t distinct = 0;
  for (const SparseView& q : queries) {
    for (size_t i = 0; i < q.size; ++i) {
      const int32_t c = q.index[i];
      const uint32_t bit = static_cast<uint32_t>(c) & filter_mask_;
      filter_[bit / 64] |= uint64_t{1} << (bit % 64);
      size_t h = Home(c);
      while (columns_[h] != kEmpty && columns_[h] != c) h = (h + 1) & mask;
      if (columns_[h] == kEmpty) {
        columns_[h] = c;
        ids_[h] = distinct++;
      }
    }
  }
  // The run's entries in those columns, then placed by column: a counting sort keeps each
  // column's postings in run order.
  hits_.clear();
  for (size_t y = 0; y < run.size(); ++y) {
    const SparseView& v = run[y];
    SparseValueReader reader(v);
    for (size_t j = 0; j < v.size; ++j) {
      const int32_t c = v.index[j];
      if (!MayHold(c)) continue;
      if (const size_t h = Find(c); h != kNone) {
        hits_.push_back({ids_[h], {static_cast<uint32_t>(y), reader.At(j)}});
      }
    }
  }
  start_.assign(size_t{distinct} + 1, 0);
  for (const Hit& hit : hits_) ++start_[hit.id + 1];
  for (size_t k = 0; k < distinct; ++k) start_[k + 1] += start_[k];
  postings_.resize(hits_.size());
  fill_.assign(start_.begin(), start_.end() - 1);
  for (const Hit& hit : hits_) postings_[fill_[hit.id]++] = hit.posting;
}

size_t PartnerDots::Find(int32_t column) const {
  const size_t mask = columns_.size() - 1;
  for (size_t h = Home(column); columns_[h] != kEmpty; h = (h + 1) & mask) {
    if (columns_[h] == column) return h;
  }
  return kNone;
}

void PartnerDots::Dots(const SparseView& x, size_t first, std::vector<float>* dots) const {
  dots->assign(run_size_, 0.0f);
  if (columns_.empty()) return;
  SparseValueReader reader(x);
  for (size_t i = 0; i < x.size; ++i) {
    const size_t h = Find(x.index[i]);
    if (h == kNone) continue;
    const float a = reader.At(i);
    const uint32_t id = ids_[h];
    // A column's postings are in run order: those from `first` on are a suffix.
    for (uint32_t p = start_[id + 1]; p > start_[id] && postings_[p - 1].place >= first; --p) {
      (*dots)[postings_[p - 1].place] += a * postings_[p - 1].value;
    }
  }
}

}  // namespace claimdiff
