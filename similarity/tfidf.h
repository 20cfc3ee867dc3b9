// TF-IDF vectors of spans: one L2-normalised row per span, stored factored (SparseRows).
//
//   TfidfMatrix m = BuildTfidf(shingles, in_df);
//   float cos = Cosine(m.rows, i, j);  // a sparse dot product: rows are unit length
//
// Weight of shingle s in a row: type_weight(s) * (1 + ln count) * idf(s), with the smooth
// idf = ln((1 + N) / (1 + df)) + 1 over the N rows marked in `in_df` (page furniture does not
// shape the weights). Columns are the distinct hashes in increasing order, so the matrix does
// not depend on the order rows were shingled in.
//
// Immutable once built; safe to read from many threads.
#ifndef CLAIMDIFF_SIMILARITY_TFIDF_H_
#define CLAIMDIFF_SIMILARITY_TFIDF_H_

#include <Eigen/SparseCore>

#include <array>
#include <cstdint>
#include <deque>
#include <mutex>
#include <span>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "core/hash_slots.h"
#include "core/uninitialized.h"
#include "similarity/shingle.h"

namespace claimdiff {

// One entry of a factored row whose weight is not its column's (a shingle counted more than once
// in its span): its place in the row and its weight before the row's scale.
struct OddWeight {
  uint32_t place = 0;
  float weight = 0;
};

// A sparse vector's entries in place: `size` column indices, ascending, and their values. The
// values are given (`value`), or factored, as a TF-IDF matrix's rows are: value k is w * scale,
// where w is the weight of the odd entry in place k if there is one and column_weight[index[k]]
// if not.
struct SparseView {
  const int32_t* index = nullptr;
  const float* value = nullptr;  // the values, or null: factored
  size_t size = 0;
  const float* column_weight = nullptr;
  const OddWeight* odd = nullptr;  // in place order
  uint32_t odd_size = 0;
  float scale = 1.0f;

  bool factored() const { return value == nullptr; }
  // Value k, found from the start (a loop over the entries reads them with a
  // SparseValueReader instead).
  float Value(size_t k) const;
};

// A view's values read in increasing place order: a factored view's odd entries are passed with
// a cursor rather than searched for each value.
class SparseValueReader {
 public:
  explicit SparseValueReader(const SparseView& v) : v_(v) {}
  // Value k; k never decreases from one call to the next.
  float At(size_t k) {
    return v_.value != nullptr ? v_.value[k] : Factored(k, v_.column_weight[v_.index[k]]);
  }
  // A factored entry's value, given its column's weight (read once by a caller that needs it
  // for two rows of one matrix).
  float Factored(size_t k, float column) {
    while (odd_ < v_.odd_size && v_.odd[odd_].place < k) ++odd_;
    const float w = odd_ < v_.odd_size && v_.odd[odd_].place == k ? v_.odd[odd_].weight : column;
    return w * v_.scale;
  }

 private:
  SparseView v_;
  uint32_t odd_ = 0;  // the first odd entry not before the last place read
};

inline float SparseView::Value(size_t k) const { return SparseValueReader(*this).At(k); }

// Rows of sparse vectors: the spans' TF-IDF rows. TfidfBuilder stores them factored: an entry is
// its column alone (4 bytes), its value the column's weight (type weight times idf) times the
// row's scale (one over its norm), and the few entries whose weight is not their column's are
// kept apart (OddWeight). Every value is the float a values array would hold (the same product
// of the same two floats), in half its bytes. Rows made with their values (WithValues,
// FromEigen) keep them. Immutable once made; safe to read from many threads.
class SparseRows {
 public:
  using EigenRows = Eigen::SparseMatrix<float, Eigen::RowMajor, int32_t>;

  SparseRows() = default;
  // `rows` empty rows of `cols` columns.
  SparseRows(int64_t rows, int64_t cols) : cols_(cols), outer_(static_cast<size_t>(rows) + 1, 0) {}
  // Rows with their values: row i's entries are [outer[i], outer[i + 1]) of `index` (ascending
  // within a row) and `value`; outer[0] is 0.
  static SparseRows WithValues(int64_t cols, std::vector<int64_t> outer,
                               UninitializedVector<int32_t> index, std::vector<float> value);
  static SparseRows FromEigen(const EigenRows& m);
  // The same rows in an Eigen matrix (for the exact path's inverted index and for tests).
  EigenRows ToEigen() const;

