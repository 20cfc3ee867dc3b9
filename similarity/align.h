// Word alignment of two short spans, to tell a paraphrase from another claim.
//
//   ContentSequence a = ContentWords(normalized_a), b = ContentWords(normalized_b);
//   if (HasEnclosedSubstitution(a, b)) { /* "X did it" vs "Y did it": not the same claim */ }
//
// The content words of each span (function words dropped) are aligned by longest common
// subsequence, matching words through their consonant skeleton or stem. A substitution is a
// gap where both spans have unmatched words, with matched words on both sides of it; words
// added or dropped at either end, or on one side only, are not substitutions.
//
// Stateless functions; thread-safe.
#ifndef CLAIMDIFF_SIMILARITY_ALIGN_H_
#define CLAIMDIFF_SIMILARITY_ALIGN_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/numbers.h"
#include "core/tokenize.h"

namespace claimdiff {

struct ContentSequence {
  std::vector<uint64_t> keys;    // one per content word: hash of its skeleton (or stem)
  std::vector<uint8_t> numeric;  // 1 where the word is a figure
};

// A content sequence where it is stored: a ContentSequence, or a ContentRun's arrays.
struct ContentView {
  std::span<const uint64_t> keys;
  std::span<const uint8_t> numeric;

  ContentView() = default;
  ContentView(std::span<const uint64_t> k, std::span<const uint8_t> n) : keys(k), numeric(n) {}
  ContentView(const ContentSequence& s)  // NOLINT(google-explicit-constructor): a view of it
      : keys(s.keys), numeric(s.numeric) {}
};

// The content sequences of consecutive spans (a document's) in three arrays: three allocations
// for them all rather than two per span (at 100,000 documents, 3 million spans' worth of
// vector headers and allocator overhead).
class ContentRun {
 public:
  // Appends the next span's sequence.
  void Append(const ContentSequence& s);
  // Gives back the room the arrays grew into beyond their size.
  void ShrinkToFit();
  size_t size() const { return end_.size(); }
  ContentView operator[](size_t k) const {
    const size_t begin = k == 0 ? 0 : end_[k - 1];
    return {std::span(keys_).subspan(begin, end_[k] - begin),
            std::span(numeric_).subspan(begin, end_[k] - begin)};
  }

 private:
  std::vector<uint32_t> end_;  // where each sequence ends in keys_ and numeric_
  std::vector<uint64_t> keys_;
  std::vector<uint8_t> numeric_;
};

ContentSequence ContentWords(std::string_view normalized);
// The same from its tokens (Tokenize(normalized)) and quantities (FindNumbers), when the caller
// has them already.
ContentSequence ContentWords(std::string_view normalized, const std::vector<Token>& tokens,
                             const std::vector<NumberMention>& numbers);
// The same from its content words too (ContentWordFormsOf(normalized, tokens)).
ContentSequence ContentWords(const std::vector<Token>& tokens,
                             const std::vector<NumberMention>& numbers,
                             const ContentWordForms& words);

// True when a and b align with a gap in which each has at least one unmatched non-numeric
// content word, enclosed by matched words. Sequences longer than 256 words are not checked
// (returns false).
bool HasEnclosedSubstitution(ContentView a, ContentView b);

}  // namespace claimdiff

#endif  // CLAIMDIFF_SIMILARITY_ALIGN_H_
