// Shingles: the hashed features of a span's matching form.
//
//   std::vector<Shingle> f = ShingleText(normalized.text);  // sorted by hash, merged
//
// Three families, each hashed with its own seed so they never collide by design:
//  - word unigrams of light stems (function words skipped),
//  - word bigrams of consecutive content stems,
//  - character n-grams inside each word, with word-boundary marks ("#خادم#" → "#خاد", ...),
//    which tie together inflected forms the light stemmer misses;
//  - Arabic consonant skeletons of stems (ConsonantSkeleton in core/tokenize.h), which tie a
//    broken plural to its singular ("خوادم" and "خادم" are both "خدم");
//  - one canonical feature per quantity (core/numbers.h), so "ربع مليون", "250 ألف" and
//    "250,000" share a feature.
// Hashes are StableHash64: the same text gives the same hashes on every machine and run, so
// signatures can be stored and compared later.
//
// Stateless functions; thread-safe.
#ifndef CLAIMDIFF_SIMILARITY_SHINGLE_H_
#define CLAIMDIFF_SIMILARITY_SHINGLE_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/hash.h"
#include "core/numbers.h"
#include "core/tokenize.h"

namespace claimdiff {

enum class ShingleType : uint8_t { kWord = 0, kBigram = 1, kChar = 2, kSkeleton = 3, kNumber = 4 };
inline constexpr int kShingleTypes = 5;

struct Shingle {
  uint64_t hash = 0;
  uint32_t count = 0;  // occurrences in the text
  ShingleType type = ShingleType::kWord;
};

struct ShingleOptions {
  // Character n-gram length inside words; 0 turns character shingles off. Default 4: long
  // enough to be specific in Arabic, short enough to survive prefixes and suffixes.
  int char_ngram = 4;
  // Word bigrams on or off.
  bool word_bigrams = true;
  // Consonant-skeleton features on or off.
  bool skeletons = true;
};

// Shingles of a matching-form text, sorted by hash, each hash once with its count.
std::vector<Shingle> ShingleText(std::string_view normalized, const ShingleOptions& options = {});

// The same from the text's tokens (Tokenize(normalized)) and quantities (FindNumbers), when
// the caller has them already.
std::vector<Shingle> ShingleText(std::string_view normalized, const std::vector<Token>& tokens,
                                 const std::vector<NumberMention>& numbers,
                                 const ShingleOptions& options = {});
// The same with the text's content words too (ContentWordFormsOf(normalized, tokens)).
std::vector<Shingle> ShingleText(std::string_view normalized, const std::vector<Token>& tokens,
                                 const std::vector<NumberMention>& numbers,
                                 const ContentWordForms& words, const ShingleOptions& options = {});

}  // namespace claimdiff

#endif  // CLAIMDIFF_SIMILARITY_SHINGLE_H_
