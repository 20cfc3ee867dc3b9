// A persistent index of earlier drops, in one SQLite file.
//
//   absl::StatusOr<Store> store = Store::Open("archive.db");
//   absl::StatusOr<AddResult> added = store->AddDrop(documents, options);  // one transaction
//   absl::StatusOr<MatchResult> m = store->Match(new_documents, options);
//
// What is stored, per drop, so that matching a new drop never re-reads the whole archive:
//  - documents: text and metadata;
//  - spans: byte offsets (never copies), kind, whether comparable, and the claim cluster each
//    belongs to (a cluster id is the global number of its first span);
//  - LSH buckets: the band keys of every comparable span's MinHash signature (similarity/
//    minhash.h), as sorted (key, span) arrays, so a new drop's keys are merge-joined with them;
//  - document frequencies: (shingle hash, comparable spans containing it), sorted, so idf is
//    that of the whole archive plus the new drop.
// The LSH parameters (bands, rows per band, hashed features) are fixed when the file is
// created and read back from it, so keys from every drop stay comparable.
//
// Matching a drop: its spans are analysed as `compare` would (segments, facts, TF-IDF with the
// archive's idf); their band keys are joined with the stored buckets; each candidate earlier
// span is re-read from its document's text (offsets), weighed with the same idf and verified by
// exact cosine; agreeing and conflicting figures, quotes, speakers and negation come from the
// same verdict code as `compare`. Each `AddDrop` does that matching too, to assign the new
// spans to earlier clusters, and stores the drop in one transaction (WAL journal,
// synchronous=FULL): a crash or kill -9 leaves every earlier drop intact and the interrupted one
// absent. Documents whose id is already in the index are reported, not added again.
//
// Differences from `compare` over the archive and the drop together: an earlier span's facts
// are read from the span alone (a quotation's speaker named in the sentence before it is not
// carried over), and the earlier side of a pair is not boosted by a shared figure's context.
//
// A Store owns its database connection: movable, not copyable, not thread-safe.
#ifndef CLAIMDIFF_INDEX_STORE_H_
#define CLAIMDIFF_INDEX_STORE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/document.h"
#include "report/report.h"
#include "similarity/syndication.h"

struct sqlite3;

namespace claimdiff {

struct AddResult {
  int64_t drop = 0;                   // the new drop's number; 0 when nothing was added
  size_t added = 0;                   // documents stored
  size_t spans = 0;                   // spans stored
  size_t comparable = 0;              // of which comparable (in the buckets)
  size_t joined = 0;                  // new spans assigned to a cluster of an earlier drop
  std::vector<std::string> existing;  // ids already in the index, not added again
};

struct IndexStats {
  int64_t drops = 0;
  int64_t documents = 0;
  int64_t spans = 0;
  int64_t comparable = 0;     // spans in the LSH buckets
  int64_t claims = 0;         // clusters with spans of two or more documents
  int64_t text_bytes = 0;     // of stored text
  int64_t bucket_bytes = 0;   // of stored band keys
  int64_t df_bytes = 0;       // of stored document frequencies
  int64_t feature_bytes = 0;  // of stored span features (shingles and figures)
  // Comparable spans stored without features (by a claimdiff that stored none): matching
  // derives them from the text, more slowly.
  int64_t without_features = 0;
  int64_t file_bytes = 0;  // of the database (pages in use)
  int bands = 0;           // LSH parameters of this index
  int rows_per_band = 0;
};

// One new span that states a claim also found in earlier drops.
struct SpanMatch {
  std::string doc;
  uint32_t span = 0;
  uint32_t start = 0;
  uint32_t end = 0;
  struct Earlier {
    std::string doc;
    uint32_t span = 0;
    uint32_t start = 0;
    uint32_t end = 0;
    float similarity = 0;
    std::string verdict;  // "agree" or "conflict"
    int64_t cluster = 0;  // the earlier span's cluster in the index
  };
  std::vector<Earlier> matches;  // most similar first
};

// A new document that reuses the text of a stored one (syndication), measured as `claimdiff
// syndication` measures it: containment both ways, aligned passages, label and direction.
struct DocumentReuse {
  std::string doc;                // the new document
  std::string earlier;            // the stored one
  double doc_in_earlier = 0;      // share of the new document's phrases found in the stored one
  double earlier_in_doc = 0;      // and the other way
  std::string label;              // "copy", "shared source" or "partial reuse"
  std::string first;              // the id published first; empty when the dates do not say
  std::vector<Passage> passages;  // a_* in the new document, b_* in the stored one
};

struct MatchResult {
  std::vector<SpanMatch> spans;       // in document (id) and text order
  std::vector<DocumentReuse> reuse;   // by new document id, most contained first
  std::vector<std::string> existing;  // ids of the input already indexed, not matched
  size_t candidates = 0;              // (new span, earlier span) pairs verified
};

class Store {
 public:
  static absl::StatusOr<Store> Open(const std::string& path);
  Store(Store&& other) noexcept;
  Store& operator=(Store&& other) noexcept;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  ~Store();

  // Stores `documents` (sorted by id, ids unique, as LoadInputs gives them) as one drop.
  absl::StatusOr<AddResult> AddDrop(std::vector<Document> documents, const CompareOptions& options);
  absl::StatusOr<IndexStats> Stats();
  // Every stored document, in id order.
  absl::StatusOr<std::vector<Document>> Documents();
  // The stored documents with these ids (unknown ids are skipped), in id order.
  absl::StatusOr<std::vector<Document>> DocumentsById(const std::vector<std::string>& ids);
  // For each span of `documents` (not stored) that is the same claim as a stored span: the
  // stored spans, with similarity and verdict.
  absl::StatusOr<MatchResult> Match(std::vector<Document> documents, const CompareOptions& options);

 private:
  struct DropMatches;
  explicit Store(sqlite3* db) : db_(db) {}
  absl::Status Exec(const char* sql);
  // `adding`: the drop is being stored (within AddDrop's transaction), so its comparable spans'
  // features are written and its own figures paired (its clusters need them); a drop only
  // matched needs neither.
  absl::StatusOr<DropMatches> MatchDrop(std::vector<Document> documents,
                                        const CompareOptions& options, bool adding);
  absl::StatusOr<std::vector<DocumentReuse>> MatchDocuments(const DropMatches& matched,
                                                            const CompareOptions& options);
  sqlite3* db_ = nullptr;
};

// {"doc", "span", "start", "end", "matches": [{"doc", "span", "start", "end", "similarity",
// "verdict", "cluster"}]} and a newline.
std::string RenderMatchJson(const SpanMatch& match);

// {"doc", "reuses", "label", "first", "doc_in_earlier", "earlier_in_doc", "passages":
// [{"start", "end", "earlier_start", "earlier_end", "similarity"}]} and a newline; `first` is
// null when unknown.
std::string RenderReuseJson(const DocumentReuse& reuse);

}  // namespace claimdiff

#endif  // CLAIMDIFF_INDEX_STORE_H_
