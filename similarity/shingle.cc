#include "similarity/shingle.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_format.h"
#include "core/hash.h"
#include "core/numbers.h"
#include "core/radix_sort.h"
#include "core/tokenize.h"

namespace claimdiff {
namespace {

constexpr uint64_t kSeedWord = 0x1001;
constexpr uint64_t kSeedBigram = 0x2002;
constexpr uint64_t kSeedChar = 0x3003;
constexpr uint64_t kSeedSkeleton = 0x5005;
constexpr uint64_t kSeedNumber = 0x6006;
// The seeds' hashers, their starts by length made at compile time.
constexpr StableHasher kHashWord(kSeedWord);
constexpr StableHasher kHashBigram(kSeedBigram);
constexpr StableHasher kHashChar(kSeedChar);
constexpr StableHasher kHashSkeleton(kSeedSkeleton);

}  // namespace

std::vector<Shingle> ShingleText(std::string_view normalized, const ShingleOptions& options) {
  const std::vector<Token> tokens = Tokenize(normalized);
  return ShingleText(normalized, tokens, FindNumbers(normalized, tokens), options);
}

std::vector<Shingle> ShingleText(std::string_view normalized, const std::vector<Token>& tokens,
                                 const std::vector<NumberMention>& numbers,
                                 const ShingleOptions& options) {
  return ShingleText(normalized, tokens, numbers, ContentWordFormsOf(normalized, tokens), options);
}

std::vector<Shingle> ShingleText(std::string_view normalized, const std::vector<Token>& tokens,
                                 const std::vector<NumberMention>& numbers,
                                 const ContentWordForms& words, const ShingleOptions& options) {
  std::vector<Shingle> raw;
  raw.reserve(tokens.size() * 8);
  // Buffers reused from word to word.
  std::string marked;
  std::vector<size_t> starts;
  std::vector<std::string> number_keys;  // owns the canonical text of each quantity
  number_keys.reserve(numbers.size());
  size_t next_number = 0;
  size_t next_word = 0;  // the next content word
  for (size_t ti = 0; ti < tokens.size(); ++ti) {
    const Token& t = tokens[ti];
    if (next_number < numbers.size() && numbers[next_number].first_token == ti) {
      // A quantity is also one feature whatever its wording: "ربع مليون" = "250 الف" =
      // "250,000". Its words keep their own features too.
      const NumberMention& n = numbers[next_number++];
      number_keys.push_back(
          absl::StrFormat("#%d:%.6g:%.6g", static_cast<int>(n.kind), n.low, n.high));
      raw.push_back({StableHash64(number_keys.back(), kSeedNumber), 1, ShingleType::kNumber});
    }
    if (next_word == words.size() || words.token[next_word] != ti) continue;  // a stop word
    const std::string_view word = TokenText(normalized, t);
    const std::string_view stem = words.stem[next_word];
    const std::string_view skeleton = words.Skeleton(next_word);  // empty for a number
    ++next_word;
    raw.push_back({kHashWord(stem), 1, ShingleType::kWord});
    if (options.skeletons && !skeleton.empty()) {
      raw.push_back({kHashSkeleton(skeleton), 1, ShingleType::kSkeleton});
    }
    if (options.char_ngram > 0 && !t.numeric) {
      // Code point boundaries of "#word#".
      marked.clear();
      marked.push_back('#');
      marked.append(word);
      marked.push_back('#');
      starts.clear();
      for (size_t i = 0; i < marked.size(); ++i) {
        if ((static_cast<unsigned char>(marked[i]) & 0xC0) != 0x80) starts.push_back(i);
      }
      starts.push_back(marked.size());
      const size_t chars = starts.size() - 1;
      const auto n = static_cast<size_t>(options.char_ngram);
      if (chars <= n) {
        raw.push_back({kHashChar(marked), 1, ShingleType::kChar});
      } else {
        for (size_t i = 0; i + n <= chars; ++i) {
          raw.push_back(
              {kHashChar(std::string_view(marked).substr(starts[i], starts[i + n] - starts[i])), 1,
               ShingleType::kChar});
        }
      }
    }
  }
  if (options.word_bigrams) {
    std::string pair;
    for (size_t i = 0; i + 1 < words.size(); ++i) {
      pair.assign(words.stem[i]);
      pair.push_back(' ');
      pair.append(words.stem[i + 1]);
      raw.push_back({kHashBigram(pair), 1, ShingleType::kBigram});
    }
  }
  // Sorted by hash, then each run of one hash folded into one shingle with its count.
  std::vector<Shingle> out;
  SortSmallByHash(
      std::span<const Shingle>(raw), [](const Shingle& s) { return s.hash; }, &out);
  size_t kept = 0;
  for (size_t k = 0; k < out.size(); ++k) {
    if (kept > 0 && out[kept - 1].hash == out[k].hash) {
      ++out[kept - 1].count;
    } else {
      out[kept++] = out[k];
    }
  }
  out.resize(kept);
  return out;
}

}  // namespace claimdiff
