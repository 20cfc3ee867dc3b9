// Splitting a document into claim-sized spans.
//
//   absl::StatusOr<Segmenter> seg = Segmenter::Create();
//   std::vector<Span> spans = seg->Segment(doc, /*doc_index=*/0);
//
// Lines (paragraphs) are hard boundaries. The headline, subheads, captions and datelines are
// spans of their own. Running text is split with ICU's sentence BreakIterator and then for what
// news text needs: a spaced Latin comma " , " used between sentences in Arabic text; quotations
// are never cut (a break inside an open quotation is undone); sentences longer than
// `max_sentence_words` are split into clauses at commas and semicolons outside quotations.
// Spans are trimmed of white space, do not overlap, and come in text order. Spans that look
// like page furniture (see boilerplate.h) are flagged.
//
// A Segmenter is immutable after Create; Segment() may be called from several threads.
#ifndef CLAIMDIFF_CORE_SEGMENT_H_
#define CLAIMDIFF_CORE_SEGMENT_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "core/document.h"
#include "core/normalize.h"

#include <unicode/uversion.h>
U_NAMESPACE_BEGIN
class BreakIterator;
U_NAMESPACE_END

namespace claimdiff {

struct SegmentOptions {
  // A sentence with more words than this is split into clauses. Default 22: about two claims.
  int max_sentence_words = 22;
  // No clause shorter than this many words is cut off. Default 6: shorter pieces are rarely
  // a claim of their own (a subject list, an attribution).
  int min_clause_words = 6;
  // An unpunctuated line of at most this many words is a heading, not running text.
  int max_heading_words = 16;
  // A text file's headline is a line of at most this many words: a longer first line (a whole
  // article on one line) is running text, split into sentences.
  int max_title_words = 60;
  // A quotation left open is merged with the following sentences up to this many words.
  int max_quote_words = 120;
};

class Segmenter {
 public:
  static absl::StatusOr<Segmenter> Create(const SegmentOptions& options = {});
  Segmenter(Segmenter&&) noexcept;
  Segmenter& operator=(Segmenter&&) noexcept;
  ~Segmenter();

  // The spans of `doc`, each with Span::doc = doc_index. The title span (kind kTitle) is the
  // line equal to doc.title when the document has a title, otherwise (text input) the first
  // line of three to max_title_words words that is not page furniture.
  std::vector<Span> Segment(const Document& doc, uint32_t doc_index) const;

  const Normalizer& normalizer() const { return normalizer_; }

 private:
  Segmenter(SegmentOptions options, Normalizer normalizer,
            std::unique_ptr<icu::BreakIterator> sentences);
  SegmentOptions options_;
  Normalizer normalizer_;
  std::unique_ptr<icu::BreakIterator> sentences_;  // prototype, cloned for each call
};

}  // namespace claimdiff

#endif  // CLAIMDIFF_CORE_SEGMENT_H_