  int64_t rows() const { return static_cast<int64_t>(outer_.size()) - 1; }
  int64_t cols() const { return cols_; }
  int64_t nonZeros() const { return static_cast<int64_t>(index_.size()); }
  SparseView Row(int64_t i) const;
  // Each column's weight (a count of 1) when the rows are factored, or null.
  const float* column_weights() const {
    return value_.empty() && !column_weight_.empty() ? column_weight_.data() : nullptr;
  }
  // Asks the processor for the start of row i's entries (see PrefetchRow).
  void Prefetch(int64_t i) const {
    const auto begin = static_cast<size_t>(outer_[static_cast<size_t>(i)]);
    __builtin_prefetch(index_.data() + begin);
    if (!value_.empty()) __builtin_prefetch(value_.data() + begin);
  }

  // Row i's entries in column order, as Eigen's InnerIterator walks them.
  class InnerIterator {
   public:
    InnerIterator(const SparseRows& rows, int64_t row) : view_(rows.Row(row)), reader_(view_) {}
    explicit operator bool() const { return k_ < view_.size; }
    InnerIterator& operator++() {
      ++k_;
      return *this;
    }
    int32_t col() const { return view_.index[k_]; }
    float value() const { return reader_.At(k_); }

   private:
    SparseView view_;
    size_t k_ = 0;
    mutable SparseValueReader reader_;
  };

 private:
  friend class TfidfBuilder;
  int64_t cols_ = 0;
  std::vector<int64_t> outer_{0};       // row i: [outer_[i], outer_[i + 1])
  UninitializedVector<int32_t> index_;  // columns (resized before the rows are written)
  std::vector<float> value_;            // given values; empty when factored
  std::vector<float> scale_;            // factored: each row's
  std::vector<float> column_weight_;    // factored: each column's (a count of 1)
  std::vector<uint32_t> odd_begin_;     // factored: row i's odd entries start at odd_begin_[i]
  std::vector<OddWeight> odd_;
};

// Read for every pair of rows compared: inline.
inline SparseView SparseRows::Row(int64_t i) const {
  const auto r = static_cast<size_t>(i);
  const auto begin = static_cast<size_t>(outer_[r]);
  SparseView v;
  v.index = index_.data() + begin;
  v.size = static_cast<size_t>(outer_[r + 1]) - begin;
  if (v.size == 0) return v;  // nothing to read (a matrix may hold no entry at all)
  if (!value_.empty()) {
    v.value = value_.data() + begin;
    return v;
  }
  v.column_weight = column_weight_.data();
  v.odd = odd_.data() + odd_begin_[r];
  v.odd_size = odd_begin_[r + 1] - odd_begin_[r];
  v.scale = scale_[r];
  return v;
}

struct TfidfOptions {
  // Relative weight of each shingle family (see shingle.h). Words and word pairs carry the
  // claim; character n-grams only bridge spelling and inflection, so they weigh less.
  float word_weight = 1.0f;
  float bigram_weight = 0.5f;
  float char_weight = 0.35f;
  float skeleton_weight = 0.5f;
  float number_weight = 1.5f;
};

// Document frequencies counted elsewhere (an index's earlier drops), added to a matrix's own.
class PriorFrequencies {
 public:
  virtual ~PriorFrequencies() = default;
  // Rows counted.
  virtual uint64_t rows() const = 0;
  // The rows containing each of `sorted_hashes` (ascending, each once), in the same order; an
  // error when they could not be read (an index's damaged or unreadable frequencies).
  virtual absl::StatusOr<std::vector<uint32_t>> Counts(
      const std::vector<uint64_t>& sorted_hashes) const = 0;
};

// Document frequencies in memory: `counts` holds (shingle hash, rows containing it), sorted by
// hash, each hash once.
struct DocumentFrequencies final : PriorFrequencies {
  uint64_t counted_rows = 0;
  std::vector<std::pair<uint64_t, uint32_t>> counts;

