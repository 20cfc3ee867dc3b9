#include "index/store.h"

#include <sqlite3.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/facts.h"
#include "core/hash_slots.h"
#include "core/normalize.h"
#include "core/numbers.h"
#include "core/parallel.h"
#include "core/radix_sort.h"
#include "core/tokenize.h"
#include "index/internal/bucket_join.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "report/analysis.h"
#include "report/syndication.h"
#include "report/verdict.h"
#include "similarity/align.h"
#include "similarity/minhash.h"

namespace claimdiff {
namespace {

using internal::BlobRecords;
using internal::GetLe;
using internal::JoinChunk;
using internal::kBucketRecord;
using internal::kFigureKey;

constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS drops (
  id INTEGER PRIMARY KEY,
  added_at TEXT NOT NULL DEFAULT (datetime('now')),
  documents INTEGER NOT NULL,
  spans INTEGER NOT NULL DEFAULT 0,
  comparable INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY,
  drop_id INTEGER NOT NULL REFERENCES drops(id),
  title TEXT, outlet TEXT, url TEXT, published TEXT,
  source TEXT, line INTEGER, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS documents_by_drop ON documents(drop_id);
CREATE TABLE IF NOT EXISTS spans (
  id INTEGER PRIMARY KEY,
  doc INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  start_byte INTEGER NOT NULL,
  end_byte INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  comparable INTEGER NOT NULL,
  furniture INTEGER NOT NULL,
  cluster INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS spans_by_doc ON spans(doc);
CREATE TABLE IF NOT EXISTS buckets (
  drop_id INTEGER NOT NULL REFERENCES drops(id),
  chunk INTEGER NOT NULL,
  entries BLOB NOT NULL,
  PRIMARY KEY (drop_id, chunk));
CREATE TABLE IF NOT EXISTS document_buckets (
  drop_id INTEGER NOT NULL REFERENCES drops(id),
  chunk INTEGER NOT NULL,
  entries BLOB NOT NULL,
  PRIMARY KEY (drop_id, chunk));
CREATE TABLE IF NOT EXISTS span_features (
  id INTEGER PRIMARY KEY,
  features BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS frequencies (
  drop_id INTEGER NOT NULL REFERENCES drops(id),
  chunk INTEGER NOT NULL,
  entries BLOB NOT NULL,
  PRIMARY KEY (drop_id, chunk));
)SQL";

// The layout this code reads and writes; an index without it (an older claimdiff's) is refused.
constexpr int64_t kFormat = 2;

// Blobs hold fixed-size little-endian records sorted by their first field, at most this many
// records per row.
constexpr size_t kChunkRecords = size_t{1} << 22;
// A band key whose stored bucket in one drop holds more spans than this is skipped when
// matching (band-key buckets stay below it: their features are capped by document frequency).
constexpr size_t kMaxSpanBucket = 256;
// The same for a figure key, with a lower cap. A figure key is one attribute (kind, counted
// thing, order of magnitude), far weaker evidence than a band key: with the cap of band keys, a
// common one ("27%", "thousands of people") joined every new span stating it to hundreds of
// earlier ones per drop, 90% of all candidates of a 10k drop against 90k documents, and most
// of their matches were spans sharing the figure and a word or two around it. `compare` has a
// rule of the same kind for its figure pairs (above 4,000 figures, a counted thing stated more
// than 500 times is not paired).
constexpr size_t kMaxFigureBucket = 32;
constexpr size_t kFrequencyRecord = 12;  // shingle hash (8), count (4)

void PutLe(uint64_t v, int bytes, std::string* out) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

// Reads a varint at *p (before end); false when it runs past end or beyond 64 bits.
bool GetVarint(const unsigned char** p, const unsigned char* end, uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64 && *p < end; shift += 7) {
    const unsigned char byte = *(*p)++;
    *v |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

// A countable figure with a counted thing, as a span states it: what tells whether a figure of
// another span may match it (kind, unit key, Compatible).
struct StatedFigure {
  NumberMention mention;
  std::string unit;
};

absl::Status SqlError(sqlite3* db, std::string_view what) {
  return absl::InternalError(absl::StrCat("index: ", std::string(what), ": ", sqlite3_errmsg(db)));
}

// A prepared statement that finalizes itself.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  sqlite3_stmt* get() const { return stmt_; }
  bool ok() const { return stmt_ != nullptr; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

void BindText(sqlite3_stmt* s, int i, const std::optional<std::string>& v) {
  if (v) {
    sqlite3_bind_text(s, i, v->data(), static_cast<int>(v->size()), SQLITE_TRANSIENT);
  } else {
    sqlite3_bind_null(s, i);
  }
}

std::optional<std::string> ColumnText(sqlite3_stmt* s, int i) {
  if (sqlite3_column_type(s, i) == SQLITE_NULL) return std::nullopt;
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
  return std::string(p, static_cast<size_t>(sqlite3_column_bytes(s, i)));
}

// Index metadata: the LSH parameters fixed at creation, and the archive's size.
struct Meta {
  int bands = 0;
  int rows_per_band = 0;
  int top_features = 0;
  int64_t comparable = 0;  // comparable spans over all drops (the idf's N)
  int64_t next_span = 0;   // global number of the next span stored
};

absl::StatusOr<Meta> ReadMeta(sqlite3* db) {
  Meta m;
  Statement q(db, "SELECT key, value FROM meta;");
  if (!q.ok()) return SqlError(db, "read meta");
  while (sqlite3_step(q.get()) == SQLITE_ROW) {
    const std::string key = ColumnText(q.get(), 0).value_or("");
    const int64_t v = sqlite3_column_int64(q.get(), 1);
    if (key == "lsh_bands") m.bands = static_cast<int>(v);
    if (key == "lsh_rows_per_band") m.rows_per_band = static_cast<int>(v);
    if (key == "lsh_top_features") m.top_features = static_cast<int>(v);
  }
  Statement sizes(db,
                  "SELECT COALESCE((SELECT SUM(comparable) FROM drops), 0), "
                  "COALESCE((SELECT MAX(id) + 1 FROM spans), 0);");
  if (!sizes.ok() || sqlite3_step(sizes.get()) != SQLITE_ROW) return SqlError(db, "read sizes");
  m.comparable = sqlite3_column_int64(sizes.get(), 0);
  m.next_span = sqlite3_column_int64(sizes.get(), 1);
  return m;
}

// Writes `records` (already sorted) as chunked blob rows of `table` for one drop.
absl::Status WriteChunks(sqlite3* db, const char* table, int64_t drop, const std::string& records,
                         size_t record_size) {
  const std::string sql =
      absl::StrCat("INSERT INTO ", table, "(drop_id, chunk, entries) VALUES (?, ?, ?);");
  Statement insert(db, sql.c_str());
  if (!insert.ok()) return SqlError(db, "prepare chunks");
  const size_t chunk_bytes = kChunkRecords * record_size;
  for (size_t from = 0, chunk = 0; from < records.size(); from += chunk_bytes, ++chunk) {
    const size_t size = std::min(chunk_bytes, records.size() - from);
    sqlite3_reset(insert.get());
    sqlite3_bind_int64(insert.get(), 1, drop);
    sqlite3_bind_int64(insert.get(), 2, static_cast<int64_t>(chunk));
    sqlite3_bind_blob(insert.get(), 3, records.data() + from, static_cast<int>(size),
                      SQLITE_STATIC);
    if (sqlite3_step(insert.get()) != SQLITE_DONE) return SqlError(db, "write chunk");
  }
  return absl::OkStatus();
}

// The unit key of a countable figure with a counted thing, the figures that get bucket keys;
// empty for other figures.
std::string KeyedUnit(const NumberMention& m) {
  return CountableFigure(m) ? FigureUnitKey(m) : std::string();
}

// The figures of `numbers` that are countable, with a counted thing.
std::vector<StatedFigure> StatedFigures(std::span<const NumberMention> numbers) {
  std::vector<StatedFigure> out;
  for (const NumberMention& n : numbers) {
    if (std::string unit = KeyedUnit(n); !unit.empty()) out.push_back({n, std::move(unit)});
  }
  return out;
}

// A comparable span's stored features, so `index match` reads an earlier span's shingles and
// figures instead of normalizing its text again (about 10 bytes per shingle):
//   varint shingle count; per shingle its hash (8) and varint (count << 3 | type);
//   varint figure count; per countable figure of `numbers` with a counted thing (StatedFigures)
//   its kind (1), qualifier (1), low (8), high (8), varint unit size and the unit key's bytes.
std::string EncodeFeatures(std::span<const Shingle> shingles,
                           std::span<const NumberMention> numbers) {
  const std::vector<StatedFigure> figures = StatedFigures(numbers);
  std::string out;
  out.reserve(2 + shingles.size() * 10);
  PutVarint(shingles.size(), &out);
  for (const Shingle& sh : shingles) {
    PutLe(sh.hash, 8, &out);
    PutVarint((uint64_t{sh.count} << 3) | static_cast<uint64_t>(sh.type), &out);
  }
  PutVarint(figures.size(), &out);
  for (const StatedFigure& f : figures) {
    out.push_back(static_cast<char>(f.mention.kind));
    out.push_back(static_cast<char>(f.mention.qualifier));
    PutLe(std::bit_cast<uint64_t>(f.mention.low), 8, &out);
    PutLe(std::bit_cast<uint64_t>(f.mention.high), 8, &out);
    PutVarint(f.unit.size(), &out);
    out.append(f.unit);
  }
  return out;
}

// Appends the shingles and figures of EncodeFeatures' bytes to those not null; false when the
// bytes are damaged.
bool DecodeFeatures(std::string_view bytes, std::vector<Shingle>* shingles,
                    std::vector<StatedFigure>* figures) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const unsigned char* end = p + bytes.size();
  uint64_t count = 0;
  if (!GetVarint(&p, end, &count) || count > bytes.size()) return false;
  for (uint64_t k = 0; k < count; ++k) {
    uint64_t tail = 0;
    if (end - p < 9) return false;
    const uint64_t hash = GetLe(p, 8);
    p += 8;
    if (!GetVarint(&p, end, &tail) || (tail & 7) >= kShingleTypes || (tail >> 3) > UINT32_MAX) {
      return false;
    }
    if (shingles != nullptr) {
      shingles->push_back(
          {hash, static_cast<uint32_t>(tail >> 3), static_cast<ShingleType>(tail & 7)});
    }
  }
  if (!GetVarint(&p, end, &count) || count > bytes.size()) return false;
  for (uint64_t k = 0; k < count; ++k) {
    if (end - p < 18) return false;
    StatedFigure f;
    if (p[0] > static_cast<unsigned char>(NumberKind::kOrdinal) ||
        p[1] > static_cast<unsigned char>(Qualifier::kRange)) {
      return false;
    }
    f.mention.kind = static_cast<NumberKind>(p[0]);
    f.mention.qualifier = static_cast<Qualifier>(p[1]);
    f.mention.low = std::bit_cast<double>(GetLe(p + 2, 8));
    f.mention.high = std::bit_cast<double>(GetLe(p + 10, 8));
    p += 18;
    uint64_t size = 0;
    if (!GetVarint(&p, end, &size) || size > static_cast<uint64_t>(end - p)) return false;
    f.unit.assign(reinterpret_cast<const char*>(p), size);
    p += size;
    if (figures != nullptr) figures->push_back(std::move(f));
  }
  return p == end;
}

// The number of shingles EncodeFeatures wrote at the start of `bytes` (0 when unreadable): for
// sizing buffers before decoding.
size_t FeatureShingleCount(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  uint64_t count = 0;
  if (!GetVarint(&p, p + bytes.size(), &count) || count > bytes.size()) return 0;
  return static_cast<size_t>(count);
}

// The bucket keys of a countable figure with a counted thing: its kind, unit key and order of
// magnitude, on two grids offset by half a decade, so two figures within a factor of about 3
// share a key ("250 ألف" and "ربع مليون", or 250,000 and 300,000 to be compared) while a
// large archive's figures about the same thing spread over many buckets. None for other
// figures.
std::vector<uint64_t> FigureKeys(const NumberMention& m) {
  const std::string unit = KeyedUnit(m);
  if (unit.empty()) return {};
  const uint64_t base = Mix64(StableHash64(unit, 0xF16E) ^ (static_cast<uint64_t>(m.kind) + 1));
  const double magnitude = std::log10(std::max(1.0, (m.low + m.high) / 2));
  std::vector<uint64_t> keys;
  for (int grid = 0; grid < 2; ++grid) {
    const auto cell = static_cast<int64_t>(std::floor(magnitude + 0.5 * grid));
    keys.push_back(Mix64(base ^ Mix64(static_cast<uint64_t>(cell * 2 + grid) + 0x51)));
  }
  return keys;
}

// The dot product of two (hash, weight) lists sorted by hash.
float Dot(const std::vector<std::pair<uint64_t, float>>& a,
          const std::vector<std::pair<uint64_t, float>>& b) {
  double dot = 0;
  for (auto x = a.begin(), y = b.begin(); x != a.end() && y != b.end();) {
    if (x->first < y->first) {
      ++x;
    } else if (y->first < x->first) {
      ++y;
    } else {
      dot += static_cast<double>(x->second) * y->second;
      ++x;
      ++y;
    }
  }
  return static_cast<float>(dot);
}

// Runs read(connection, part) for every part in [0, parts) on up to `threads` threads, each
// thread with a read-only connection of its own to `db`'s file (WAL lets them read beside a
// writer; what they read, drops already committed, never changes), or on `db` alone when it
// has no file. The first failing part's status, by part. A thread's parts are read in one
// read transaction: a statement outside one opens and closes a transaction of its own, and
// the readers step, reset and seek again hundreds of thousands of times (`index match` of
// 10,000 documents against 90,000, alternating runs: 51.4 and 40.5 s before, 47.2 and 36.9 s).
absl::Status ReadOnThreads(sqlite3* db, size_t parts, int threads,
                           const std::function<absl::Status(sqlite3*, size_t)>& read) {
  const char* file = sqlite3_db_filename(db, "main");
  std::vector<absl::Status> status(parts);
  if (file == nullptr || *file == '\0') {
    for (size_t p = 0; p < parts; ++p) status[p] = read(db, p);
  } else {
    ParallelFor(parts, threads, [&](size_t begin, size_t end) {
      sqlite3* raw = nullptr;
      const int rc = sqlite3_open_v2(file, &raw, SQLITE_OPEN_READONLY, nullptr);
      const std::unique_ptr<sqlite3, int (*)(sqlite3*)> own(raw, sqlite3_close);
      if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(raw, 10000);
        sqlite3_exec(raw, "BEGIN;", nullptr, nullptr, nullptr);
      }
      for (size_t p = begin; p < end; ++p) {
        status[p] = rc == SQLITE_OK ? read(raw, p) : SqlError(raw, "open a reader");
      }
      if (rc == SQLITE_OK) sqlite3_exec(raw, "COMMIT;", nullptr, nullptr, nullptr);
    });
  }
  for (absl::Status& s : status) {
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

using BlobHandle = std::unique_ptr<sqlite3_blob, int (*)(sqlite3_blob*)>;

// The `entries` blob of row `rowid` of `table` (a chunk of sorted records), open for reading;
// null when it cannot be opened (sqlite3_errmsg(db) says why).
BlobHandle OpenEntries(sqlite3* db, const char* table, int64_t rowid) {
  sqlite3_blob* raw = nullptr;
  if (sqlite3_blob_open(db, "main", table, "entries", rowid, 0, &raw) != SQLITE_OK) raw = nullptr;
  return BlobHandle(raw, sqlite3_blob_close);
}

// The document frequencies of every stored drop, read by merging the sorted blobs with the
// hashes asked for: the blobs shared out among `threads` threads, each blob read from start to
// end a window at a time (a blob's pages are a chain, so reading one from the middle would walk
// the chain from its start), each thread adding into counts of its own.
class StoredFrequencies final : public PriorFrequencies {
 public:
  StoredFrequencies(sqlite3* db, uint64_t rows, int threads)
      : db_(db), rows_(rows), threads_(threads) {}
  uint64_t rows() const override { return rows_; }
  absl::StatusOr<std::vector<uint32_t>> Counts(
      const std::vector<uint64_t>& sorted_hashes) const override {
    std::vector<int64_t> chunks;  // rowids
    {
      Statement q(db_, "SELECT rowid FROM frequencies ORDER BY drop_id, chunk;");
      while (q.ok() && sqlite3_step(q.get()) == SQLITE_ROW) {
        chunks.push_back(sqlite3_column_int64(q.get(), 0));
      }
    }
    const size_t parts = std::min(chunks.size(), static_cast<size_t>(ThreadCount(threads_)));
    std::vector<std::vector<uint32_t>> counts(std::max<size_t>(parts, 1));
    const absl::Status read =
        ReadOnThreads(db_, parts, threads_, [&](sqlite3* reader, size_t p) -> absl::Status {
          std::vector<uint32_t>& out = counts[p];
          out.assign(sorted_hashes.size(), 0);
          for (size_t c = p; c < chunks.size(); c += parts) {
            const BlobHandle blob = OpenEntries(reader, "frequencies", chunks[c]);
            if (blob == nullptr) return SqlError(reader, "read frequencies");
            BlobRecords records(blob.get(), kFrequencyRecord);
            size_t k = 0;
            for (const unsigned char* r = records.Next(); r != nullptr && k < sorted_hashes.size();
                 r = records.Next()) {
              const uint64_t hash = GetLe(r, 8);
              while (k < sorted_hashes.size() && sorted_hashes[k] < hash) ++k;
              if (k < sorted_hashes.size() && sorted_hashes[k] == hash) {
                out[k] += static_cast<uint32_t>(GetLe(r + 8, 4));
              }
            }
            if (records.failed()) return SqlError(reader, "read frequencies");
          }
          return absl::OkStatus();
        });
    if (!read.ok()) return read;
    std::vector<uint32_t> out = std::move(counts[0]);
    out.resize(sorted_hashes.size(), 0);
    for (size_t p = 1; p < counts.size(); ++p) {
      for (size_t k = 0; k < out.size(); ++k) out[k] += counts[p][k];
      std::vector<uint32_t>().swap(counts[p]);
    }
    return out;
  }

 private:
  sqlite3* db_;
  uint64_t rows_;
  int threads_;
};

// JoinChunk of `keys` with every stored drop's chunks of `table`: each (item, id) sharing a
// key, unsorted, repeats possible.
absl::Status JoinBuckets(sqlite3* db, const char* table,
                         const std::vector<std::pair<uint64_t, uint32_t>>& keys, size_t max_bucket,
                         size_t max_figure_bucket, int threads,
                         std::vector<std::pair<uint32_t, uint32_t>>* out) {
  // The stored chunks, joined on all threads, each chunk's pairs in a list of its own; the lists
  // are then joined in chunk order, as one thread would have made them.
  std::vector<int64_t> chunks;  // their rowids, by drop and chunk
  {
    const std::string sql = absl::StrCat("SELECT rowid FROM ", table, " ORDER BY drop_id, chunk;");
    Statement q(db, sql.c_str());
    if (!q.ok()) return SqlError(db, "read buckets");
    while (sqlite3_step(q.get()) == SQLITE_ROW) chunks.push_back(sqlite3_column_int64(q.get(), 0));
  }
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> found(chunks.size());
  auto join = [&](sqlite3* reader, size_t c) -> absl::Status {
    const BlobHandle blob = OpenEntries(reader, table, chunks[c]);
    if (blob == nullptr) return SqlError(reader, "read bucket chunk");
    BlobRecords records(blob.get(), kBucketRecord);
    if (!JoinChunk(records, keys, max_bucket, max_figure_bucket, &found[c])) {
      return SqlError(reader, "read bucket chunk");
    }
    return absl::OkStatus();
  };
  if (absl::Status st = ReadOnThreads(db, chunks.size(), threads, join); !st.ok()) return st;
  size_t total = out->size();
  for (const auto& pairs : found) total += pairs.size();
  out->reserve(total);
  for (auto& pairs : found) {
    out->insert(out->end(), pairs.begin(), pairs.end());
    std::vector<std::pair<uint32_t, uint32_t>>().swap(pairs);
  }
  return absl::OkStatus();
}

// Sorts (key, row) pairs as std::sort would: by row, then stably by key; on `threads` threads,
// split by the keys' top bits first.
void SortPairs(std::vector<std::pair<uint64_t, uint32_t>>* pairs, int threads) {
  using Pair = std::pair<uint64_t, uint32_t>;
  auto sort = [](std::vector<Pair>& part) {
    RadixSortBy(
        part, [](const Pair& p) { return uint64_t{p.second}; }, 32);
    RadixSortByHash(part, [](const Pair& p) { return p.first; });
  };
  SortByTopBitsThen(
      *pairs, [](const Pair& p) { return p.first; }, threads,
      [&](std::vector<Pair>& part, int) { sort(part); });
}

// A drop span and an earlier span that met only through band keys are a candidate when they
// share at least this many bands (unless MinHashOptions::min_shared_bands says otherwise). With two
// rows per band, a pair of top-feature Jaccard 0.3 shares about 5.8 of 64 bands (at least two with
// probability 0.98), a pair of 0.1 about 0.6: the second band removes most chance meetings at a
// small cost in recall (bench/e2e.sh).
constexpr size_t kMinSharedBands = 2;

// Sorts and dedupes (drop span, earlier span) pairs from a join, untagging figure keys: a pair
// stays when it met through a figure key or through `min_bands` band keys.
void KeepSharedCandidates(size_t min_bands, int threads,
                          std::vector<std::pair<uint32_t, uint32_t>>* pairs) {
  auto untagged = [](const std::pair<uint32_t, uint32_t>& p) {
    return std::pair<uint32_t, uint32_t>(p.first & ~kFigureKey, p.second);
  };
  // The order within a run of one untagged pair does not matter: its entries are only counted.
  ParallelRadixSortBy(
      *pairs,
      [&](const std::pair<uint32_t, uint32_t>& p) {
        const auto u = untagged(p);
        return (static_cast<uint64_t>(u.first) << 32) | u.second;
      },
      threads);
  size_t out = 0;
  for (size_t k = 0; k < pairs->size();) {
    const auto key = untagged((*pairs)[k]);
    size_t bands = 0;
    bool figure = false;
    size_t stop = k;
    for (; stop < pairs->size() && untagged((*pairs)[stop]) == key; ++stop) {
      if ((*pairs)[stop].first & kFigureKey) {
        figure = true;
      } else {
        ++bands;
      }
    }
    if (figure || bands >= min_bands) (*pairs)[out++] = key;
    k = stop;
  }
  pairs->resize(out);
}

// A stored span read back for matching.
struct EarlierSpan {
  int64_t id = 0;
  int64_t doc = 0;  // documents.rowid
  Span span;        // doc is set once the document is loaded
  int64_t cluster = 0;
};

bool ReadDocument(sqlite3_stmt* q, Document* d) {
  d->id = ColumnText(q, 0).value_or("");
  d->title = ColumnText(q, 1).value_or("");
  d->outlet = ColumnText(q, 2);
  d->url = ColumnText(q, 3);
  d->published = ColumnText(q, 4);
  d->source = ColumnText(q, 5).value_or("");
  d->line = sqlite3_column_int64(q, 6);
  d->text = ColumnText(q, 7).value_or("");
  return true;
}

// Moves the ids of `documents` already in the index to `existing`, and drops those documents.
absl::Status RemoveIndexed(sqlite3* db, std::vector<Document>* documents,
                           std::vector<std::string>* existing) {
  Statement exists(db, "SELECT 1 FROM documents WHERE id = ?;");
  if (!exists.ok()) return SqlError(db, "prepare");
  std::erase_if(*documents, [&](const Document& d) {
    sqlite3_reset(exists.get());
    sqlite3_bind_text(exists.get(), 1, d.id.data(), static_cast<int>(d.id.size()),
                      SQLITE_TRANSIENT);
    if (sqlite3_step(exists.get()) != SQLITE_ROW) return false;
    existing->push_back(d.id);
    return true;
  });
  return absl::OkStatus();
}

constexpr const char* kDocumentColumns = "id, title, outlet, url, published, source, line, text";

}  // namespace

struct Store::DropMatches {
  // The drop, analysed with the archive's idf. Earlier documents and spans that were candidates
  // are appended to analysis.report (after the drop's own) so verdict code sees both sides.
  Analysis analysis;
  size_t drop_spans = 0;  // analysis.report.spans[0, drop_spans) are the drop's
  std::vector<std::pair<uint64_t, uint32_t>> keys;  // (band key, drop span), sorted
  std::vector<EarlierSpan> earlier;                 // report span drop_spans + k is earlier[k]
  struct Found {
    uint32_t earlier = 0;  // index into `earlier`
    float similarity = 0;
    bool conflict = false;
  };
  std::vector<std::vector<Found>> found;  // per drop span
  size_t candidates = 0;
  LshParameters lsh;
  // Document level (syndication): the drop documents' phrases and their band keys
  // (key, drop document), sorted.
  std::vector<DocumentPhrases> phrases;
  std::vector<std::pair<uint64_t, uint32_t>> document_keys;
};

absl::StatusOr<Store> Store::Open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    absl::Status s = absl::UnavailableError(
        absl::StrCat("index: cannot open ", path, ": ", db ? sqlite3_errmsg(db) : "out of memory"));
    sqlite3_close(db);
    return s;
  }
  Store store(db);
  sqlite3_busy_timeout(db, 10000);
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL;", "PRAGMA synchronous=FULL;", "PRAGMA foreign_keys=ON;"}) {
    if (absl::Status s = store.Exec(pragma); !s.ok()) return s;
  }
  if (absl::Status s = store.Exec("BEGIN IMMEDIATE;"); !s.ok()) return s;
  if (absl::Status s = store.Exec(kSchema); !s.ok()) {
    store.Exec("ROLLBACK;").IgnoreError();
    return s;
  }
  // A new file gets the current format and the default LSH parameters; an existing one must
  // have the current format.
  Statement format(db, "SELECT value FROM meta WHERE key = 'format';");
  const bool has_format = format.ok() && sqlite3_step(format.get()) == SQLITE_ROW;
  const int64_t found = has_format ? sqlite3_column_int64(format.get(), 0) : 0;
  sqlite3_reset(format.get());
  Statement docs(db, "SELECT COUNT(*) FROM documents;");
  const bool empty = docs.ok() && sqlite3_step(docs.get()) == SQLITE_ROW &&
                     sqlite3_column_int64(docs.get(), 0) == 0;
  sqlite3_reset(docs.get());
  if (!has_format && !empty) {
    store.Exec("ROLLBACK;").IgnoreError();
    return absl::FailedPreconditionError(
        absl::StrCat("index: ", path,
                     " was written by an older claimdiff (documents only, no spans or buckets); "
                     "build a new index with `claimdiff index add`"));
  }
  if (has_format && found != kFormat) {
    store.Exec("ROLLBACK;").IgnoreError();
    return absl::FailedPreconditionError(absl::StrCat("index: ", path, " has format ", found,
                                                      "; this claimdiff reads format ", kFormat));
  }
  if (!has_format) {
    const MinHashOptions defaults;
    const std::string sql = absl::StrCat("INSERT INTO meta(key, value) VALUES ('format', ", kFormat,
                                         "), ('lsh_bands', ", defaults.bands,
                                         "), ('lsh_rows_per_band', ", defaults.rows_per_band,
                                         "), ('lsh_top_features', ", defaults.top_features, ");");
    if (absl::Status s = store.Exec(sql.c_str()); !s.ok()) {
      store.Exec("ROLLBACK;").IgnoreError();
      return s;
    }
  }
  if (absl::Status s = store.Exec("COMMIT;"); !s.ok()) return s;
  return store;
}

Store::Store(Store&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
Store& Store::operator=(Store&& other) noexcept {
  if (this != &other) {
    sqlite3_close(db_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}
Store::~Store() { sqlite3_close(db_); }

absl::Status Store::Exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    absl::Status s = absl::InternalError(absl::StrCat("index: ", error ? error : "error"));
    sqlite3_free(error);
    return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<Store::DropMatches> Store::MatchDrop(std::vector<Document> documents,
                                                    const CompareOptions& options, bool adding) {
  absl::StatusOr<Meta> meta = ReadMeta(db_);
  if (!meta.ok()) return meta.status();
  auto stage = [&](std::string_view name, size_t spans) {
    if (options.progress) options.progress(name, documents.size(), spans);
  };
  const StoredFrequencies prior(db_, static_cast<uint64_t>(meta->comparable), options.threads);
  CompareOptions drop_options = options;
  drop_options.minhash.bands = meta->bands;
  drop_options.minhash.rows_per_band = meta->rows_per_band;
  drop_options.minhash.top_features = meta->top_features;
  drop_options.keep_matching_forms = true;  // the drop's figure windows are made again below
  DropMatches out;
  // When adding, (drop span, EncodeFeatures) of each comparable drop span.
  std::vector<std::pair<size_t, std::string>> features;
  std::mutex features_mu;
  if (adding) {
    drop_options.span_features = [&](size_t span, std::span<const Shingle> shingles,
                                     std::span<const NumberMention> numbers) {
      std::string bytes = EncodeFeatures(shingles, numbers);
      std::scoped_lock lock(features_mu);
      features.emplace_back(span, std::move(bytes));
    };
  }
  absl::StatusOr<Analysis> analysis =
      adding ? Analyze(std::move(documents), drop_options, {}, &prior)
             : AnalyzeSpans(std::move(documents), drop_options, {}, &prior, CorpusCounts{});
  if (!analysis.ok()) return analysis.status();
  if (adding) {
    // Stored now, in the drop's transaction (AddDrop's), rather than kept through the matching:
    // a few hundred MB for 10,000 documents. A drop span's id is next_span + its place.
    // Only comparable spans' (span_features is also called for spans that repeated lines of
    // the drop then leave out).
    std::erase_if(features, [&](const auto& f) { return !analysis->eligible[f.first]; });
    std::sort(features.begin(), features.end(),
              [](const auto& x, const auto& y) { return x.first < y.first; });
    Statement insert(db_, "INSERT INTO span_features(id, features) VALUES (?, ?);");
    if (!insert.ok()) return SqlError(db_, "prepare");
    for (const auto& [span, bytes] : features) {
      sqlite3_stmt* q = insert.get();
      sqlite3_reset(q);
      sqlite3_bind_int64(q, 1, meta->next_span + static_cast<int64_t>(span));
      sqlite3_bind_blob(q, 2, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC);
      if (sqlite3_step(q) != SQLITE_DONE) return SqlError(db_, "insert span features");
    }
    std::vector<std::pair<size_t, std::string>>().swap(features);
  }
  out.analysis = *std::move(analysis);
  Report& report = out.analysis.report;
  const TfidfMatrix& tfidf = out.analysis.tfidf;
  out.drop_spans = report.spans.size();
  out.found.resize(out.drop_spans);
  absl::StatusOr<Normalizer> normalizer = Normalizer::Create();
  if (!normalizer.ok()) return normalizer.status();
  // Document-level phrases and band keys, for syndication against the archive.
  out.phrases = DocumentPhrasesOf(report.documents, report.spans, report.first_span, *normalizer,
                                  options.threads);
  for (uint32_t d = 0; d < out.phrases.size(); ++d) {
    for (uint64_t key : DocumentBandKeys(out.phrases[d].set, ReuseCandidateOptions())) {
      out.document_keys.emplace_back(key, d);
    }
  }
  std::sort(out.document_keys.begin(), out.document_keys.end());

  // Band keys with the index's parameters; the common-feature cap follows the whole archive.
  const size_t comparable = static_cast<size_t>(
      std::count(out.analysis.eligible.begin(), out.analysis.eligible.end(), uint8_t{1}));
  out.lsh =
      LshParametersFor(static_cast<size_t>(meta->comparable) + comparable, drop_options.minhash);
  out.lsh.rows_per_band = meta->rows_per_band;
  stage("band keys", out.drop_spans);
  std::vector<std::pair<uint64_t, uint32_t>> join_keys = LshBandKeys(
      tfidf, out.analysis.eligible, tfidf.df, drop_options.minhash, out.lsh, options.threads);
  // Figure keys: spans stating a countable figure about the same thing share a bucket, so a
  // figure told in other words ("250 ألف خادم", "ربع مليون خادم") is still a candidate. In the
  // join they carry kFigureKey on the span, so a pair is told to have met through a figure.
  for (uint32_t i = 0; i < out.drop_spans; ++i) {
    if (!out.analysis.eligible[i]) continue;
    for (const NumberFact& f : report.facts[i].numbers) {
      for (uint64_t key : FigureKeys(f.mention)) join_keys.emplace_back(key, i | kFigureKey);
    }
  }
  SortPairs(&join_keys, options.threads);
  join_keys.erase(std::unique(join_keys.begin(), join_keys.end()), join_keys.end());
  // The keys stored by `add` are the same without the tag, sorted once: a band key and a figure
  // key are different hashes, so no run of one key mixes tagged and untagged spans and clearing
  // the tag keeps the order (checked, and sorted again if a collision ever broke it).
  out.keys = join_keys;
  for (auto& [key, row] : out.keys) row &= ~kFigureKey;
  if (!std::is_sorted(out.keys.begin(), out.keys.end())) SortPairs(&out.keys, options.threads);
  out.keys.erase(std::unique(out.keys.begin(), out.keys.end()), out.keys.end());

  // Candidates: the drop's keys merge-joined with each stored drop's sorted buckets; a pair
  // that shares only band keys needs kMinSharedBands of them.
  stage("buckets", out.drop_spans);
  std::vector<std::pair<uint32_t, uint32_t>> candidates;  // (drop span, earlier span id)
  if (absl::Status st =
          JoinBuckets(db_, "buckets", join_keys,
                      std::min(kMaxSpanBucket, static_cast<size_t>(options.minhash.max_bucket)),
                      kMaxFigureBucket, options.threads, &candidates);
      !st.ok()) {
    return st;
  }
  std::vector<std::pair<uint64_t, uint32_t>>().swap(join_keys);
  KeepSharedCandidates(options.minhash.min_shared_bands > 0
                           ? static_cast<size_t>(options.minhash.min_shared_bands)
                           : kMinSharedBands,
                       options.threads, &candidates);
  out.candidates = candidates.size();
  stage(absl::StrCat("candidates ", candidates.size()), out.drop_spans);

  // The earlier spans among the candidates, and their documents.
  stage("earlier spans", out.drop_spans);
  std::vector<uint32_t> ids;
  ids.reserve(candidates.size());
  for (const auto& c : candidates) ids.push_back(c.second);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  const size_t m = ids.size();
  // Earlier spans are looked after in blocks of consecutive ones, each by one thread.
  constexpr size_t kBlocks = 64;
  auto block_start = [&](size_t b) { return m * b / kBlocks; };
  // Each block's features (EncodeFeatures), one span after another: as stored, or derived
  // from the text (below) for a span indexed by a claimdiff that stored none (its stretch is
  // empty until then: stored features are never empty). Kept encoded (about 10 bytes a
  // shingle) and decoded span by span where needed.
  struct FeatureBlock {
    std::string bytes;
    std::vector<size_t> start;  // where each span's features start, then the end
    std::string_view Row(size_t j) const {
      return std::string_view(bytes).substr(start[j], start[j + 1] - start[j]);
    }
  };
  std::vector<FeatureBlock> blocks(kBlocks);
  out.earlier.resize(m);
  // Blocks are read on all threads, each with a connection of its own.
  if (absl::Status st = ReadOnThreads(
          db_, kBlocks, options.threads,
          [&](sqlite3* db, size_t b) -> absl::Status {
            // The spans in id order from a cursor that steps over the few ids between two
            // wanted ones and seeks again across a wide gap: most of an archive's spans are
            // often wanted, and stepping is several times cheaper than a lookup per span.
            constexpr int64_t kSeekGap = 32;
            Statement q(db,
                        "SELECT s.id, s.doc, s.idx, s.start_byte, s.end_byte, s.kind, s.cluster, "
                        "f.features FROM spans s LEFT JOIN span_features f ON f.id = s.id "
                        "WHERE s.id >= ? ORDER BY s.id;");
            if (!q.ok()) return SqlError(db, "read spans");
            FeatureBlock& block = blocks[b];
            // Room for more than a span's usual features (about 1 KB), reserved rather than
            // grown: a block's bytes, tens of MB, would otherwise be copied into fresh pages
            // at each doubling. Pages never written are never resident.
            block.bytes.reserve((block_start(b + 1) - block_start(b)) * 2048);
            block.start.reserve(block_start(b + 1) - block_start(b) + 1);
            int64_t at = -1;  // the cursor's span id; -1 before the first seek and past the end
            for (size_t k = block_start(b); k < block_start(b + 1); ++k) {
              const int64_t id = ids[k];
              if (at < 0 || id - at > kSeekGap) {
                sqlite3_reset(q.get());
                sqlite3_bind_int64(q.get(), 1, id);
                at = sqlite3_step(q.get()) == SQLITE_ROW ? sqlite3_column_int64(q.get(), 0) : -1;
              }
              while (at >= 0 && at < id) {
                at = sqlite3_step(q.get()) == SQLITE_ROW ? sqlite3_column_int64(q.get(), 0) : -1;
              }
              if (at != id) {
                return absl::InternalError(absl::StrCat("index: span ", id, " is not stored"));
              }
              EarlierSpan& e = out.earlier[k];
              e.id = ids[k];
              e.doc = sqlite3_column_int64(q.get(), 1);
              e.span.index = static_cast<uint32_t>(sqlite3_column_int64(q.get(), 2));
              e.span.begin = static_cast<uint32_t>(sqlite3_column_int64(q.get(), 3));
              e.span.end = static_cast<uint32_t>(sqlite3_column_int64(q.get(), 4));
              e.span.kind = static_cast<SpanKind>(sqlite3_column_int64(q.get(), 5));
              e.cluster = sqlite3_column_int64(q.get(), 6);
              block.start.push_back(block.bytes.size());
              if (sqlite3_column_type(q.get(), 7) != SQLITE_NULL) {
                block.bytes.append(static_cast<const char*>(sqlite3_column_blob(q.get(), 7)),
                                   static_cast<size_t>(sqlite3_column_bytes(q.get(), 7)));
              }
            }
            block.start.push_back(block.bytes.size());
            return absl::OkStatus();
          });
      !st.ok()) {
    return st;
  }
  stage("earlier documents", out.drop_spans + m);
  {
    std::vector<int64_t> docs;
    for (const EarlierSpan& e : out.earlier) docs.push_back(e.doc);
    std::sort(docs.begin(), docs.end());
    docs.erase(std::unique(docs.begin(), docs.end()), docs.end());
    constexpr size_t kDocumentParts = 64;
    auto part_start = [&](size_t p) { return docs.size() * p / kDocumentParts; };
    const size_t first_earlier = report.documents.size();
    report.documents.resize(first_earlier + docs.size());
    if (absl::Status st =
            ReadOnThreads(db_, kDocumentParts, options.threads,
                          [&](sqlite3* db, size_t p) -> absl::Status {
                            const std::string sql = absl::StrCat(
                                "SELECT ", kDocumentColumns, " FROM documents WHERE rowid = ?;");
                            Statement q(db, sql.c_str());
                            if (!q.ok()) return SqlError(db, "read documents");
                            for (size_t j = part_start(p); j < part_start(p + 1); ++j) {
                              sqlite3_reset(q.get());
                              sqlite3_bind_int64(q.get(), 1, docs[j]);
                              if (sqlite3_step(q.get()) != SQLITE_ROW)
                                return SqlError(db, "read document");
                              ReadDocument(q.get(), &report.documents[first_earlier + j]);
                            }
                            return absl::OkStatus();
                          });
        !st.ok()) {
      return st;
    }
    report.spans.reserve(report.spans.size() + m);
    for (EarlierSpan& e : out.earlier) {
      e.span.doc = static_cast<uint32_t>(
          first_earlier +
          static_cast<size_t>(std::lower_bound(docs.begin(), docs.end(), e.doc) - docs.begin()));
      report.spans.push_back(e.span);
    }
  }

  stage(absl::StrCat("earlier vectors ", m), out.drop_spans + m);
  // Each earlier span's countable figures with a counted thing, for telling which earlier
  // spans a shared figure may match (those alone need their facts); the features of spans
  // stored without them, derived as the analysis derives them.
  std::vector<std::vector<StatedFigure>> stated(m);
  std::vector<int64_t> damaged(kBlocks, -1);  // a block's first span stored damaged, by id
  ParallelFor(kBlocks, options.threads, [&](size_t begin, size_t end) {
    for (size_t b = begin; b < end; ++b) {
      FeatureBlock& block = blocks[b];
      const size_t spans = block.start.size() - 1;
      bool complete = true;
      for (size_t j = 0; j < spans; ++j) complete = complete && !block.Row(j).empty();
      if (!complete) {
        FeatureBlock derived;
        for (size_t j = 0; j < spans; ++j) {
          derived.start.push_back(derived.bytes.size());
          if (!block.Row(j).empty()) {
            derived.bytes.append(block.Row(j));
            continue;
          }
          const Span& s = report.spans[out.drop_spans + block_start(b) + j];
          const std::string text = normalizer->Normalize(SpanText(report.documents[s.doc], s)).text;
          const std::vector<Token> tokens = Tokenize(text);
          const std::vector<NumberMention> numbers = FindNumbers(text, tokens);
          derived.bytes.append(
              EncodeFeatures(ShingleText(text, tokens, numbers, options.shingle), numbers));
        }
        derived.start.push_back(derived.bytes.size());
        block = std::move(derived);
      }
      for (size_t k = block_start(b); k < block_start(b + 1); ++k) {
        if (!DecodeFeatures(block.Row(k - block_start(b)), nullptr, &stated[k]) && damaged[b] < 0) {
          damaged[b] = ids[k];
        }
      }
    }
  });
  for (int64_t id : damaged) {
    if (id >= 0) {
      return absl::DataLossError(
          absl::StrCat("index: the stored features of span ", id, " are damaged"));
    }
  }
  stage("earlier distinct", out.drop_spans + m);
  // Their weights with the idf of archive + drop: every distinct shingle's count, from the
  // matrix for the drop's columns (prior included) and from the stored frequencies otherwise.
  struct Known {
    uint32_t df = 0;
    int32_t column = -1;  // the drop matrix's column of the shingle, or -1
  };
  // Hashes are split by their top bits into parts, each looked after on its own thread.
  constexpr int kPartBits = 5;
  constexpr size_t kParts = size_t{1} << kPartBits;
  auto part_of = [](uint64_t hash) { return static_cast<size_t>(hash >> (64 - kPartBits)); };
  std::vector<HashSlots<Known>> known(kParts);
  std::vector<size_t> block_shingles(kBlocks, 0);  // shingles of each block's spans, repeats too
  {
    // Distinct hashes: blocks of spans sort and dedupe their own; then each part merges its
    // stretch of every block's.
    std::vector<std::vector<uint64_t>> block(kBlocks);
    ParallelFor(kBlocks, options.threads, [&](size_t begin, size_t end) {
      // One buffer for the blocks of this call, sorted in place. A buffer per block (tens of
      // MB), as much again to sort it and a copy to shrink it were 2 GB of fresh pages at
      // 100,000 documents, each cleared by the kernel when first written.
      std::vector<uint64_t> hashes;
      std::vector<Shingle> row;
      for (size_t b = begin; b < end; ++b) {
        size_t& total = block_shingles[b];
        for (size_t j = 0; j + 1 < blocks[b].start.size(); ++j) {
          total += FeatureShingleCount(blocks[b].Row(j));
        }
        hashes.clear();
        hashes.reserve(total);
        for (size_t j = 0; j + 1 < blocks[b].start.size(); ++j) {
          row.clear();
          DecodeFeatures(blocks[b].Row(j), &row, nullptr);
          for (const Shingle& s : row) hashes.push_back(s.hash);
        }
        SortByHashInPlace(std::span<uint64_t>(hashes), [](uint64_t h) { return h; });
        block[b].assign(hashes.begin(), std::unique(hashes.begin(), hashes.end()));
      }
    });
    auto part_start = [&](const std::vector<uint64_t>& sorted, size_t p) {
      if (p == kParts) return sorted.end();
      return std::lower_bound(sorted.begin(), sorted.end(),
                              static_cast<uint64_t>(p) << (64 - kPartBits));
    };
    std::vector<std::vector<uint64_t>> part(kParts);
    ParallelFor(kParts, options.threads, [&](size_t begin, size_t end) {
      for (size_t p = begin; p < end; ++p) {
        size_t total = 0;
        for (const std::vector<uint64_t>& b : block)
          total += part_start(b, p + 1) - part_start(b, p);
        part[p].reserve(total);
        for (const std::vector<uint64_t>& b : block) {
          part[p].insert(part[p].end(), part_start(b, p), part_start(b, p + 1));
        }
        SortByHashInPlace(std::span<uint64_t>(part[p]), [](uint64_t h) { return h; });
        part[p].erase(std::unique(part[p].begin(), part[p].end()), part[p].end());
      }
    });
    std::vector<std::vector<uint64_t>>().swap(block);
    std::vector<size_t> offset(kParts + 1, 0);
    for (size_t p = 0; p < kParts; ++p) offset[p + 1] = offset[p] + part[p].size();
    std::vector<uint64_t> distinct;
    distinct.reserve(offset.back());
    for (const std::vector<uint64_t>& v : part) distinct.insert(distinct.end(), v.begin(), v.end());
    std::vector<std::vector<uint64_t>>().swap(part);
    stage(absl::StrCat("earlier counts ", distinct.size()), out.drop_spans + m);
    const absl::StatusOr<std::vector<uint32_t>> counted = prior.Counts(distinct);
    if (!counted.ok()) return counted.status();
    const std::vector<uint32_t>& prior_counts = *counted;
    // Each part's map: a shingle's count from the matrix for the drop's columns (prior
    // included), from the stored frequencies otherwise.
    ParallelFor(kParts, options.threads, [&](size_t begin, size_t end) {
      for (size_t p = begin; p < end; ++p) {
        known[p].Reserve(offset[p + 1] - offset[p]);
        auto j = static_cast<size_t>(part_start(tfidf.columns, p) - tfidf.columns.begin());
        for (size_t k = offset[p]; k < offset[p + 1]; ++k) {
          while (j < tfidf.columns.size() && tfidf.columns[j] < distinct[k]) ++j;
          known[p].FindOrInsert(distinct[k],
                                j < tfidf.columns.size() && tfidf.columns[j] == distinct[k]
                                    ? Known{tfidf.df[j], static_cast<int32_t>(j)}
                                    : Known{prior_counts[k], -1});
        }
      }
    });
  }
  auto known_of = [&](uint64_t hash) {
    if (const Known* found = known[part_of(hash)].Find(hash)) return *found;
    // Not a shingle of any candidate earlier span: a drop window's, counted in the drop matrix.
    auto column = std::lower_bound(tfidf.columns.begin(), tfidf.columns.end(), hash);
    if (column == tfidf.columns.end() || *column != hash) return Known{};
    const auto j = static_cast<size_t>(column - tfidf.columns.begin());
    return Known{tfidf.df[j], static_cast<int32_t>(j)};
  };
  // Unit-length weights of shingles with the idf of archive + drop; with `columns`, each
  // shingle's drop column too (-1 for none), from the same lookup.
  // The idf of the small document frequencies, which most shingles have, from a table: one
  // logarithm per frequency rather than per shingle of every row.
  std::vector<float> idf_of_df(size_t{1} << 16);
  for (size_t d = 0; d < idf_of_df.size(); ++d) idf_of_df[d] = Idf(tfidf.df_rows, d);
  auto weigh = [&](std::span<const Shingle> row, std::vector<int32_t>* columns) {
    std::vector<float> idf;
    idf.reserve(row.size());
    // Each lookup misses the cache: ask for the slots of a few shingles ahead.
    constexpr size_t kAhead = 8;
    for (size_t k = 0; k < std::min(kAhead, row.size()); ++k) {
      known[part_of(row[k].hash)].Prefetch(row[k].hash);
    }
    for (size_t k = 0; k < row.size(); ++k) {
      if (k + kAhead < row.size()) {
        known[part_of(row[k + kAhead].hash)].Prefetch(row[k + kAhead].hash);
      }
      const Shingle& s = row[k];
      const Known found = known_of(s.hash);
      idf.push_back(found.df < idf_of_df.size() ? idf_of_df[found.df]
                                                : Idf(tfidf.df_rows, found.df));
      if (columns != nullptr) columns->push_back(found.column);
    }
    return WeighShinglesWithIdf(row, idf, options.tfidf);
  };
  stage("earlier weights", out.drop_spans + m);
  // Each earlier span's weights on the drop's columns alone (the others add nothing to a dot
  // product with a drop span), in column order; one pair of arrays per block. Its dot product
  // with a drop row is then Dot's, the float sum in column order that `compare` computes.
  struct DropWeights {
    std::vector<int32_t> column;
    std::vector<float> weight;
  };
  std::vector<DropWeights> drop_weights(kBlocks);
  std::vector<SparseView> on_drop(m);
  ParallelFor(kBlocks, options.threads, [&](size_t begin, size_t end) {
    std::vector<int32_t> column;
    std::vector<Shingle> row;
    std::vector<size_t> start;
    for (size_t b = begin; b < end; ++b) {
      DropWeights& flat = drop_weights[b];
      // Room for every shingle of the block, reserved rather than grown: the arrays, several
      // MB each, would otherwise be copied into fresh pages at each doubling (and again by a
      // shrink to fit). Pages never written are never resident.
      flat.column.reserve(block_shingles[b]);
      flat.weight.reserve(block_shingles[b]);
      start.clear();
      for (size_t k = block_start(b); k < block_start(b + 1); ++k) {
        start.push_back(flat.column.size());
        // The weights come in shingle order (those of weight 0 left out), so the columns are
        // found again by walking along.
        row.clear();
        DecodeFeatures(blocks[b].Row(k - block_start(b)), &row, nullptr);
        column.clear();
        column.reserve(row.size());
        size_t j = 0;
        for (const auto& [hash, weight] : weigh(row, &column)) {
          while (row[j].hash != hash) ++j;
          if (column[j] >= 0) {
            flat.column.push_back(column[j]);
            flat.weight.push_back(weight);
          }
        }
      }
      start.push_back(flat.column.size());
      for (size_t k = block_start(b); k < block_start(b + 1); ++k) {
        const size_t j = k - block_start(b);
        on_drop[k] = {flat.column.data() + start[j], flat.weight.data() + start[j],
                      start[j + 1] - start[j]};
      }
      blocks[b] = FeatureBlock();
    }
  });
  std::vector<FeatureBlock>().swap(blocks);
  // A span's countable figures with a counted thing, each with the weights of the words around
  // it; the score a shared figure gives a pair, as Analyze gives it: those words' similarity
  // for two compatible figures of the same thing, plus the bonus.
  struct Figure {
    const NumberMention* mention;
    std::string unit;
    std::vector<std::pair<uint64_t, float>> window;
  };
  // `facts` are the span's, `tokens` Tokenize(normalized) or empty to be made here when needed.
  auto figures_of = [&](const SpanFacts& facts, std::string_view normalized,
                        std::vector<Token> tokens) {
    std::vector<Figure> out_figures;
    for (const NumberFact& f : facts.numbers) {
      std::string unit = KeyedUnit(f.mention);
      if (unit.empty()) continue;
      if (tokens.empty()) tokens = Tokenize(normalized);
      out_figures.push_back(
          {&f.mention, std::move(unit),
           weigh(ShingleText(FigureWindow(normalized, tokens, f.mention, options.fact_window_words),
                             options.shingle),
                 nullptr)});
    }
    return out_figures;
  };
  std::vector<std::vector<Figure>> drop_figures(out.drop_spans);
  std::vector<std::vector<Figure>> earlier_figures(m);
  auto figure_score = [&](size_t i, size_t k) {
    float best = 0;
    for (const Figure& x : drop_figures[i]) {
      for (const Figure& y : earlier_figures[k]) {
        if (x.mention->kind != y.mention->kind || x.unit != y.unit ||
            !Compatible(*x.mention, *y.mention)) {
          continue;
        }
        const float window = Dot(x.window, y.window);
        if (window >= options.fact_min_window) {
          best = std::max(best, std::min(1.0f, window + options.fact_bonus));
        }
      }
    }
    return best;
  };

  // Whether a figure of drop span i and one of earlier span k pass figure_score's tests before
  // the window: when none do, the pair's figure score is 0.
  auto figures_meet = [&](size_t i, size_t k) {
    for (const Figure& x : drop_figures[i]) {
      for (const StatedFigure& y : stated[k]) {
        if (x.mention->kind == y.mention.kind && x.unit == y.unit &&
            Compatible(*x.mention, y.mention)) {
          return true;
        }
      }
    }
    return false;
  };

  // Exact cosine of every candidate; the earlier spans of pairs that reach the threshold, or
  // may through a shared figure, get their facts and content words.
  stage("verifying", out.drop_spans + m);
  std::vector<size_t> first(out.drop_spans + 1, 0);  // candidates of drop span i
  for (const auto& c : candidates) ++first[c.first + 1];
  for (size_t i = 0; i < out.drop_spans; ++i) first[i + 1] += first[i];
  // An earlier span's place in `ids` by its id.
  std::vector<uint32_t> place(ids.empty() ? 0 : size_t{ids.back()} + 1, 0);
  for (size_t k = 0; k < ids.size(); ++k) place[ids[k]] = static_cast<uint32_t>(k);
  std::vector<uint32_t> earlier_of(candidates.size());
  std::vector<float> cosine(candidates.size());
  std::vector<uint8_t> has_figure(out.drop_spans, 0);
  ParallelFor(out.drop_spans, options.threads, [&](size_t begin, size_t end) {
    DotProbe probe;  // the drop row, for its candidates (the same sums as Dot)
    for (size_t i = begin; i < end; ++i) {
      drop_figures[i] =
          figures_of(report.facts[i], out.analysis.MatchingForm(static_cast<uint32_t>(i)), {});
      has_figure[i] = !drop_figures[i].empty();
      const SparseView row = RowView(tfidf.rows, static_cast<int64_t>(i));
      probe.Reset(row, first[i + 1] - first[i]);
      for (size_t c = first[i]; c < first[i + 1]; ++c) {
        // Three misses stand between a candidate and its entries (its place, its view, the
        // view's arrays): each is asked for a few candidates before the next needs it.
        constexpr size_t kAhead = 4;
        if (c + 4 * kAhead < candidates.size()) {
          __builtin_prefetch(&place[candidates[c + 4 * kAhead].second]);
        }
        if (c + 2 * kAhead < candidates.size()) {
          __builtin_prefetch(&on_drop[place[candidates[c + 2 * kAhead].second]]);
        }
        if (c + kAhead < candidates.size()) {
          const SparseView& ahead = on_drop[place[candidates[c + kAhead].second]];
          __builtin_prefetch(ahead.index);
          __builtin_prefetch(ahead.value);
        }
        earlier_of[c] = place[candidates[c].second];
        cosine[c] = probe.Dot(on_drop[earlier_of[c]]);
      }
    }
  });
  std::vector<SparseView>().swap(on_drop);
  std::vector<DropWeights>().swap(drop_weights);
  std::vector<uint8_t> needed(m, 0);
  for (size_t i = 0; i < out.drop_spans; ++i) {
    for (size_t c = first[i]; c < first[i + 1]; ++c) {
      const uint32_t k = earlier_of[c];
      if (cosine[c] >= options.threshold || (has_figure[i] && figures_meet(i, k))) needed[k] = 1;
    }
  }
  std::vector<std::vector<StatedFigure>>().swap(stated);
  stage(absl::StrCat("earlier facts ", std::count(needed.begin(), needed.end(), uint8_t{1})),
        out.drop_spans + m);
  const FactExtractor extractor(*normalizer);
  std::vector<ContentSequence> content(m);
  report.facts.resize(out.drop_spans + m);
  ParallelFor(m, options.threads, [&](size_t begin, size_t end) {
    for (size_t k = begin; k < end; ++k) {
      if (!needed[k]) continue;
      // Normalized, tokenized and its quantities read once for facts, content words, figures.
      const Span& s = report.spans[out.drop_spans + k];
      const Document& doc = report.documents[s.doc];
      const NormalizedText norm = normalizer->Normalize(SpanText(doc, s));
      std::vector<Token> tokens = Tokenize(norm.text);
      const std::vector<NumberMention> numbers = FindNumbers(norm.text, tokens);
      // The facts as held: other threads set other spans' meanwhile.
      const SpanFacts& facts = report.facts.Set(
          out.drop_spans + k, extractor.Extract(doc, s, nullptr, norm, tokens, numbers));
      content[k] = ContentWords(norm.text, tokens, numbers);
      earlier_figures[k] = figures_of(facts, norm.text, std::move(tokens));
    }
  });
  // Then the figure bonus, the substitution check and the verdict.
  stage("verdicts", out.drop_spans + m);
  const size_t check_words = static_cast<size_t>(options.substitution_check_words);
  std::vector<std::vector<DropMatches::Found>>& found = out.found;
  ParallelFor(out.drop_spans, options.threads, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      for (size_t c = first[i]; c < first[i + 1]; ++c) {
        const uint32_t k = earlier_of[c];
        if (!needed[k]) continue;
        const float sim = std::max(cosine[c], has_figure[i] ? figure_score(i, k) : 0.0f);
        if (sim < options.threshold) continue;
        const ContentView a = out.analysis.ContentOf(static_cast<uint32_t>(i));
        if (std::min(a.keys.size(), content[k].keys.size()) <= check_words && check_words > 0 &&
            HasEnclosedSubstitution(a, content[k])) {
          continue;
        }
        const bool conflict = !CompareSpans(report, static_cast<uint32_t>(i),
                                            static_cast<uint32_t>(out.drop_spans + k), *normalizer)
                                   .empty();
        found[i].push_back({k, sim, conflict});
      }
      std::sort(found[i].begin(), found[i].end(), [&](const auto& x, const auto& y) {
        if (x.similarity != y.similarity) return x.similarity > y.similarity;
        return out.earlier[x.earlier].id < out.earlier[y.earlier].id;
      });
    }
  });
  return out;
}

absl::StatusOr<std::vector<DocumentReuse>> Store::MatchDocuments(const DropMatches& matched,
                                                                 const CompareOptions& options) {
  const Report& report = matched.analysis.report;
  const size_t drop_documents = matched.phrases.size();
  std::vector<std::pair<uint32_t, uint32_t>> candidates;  // (drop document, stored rowid)
  if (absl::Status s = JoinBuckets(
          db_, "document_buckets", matched.document_keys, ReuseCandidateOptions().max_bucket,
          ReuseCandidateOptions().max_bucket, options.threads, &candidates);
      !s.ok()) {
    return s;
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  std::vector<int64_t> rowids;
  for (const auto& c : candidates) rowids.push_back(c.second);
  std::sort(rowids.begin(), rowids.end());
  rowids.erase(std::unique(rowids.begin(), rowids.end()), rowids.end());

  // The stored documents and their spans (offsets, kind, furniture) as they were indexed.
  std::vector<Document> earlier;
  std::vector<Span> spans;
  std::vector<uint32_t> first_span;
  {
    const std::string sql =
        absl::StrCat("SELECT ", kDocumentColumns, " FROM documents WHERE rowid = ?;");
    Statement doc(db_, sql.c_str());
    Statement q(db_,
                "SELECT idx, start_byte, end_byte, kind, furniture FROM spans WHERE doc = ? "
                "ORDER BY idx;");
    if (!doc.ok() || !q.ok()) return SqlError(db_, "read documents");
    for (int64_t rowid : rowids) {
      sqlite3_reset(doc.get());
      sqlite3_bind_int64(doc.get(), 1, rowid);
      if (sqlite3_step(doc.get()) != SQLITE_ROW) return SqlError(db_, "read document");
      Document d;
      ReadDocument(doc.get(), &d);
      first_span.push_back(static_cast<uint32_t>(spans.size()));
      sqlite3_reset(q.get());
      sqlite3_bind_int64(q.get(), 1, rowid);
      while (sqlite3_step(q.get()) == SQLITE_ROW) {
        Span s;
        s.doc = static_cast<uint32_t>(earlier.size());
        s.index = static_cast<uint32_t>(sqlite3_column_int64(q.get(), 0));
        s.begin = static_cast<uint32_t>(sqlite3_column_int64(q.get(), 1));
        s.end = static_cast<uint32_t>(sqlite3_column_int64(q.get(), 2));
        s.kind = static_cast<SpanKind>(sqlite3_column_int64(q.get(), 3));
        s.boilerplate = sqlite3_column_int64(q.get(), 4) != 0;
        spans.push_back(s);
      }
      earlier.push_back(std::move(d));
    }
    first_span.push_back(static_cast<uint32_t>(spans.size()));
  }
  absl::StatusOr<Normalizer> normalizer = Normalizer::Create();
  if (!normalizer.ok()) return normalizer.status();
  std::vector<DocumentPhrases> phrases = matched.phrases;
  for (DocumentPhrases& p :
       DocumentPhrasesOf(earlier, spans, first_span, *normalizer, options.threads)) {
    phrases.push_back(std::move(p));
  }
  // The drop's documents, then the stored ones; FindReuse reads ids and dates only.
  std::vector<Document> documents;
  for (size_t d = 0; d < drop_documents; ++d) {
    Document light;
    light.id = report.documents[d].id;
    light.published = report.documents[d].published;
    documents.push_back(std::move(light));
  }
  for (Document& d : earlier) {
    d.text.clear();
    documents.push_back(std::move(d));
  }
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  for (const auto& [d, rowid] : candidates) {
    pairs.emplace_back(
        d, static_cast<uint32_t>(
               drop_documents +
               static_cast<size_t>(std::lower_bound(rowids.begin(), rowids.end(), rowid) -
                                   rowids.begin())));
  }
  std::sort(pairs.begin(), pairs.end());
  SyndicationOptions syndication;
  syndication.threads = options.threads;
  std::vector<DocumentReuse> out;
  for (SyndicationPair& p : FindReuse(documents, phrases, pairs, syndication)) {
    DocumentReuse r;
    r.doc = documents[p.a].id;
    r.earlier = documents[p.b].id;
    r.doc_in_earlier = p.a_in_b;
    r.earlier_in_doc = p.b_in_a;
    r.label = std::string(ReuseLabelName(p.label));
    if (p.first) r.first = documents[*p.first].id;
    r.passages = std::move(p.passages);
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const DocumentReuse& x, const DocumentReuse& y) {
    if (x.doc != y.doc) return x.doc < y.doc;
    const double cx = std::max(x.doc_in_earlier, x.earlier_in_doc);
    const double cy = std::max(y.doc_in_earlier, y.earlier_in_doc);
    if (cx != cy) return cx > cy;
    return x.earlier < y.earlier;
  });
  return out;
}

absl::StatusOr<AddResult> Store::AddDrop(std::vector<Document> documents,
                                         const CompareOptions& options) {
  AddResult result;
  if (absl::Status s = Exec("BEGIN IMMEDIATE;"); !s.ok()) return s;
  auto fail = [this](absl::Status s) {
    Exec("ROLLBACK;").IgnoreError();
    return s;
  };
  if (absl::Status s = RemoveIndexed(db_, &documents, &result.existing); !s.ok()) {
    return fail(s);
  }
  if (documents.empty()) {
    Exec("ROLLBACK;").IgnoreError();
    return result;
  }
  absl::StatusOr<Meta> meta = ReadMeta(db_);
  if (!meta.ok()) return fail(meta.status());
  absl::StatusOr<DropMatches> matched = MatchDrop(std::move(documents), options, /*adding=*/true);
  if (!matched.ok()) return fail(matched.status());
  const Analysis& analysis = matched->analysis;
  const Report& report = analysis.report;
  const size_t n = matched->drop_spans;
  const size_t num_docs = report.first_span.size() - 1;  // the drop's own documents
  auto global = [&](size_t row) { return meta->next_span + static_cast<int64_t>(row); };

  if (options.progress) options.progress("storing", num_docs, n);
  {
    Statement drop(db_, "INSERT INTO drops(documents) VALUES (0);");
    if (!drop.ok() || sqlite3_step(drop.get()) != SQLITE_DONE) {
      return fail(SqlError(db_, "new drop"));
    }
    result.drop = sqlite3_last_insert_rowid(db_);
  }
  std::vector<int64_t> rowid(num_docs);
  {
    Statement insert(db_,
                     "INSERT INTO documents(id, drop_id, title, outlet, url, published, source, "
                     "line, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);");
    if (!insert.ok()) return fail(SqlError(db_, "prepare"));
    for (size_t d = 0; d < num_docs; ++d) {
      const Document& doc = report.documents[d];
      sqlite3_stmt* s = insert.get();
      sqlite3_reset(s);
      sqlite3_bind_text(s, 1, doc.id.data(), static_cast<int>(doc.id.size()), SQLITE_STATIC);
      sqlite3_bind_int64(s, 2, result.drop);
      BindText(s, 3, doc.title);
      BindText(s, 4, doc.outlet);
      BindText(s, 5, doc.url);
      BindText(s, 6, doc.published);
      BindText(s, 7, doc.source);
      sqlite3_bind_int64(s, 8, doc.line);
      sqlite3_bind_text(s, 9, doc.text.data(), static_cast<int>(doc.text.size()), SQLITE_STATIC);
      if (sqlite3_step(s) != SQLITE_DONE) return fail(SqlError(db_, "insert document"));
      rowid[d] = sqlite3_last_insert_rowid(db_);
      ++result.added;
    }
  }

  // Clusters: the drop's own claims (as `compare` finds them), each joined to the earlier
  // cluster its members match best; a span in no claim joins its best earlier match's cluster,
  // or starts its own.
  std::vector<int64_t> cluster(n);
  for (size_t i = 0; i < n; ++i) cluster[i] = global(i);
  auto best_earlier = [&](const std::vector<uint32_t>& rows) -> std::optional<int64_t> {
    const DropMatches::Found* best = nullptr;
    for (uint32_t i : rows) {
      for (const DropMatches::Found& f : matched->found[i]) {
        if (best == nullptr || f.similarity > best->similarity ||
            (f.similarity == best->similarity &&
             matched->earlier[f.earlier].cluster < matched->earlier[best->earlier].cluster)) {
          best = &f;
        }
      }
    }
    if (best == nullptr) return std::nullopt;
    return matched->earlier[best->earlier].cluster;
  };
  if (options.progress) options.progress("clusters", num_docs, n);
  std::vector<uint8_t> in_claim(n, 0);
  for (const SpanCluster& c : ClusterRows(
           analysis.tfidf.rows, ClaimPairs(analysis), {options.threshold, options.min_link},
           [&analysis](uint32_t x, uint32_t y) { return analysis.Compatible(x, y); },
           [&analysis](uint32_t x, uint32_t y) { return analysis.Score(x, y); })) {
    const int64_t id = best_earlier(c.members).value_or(global(c.members.front()));
    for (uint32_t i : c.members) {
      cluster[i] = id;
      in_claim[i] = 1;
    }
  }
  for (uint32_t i = 0; i < n; ++i) {
    if (!in_claim[i]) {
      if (std::optional<int64_t> id = best_earlier({i})) cluster[i] = *id;
    }
    result.joined += cluster[i] < meta->next_span;
  }
  if (options.progress) options.progress("storing spans", num_docs, n);
  {
    Statement insert(db_,
                     "INSERT INTO spans(id, doc, idx, start_byte, end_byte, kind, comparable, "
                     "furniture, cluster) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);");
    if (!insert.ok()) return fail(SqlError(db_, "prepare"));
    for (size_t i = 0; i < n; ++i) {
      const Span& s = report.spans[i];
      sqlite3_stmt* q = insert.get();
      sqlite3_reset(q);
      sqlite3_bind_int64(q, 1, global(i));
      sqlite3_bind_int64(q, 2, rowid[s.doc]);
      sqlite3_bind_int64(q, 3, s.index);
      sqlite3_bind_int64(q, 4, s.begin);
      sqlite3_bind_int64(q, 5, s.end);
      sqlite3_bind_int64(q, 6, static_cast<int64_t>(s.kind));
      sqlite3_bind_int64(q, 7, analysis.eligible[i]);
      sqlite3_bind_int64(q, 8, s.boilerplate ? 1 : 0);
      sqlite3_bind_int64(q, 9, cluster[i]);
      if (sqlite3_step(q) != SQLITE_DONE) return fail(SqlError(db_, "insert span"));
      result.comparable += analysis.eligible[i];
    }
    result.spans = n;
  }
  if (meta->next_span + static_cast<int64_t>(n) > int64_t{0xFFFFFFFF}) {
    return fail(absl::ResourceExhaustedError("index: more than 2^32 spans"));
  }
  {
    std::string records;
    records.reserve(matched->keys.size() * kBucketRecord);
    for (const auto& [key, row] : matched->keys) {
      PutLe(key, 8, &records);
      PutLe(static_cast<uint64_t>(global(row)), 4, &records);
    }
    if (absl::Status s = WriteChunks(db_, "buckets", result.drop, records, kBucketRecord);
        !s.ok()) {
      return fail(s);
    }
  }
  {
    const DocumentFrequencies own = OwnDocumentFrequencies(analysis.tfidf, analysis.eligible);
    std::string records;
    records.reserve(own.counts.size() * kFrequencyRecord);
    for (const auto& [hash, count] : own.counts) {
      PutLe(hash, 8, &records);
      PutLe(count, 4, &records);
    }
    if (absl::Status s = WriteChunks(db_, "frequencies", result.drop, records, kFrequencyRecord);
        !s.ok()) {
      return fail(s);
    }
  }
  {
    std::string records;
    records.reserve(matched->document_keys.size() * kBucketRecord);
    for (const auto& [key, d] : matched->document_keys) {
      PutLe(key, 8, &records);
      PutLe(static_cast<uint64_t>(rowid[d]), 4, &records);
    }
    if (absl::Status s = WriteChunks(db_, "document_buckets", result.drop, records, kBucketRecord);
        !s.ok()) {
      return fail(s);
    }
  }
  {
    Statement count(db_, "UPDATE drops SET documents = ?, spans = ?, comparable = ? WHERE id = ?;");
    sqlite3_bind_int64(count.get(), 1, static_cast<int64_t>(result.added));
    sqlite3_bind_int64(count.get(), 2, static_cast<int64_t>(result.spans));
    sqlite3_bind_int64(count.get(), 3, static_cast<int64_t>(result.comparable));
    sqlite3_bind_int64(count.get(), 4, result.drop);
    if (sqlite3_step(count.get()) != SQLITE_DONE) return fail(SqlError(db_, "drop size"));
  }
  if (options.progress) options.progress("committing", num_docs, n);
  if (absl::Status s = Exec("COMMIT;"); !s.ok()) return fail(s);
  return result;
}

absl::StatusOr<IndexStats> Store::Stats() {
  IndexStats stats;
  Statement q(db_,
              "SELECT (SELECT COUNT(*) FROM drops), (SELECT COUNT(*) FROM documents), "
              "(SELECT COALESCE(SUM(LENGTH(CAST(text AS BLOB))), 0) FROM documents), "
              "(SELECT COUNT(*) FROM spans), (SELECT COALESCE(SUM(comparable), 0) FROM spans), "
              "(SELECT COUNT(*) FROM (SELECT cluster FROM spans GROUP BY cluster "
              "HAVING COUNT(DISTINCT doc) > 1)), "
              "(SELECT COALESCE(SUM(LENGTH(entries)), 0) FROM buckets), "
              "(SELECT COALESCE(SUM(LENGTH(entries)), 0) FROM frequencies), "
              "(SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()), "
              "(SELECT COALESCE(SUM(LENGTH(features)), 0) FROM span_features), "
              "(SELECT COUNT(*) FROM span_features);");
  if (!q.ok() || sqlite3_step(q.get()) != SQLITE_ROW) return SqlError(db_, "stats");
  stats.drops = sqlite3_column_int64(q.get(), 0);
  stats.documents = sqlite3_column_int64(q.get(), 1);
  stats.text_bytes = sqlite3_column_int64(q.get(), 2);
  stats.spans = sqlite3_column_int64(q.get(), 3);
  stats.comparable = sqlite3_column_int64(q.get(), 4);
  stats.claims = sqlite3_column_int64(q.get(), 5);
  stats.bucket_bytes = sqlite3_column_int64(q.get(), 6);
  stats.df_bytes = sqlite3_column_int64(q.get(), 7);
  stats.file_bytes = sqlite3_column_int64(q.get(), 8);
  stats.feature_bytes = sqlite3_column_int64(q.get(), 9);
  stats.without_features = stats.comparable - sqlite3_column_int64(q.get(), 10);
  absl::StatusOr<Meta> meta = ReadMeta(db_);
  if (!meta.ok()) return meta.status();
  stats.bands = meta->bands;
  stats.rows_per_band = meta->rows_per_band;
  return stats;
}

absl::StatusOr<std::vector<Document>> Store::Documents() {
  std::vector<Document> out;
  const std::string sql = absl::StrCat("SELECT ", kDocumentColumns, " FROM documents ORDER BY id;");
  Statement q(db_, sql.c_str());
  if (!q.ok()) return SqlError(db_, "read documents");
  int rc;
  while ((rc = sqlite3_step(q.get())) == SQLITE_ROW) {
    Document d;
    ReadDocument(q.get(), &d);
    out.push_back(std::move(d));
  }
  if (rc != SQLITE_DONE) return SqlError(db_, "read documents");
  return out;
}

absl::StatusOr<std::vector<Document>> Store::DocumentsById(const std::vector<std::string>& ids) {
  std::vector<std::string> sorted = ids;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  const std::string sql =
      absl::StrCat("SELECT ", kDocumentColumns, " FROM documents WHERE id = ?;");
  Statement q(db_, sql.c_str());
  if (!q.ok()) return SqlError(db_, "read documents");
  std::vector<Document> out;
  for (const std::string& id : sorted) {
    sqlite3_reset(q.get());
    sqlite3_bind_text(q.get(), 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
    if (sqlite3_step(q.get()) != SQLITE_ROW) continue;
    Document d;
    ReadDocument(q.get(), &d);
    out.push_back(std::move(d));
  }
  return out;
}

absl::StatusOr<MatchResult> Store::Match(std::vector<Document> documents,
                                         const CompareOptions& options) {
  MatchResult result;
  // One read transaction: a consistent snapshot while other processes add drops (WAL).
  if (absl::Status s = Exec("BEGIN;"); !s.ok()) return s;
  auto finish = [this](auto value) {
    Exec("COMMIT;").IgnoreError();
    return value;
  };
  if (absl::Status s = RemoveIndexed(db_, &documents, &result.existing); !s.ok()) {
    return finish(absl::StatusOr<MatchResult>(s));
  }
  if (documents.empty()) return finish(absl::StatusOr<MatchResult>(std::move(result)));
  absl::StatusOr<DropMatches> matched = MatchDrop(std::move(documents), options, /*adding=*/false);
  if (!matched.ok()) return finish(absl::StatusOr<MatchResult>(matched.status()));
  const Report& r = matched->analysis.report;
  result.candidates = matched->candidates;
  absl::StatusOr<std::vector<DocumentReuse>> reuse = MatchDocuments(*matched, options);
  if (!reuse.ok()) return finish(absl::StatusOr<MatchResult>(reuse.status()));
  result.reuse = *std::move(reuse);
  for (size_t i = 0; i < matched->drop_spans; ++i) {
    if (matched->found[i].empty()) continue;
    const Span& s = r.spans[i];
    SpanMatch m{r.documents[s.doc].id, s.index, s.begin, s.end, {}};
    for (const DropMatches::Found& f : matched->found[i]) {
      const EarlierSpan& e = matched->earlier[f.earlier];
      m.matches.push_back({r.documents[e.span.doc].id, e.span.index, e.span.begin, e.span.end,
                           f.similarity, f.conflict ? "conflict" : "agree", e.cluster});
    }
    result.spans.push_back(std::move(m));
  }
  return finish(absl::StatusOr<MatchResult>(std::move(result)));
}

std::string RenderMatchJson(const SpanMatch& m) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto str = [&w](std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  };
  w.StartObject();
  w.Key("doc");
  str(m.doc);
  w.Key("span");
  w.Uint(m.span);
  w.Key("start");
  w.Uint(m.start);
  w.Key("end");
  w.Uint(m.end);
  w.Key("matches");
  w.StartArray();
  for (const SpanMatch::Earlier& e : m.matches) {
    w.StartObject();
    w.Key("doc");
    str(e.doc);
    w.Key("span");
    w.Uint(e.span);
    w.Key("start");
    w.Uint(e.start);
    w.Key("end");
    w.Uint(e.end);
    w.Key("similarity");
    w.Double(std::round(e.similarity * 10000.0) / 10000.0);
    w.Key("verdict");
    str(e.verdict);
    w.Key("cluster");
    str(absl::StrCat("k", e.cluster));
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

std::string RenderReuseJson(const DocumentReuse& r) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto str = [&w](std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  };
  auto share = [&w](double x) { w.Double(std::round(x * 10000.0) / 10000.0); };
  w.StartObject();
  w.Key("doc");
  str(r.doc);
  w.Key("reuses");
  str(r.earlier);
  w.Key("label");
  str(r.label);
  w.Key("first");
  if (r.first.empty()) {
    w.Null();
  } else {
    str(r.first);
  }
  w.Key("doc_in_earlier");
  share(r.doc_in_earlier);
  w.Key("earlier_in_doc");
  share(r.earlier_in_doc);
  w.Key("passages");
  w.StartArray();
  for (const Passage& p : r.passages) {
    w.StartObject();
    w.Key("start");
    w.Uint(p.a_start);
    w.Key("end");
    w.Uint(p.a_end);
    w.Key("earlier_start");
    w.Uint(p.b_start);
    w.Key("earlier_end");
    w.Uint(p.b_end);
    w.Key("similarity");
    share(p.similarity);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace claimdiff
