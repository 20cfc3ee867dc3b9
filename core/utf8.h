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
char32_t DecodeUtf8(std::string_view s, size_t* pos);

// Decodes the code point that ends at `*pos` and moves `*pos` back to its first byte.
// Precondition: `s` is valid UTF-8 and 0 < `*pos` <= s.size() is at a boundary.
char32_t DecodeUtf8Before(std::string_view s, size_t* pos);

// Appends the UTF-8 encoding of `c` (a valid scalar value) to `out`.
void AppendUtf8(char32_t c, std::string* out);
// Writes the UTF-8 bytes of `c` at `out` (room for 4 bytes) and returns how many.
size_t EncodeUtf8(char32_t c, char* out);

// True for the white space that separates words and lines in news text: Unicode White_Space,
// plus the invisible characters scrapers leave at line edges (BOM, zero-width space).
bool IsSpaceLike(char32_t c);

}  // namespace claimdiff

#endif  // CLAIMDIFF_CORE_UTF8_H_
