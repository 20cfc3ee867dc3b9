#include "core/utf8.h"

#include <unicode/uchar.h>

namespace claimdiff {

std::optional<size_t> FindInvalidUtf8(std::string_view bytes) {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07, min = 0x10000;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::nullopt;
}

char32_t DecodeUtf8Before(std::string_view s, size_t* pos) {
  size_t i = *pos - 1;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  *pos = i;
  size_t j = i;
  return DecodeUtf8(s, &j);
}

void AppendUtf8(char32_t c, std::string* out) {
  char bytes[4];
  out->append(bytes, EncodeUtf8(c, bytes));
}

bool IsSpaceLike(char32_t c) {
  return c == 0xFEFF || c == 0x200B || u_isUWhiteSpace(static_cast<UChar32>(c));
}

}  // namespace claimdiff
