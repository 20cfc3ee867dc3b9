// Facts inside a span: quantities, quotations with their speakers, and negation cues.
//
//   FactExtractor facts(normalizer);
//   SpanFacts f = facts.Extract(doc, span, /*previous=*/nullptr);
//   for (const NumberFact& n : f.numbers) { n.begin; n.mention.low; n.mention.unit; }
//   for (const QuoteFact& q : f.quotes) { q.begin; q.speaker; }
//
// Offsets are bytes of the document's original text, so a report shows what the outlet
// printed. Quantities come from core/numbers.h. Quotations are read from the quote marks
// (“ ” « » „ ‹ › and ASCII "), tolerating the broken pairs news sites publish (a closing mark
// used to open, a missing close); a quoted run of fewer than three words is a name or scare
// quote, not a quotation. The speaker comes from the clause around the quote: a speech verb
// (قال, أضاف, أكد, دعا, ذكر, أشار, said, added...) and the words after it, "X:" before the
// quote, or وفقا لـ / حسب / according to after it; a quote with none inherits the speaker of
// the previous span's quotation (a quote that continues).
//
// A FactExtractor only reads its Normalizer; Extract() is thread-safe.
#ifndef CLAIMDIFF_CORE_FACTS_H_
#define CLAIMDIFF_CORE_FACTS_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/document.h"
#include "core/normalize.h"
#include "core/numbers.h"
#include "core/tokenize.h"

namespace claimdiff {

struct NumberFact {
  NumberMention mention;  // token positions refer to the span's matching form
  uint32_t begin = 0;     // the figure's bytes in the document (qualifier excluded)
  uint32_t end = 0;
};

struct QuoteFact {
  uint32_t begin = 0;  // the quoted words' bytes in the document, marks excluded
  uint32_t end = 0;
  std::string speaker;  // original words naming who said it; empty when unknown
};

struct SpanFacts {
  std::vector<NumberFact> numbers;
  std::vector<QuoteFact> quotes;
  // Negation cues in the span (matching form): نفى/نفت/ينفي, لم, لن, ليس, لا, غير, عدم,
  // not, no, never, denied... Their count decides negation conflicts.
  std::vector<std::string> negations;
  // The direction the span reports, from change words: +1 for rise words only (ارتفاع, صعود,
  // زيادة, قفزة, rise, gain...), -1 for fall words only (تراجع, انخفاض, هبوط, تدهور, fall,
  // drop...), 0 for neither or both.
  int direction = 0;
  std::string direction_cue;  // the first change word, matching form
};

// Whether a span's facts hold anything: a figure, a quotation, a negation or a change word.
bool HasFacts(const SpanFacts& f);

// The facts of a report's spans, held only for the spans that have some (most state no
// figure, quotation, negation or change word): a 4-byte slot per span and the others' facts
// apart, rather than a 112-byte SpanFacts for every span (about 0.2 GB at 100,000 documents).
// Set may be called from several threads at once, for different spans; reads start once the
// sets are done.
class SpanFactsTable {
 public:
  SpanFactsTable() = default;
  // `spans` spans, none with facts yet.
  explicit SpanFactsTable(size_t spans) { resize(spans); }
  SpanFactsTable(SpanFactsTable&&) noexcept = default;
  SpanFactsTable& operator=(SpanFactsTable&&) noexcept = default;
  SpanFactsTable(const SpanFactsTable& other);
  SpanFactsTable& operator=(const SpanFactsTable& other);

  // `spans` spans: the first ones keep their facts, those added have none (as a vector's
  // resize).
  void resize(size_t spans);
  size_t size() const { return slot_.size(); }
  // Span i's facts (empty ones for a span that has none).
  const SpanFacts& operator[](size_t i) const {
    return slot_[i] == kNone ? None() : facts_[slot_[i]];
  }
  // Sets span i's facts, once per span; returns them as held (the empty ones when there are
  // none), which stay in place while other spans are set.
  const SpanFacts& Set(size_t i, SpanFacts facts);
  // The facts of a span that has none.
  static const SpanFacts& None();

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  std::vector<uint32_t> slot_;   // into facts_, or kNone
  std::deque<SpanFacts> facts_;  // a deque: an element never moves while others are added
  std::unique_ptr<std::mutex> mu_ = std::make_unique<std::mutex>();  // guards facts_' growth
};

class FactExtractor {
 public:
  explicit FactExtractor(const Normalizer& normalizer) : normalizer_(normalizer) {}

  // `previous` is the facts of the span before this one in the same document (or null): its
  // last speaker is inherited by a quotation here that names none.
  SpanFacts Extract(const Document& doc, const Span& span, const SpanFacts* previous) const;
  // The same, from the span's matching form, its tokens and quantities when the caller has
  // them already: `norm` = the Normalizer's form of SpanText(doc, span), `tokens` =
  // Tokenize(norm.text), `numbers` = FindNumbers(norm.text, tokens); with `words` =
  // ContentWordFormsOf(norm.text, tokens) too, their stems are not made again.
  SpanFacts Extract(const Document& doc, const Span& span, const SpanFacts* previous,
                    const NormalizedText& norm, const std::vector<Token>& tokens,
                    const std::vector<NumberMention>& numbers,
                    const ContentWordForms* words = nullptr) const;

 private:
  const Normalizer& normalizer_;
};

// Whether two speaker strings can name the same person: they share a content word (light
// stems of the matching form), or either is empty.
bool SameSpeaker(const Normalizer& normalizer, const std::string& a, const std::string& b);

}  // namespace claimdiff

#endif  // CLAIMDIFF_CORE_FACTS_H_
