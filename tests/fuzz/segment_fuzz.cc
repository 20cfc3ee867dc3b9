// Segmentation. Properties: spans are in text order, never overlap, are non-empty, start and
// end on code point boundaries, are numbered 0.., and cover the text: every byte outside the
// spans is white space or a line break.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/document.h"
#include "core/segment.h"
#include "core/utf8.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

bool AtBoundary(std::string_view s, size_t i) {
  return i == 0 || i == s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
}

void CheckGap(std::string_view text, size_t begin, size_t end) {
  for (size_t pos = begin; pos < end;)
    FUZZ_CHECK(claimdiff::IsSpaceLike(claimdiff::DecodeUtf8(text, &pos)));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (claimdiff::FindInvalidUtf8(text)) return 0;
  static const claimdiff::Segmenter segmenter = *claimdiff::Segmenter::Create();
  claimdiff::Document doc;
  doc.id = "fuzz";
  doc.text = std::string(text);
  // The first byte picks text-file input (title guessed) or JSON Lines input with a title.
  if (data[0] & 1) {
    doc.line = 1;
    doc.title = doc.text.substr(0, doc.text.find('\n'));
  }
  const std::vector<claimdiff::Span> spans = segmenter.Segment(doc, 7);
  size_t covered = 0;
  for (size_t i = 0; i < spans.size(); ++i) {
    const claimdiff::Span& s = spans[i];
    FUZZ_CHECK(s.doc == 7);
    FUZZ_CHECK(s.index == i);
    FUZZ_CHECK(s.begin < s.end);
    FUZZ_CHECK(s.end <= text.size());
    FUZZ_CHECK(s.begin >= covered);
    FUZZ_CHECK(AtBoundary(text, s.begin) && AtBoundary(text, s.end));
    CheckGap(text, covered, s.begin);
    covered = s.end;
  }
  CheckGap(text, covered, text.size());
  return 0;
}
