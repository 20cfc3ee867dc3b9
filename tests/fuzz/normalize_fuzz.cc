// Normalization with its offset map. Properties: the map has one entry per output byte plus
// the end, is non-decreasing and lands on code point boundaries; the output is valid UTF-8;
// and the map round-trips: cutting the input where the map starts a new input segment and
// normalizing each side gives exactly the output cut at the matching byte.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/normalize.h"
#include "core/utf8.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

bool AtBoundary(std::string_view s, size_t i) {
  return i == 0 || i == s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (claimdiff::FindInvalidUtf8(input)) return 0;
  static const claimdiff::Normalizer normalizer = *claimdiff::Normalizer::Create();
  const claimdiff::NormalizedText n = normalizer.Normalize(input);

  FUZZ_CHECK(n.offsets.size() == n.text.size() + 1);
  FUZZ_CHECK(n.offsets.back() == input.size());
  FUZZ_CHECK(!claimdiff::FindInvalidUtf8(n.text).has_value());
  for (size_t i = 0; i < n.offsets.size(); ++i) {
    FUZZ_CHECK(n.offsets[i] <= input.size());
    FUZZ_CHECK(AtBoundary(input, n.offsets[i]));
    if (i > 0) FUZZ_CHECK(n.offsets[i - 1] <= n.offsets[i]);
  }
  // ToOriginal of every code point of the output covers input bytes in order.
  for (size_t i = 0; i < n.text.size();) {
    size_t next = i;
    claimdiff::DecodeUtf8(n.text, &next);
    const auto [b, e] = n.ToOriginal(i, next);
    FUZZ_CHECK(b < e);
    FUZZ_CHECK(e <= input.size());
    FUZZ_CHECK(AtBoundary(input, b) && AtBoundary(input, e));
    i = next;
  }
  // Round trip at up to 8 places where a new input segment starts.
  int checked = 0;
  for (size_t i = 1; i < n.text.size() && checked < 8; ++i) {
    if (n.offsets[i] == n.offsets[i - 1]) continue;
    ++checked;
    const claimdiff::NormalizedText head = normalizer.Normalize(input.substr(0, n.offsets[i]));
    const claimdiff::NormalizedText tail = normalizer.Normalize(input.substr(n.offsets[i]));
    FUZZ_CHECK(head.text == n.text.substr(0, i));
    FUZZ_CHECK(tail.text == n.text.substr(i));
    for (size_t k = 0; k < tail.offsets.size(); ++k) {
      FUZZ_CHECK(tail.offsets[k] + n.offsets[i] == n.offsets[i + k]);
    }
  }
  return 0;
}
