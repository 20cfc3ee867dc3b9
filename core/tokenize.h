// Words of the matching form, and a light stemmer for them.
//
//   for (const Token& t : Tokenize(m.text)) {
//     std::string_view word = TokenText(m.text, t);
//     std::string_view stem = LightStem(word);  // "والخوادم" -> "خوادم"
//   }
//
// A token is a run of letters, marks and digits; a number keeps its inner separators
// ("250,000", "1.5"); "%" is a token of its own; other punctuation separates tokens.
// Stateless functions; thread-safe.
#ifndef CLAIMDIFF_CORE_TOKENIZE_H_
#define CLAIMDIFF_CORE_TOKENIZE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace claimdiff {

struct Token {
  uint32_t begin = 0;  // byte offsets into the tokenized text
  uint32_t end = 0;
  bool numeric = false;  // starts with a digit
};

std::vector<Token> Tokenize(std::string_view text);
// Tokenize(text).size(), without making the tokens.
size_t CountTokens(std::string_view text);

inline std::string_view TokenText(std::string_view text, const Token& t) {
  return text.substr(t.begin, t.end - t.begin);
}

// A stem made by removing at most one Arabic prefix group (و ف ب ك ل + ال, لل, و) and one
// common suffix (هما تها ات ون ين ان ها هم كم نا يه ه ي ا), or an English plural s, keeping at
// least three letters. Input is a matching-form token; the result is a view into it.
std::string_view LightStem(std::string_view token);

// The consonant skeleton of an Arabic stem: the long vowels ا و ي removed after the first
// letter, and a feminine verb ending ت dropped from stems of four or more letters, so that a
// broken plural meets its singular ("خوادم", "خادم" → "خدم") and "اثرت" meets "اثر". Empty
// for non-Arabic tokens and when the skeleton has fewer than two letters.
std::string ConsonantSkeleton(std::string_view stem);
// The same into `out` (cleared first), reusing its storage: for loops over many words.
void ConsonantSkeletonInto(std::string_view stem, std::string* out);

// Function words (Arabic and English) that carry no claim on their own: prepositions,
// conjunctions, pronouns, auxiliaries. Input is a matching-form token.
bool IsStopWord(std::string_view token);

// The content words of a matching-form text (its tokens less stop words), each with its light
// stem (a number: the token itself) and the consonant skeleton of that stem (empty for a
// number). Shingles and content sequences both read them: a span's are found once.
struct ContentWordForms {
  std::vector<uint32_t> token;         // the content word's token index
  std::vector<std::string_view> stem;  // views into the text
  // Skeleton k is skeletons[skeleton_end[k - 1], skeleton_end[k]) (from 0 for the first).
  std::vector<uint32_t> skeleton_end;
  std::string skeletons;

  size_t size() const { return token.size(); }
  std::string_view Skeleton(size_t k) const {
    const uint32_t begin = k == 0 ? 0 : skeleton_end[k - 1];
    return std::string_view(skeletons).substr(begin, skeleton_end[k] - begin);
  }
};
ContentWordForms ContentWordFormsOf(std::string_view normalized, const std::vector<Token>& tokens);

}  // namespace claimdiff

#endif  // CLAIMDIFF_CORE_TOKENIZE_H_
