// A word-level diff of two spans, for the report renderers: which words two outlets share and
// where they differ, shown diff-style on the words each outlet actually printed.
//
//   std::vector<DiffToken> ref = DiffTokens(normalizer, SpanText(doc_a, a), a.begin);
//   std::vector<DiffToken> mem = DiffTokens(normalizer, SpanText(doc_b, b), b.begin);
//   for (const DiffChunk& c : DiffWords(ref, mem).chunks) { /* ref[c.ref_begin].begin... */ }
//
// Words are compared by their matching form (so "خادمٍ" equals "خادم" and "٢٥٠" equals "250")
// and shown through their original bytes. The diff is Myers' shortest edit script, with a
// delete and an insert at the same place merged into one replace.
//
// Lifetimes: DiffToken owns its key and holds only offsets into the document's text, so tokens
// outlive the string_view they were made from; a renderer slices the document's original text
// with them, which must be the text `base` counts from. A DiffChunk holds indices into the token
// vectors given to DiffWords and nothing else.
//
// Stateless functions; thread-safe (a Normalizer is safe to share).
#ifndef CLAIMDIFF_REPORT_WORDDIFF_H_
#define CLAIMDIFF_REPORT_WORDDIFF_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/normalize.h"

namespace claimdiff {

// One word of a span: its bytes in the document's original text and its matching-form key.
struct DiffToken {
  uint32_t begin = 0;  // byte offsets into the document's original text
  uint32_t end = 0;
  std::string key;  // the word's matching form (Normalizer + Tokenize), compared for equality
};

// The words of `text`, which starts at byte `base` of its document: tokens of the matching form
// mapped back to original bytes with NormalizedText::ToOriginal, so a renderer shows what the
// outlet printed. Punctuation is not a token ("%" is, as in Tokenize). Diacritics and tatweel
// inside or after a word belong to the word's bytes. Precondition: `text` is valid UTF-8 and
// base + text.size() fits in uint32_t. Linear time.
std::vector<DiffToken> DiffTokens(const Normalizer& normalizer, std::string_view text,
                                  uint32_t base);

enum class DiffOp : uint8_t { kEqual, kDelete, kInsert, kReplace };

// A run of the alignment, as half-open token index ranges into the reference and the member.
// kEqual: same keys on both sides; kDelete: only in the reference (member range empty);
// kInsert: only in the member (reference range empty); kReplace: a delete and an insert at the
// same place, merged (both ranges non-empty).
struct DiffChunk {
  DiffOp op = DiffOp::kEqual;
  uint32_t ref_begin = 0, ref_end = 0;
  uint32_t mem_begin = 0, mem_end = 0;
};

struct WordDiffOptions {
  // Inputs longer than this many tokens (either side) are cut to their first max_tokens tokens
  // before diffing, and the result says so (`truncated`): rendering stays linear-ish for a
  // 5,000-word span. Default 1000.
  size_t max_tokens = 1000;
  // Myers' algorithm is O((N+M)·D); above this edit distance D the diff gives up on finding
  // the shortest script and returns what it has as one kReplace of the rest. Memory is
  // O(min(D, max_edit_distance)^2) indices. Default 2000.
  size_t max_edit_distance = 2000;
};

struct WordDiff {
  std::vector<DiffChunk> chunks;  // cover both (possibly truncated) sequences in order
  bool truncated = false;
};

// The shortest edit script (Myers, O((N+M)·D) time, O(D^2) space after common prefix and suffix
// are set aside) turning `reference` into `member`, compared by key, with adjacent
// delete/insert runs merged into kReplace. Deterministic: the same keys give the same chunks.
//
// Chunks are never empty, alternate between kEqual and an edit (no two kEqual and no two edits
// are adjacent), and tile [0, n) of the reference and [0, m) of the member in order, where n
// and m are the sizes after truncation. Both empty: no chunks.
WordDiff DiffWords(const std::vector<DiffToken>& reference, const std::vector<DiffToken>& member,
                   const WordDiffOptions& options = {});

}  // namespace claimdiff

#endif  // CLAIMDIFF_REPORT_WORDDIFF_H_
