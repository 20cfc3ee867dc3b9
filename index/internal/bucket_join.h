// Blobs of sorted fixed-size records as an index stores them (LSH buckets, document
// frequencies), read back a window at a time; a bucket chunk's (key, id) records merge-joined
// with a drop's sorted (key, item) list. Internal to the index; declared here for its tests.
//
//   BlobRecords records(blob, kBucketRecord);  // an open sqlite3_blob of one chunk
//   std::vector<std::pair<uint32_t, uint32_t>> pairs;
//   if (!JoinChunk(records, keys, 256, 32, &pairs)) { /* reading failed */ }
#ifndef CLAIMDIFF_INDEX_INTERNAL_BUCKET_JOIN_H_
#define CLAIMDIFF_INDEX_INTERNAL_BUCKET_JOIN_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

struct sqlite3_blob;

namespace claimdiff::internal {

// A bucket record: band key (8 bytes), then span id or document rowid (4), little-endian.
inline constexpr size_t kBucketRecord = 12;

// Set on a drop span's id in a join key that is a figure key rather than a band key.
inline constexpr uint32_t kFigureKey = uint32_t{1} << 31;

// The `bytes`-byte little-endian number at p.
inline uint64_t GetLe(const unsigned char* p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// The fixed-size records of a stored blob, read a window at a time through an incremental blob
// handle rather than whole: a chunk is tens of MB, and read whole SQLite allocated and filled
// fresh pages for each one. The blob must stay open while records are read.
class BlobRecords {
 public:
  static constexpr size_t kWindowRecords = size_t{1} << 16;
  BlobRecords(sqlite3_blob* blob, size_t record_size, size_t window_records = kWindowRecords);
  // The next record, or nullptr past the last one or when reading failed (then failed()).
  const unsigned char* Next() {
    if (at_ == have_ && !Fill()) return nullptr;
    return window_.data() + (at_++) * record_size_;
  }
  bool failed() const { return failed_; }

 private:
  bool Fill();
  sqlite3_blob* blob_;
  size_t record_size_;
  size_t window_records_;
  size_t left_;        // records not read yet
  size_t offset_ = 0;  // bytes read
  size_t have_ = 0;    // records in the window
  size_t at_ = 0;      // the next one's place in it
  bool failed_ = false;
  std::vector<unsigned char> window_;
};

// Merge-joins `keys` ((key, item), sorted) with one stored chunk of sorted (key, id) records:
// each (item, id) sharing a key is appended to `out`. Keys whose bucket holds more than
// `max_bucket` ids (`max_figure_bucket` for an item tagged kFigureKey) are skipped. False when
// reading failed.
bool JoinChunk(BlobRecords& records, const std::vector<std::pair<uint64_t, uint32_t>>& keys,
               size_t max_bucket, size_t max_figure_bucket,
               std::vector<std::pair<uint32_t, uint32_t>>* out);

}  // namespace claimdiff::internal

#endif  // CLAIMDIFF_INDEX_INTERNAL_BUCKET_JOIN_H_
