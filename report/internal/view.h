// What every human view draws the same way: which claims to show, a member's wording as a
// word diff against the reference, figures with their values, and untrusted text made inert.
//
// Internal to the report module's renderers. Pure functions; thread-safe.
#ifndef CLAIMDIFF_REPORT_INTERNAL_VIEW_H_
#define CLAIMDIFF_REPORT_INTERNAL_VIEW_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "report/render.h"
#include "report/report.h"

namespace claimdiff::internal {

// Where a view is written: a string that is the whole output, or a buffer spilled to a stream
// whenever it passes kSpillBytes at a point the view marks (Spill), so a large report is never
// held whole in memory. The view appends to `text`.
class Output {
 public:
  static constexpr size_t kSpillBytes = size_t{1} << 20;
  explicit Output(std::ostream* stream = nullptr) : stream_(stream) {}
  std::string text;
  // A safe point: the buffer goes to the stream once it is large.
  void Spill() {
    if (stream_ != nullptr && text.size() >= kSpillBytes) Write();
  }
  // The end: the rest goes to the stream (if any).
  void Finish() {
    if (stream_ != nullptr) Write();
  }

 private:
  void Write() {
    stream_->write(text.data(), static_cast<std::streamsize>(text.size()));
    text.clear();
  }
  std::ostream* stream_;
};

// Indices of the clusters to show, in report order.
std::vector<uint32_t> SelectClusters(const Report& report, const RenderOptions& options);

// At most `max` document pairs for a human view, most shared first (shared claims, then the
// larger containment, then ids). The JSON report keeps them all.
std::vector<const DocumentPair*> TopPairs(const Report& report, size_t max);

// At most `max` documents for the source matrix: those in the most shared claims, in report
// order.
std::vector<uint32_t> MatrixSources(const Report& report, size_t max);

// Caps that keep human views readable and their size linear in the input.
inline constexpr size_t kMaxViewPairs = 50;
inline constexpr size_t kMaxMatrixSources = 30;

enum class SegmentKind : uint8_t {
  kSame,     // words the member shares with the reference
  kAdded,    // words only the member has
  kDropped,  // reference words the member lacks (shown struck through)
  kGap,      // punctuation and spaces between the member's words
};

struct Segment {
  SegmentKind kind = SegmentKind::kSame;
  std::string_view text;               // original bytes (of the member, or of the reference)
  const NumberFact* number = nullptr;  // set when the segment is exactly a figure
};

// Member `m` of `cluster` as segments in reading order. The reference itself is all kSame.
// When the diff was cut short (a very long span), the rest of the member follows as kSame and
// `truncated` is set.
std::vector<Segment> MemberSegments(const Report& report, const Cluster& cluster, size_t m,
                                    bool* truncated);

// Text with bidirectional controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C) and
// other invisible format characters made visible as ⟦U+XXXX⟧, and control characters other
// than tab dropped, so article text cannot reorder or hide what is around it.
std::string Inert(std::string_view text);

// Text escaped for HTML element content and attribute values (& < > " ').
std::string HtmlEscape(std::string_view text);

}  // namespace claimdiff::internal

#endif  // CLAIMDIFF_REPORT_INTERNAL_VIEW_H_