  uint64_t rows() const override { return counted_rows; }
  absl::StatusOr<std::vector<uint32_t>> Counts(
      const std::vector<uint64_t>& sorted_hashes) const override;
};

struct TfidfMatrix {
  SparseRows rows;                 // one unit-length (or empty) row per input
  std::vector<uint64_t> columns;   // column j holds the shingle with hash columns[j]
  std::vector<float> idf;          // idf of each column
  std::vector<ShingleType> types;  // family of each column (words, bigrams, n-grams...)
  std::vector<uint32_t> df;        // rows counted for each column's idf (prior ones included)
  uint64_t df_rows = 0;            // N of the idf formula (prior rows included)
  // df counts the rows marked in_df alone (no prior frequencies were added): the document
  // frequency among those rows, which candidate generation over them needs too.
  bool df_own = false;
};

// `shingles[i]` are row i's shingles (sorted by hash, as ShingleText returns them).
// `in_df[i]` says whether row i counts towards document frequencies; empty means all do.
// Weights are computed on `threads` threads (0: all cores); the matrix does not depend on it.
// (Document frequencies counted elsewhere join through TfidfBuilder::Build's `prior`.)
TfidfMatrix BuildTfidf(const std::vector<std::vector<Shingle>>& shingles,
                       const std::vector<uint8_t>& in_df = {}, const TfidfOptions& options = {},
                       int threads = 1);

// The smooth idf of a shingle found in `df` of `rows` rows: ln((1 + rows) / (1 + df)) + 1.
float Idf(uint64_t rows, uint64_t df);

// The document frequencies of `m`'s own rows marked in `in_df` (prior ones excluded): what an
// index stores for a drop.
DocumentFrequencies OwnDocumentFrequencies(const TfidfMatrix& m, const std::vector<uint8_t>& in_df);

// Unit-length TF-IDF weights of `shingles` (sorted by hash) with the idf of `df[k]` (the
// document frequency of shingles[k]) out of `rows`; (hash, weight) in hash order. For rows
// weighed outside a matrix, as BuildTfidf would weigh them.
std::vector<std::pair<uint64_t, float>> WeighShingles(std::span<const Shingle> shingles,
                                                      const std::vector<uint32_t>& df,
                                                      uint64_t rows,
                                                      const TfidfOptions& options = {});
// The same with each shingle's idf given (idf[k] = Idf(rows, df[k])), for callers that look
// the idf of many rows up in a table of their own.
std::vector<std::pair<uint64_t, float>> WeighShinglesWithIdf(std::span<const Shingle> shingles,
                                                             std::span<const float> idf,
                                                             const TfidfOptions& options = {});

// BuildTfidf for rows produced one at a time, on several threads, without keeping them: each
// row is kept as 4 bytes per shingle (an id; the rare count above 1 apart) until Build, whose
// matrix is the one BuildTfidf gives for the same rows. Rows are set through a RowWriter, one per
// thread: each writer has a vocabulary of its own (hash -> id), so setting a row takes no lock and
// its lookups, which miss the cache in a table of millions of hashes, are asked for ahead of
// time. Build merges the vocabularies; which writer saw a hash first does not change the
// matrix. Every row not set is empty; a row is set once.
//
//   TfidfBuilder b(n);
//   ParallelFor(n, threads, [&](size_t begin, size_t end) {
//     TfidfBuilder::RowWriter writer = b.Writer();
//     for (size_t i = begin; i < end; ++i) writer.Set(i, ShingleText(text[i]));
//   });
//   TfidfMatrix m = b.Build(in_df, options, threads);  // frees the rows as it goes
class TfidfBuilder {
 private:
  struct Vocabulary;

 public:
  // A vocabulary's table grows to `vocabulary_slots` slots (16 bytes each) and no further: a
  // writer whose row would make it grow again retires it and goes on with a new, small one.
  // Growing would hold the old table beside one twice its size and keep the larger one;
  // which vocabulary fills up depends on how the threads shared the rows out, so at 100,000
  // documents (two vocabularies of about 10.5M hashes each, where a 2^24-slot table takes
  // 11.7M) a run now and then doubled one and peaked 300 MB higher than the others. Hashes in
  // several vocabularies are merged at Freeze: the matrix is the same for any cap.
  static constexpr size_t kVocabularySlots = size_t{1} << 24;
  explicit TfidfBuilder(size_t rows, size_t vocabulary_slots = kVocabularySlots)
      : vocabulary_slots_(vocabulary_slots), rows_(rows) {}
  TfidfBuilder(const TfidfBuilder&) = delete;
  TfidfBuilder& operator=(const TfidfBuilder&) = delete;

