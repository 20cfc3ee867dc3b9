// Page furniture: the parts of a scraped article that are not the article.
//
// Two kinds of evidence, both about the *kind* of line rather than any site's strings:
//  - form: template placeholders ({{ x }}, {% x %}, ${x}), font-size controls (+ A -), short
//    lines made of interface vocabulary (share, related, most read, back to top, subscribe,
//    comments, print; and their Arabic equivalents), bylines and contributor lists, and one- or
//    two-word section labels and breadcrumbs;
//  - repetition: a short line that recurs verbatim (in matching form) in several documents, or
//    any line that recurs in most of a large collection.
//
//   bool furniture = LooksLikeFurniture(line, normalizer);
//   FlagRepeatedSpans(docs, &spans, normalizer);
//
// Stateless apart from the Normalizer it is given; thread-safe.
#ifndef CLAIMDIFF_CORE_BOILERPLATE_H_
#define CLAIMDIFF_CORE_BOILERPLATE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/document.h"
#include "core/normalize.h"
#include "core/tokenize.h"

namespace claimdiff {

struct BoilerplateOptions {
  // A span of at most this many words repeated verbatim in `min_repeat_docs` documents is
  // furniture. Default 8: longer repeated sentences are usually syndication, which editors want.
  int short_repeat_words = 8;
  int min_repeat_docs = 3;
  // Any span repeated in at least this share of the documents (and `min_repeat_docs`) is
  // furniture, whatever its length. Only applied from 6 documents up. Default 0.5.
  double repeat_share = 0.5;
};

// Whether one line or span looks like page furniture by its form alone. `original` is the
// text as printed. `title_candidate` relaxes the short-label rule (a headline may be short).
bool LooksLikeFurniture(std::string_view original, const Normalizer& normalizer,
                        bool title_candidate = false);

// Whether a line only gives a date (and perhaps a weekday, a time or a place marker):
// "19 يوليو 2021", "الاثنين 19/07/2021 - 10:30", "July 19, 2021".
bool LooksLikeDateline(std::string_view original, const Normalizer& normalizer);

// Sets `boilerplate` on spans whose matching form repeats across documents as described above,
// and `repeat_of` on a span whose matching form already occurred earlier in the same document.
// `spans` may hold the spans of many documents, each document's spans contiguous and in text
// order; `docs` is indexed by Span::doc.
void FlagRepeatedSpans(const std::vector<Document>& docs, std::vector<Span>* spans,
                       const Normalizer& normalizer, const BoilerplateOptions& options = {});

// What a part of a corpus needs to flag its spans as the whole corpus would: the number of
// documents in the corpus, and in how many of them a span form occurs (`key`: SpanForm::key).
// Counted by a map/reduce over the corpus's parts (CountSpanForms, then summed); see
// report/stages.h.
struct CorpusRepeats {
  uint64_t documents = 0;
  std::function<uint32_t(std::string_view key)> documents_with;
};

// The same, with the matching forms of spans computed on `threads` threads (0: all cores);
// the flags do not depend on the count. With `corpus`, `docs` are a part of a larger corpus and
// the cross-document counts are the corpus's (repeat_of is per document and needs none).
void FlagRepeatedSpans(const std::vector<Document>& docs, std::vector<Span>* spans,
                       const Normalizer& normalizer, const BoilerplateOptions& options, int threads,
                       const CorpusRepeats* corpus = nullptr);

// A 128-bit fingerprint of a span's form (its matching-form words joined by single spaces): equal
// forms give equal prints, and two different forms among millions of spans share one with a
// probability near 2^-80. What FlagRepeatedSpans counts by.
struct SpanFormPrint {
  uint64_t low = 0;
  uint64_t high = 0;
  bool operator==(const SpanFormPrint&) const = default;
  template <typename H>
  friend H AbslHashValue(H h, const SpanFormPrint& f) {
    return H::combine(std::move(h), f.low, f.high);
  }
};
// The print of the span whose matching form is `normalized`, with `tokens` =
// Tokenize(normalized); `key` is a buffer.
SpanFormPrint SpanFormPrintOf(std::string_view normalized, const std::vector<Token>& tokens,
                              std::string* key);

// FlagRepeatedSpans (with `threads` and `corpus`) from each span's form print and word count
// made beforehand (SpanFormPrintOf, tokens.size()): the same flags.
void FlagRepeatedSpans(const std::vector<Document>& docs, std::vector<Span>* spans,
                       const std::vector<SpanFormPrint>& prints, const std::vector<uint32_t>& words,
                       const Normalizer& normalizer, const BoilerplateOptions& options,
                       const CorpusRepeats* corpus = nullptr);

// A distinct span form (the span's matching-form words joined by single spaces) and the number
// of documents among `docs` that have a span of that form: what FlagRepeatedSpans counts.
struct SpanForm {
  std::string key;
  uint32_t documents = 0;
};
// Every distinct form of `spans`, in order of first occurrence (arranged as for
// FlagRepeatedSpans).
std::vector<SpanForm> CountSpanForms(const std::vector<Document>& docs,
                                     const std::vector<Span>& spans, const Normalizer& normalizer,
                                     int threads);

}  // namespace claimdiff

#endif  // CLAIMDIFF_CORE_BOILERPLATE_H_
