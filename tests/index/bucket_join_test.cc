// The stored buckets read a window at a time: the join finds the same pairs for any window
// size, runs of one key that cross a window included, and says when reading fails.
#include "index/internal/bucket_join.h"

#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace claimdiff::internal {
namespace {

using Keys = std::vector<std::pair<uint64_t, uint32_t>>;
using Pairs = std::vector<std::pair<uint32_t, uint32_t>>;

void PutLe(uint64_t v, int bytes, std::string* out) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// (key, id) records, sorted by key, as `index add` stores them.
std::string Records(const std::vector<std::pair<uint64_t, uint32_t>>& records) {
  std::string out;
  for (const auto& [key, id] : records) {
    PutLe(key, 8, &out);
    PutLe(id, 4, &out);
  }
  return out;
}

// The join done plainly over all records at once: what any window must give.
Pairs PlainJoin(const std::vector<std::pair<uint64_t, uint32_t>>& records, const Keys& keys,
                size_t max_bucket, size_t max_figure_bucket) {
  std::map<uint64_t, std::vector<uint32_t>> buckets;
  for (const auto& [key, id] : records) buckets[key].push_back(id);
  Pairs out;
  for (const auto& [key, ids] : buckets) {
    for (const auto& [k, item] : keys) {
      if (k != key || ids.size() > max_bucket) continue;
      if ((item & kFigureKey) != 0 && ids.size() > max_figure_bucket) continue;
      for (uint32_t id : ids) out.emplace_back(item, id);
    }
  }
  return out;
}

class StoredBlob {
 public:
  explicit StoredBlob(const std::string& bytes) {
    sqlite3* raw = nullptr;
    EXPECT_EQ(sqlite3_open(":memory:", &raw), SQLITE_OK);
    db_.reset(raw);
    EXPECT_EQ(
        sqlite3_exec(db(), "CREATE TABLE t(entries BLOB NOT NULL);", nullptr, nullptr, nullptr),
        SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(db(), "INSERT INTO t(rowid, entries) VALUES (1, ?);", -1, &q, nullptr);
    sqlite3_bind_blob(q, 1, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
    EXPECT_EQ(sqlite3_step(q), SQLITE_DONE);
    sqlite3_finalize(q);
  }
  sqlite3* db() const { return db_.get(); }
  // A handle on the blob; closed by the caller.
  sqlite3_blob* Open() const {
    sqlite3_blob* blob = nullptr;
    EXPECT_EQ(sqlite3_blob_open(db(), "main", "t", "entries", 1, 0, &blob), SQLITE_OK);
    return blob;
  }

 private:
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db_{nullptr, sqlite3_close};
};

Pairs Join(const StoredBlob& stored, size_t window, const Keys& keys, size_t max_bucket,
           size_t max_figure_bucket, bool* ok) {
  const std::unique_ptr<sqlite3_blob, int (*)(sqlite3_blob*)> blob(stored.Open(),
                                                                   sqlite3_blob_close);
  BlobRecords records(blob.get(), kBucketRecord, window);
  Pairs out;
  *ok = JoinChunk(records, keys, max_bucket, max_figure_bucket, &out);
  return out;
}

TEST(BucketJoin, AnyWindowGivesThePairsOfTheWholeChunk) {
  // Buckets of 1 to 9 ids, one of 40 (over the figure cap of 8, under the band cap of 50) and
  // one of 120 (over both), spread so that runs cross windows of every size tried.
  std::vector<std::pair<uint64_t, uint32_t>> records;
  uint32_t id = 0;
  for (uint64_t key = 10; key < 400; key += 10) {
    const size_t size = key == 200 ? 40 : key == 300 ? 120 : 1 + key % 9;
    for (size_t j = 0; j < size; ++j) records.emplace_back(key, id++);
  }
  // Keys met: some with no bucket, several items on one key, band and figure items on the
  // large buckets, and keys past the last record.
  Keys keys = {{5, 1},
               {10, 2},
               {20, 3},
               {20, 4},
               {25, 5},
               {200, 6},
               {200, 7 | kFigureKey},
               {300, 8},
               {300, 9 | kFigureKey},
               {390, 10},
               {395, 11},
               {500, 12}};
  const StoredBlob stored(Records(records));
  const Pairs expected = PlainJoin(records, keys, 50, 8);
  ASSERT_FALSE(expected.empty());
  // Item 6 meets the 40 of key 200 through a band; item 7 (a figure) and 8, 9 (key 300) do not.
  EXPECT_EQ(
      std::count_if(expected.begin(), expected.end(), [](const auto& p) { return p.first == 6; }),
      40);
  for (size_t window : {size_t{1}, size_t{2}, size_t{3}, size_t{7}, size_t{41}, size_t{1000},
                        BlobRecords::kWindowRecords}) {
    bool ok = false;
    EXPECT_EQ(Join(stored, window, keys, 50, 8, &ok), expected) << "window " << window;
    EXPECT_TRUE(ok);
  }
}

TEST(BucketJoin, AnEmptyChunkGivesNoPairs) {
  const StoredBlob stored("");
  bool ok = false;
  EXPECT_TRUE(Join(stored, 4, {{1, 1}}, 50, 8, &ok).empty());
  EXPECT_TRUE(ok);
}

TEST(BucketJoin, AChunkChangedWhileReadIsAFailure) {
  std::vector<std::pair<uint64_t, uint32_t>> records;
  for (uint32_t j = 0; j < 100; ++j) records.emplace_back(j, j);
  const StoredBlob stored(Records(records));
  const std::unique_ptr<sqlite3_blob, int (*)(sqlite3_blob*)> blob(stored.Open(),
                                                                   sqlite3_blob_close);
  BlobRecords read(blob.get(), kBucketRecord, 10);
  ASSERT_NE(read.Next(), nullptr);  // the first window is read
  ASSERT_EQ(sqlite3_exec(stored.db(), "UPDATE t SET entries = x'00';", nullptr, nullptr, nullptr),
            SQLITE_OK);
  Keys keys;
  for (uint32_t j = 0; j < 100; ++j) keys.emplace_back(j, j);
  Pairs out;
  EXPECT_FALSE(JoinChunk(read, keys, 50, 8, &out));
  EXPECT_TRUE(read.failed());
  EXPECT_LT(out.size(), 100u);
}

}  // namespace
}  // namespace claimdiff::internal
