#include "core/normalize.h"

#include <algorithm>

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/utf8.h"

namespace claimdiff {
namespace {

constexpr int kMaxSegment = 32;

}  // namespace

absl::StatusOr<Normalizer> Normalizer::Create() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status) || n == nullptr) {
    return absl::InternalError(
        absl::StrCat("ICU NFKC_Casefold normalizer unavailable: ", u_errorName(status)));
  }
  return Normalizer(n);
}

Normalizer::Normalizer(const icu::Normalizer2* nfkc_cf) : nfkc_cf_(nfkc_cf) {
  icu::UnicodeString alone;
  for (char32_t c = 0; c < kTabled; ++c) {
    const auto u = static_cast<UChar32>(c);
    properties_[c] = static_cast<uint8_t>((nfkc_cf_->hasBoundaryBefore(u) ? 1 : 0) |
                                          (nfkc_cf_->isInert(u) ? 2 : 0));
    // A segment of c alone: its matching form is tabled when NFKC_Casefold makes it one code
    // point of the BMP, or nothing. That holds for most of the Arabic block, also for the letters
    // that are not inert because a following hamza or madda would combine with them (ا و ي),
    // which are a quarter of Arabic text.
    UErrorCode status = U_ZERO_ERROR;
    nfkc_cf_->normalize(icu::UnicodeString(u), alone, status);
    if (U_FAILURE(status)) continue;
    if (alone.isEmpty()) {
      properties_[c] |= kFoldsAlone;
      folded_[c] = 0;
    } else if (alone.countChar32() == 1) {
      const char32_t folded = FoldArabic(static_cast<char32_t>(alone.char32At(0)));
      if (folded <= 0xFFFF) {
        properties_[c] |= kFoldsAlone;
        folded_[c] = static_cast<char16_t>(folded);
      }
    }
  }
}

inline bool Normalizer::HasBoundaryBefore(char32_t c) const {
  return c < kTabled ? (properties_[c] & 1) != 0
                     : nfkc_cf_->hasBoundaryBefore(static_cast<UChar32>(c));
}

inline bool Normalizer::IsInert(char32_t c) const {
  return c < kTabled ? (properties_[c] & 2) != 0 : nfkc_cf_->isInert(static_cast<UChar32>(c));
}

char32_t Normalizer::FoldArabic(char32_t c) {
  if (c < 0x80) return c;
  // Tashkeel, Quranic marks, superscript alef, hamza above/below as marks, and tatweel.
  if ((c >= 0x064B && c <= 0x065F) || c == 0x0670 || (c >= 0x06D6 && c <= 0x06ED) || c == 0x0640 ||
      (c >= 0x0610 && c <= 0x061A)) {
    return 0;
  }
  switch (c) {
    case 0x0623:  // أ
    case 0x0625:  // إ
    case 0x0622:  // آ
    case 0x0671:  // ٱ
      return 0x0627;
    case 0x0649:  // ى
    case 0x06CC:  // Persian yeh
      return 0x064A;
    case 0x0629:  // ة
      return 0x0647;
    case 0x06A9:  // Persian kaf
      return 0x0643;
    case 0x066A:  // ٪
      return '%';
    case 0x060C:  // ،
      return ',';
    case 0x061B:  // ؛
      return ';';
    case 0x061F:  // ؟
      return '?';
    case 0x06D4:  // ۔
      return '.';
    case 0x066B:  // Arabic decimal separator
      return '.';
    case 0x066C:  // Arabic thousands separator
      return ',';
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x201F:
    case 0x00AB:
    case 0x00BB:
    case 0x2039:
    case 0x203A:
    case 0x2033:
    case 0x301D:
    case 0x301E:
      return '"';
    case 0x2018:
    case 0x2019:
    case 0x201A:
    case 0x201B:
    case 0x2032:
      return '\'';
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
      return '-';
    default:
      break;
  }
  if (c >= 0x0660 && c <= 0x0669) return '0' + (c - 0x0660);
  if (c >= 0x06F0 && c <= 0x06F9) return '0' + (c - 0x06F0);
  return c;
}