  // A thread's use of one of the builder's vocabularies, returned to the builder when the
  // writer is destroyed (the next writer reuses it: vocabularies number the threads writing at
  // once, and one more for each that filled up). Not thread-safe itself; destroy it before
  // Build.
  class RowWriter {
   public:
    RowWriter(RowWriter&& other) noexcept
        : builder_(other.builder_), vocabulary_(std::exchange(other.vocabulary_, nullptr)) {}
    RowWriter& operator=(RowWriter&&) = delete;
    RowWriter(const RowWriter&) = delete;
    RowWriter& operator=(const RowWriter&) = delete;
    ~RowWriter();

    // `shingles` sorted by hash, each hash once (as ShingleText returns them).
    void Set(size_t row, const std::vector<Shingle>& shingles);

   private:
    friend class TfidfBuilder;
    RowWriter(TfidfBuilder* builder, Vocabulary* vocabulary)
        : builder_(builder), vocabulary_(vocabulary) {}
    TfidfBuilder* builder_;
    Vocabulary* vocabulary_;
  };

  // Thread-safe.
  RowWriter Writer();

  // The vocabularies made so far; call it when no writer is alive.
  size_t vocabularies() const { return vocabularies_.size(); }

  // Merges the vocabularies into the matrix's columns and frees them (the largest part of the
  // builder while rows are set: a hash table per vocabulary): every row must be set. Build
  // does it when it was not done; a caller with work of its own between the last row and
  // Build (flagging repeated lines) does it first, so that work is not held beside the tables.
  void Freeze(int threads = 1);

  // The matrix's columns, ascending (Freeze first, when it was not done): the hashes whose
  // prior counts Build takes. Valid until Build.
  const std::vector<uint64_t>& FrozenColumns(int threads = 1) {
    Freeze(threads);
    return columns_;
  }

  // Document frequencies counted elsewhere, for Build: `counts[j]` is the rows containing
  // column j's shingle (FrozenColumns()[j]) among `rows` rows, one count per column.
  struct PriorCounts {
    uint64_t rows = 0;
    std::vector<uint32_t> counts;
  };

  // The matrix (see BuildTfidf); the builder is left empty. `prior`, when given, adds rows
  // counted elsewhere to the document frequencies (the idf is then that of the union: an
  // index's earlier drops and these rows). With `count_own` false, the document frequencies
  // are `prior`'s alone (which must be given): the rows are a part of a corpus whose
  // frequencies were counted beforehand (a map/reduce over its parts, report/stages.h), and
  // each row is weighed as in the corpus's own matrix.
  TfidfMatrix Build(const std::vector<uint8_t>& in_df = {}, const TfidfOptions& options = {},
                    int threads = 1, const PriorCounts* prior = nullptr, bool count_own = true);

 private:
  // Rows' entries, appended in the order rows are set, in chunks of about kChunkEntries (one
  // allocation each, never grown), so Build can release each chunk once its rows are written
  // into the matrix: the entries and the matrix are not both held whole. 64 MB: above glibc's
  // largest mmap threshold (32 MB), so a released chunk goes back to the system, and pages
  // never written (a small input) are never resident. A chunk is written by one vocabulary's
  // writer at a time.
  static constexpr size_t kChunkEntries = size_t{1} << 24;
  struct Chunk {
    uint32_t vocabulary = 0;
    // An entry is its shingle's id in the chunk's vocabulary (the column once built), 4 bytes;
    // its count, nearly always 1, is kept apart when it is not: (place in `entries`, count),
    // in place order.
    std::vector<uint32_t> entries;
    std::vector<std::pair<uint32_t, uint32_t>> counts;
    std::vector<uint32_t> rows;  // the rows stored here, in order
  };
  struct Shingled {
    uint32_t id = 0;    // given in order from 0
    uint32_t rows = 0;  // the rows set with the hash
  };
  struct Vocabulary {
    uint32_t index = 0;
    // hash -> id and rows: counted here, in the slot a lookup reads anyway, rather than in a
    // pass over every entry at Build.
    HashSlots<Shingled> ids;
    std::vector<ShingleType> types;  // by id
    Chunk* chunk = nullptr;          // the one being filled
    uint32_t chunk_index = 0;
  };
  struct Place {
    uint32_t chunk = 0;
    uint32_t size = 0;
    size_t offset = 0;  // into the chunk's entries
  };
  void Release(Vocabulary* vocabulary);
  // A new vocabulary for a writer whose vocabulary is full (the full one is kept for Freeze).
  Vocabulary* Replace();
  Vocabulary* NewVocabulary();  // mu_ held
  // A chunk for `vocabulary` with room for `entries` more.
  void MakeRoom(Vocabulary& vocabulary, size_t entries);

