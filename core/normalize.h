// The matching form of text, with a map back to the original bytes.
//
// Matching never edits the original: every stage after this one compares the matching form,
// and every result points back at what the outlet printed through NormalizedText::offsets.
//
//   absl::StatusOr<Normalizer> n = Normalizer::Create();
//   NormalizedText m = n->Normalize("أكثر من ٢٥٠ ألف خادمٍ");  // "اكثر من 250 الف خادم"
//   auto [b, e] = m.ToOriginal(0, 8);                           // bytes of "أكثر" in the input
//
// The matching form is NFKC with case folding and default-ignorable characters removed
// (ICU's NFKC_Casefold), then Arabic folding: tashkeel and tatweel removed; أ إ آ ٱ → ا;
// ى → ي; ة → ه; Persian ی ک → ي ك; Arabic-Indic and Persian digits → ASCII; ٪ → %;
// Arabic comma, semicolon, question mark and full stop → , ; ? .; every double quote mark
// (“ ” „ « » ‹ › ″ ＂) → ", single curly quotes → '; dashes → -.
//
// Text is normalized in segments (a character and the marks that combine with it), each mapped
// to its first byte; a segment holds at most 32 code points, so a run of thousands of
// combining marks costs linear time (beyond the 30 marks of Unicode's Stream-Safe Text Format,
// such runs are not canonically reordered as a whole).
//
// A Normalizer is immutable after Create and safe to share between threads.
#ifndef CLAIMDIFF_CORE_NORMALIZE_H_
#define CLAIMDIFF_CORE_NORMALIZE_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

#include <unicode/uversion.h>
U_NAMESPACE_BEGIN
class Normalizer2;
U_NAMESPACE_END

namespace claimdiff {

struct NormalizedText {
  std::string text;  // the matching form, UTF-8
  // offsets[i] is the byte offset, in the input, of the first byte of the input segment that
  // produced byte i of `text`; offsets[text.size()] is the input's size. Non-decreasing, and
  // always at a code point boundary of the input.
  std::vector<uint32_t> offsets;

  // The input byte range that produced matching-form bytes [begin, end): it covers whole
  // input segments, including characters that normalization dropped inside the range (a
  // word's diacritics stay with the word). Precondition: begin <= end <= text.size().
  std::pair<uint32_t, uint32_t> ToOriginal(size_t begin, size_t end) const;
};

class Normalizer {
 public:
  static absl::StatusOr<Normalizer> Create();

  // Precondition: `utf8` is valid UTF-8 (ingestion guarantees it). Linear time.
  NormalizedText Normalize(std::string_view utf8) const;

  // The matching form of one code point after NFKC_Casefold, or 0 to drop it. Exposed for
  // the segmenter's and the tests' use; `c` must already be NFKC_Casefold output.
  static char32_t FoldArabic(char32_t c);

 private:
  explicit Normalizer(const icu::Normalizer2* nfkc_cf);
  // ICU's answers for code points below kTabled (ASCII to the end of the Arabic block), asked
  // once: bit 0 hasBoundaryBefore, bit 1 isInert, kFoldsAlone when a segment of that code point
  // alone has folded_[c] as its whole matching form (one code point, or none when 0). Most of
  // the text, without a virtual call.
  static constexpr char32_t kTabled = 0x0700;
  static constexpr uint8_t kFoldsAlone = 4;
  bool HasBoundaryBefore(char32_t c) const;
  bool IsInert(char32_t c) const;
  const icu::Normalizer2* nfkc_cf_;  // owned by ICU, immutable, thread-safe
  std::array<uint8_t, kTabled> properties_{};
  std::array<char16_t, kTabled> folded_{};  // 0: dropped
};

}  // namespace claimdiff

#endif  // CLAIMDIFF_CORE_NORMALIZE_H_
