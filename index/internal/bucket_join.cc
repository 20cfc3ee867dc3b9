#include "index/internal/bucket_join.h"

#include <sqlite3.h>

#include <algorithm>

namespace claimdiff::internal {

BlobRecords::BlobRecords(sqlite3_blob* blob, size_t record_size, size_t window_records)
    : blob_(blob),
      record_size_(record_size),
      window_records_(std::max<size_t>(window_records, 1)),
      left_(static_cast<size_t>(sqlite3_blob_bytes(blob)) / record_size),
      window_(window_records_ * record_size) {}

bool BlobRecords::Fill() {
  if (left_ == 0 || failed_) return false;
  have_ = std::min(left_, window_records_);
  if (sqlite3_blob_read(blob_, window_.data(), static_cast<int>(have_ * record_size_),
                        static_cast<int>(offset_)) != SQLITE_OK) {
    failed_ = true;
    have_ = at_ = 0;
    return false;
  }
  offset_ += have_ * record_size_;
  left_ -= have_;
  at_ = 0;
  return true;
}

bool JoinChunk(BlobRecords& records, const std::vector<std::pair<uint64_t, uint32_t>>& keys,
               size_t max_bucket, size_t max_figure_bucket,
               std::vector<std::pair<uint32_t, uint32_t>>* out) {
  // A bucket's ids, up to one more than either cap: enough to tell it is too large for both.
  const size_t keep = std::max(max_bucket, max_figure_bucket) + 1;
  std::vector<uint32_t> bucket;
  size_t k = 0;
  const unsigned char* record = records.Next();
  while (record != nullptr && k < keys.size()) {
    const uint64_t key = GetLe(record, 8);
    bucket.clear();
    for (; record != nullptr && GetLe(record, 8) == key; record = records.Next()) {
      if (bucket.size() < keep) bucket.push_back(static_cast<uint32_t>(GetLe(record + 8, 4)));
    }
    while (k < keys.size() && keys[k].first < key) ++k;
    size_t k_end = k;
    while (k_end < keys.size() && keys[k_end].first == key) ++k_end;
    for (size_t x = k; x < k_end && bucket.size() <= max_bucket; ++x) {
      if ((keys[x].second & kFigureKey) != 0 && bucket.size() > max_figure_bucket) continue;
      for (uint32_t id : bucket) out->emplace_back(keys[x].second, id);
    }
  }
  return !records.failed();
}

}  // namespace claimdiff::internal