  const size_t vocabulary_slots_;
  std::mutex mu_;  // guards vocabularies_, idle_ and chunks_' growth
  std::deque<Vocabulary> vocabularies_;
  std::vector<Vocabulary*> idle_;
  std::deque<Chunk> chunks_;  // a deque: a chunk being filled never moves
  std::vector<Place> rows_;
  // Once frozen: the columns (distinct hashes in increasing order), their types and the rows
  // set with each; the chunks' entries are columns rather than ids.
  bool frozen_ = false;
  std::vector<uint64_t> columns_;
  std::vector<ShingleType> types_;
  std::vector<uint32_t> rows_with_;
};

// The TF-IDF vector of shingles that are not a row of `m` (a window of a span, say), weighted
// with m's idf and the same formula, unit length; shingles whose hash is not a column of m are
// ignored.
// `near_row`, when not negative, is a row of m that likely holds most of the shingles (the span
// a window was cut from): they are looked up in its hundred-odd columns before the whole list
// of columns, with the same result.
Eigen::SparseVector<float> Vectorize(const TfidfMatrix& m, const std::vector<Shingle>& shingles,
                                     const TfidfOptions& options = {}, int64_t near_row = -1);
// Vectorize's entries, (column, weight) in column order, in `entries` (replaced): for callers
// that keep many vectors in one array.
void VectorEntries(const TfidfMatrix& m, const std::vector<Shingle>& shingles,
                   const TfidfOptions& options, int64_t near_row,
                   std::vector<std::pair<int32_t, float>>* entries);
// VectorEntries' vector stored factored, as the matrix's rows are: its columns appended to
// `index`, the entries whose weight is not their column's in `column_weight` (one per column of
// m: m.rows.column_weights() where the rows are factored) appended to `odd` with their place in
// this vector; returns the vector's scale. A SparseView of those with `column_weight` gives
// VectorEntries' values bit for bit (value = weight * scale, the product VectorEntries makes).
// `scratch` is a buffer.
float FactoredVectorEntries(const TfidfMatrix& m, const std::vector<Shingle>& shingles,
                            const TfidfOptions& options, int64_t near_row,
                            const float* column_weight,
                            std::vector<std::pair<int32_t, float>>* scratch,
                            std::vector<int32_t>* index, std::vector<OddWeight>* odd);

// Row `i` of `rows` (compressed or not).
inline SparseView RowView(const SparseRows& rows, int64_t i) { return rows.Row(i); }
// Row `i` of `rows` as an Eigen sparse vector (a copy).
Eigen::SparseVector<float> RowVector(const SparseRows& rows, int64_t i);
// A sparse vector (as Vectorize gives).
inline SparseView VectorView(const Eigen::SparseVector<float>& v) {
  return {v.innerIndexPtr(), v.valuePtr(), static_cast<size_t>(v.nonZeros())};
}

// The dot product of two sparse vectors, summed in float in index order (as Eigen's is).
float Dot(const SparseView& a, const SparseView& b);

// Cosine similarity of two rows (their dot product: rows are unit length or empty).
float Cosine(const SparseRows& rows, int64_t a, int64_t b);

// Dot products of one sparse vector with many: Dot(b) is Dot(a, b) bit for bit (the same
// products, summed in the same column order), but walks b's indices alone and looks each up
// in a: a 4096-bit filter of a's columns rules most out in a few instructions, a small
// open-addressed table finds the rest. Two rows of unrelated spans share few columns, so this
// is several times faster than Dot's merge of both lists once a has a few partners; building
// the table costs about one Dot, so for fewer partners (when the caller knows how many) Dot
// merges instead. Not thread-safe; one per thread, reused.
//
//   DotProbe probe;
//   probe.Reset(RowView(rows, a), partners.size());
//   for (int64_t b : partners) cos = probe.Dot(RowView(rows, b));
class DotProbe {
 public:
  // `a`'s entries are read by Dot, not copied: they must outlive the calls until the next Reset.
  // `partners`: how many vectors a will meet, when known.
  void Reset(const SparseView& a, size_t partners = kProbeFrom);
  float Dot(const SparseView& b) const;