std::pair<uint32_t, uint32_t> NormalizedText::ToOriginal(size_t begin, size_t end) const {
  const uint32_t orig_begin = offsets[begin];
  if (end <= begin) return {orig_begin, orig_begin};
  const uint32_t last = offsets[end - 1];
  size_t k = end;
  while (k < text.size() && offsets[k] == last) ++k;
  return {orig_begin, offsets[k]};
}

NormalizedText Normalizer::Normalize(std::string_view utf8) const {
  NormalizedText out;
  std::string& text = out.text;
  std::vector<uint32_t>& offsets = out.offsets;
  // Written in place, `n` bytes so far; grown when NFKC expands the text beyond its input.
  size_t n = 0;
  text.resize(utf8.size() + 4);
  offsets.resize(text.size());
  auto emit = [&](char32_t c, uint32_t origin) {
    if (c == 0) return;
    if (n + 4 > text.size()) {
      text.resize(2 * text.size());
      offsets.resize(text.size());
    }
    char* p = text.data() + n;
    const size_t length = EncodeUtf8(c, p);
    std::fill_n(offsets.data() + n, length, origin);
    n += length;
  };
  // Each code point is decoded once: the one that ends a segment starts the next.
  size_t next_end = 0;
  char32_t next = utf8.empty() ? 0 : DecodeUtf8(utf8, &next_end);
  size_t pos = 0;
  icu::UnicodeString chunk;
  icu::UnicodeString normalized;
  while (pos < utf8.size()) {
    // A segment runs from one normalization boundary to the next: characters that combine
    // with each other are normalized together, and all of their output maps to its start.
    const size_t seg_begin = pos;
    const char32_t first = next;
    size_t seg_end = next_end;
    bool multi = false;
    // At most kMaxSegment code points per segment, as in Unicode's Stream-Safe Text Format
    // (UAX #15: no more than 30 non-starters in a row): a run of 100,000 combining marks would
    // otherwise be one segment, and reordering it by combining class is quadratic.
    int count = 1;
    while (seg_end < utf8.size()) {
      size_t after = seg_end;
      const char32_t c = DecodeUtf8(utf8, &after);
      if (count >= kMaxSegment || HasBoundaryBefore(c)) {
        next = c;
        next_end = after;
        break;
      }
      seg_end = after;
      multi = true;
      ++count;
    }
    pos = seg_end;
    const auto origin = static_cast<uint32_t>(seg_begin);
    if (!multi && first < kTabled && (properties_[first] & kFoldsAlone) != 0) {
      // Most segments: one code point, written here when there is room rather than through
      // emit (which the compiler keeps as a call per character).
      const char32_t folded = folded_[first];
      if (folded != 0 && n + 4 <= text.size()) {
        const size_t length = EncodeUtf8(folded, text.data() + n);
        std::fill_n(offsets.data() + n, length, origin);
        n += length;
        continue;
      }
      emit(folded, origin);
      continue;
    }
    if (!multi && IsInert(first)) {
      emit(FoldArabic(first), origin);
      continue;
    }
    chunk = icu::UnicodeString::fromUTF8(
        icu::StringPiece(utf8.data() + seg_begin, static_cast<int32_t>(seg_end - seg_begin)));
    UErrorCode status = U_ZERO_ERROR;
    nfkc_cf_->normalize(chunk, normalized, status);
    if (U_FAILURE(status)) normalized = chunk;
    for (int32_t i = 0; i < normalized.length();) {
      const UChar32 c = normalized.char32At(i);
      emit(FoldArabic(static_cast<char32_t>(c)), origin);
      i += U16_LENGTH(c);
    }
  }
  text.resize(n);
  offsets.resize(n);
  offsets.push_back(static_cast<uint32_t>(utf8.size()));
  return out;
}

}  // namespace claimdiff
