// Strict UTF-8 helpers shared by ingestion, normalization and segmentation.
//
//   if (auto bad = FindInvalidUtf8(bytes)) { /* *bad is the offset of the first bad byte */ }
//   size_t i = 0; while (i < s.size()) { char32_t c = DecodeUtf8(s, &i); ... }
//
// Stateless functions; thread-safe.
#ifndef CLAIMDIFF_CORE_UTF8_H_
#define CLAIMDIFF_CORE_UTF8_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace claimdiff {

// The byte offset of the first byte that does not start a well-formed UTF-8 sequence
// (overlong forms, surrogates, code points above U+10FFFF and truncated sequences are all
// ill-formed), or nullopt when `bytes` is valid UTF-8. Linear time.
std::optional<size_t> FindInvalidUtf8(std::string_view bytes);

// Decodes the code point at `*pos` and advances `*pos` past it. Precondition: `s` is valid
// UTF-8 and `*pos < s.size()` is at a code point boundary.
// Inline: it runs once per character of every pass over text.
inline char32_t DecodeUtf8(std::string_view s, size_t* pos) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t i = *pos;
  const unsigned char c = p[i];
  if (c < 0x80) {
    *pos = i + 1;
    return c;
  }
  if ((c & 0xE0) == 0xC0 && i + 1 < s.size()) {  // two bytes: all of Arabic
    *pos = i + 2;
    return (static_cast<char32_t>(c & 0x1F) << 6) | (p[i + 1] & 0x3F);
  }
  const size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
  char32_t cp = len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (p[i + k] & 0x3F);
  *pos = i + len;
  return cp;
}

// Decodes the code point that ends at `*pos` and moves `*pos` back to its first byte.
// Precondition: `s` is valid UTF-8 and 0 < `*pos` <= s.size() is at a boundary.
char32_t DecodeUtf8Before(std::string_view s, size_t* pos);

// Appends the UTF-8 encoding of `c` (a valid scalar value) to `out`.
void AppendUtf8(char32_t c, std::string* out);
// Writes the UTF-8 bytes of `c` at `out` (room for 4 bytes) and returns how many.
// Inline: normalization writes every character through it.
inline size_t EncodeUtf8(char32_t c, char* out) {
  if (c < 0x80) {
    out[0] = static_cast<char>(c);
    return 1;
  }
  if (c < 0x800) {
    out[0] = static_cast<char>(0xC0 | (c >> 6));
    out[1] = static_cast<char>(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (c >> 12));
    out[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (c & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (c >> 18));
  out[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (c & 0x3F));
  return 4;
}

// True for the white space that separates words and lines in news text: Unicode White_Space,
// plus the invisible characters scrapers leave at line edges (BOM, zero-width space).
bool IsSpaceLike(char32_t c);

}  // namespace claimdiff

#endif  // CLAIMDIFF_CORE_UTF8_H_