 private:
  // Partners from which the table pays for itself.
  static constexpr size_t kProbeFrom = 3;
  static constexpr int32_t kEmpty = -1;  // columns are never negative
  size_t Home(int32_t column) const {
    return (static_cast<uint32_t>(column) * 0x9E3779B1u) >> shift_;
  }
  SparseView a_;                            // a factored a's values are read into values_
  const float* a_column_weight_ = nullptr;  // a factored a's matrix's column weights
  std::vector<float> values_;               // a factored a's values
  std::vector<float> weights_;              // and its columns' weights, by place
  std::array<uint64_t, 64> filter_{};       // bit (column mod 4096)
  std::vector<int32_t> columns_;            // a table of a's columns, kEmpty where none
  std::vector<uint32_t> places_;            // for each, its place in a
  std::vector<uint32_t> used_;              // the slots a fills
  uint32_t shift_ = 32;
  bool probing_ = false;  // the table holds a; otherwise Dot merges
};

// Dot products of a few vectors (the queries) with each vector of a run: Dots(x, first) gives
// Dot(x, run[y]) for every y from `first`, bit for bit (each sum adds a query's value times the
// partner's in column order, as Dot does). Build reads the run once for all the queries: it
// keeps the run's entries in the queries' columns, listed by column (postings), so a query meets
// its partners through the columns it shares with them; a query's partners cost what they
// share, not a probe for each of their entries. For a run met by many queries (the figures of
// one group, each paired with all those after it). Not thread-safe; one per thread, reused.
//
//   PartnerDots dots;
//   dots.Build(queries, run);  // views that stay valid until the last Dots
//   dots.Dots(queries[q], first, &out);  // out[y] = Dot(queries[q], run[y]) for y >= first
class PartnerDots {
 public:
  void Build(std::span<const SparseView> queries, std::span<const SparseView> run);
  // (*dots)[y] = Dot(x, run[y]) for y in [first, run.size()), 0 below; x's entries in columns
  // of no query are not looked at, so x must be one of the queries.
  void Dots(const SparseView& x, size_t first, std::vector<float>* dots) const;

 private:
  struct Posting {
    uint32_t place;  // in the run
    float value;
  };
  struct Hit {
    uint32_t id;  // the column's number
    Posting posting;
  };
  static constexpr int32_t kEmpty = -1;
  static constexpr size_t kNone = ~size_t{0};
  size_t Home(int32_t column) const {
    return (static_cast<uint32_t>(column) * 0x9E3779B1u) >> shift_;
  }
  size_t Find(int32_t column) const;
  bool MayHold(int32_t column) const {
    const uint32_t bit = static_cast<uint32_t>(column) & filter_mask_;
    return ((filter_[bit / 64] >> (bit % 64)) & 1) != 0;
  }
  size_t run_size_ = 0;
  std::vector<int32_t> columns_;  // the queries' columns, open addressing, kEmpty where none
  std::vector<uint32_t> ids_;     // each one's number, by slot
  std::vector<uint64_t> filter_;  // bit (column & filter_mask_)
  uint32_t filter_mask_ = 0;
  uint32_t shift_ = 32;
  std::vector<Hit> hits_;
  std::vector<uint32_t> start_;  // per column number, where its postings start; then the end
  std::vector<uint32_t> fill_;
  std::vector<Posting> postings_;
};

// Asks the processor for the start of row i's entries (indices, and values when stored): a
// loop over pairs of rows calls it a few pairs ahead, so the cache misses of a random row
// overlap the work on the pairs before it. Only a hint; nothing changes but the time.
inline void PrefetchRow(const SparseRows& rows, int64_t i) { rows.Prefetch(i); }

}  // namespace claimdiff

#endif  // CLAIMDIFF_SIMILARITY_TFIDF_H_
