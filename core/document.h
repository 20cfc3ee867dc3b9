// Documents and spans: the data every stage of claimdiff reads.
//
// A Document owns the original UTF-8 text exactly as it was read. A Span is a byte range
// [begin, end) of one document's text; spans never copy text, so a span's text is valid for as
// long as its Document lives:
//
//   std::string_view s = SpanText(corpus.documents[span.doc], span);
//
// Plain structs: safe to read from many threads, not to mutate concurrently.
#ifndef CLAIMDIFF_CORE_DOCUMENT_H_
#define CLAIMDIFF_CORE_DOCUMENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace claimdiff {

struct Document {
  // Unique within one run: the file name without extension (text input) or the `id` field
  // (JSON Lines input).
  std::string id;
  // The headline: the first non-empty line that is not page furniture (text input), or the
  // `title` field (JSON Lines). May be empty.
  std::string title;
  std::optional<std::string> outlet;
  std::optional<std::string> url;
  std::optional<std::string> published;
  // Where the document came from: a path, or "-" for standard input.
  std::string source;
  // 1-based line of `source` for JSON Lines input, 0 for a text file.
  int64_t line = 0;
  // The original text, byte for byte. Valid UTF-8 (ingestion rejects anything else).
  std::string text;
};

enum class SpanKind : uint8_t {
  kTitle,     // the document's headline
  kHeading,   // a short unpunctuated line inside the body: subhead, caption, kicker
  kDateline,  // a line that only gives a date or a place and a date
  kSentence,  // a sentence of running text
  kClause,    // a claim-sized part of a sentence too long to compare whole
};

std::string_view SpanKindName(SpanKind kind);

struct Span {
  uint32_t doc = 0;    // index into the documents vector it was made from
  uint32_t index = 0;  // position among its document's spans, 0-based
  uint32_t begin = 0;  // byte offsets into Document::text, begin < end
  uint32_t end = 0;
  SpanKind kind = SpanKind::kSentence;
  // Page furniture (share buttons, template placeholders, section labels, lines repeated
  // across many documents): reported, never clustered.
  bool boilerplate = false;
  // A verbatim repeat (same matching form) of an earlier span of the same document: reported,
  // never clustered; the first occurrence stands for it. Keeps a document that repeats one
  // sentence thousands of times from making candidate generation quadratic in its length.
  // UINT32_MAX: not a repeat; otherwise the index of the first occurrence.
  uint32_t repeat_of = UINT32_MAX;
  bool IsRepeat() const { return repeat_of != UINT32_MAX; }
};

inline std::string_view SpanText(const Document& doc, const Span& span) {
  return std::string_view(doc.text).substr(span.begin, span.end - span.begin);
}

}  // namespace claimdiff

#endif  // CLAIMDIFF_CORE_DOCUMENT_H_
