// A hash table keyed by uniform 64-bit hashes (StableHash64 values and the like), for the
// large tables of the pipeline: shingle ids while a matrix is built, shingle counts while a
// drop is matched.
//
//   HashSlots<uint32_t> ids;
//   for (...) ids.Prefetch(hashes[k + 16]);  // the slot a lookup will read, asked for early
//   auto [id, inserted] = ids.FindOrInsert(hash, next_id);
//
// Linear probing from the slot named by the top bits of hash * 2^64/phi (one multiplication:
// the hashes are uniform already, but a caller may have split them by their own top bits), at
// most 70% full; a slot holds the hash and its value side by
// side, so a lookup usually reads the one cache line Prefetch asked for. (A general table
// such as absl's prefetches the start of a 16-slot group, and the slot found is in another
// line most of the time.) Hash 0 marks an empty slot; the value of hash 0 is kept apart.
// Not thread-safe for writes; concurrent Find and Prefetch are safe once writes are done.
#ifndef CLAIMDIFF_CORE_HASH_SLOTS_H_
#define CLAIMDIFF_CORE_HASH_SLOTS_H_

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

namespace claimdiff {

template <typename Value>
class HashSlots {
 public:
  // Room for `n` hashes without growing.
  void Reserve(size_t n) {
    size_t capacity = kMinCapacity;
    while (n * 10 > capacity * 7) capacity *= 2;
    if (capacity > slots_.size()) Rehash(capacity);
  }

  void Prefetch(uint64_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[Home(hash)]);
  }

  // The value of `hash`, given `value` if it had none; true when it was given.
  std::pair<Value*, bool> FindOrInsert(uint64_t hash, const Value& value) {
    if (hash == 0) {
      const bool inserted = !zero_.has_value();
      if (inserted) zero_ = value;
      return {&*zero_, inserted};
    }
    if (Room() == 0) Rehash(std::max(kMinCapacity, 2 * slots_.size()));
    const size_t mask = slots_.size() - 1;
    for (size_t i = Home(hash);; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.hash == 0) {
        slot = {hash, value};
        ++size_;
        return {&slot.value, true};
      }
      if (slot.hash == hash) return {&slot.value, false};
    }
  }

  // The value of `hash`, or null.
  const Value* Find(uint64_t hash) const {
    if (hash == 0) return zero_.has_value() ? &*zero_ : nullptr;
    if (slots_.empty()) return nullptr;
    const size_t mask = slots_.size() - 1;
    for (size_t i = Home(hash);; i = (i + 1) & mask) {
      const Slot& slot = slots_[i];
      if (slot.hash == hash) return &slot.value;
      if (slot.hash == 0) return nullptr;
    }
  }

  size_t size() const { return size_ + (zero_.has_value() ? 1 : 0); }
  // The slots held (0 before the first insert), and how many more hashes they take before the
  // table grows (to twice as many slots, the old ones held beside the new while it moves).
  size_t capacity() const { return slots_.size(); }
  size_t Room() const { return slots_.size() * 7 / 10 - size_; }

  // visit(hash, value) for every hash held, in no particular order.
  template <typename Visit>
  void ForEach(const Visit& visit) const {
    if (zero_.has_value()) visit(uint64_t{0}, *zero_);
    for (const Slot& slot : slots_) {
      if (slot.hash != 0) visit(slot.hash, slot.value);
    }
  }

  // ForEach, and the table is left empty: its memory goes back to the system as the walk
  // passes, a few MB at a time, rather than all at the end, so what the visits build (the
  // table's contents in another order) is not held beside the whole table.
  template <typename Visit>
  void Drain(const Visit& visit) {
    if (zero_.has_value()) visit(uint64_t{0}, *zero_);
    constexpr size_t kStep = (size_t{4} << 20) / sizeof(Slot);
    for (size_t begin = 0; begin < slots_.size(); begin += kStep) {
      const size_t end = std::min(slots_.size(), begin + kStep);
      for (size_t i = begin; i < end; ++i) {
        if (slots_[i].hash != 0) visit(slots_[i].hash, slots_[i].value);
      }
      ReleasePages(slots_.data() + begin, slots_.data() + end);
    }
    *this = HashSlots();
  }

 private:
  static constexpr size_t kMinCapacity = 1024;
  struct Slot {
    uint64_t hash = 0;
    Value value{};
  };
  size_t Home(uint64_t hash) const {
    return static_cast<size_t>((hash * 0x9E3779B97F4A7C15ULL) >> shift_);
  }
  void Rehash(size_t capacity) {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(capacity, Slot());
    shift_ = 64 - std::countr_zero(capacity);
    const size_t mask = capacity - 1;
    for (const Slot& slot : old) {
      if (slot.hash == 0) continue;
      size_t i = Home(slot.hash);
      while (slots_[i].hash != 0) i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }
  // The pages wholly inside [begin, end) go back to the system (they read as zeros after);
  // the slots there are never read again. Linux's MADV_DONTNEED; a no-op where it fails.
  static void ReleasePages(Slot* begin, Slot* end) {
    const auto page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
    const uintptr_t from = (reinterpret_cast<uintptr_t>(begin) + page - 1) / page * page;
    const uintptr_t to = reinterpret_cast<uintptr_t>(end) / page * page;
    if (to > from) madvise(reinterpret_cast<void*>(from), to - from, MADV_DONTNEED);
  }
  std::vector<Slot> slots_;
  int shift_ = 64;
  size_t size_ = 0;  // hashes in slots_
  std::optional<Value> zero_;
};

}  // namespace claimdiff

#endif  // CLAIMDIFF_CORE_HASH_SLOTS_H_
