// A persistent index of earlier drops, in one SQLite file.
//
//   absl::StatusOr<Store> store = Store::Open("archive.db");
//   absl::StatusOr<AddResult> added = store->AddDrop(documents);   // one transaction
//   absl::StatusOr<std::vector<SpanMatch>> m = store->Match(new_documents, options);
//
// Each `AddDrop` is one transaction (WAL journal, synchronous=FULL): a crash or kill -9 leaves
// every earlier drop intact and the interrupted one absent. Documents whose id is already in
// the index are reported, not added again.
//
// This version stores the documents (text and metadata) and their drop; `Match` runs the
// compare pipeline over the stored documents and the new ones together, so its results are
// exactly those of `compare` over both. Storing spans, signatures and document frequencies
// to match without recomputation is the next step (see README "Scale").
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

struct sqlite3;

namespace claimdiff {

struct AddResult {
  int64_t drop = 0;                   // the new drop's number
  size_t added = 0;                   // documents stored
  std::vector<std::string> existing;  // ids already in the index, not added again
};

struct IndexStats {
  int64_t drops = 0;
  int64_t documents = 0;
  int64_t bytes = 0;  // of stored text
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
  };
  std::vector<Earlier> matches;
};

class Store {
 public:
  static absl::StatusOr<Store> Open(const std::string& path);
  Store(Store&& other) noexcept;
  Store& operator=(Store&& other) noexcept;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  ~Store();

  absl::StatusOr<AddResult> AddDrop(const std::vector<Document>& documents);
  absl::StatusOr<IndexStats> Stats();
  // Every stored document, in id order.
  absl::StatusOr<std::vector<Document>> Documents();
  // For each span of `documents` (not stored) that is the same claim as a stored span: the
  // stored spans, with similarity and verdict. Spans in document and text order.
  absl::StatusOr<std::vector<SpanMatch>> Match(std::vector<Document> documents,
                                               const CompareOptions& options);

 private:
  explicit Store(sqlite3* db) : db_(db) {}
  absl::Status Exec(const char* sql);
  sqlite3* db_ = nullptr;
};

// {"doc", "span", "start", "end", "matches": [{"doc", "span", "start", "end", "similarity",
// "verdict"}]} and a newline.
std::string RenderMatchJson(const SpanMatch& match);

}  // namespace claimdiff

#endif  // CLAIMDIFF_INDEX_STORE_H_
