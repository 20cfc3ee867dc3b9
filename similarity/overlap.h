// Document overlap: how much of one document's wording is found in another.
//
//   std::vector<uint64_t> a = PhraseShingles({span_texts_of_a...});
//   double a_in_b = Containment(a, b);  // share of a's phrases that b also has
//
// Phrases are windows of three consecutive light stems (function words kept, so reused
// wording is what matches, not a shared topic), hashed with StableHash64, taken inside spans
// so no phrase spans a sentence boundary.
//
// Stateless functions; thread-safe.
#ifndef CLAIMDIFF_SIMILARITY_OVERLAP_H_
#define CLAIMDIFF_SIMILARITY_OVERLAP_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/normalize.h"

namespace claimdiff {

// One phrase (three consecutive light stems) where it occurs: its hash (the same as
// PhraseShingles gives), the original byte range its words cover, and which input segment
// (span) it came from.
struct Phrase {
  Phrase() = default;
  Phrase(uint64_t hash, uint32_t begin_byte, uint32_t end_byte, uint32_t segment_index)
      : begin(begin_byte),
        end(end_byte),
        segment(segment_index),
        hash_low(static_cast<uint32_t>(hash)),
        hash_high(static_cast<uint32_t>(hash >> 32)) {}
  uint64_t hash() const { return (static_cast<uint64_t>(hash_high) << 32) | hash_low; }

  uint32_t begin = 0;  // byte offsets into the document's original text
  uint32_t end = 0;
  uint32_t segment = 0;

 private:
  // The hash in two halves: 20 bytes a phrase rather than 24 with a 64-bit member's padding
  // (every document's phrases are held at once: about 300 MB less at 100,000 documents).
  uint32_t hash_low = 0;
  uint32_t hash_high = 0;
};
static_assert(sizeof(Phrase) == 20);

// Appends the phrases of one span to `out`, in text order: `normalized` is the span's matching
// form (with its map back to the span's bytes), `base` the span's first byte in the document,
// `segment` what Phrase::segment is set to.
void AppendPhrases(const NormalizedText& normalized, uint32_t base, uint32_t segment,
                   std::vector<Phrase>* out);

// The distinct phrase hashes of some matching-form texts, sorted.
std::vector<uint64_t> PhraseShingles(const std::vector<std::string_view>& normalized_texts);

// |a ∩ b| / |a| for two sorted, distinct hash sets; 0 when `a` is empty.
double Containment(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b);

// Containment both ways from one intersection: a_in_b = Containment(a, b), b_in_a =
// Containment(b, a). ContainmentsOf takes the intersection's size when the caller has it.
struct Containments {
  double a_in_b = 0;
  double b_in_a = 0;
};
Containments ContainmentsOf(size_t shared, size_t a_size, size_t b_size);
Containments BothContainments(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b);

// |a ∩ b| for two sorted, distinct hash sets.
size_t IntersectionSize(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b);

}  // namespace claimdiff

#endif  // CLAIMDIFF_SIMILARITY_OVERLAP_H_
