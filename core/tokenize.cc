#include "core/tokenize.h"

#include <span>

#include <unicode/uchar.h>

#include <array>
#include <string_view>

#include "absl/container/flat_hash_set.h"
#include "core/utf8.h"
#include "core/word_filter.h"

namespace claimdiff {
namespace {

bool IsWordCharIcu(char32_t c) {
  const auto u = static_cast<UChar32>(c);
  return u_isalnum(u) || (U_GET_GC_MASK(u) & U_GC_M_MASK) != 0;
}

// The word characters of the Arabic block, most of the text, from a table ICU fills once
// (immutable after). A tokenizer asks for it once per text, not once per character.
using ArabicTable = std::array<bool, 256>;
const ArabicTable& ArabicWordChars() {
  static const ArabicTable kArabic = [] {
    ArabicTable table{};
    for (char32_t k = 0; k < 256; ++k) table[k] = IsWordCharIcu(0x0600 + k);
    return table;
  }();
  return kArabic;
}

inline bool IsWordChar(char32_t c, const ArabicTable& arabic) {
  if (c < 0x80) return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
  if (c >= 0x0600 && c <= 0x06FF) return arabic[c - 0x0600];
  return IsWordCharIcu(c);
}

bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }

bool IsArabic(char32_t c) { return c >= 0x0600 && c <= 0x06FF; }

// Number of code points in a UTF-8 string.
size_t Letters(std::string_view s) {
  size_t n = 0;
  for (char ch : s) n += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  return n;
}

}  // namespace

namespace {

// Calls emit(token) for each token of `text`, in order: Tokenize's tokens.
template <typename Emit>
void ForEachToken(std::string_view text, const Emit& emit) {
  const ArabicTable& arabic = ArabicWordChars();
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    const char32_t c = DecodeUtf8(text, &pos);
    if (c == '%') {
      emit(Token{static_cast<uint32_t>(start), static_cast<uint32_t>(pos), false});
      continue;
    }
    if (!IsWordChar(c, arabic)) continue;
    size_t end = pos;
    char32_t prev = c;
    while (end < text.size()) {
      size_t next = end;
      const char32_t d = DecodeUtf8(text, &next);
      if (IsWordChar(d, arabic)) {
        // Arabic words never hold digits: "و1.5" is the conjunction and a number.
        if ((IsArabic(prev) && IsDigit(d)) || (IsDigit(prev) && IsArabic(d))) break;
        prev = d;
        end = next;
        continue;
      }
      // "250,000" and "1.5" stay one token: a separator between two digits.
      if ((d == ',' || d == '.') && IsDigit(prev) && next < text.size() && IsDigit(text[next])) {
        end = next;
        continue;
      }
      break;
    }
    emit(Token{static_cast<uint32_t>(start), static_cast<uint32_t>(end), IsDigit(c)});
    pos = end;
  }
}

}  // namespace

std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  // Room for a word of every 6 bytes (a short Arabic word and a space) up front rather than
  // five or six reallocations for a sentence.
  tokens.reserve(text.size() / 6 + 1);
  ForEachToken(text, [&](const Token& t) { tokens.push_back(t); });
  return tokens;
}

size_t CountTokens(std::string_view text) {
  size_t n = 0;
  ForEachToken(text, [&](const Token&) { ++n; });
  return n;
}

namespace {

// An affix and its number of letters.
struct Affix {
  std::string_view bytes;
  size_t letters;
};

constexpr Affix MakeAffix(std::string_view bytes) {
  size_t n = 0;
  for (char ch : bytes) n += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  return {bytes, n};
}

// Byte equality of short strings without a library call (affixes are at most six bytes; the
// comparison runs for every affix of every token).
bool SameBytes(const char* a, const char* b, size_t n) {
  for (size_t k = 0; k < n; ++k) {
    if (a[k] != b[k]) return false;
  }
  return true;
}

// The first of `affixes` that `token` (of `letters` letters) starts with (at_start) or ends
// with, and that leaves at least three letters; null for none.
const Affix* FirstFit(std::span<const Affix> affixes, std::string_view token, size_t letters,
                      bool at_start) {
  for (const Affix& a : affixes) {
    if (token.size() < a.bytes.size()) continue;
    const char* at = at_start ? token.data() : token.data() + token.size() - a.bytes.size();
    if (SameBytes(at, a.bytes.data(), a.bytes.size()) && letters - a.letters >= 3) return &a;
  }
  return nullptr;
}

}  // namespace

std::string_view LightStem(std::string_view token) {
  if (token.empty()) return token;
  const unsigned char first = static_cast<unsigned char>(token[0]);
  if (first < 0x80) {  // Latin script: plural s.
    if (token.size() > 4 && token.back() == 's' && token[token.size() - 2] != 's') {
      token.remove_suffix(token.size() > 5 && token.ends_with("'s") ? 2 : 1);
    }
    return token;
  }
  // Arabic: one prefix and one suffix, longest first, each only when at least three letters
  // stay. An affix can only match where the word's first (last) letter is the affix's, so the
  // candidates are those of that letter.
  static constexpr Affix kWaw[] = {MakeAffix("وال"), MakeAffix("و")};
  static constexpr Affix kBeh[] = {MakeAffix("بال"), MakeAffix("ب")};
  static constexpr Affix kKaf[] = {MakeAffix("كال")};
  static constexpr Affix kFeh[] = {MakeAffix("فال"), MakeAffix("ف")};
  static constexpr Affix kLam[] = {MakeAffix("لل")};
  static constexpr Affix kAlef[] = {MakeAffix("ال")};
  auto prefixes = [](std::string_view letter) -> std::span<const Affix> {
    if (letter == "و") return kWaw;
    if (letter == "ب") return kBeh;
    if (letter == "ك") return kKaf;
    if (letter == "ف") return kFeh;
    if (letter == "ل") return kLam;
    if (letter == "ا") return kAlef;
    return {};
  };
  // Plural and dual endings, attached pronouns, the adjectival ي, the accusative alef of
  // tanween ("متهورًا" → "متهور"), by their last letter.
  static constexpr Affix kEndAlef[] = {MakeAffix("هما"), MakeAffix("تها"), MakeAffix("ها"),
                                       MakeAffix("نا"), MakeAffix("ا")};
  static constexpr Affix kEndTeh[] = {MakeAffix("ات")};
  static constexpr Affix kEndNoon[] = {MakeAffix("ون"), MakeAffix("ين"), MakeAffix("ان")};
  static constexpr Affix kEndMeem[] = {MakeAffix("هم"), MakeAffix("كم")};
  static constexpr Affix kEndHeh[] = {MakeAffix("يه"), MakeAffix("ه")};
  static constexpr Affix kEndYeh[] = {MakeAffix("ي")};
  auto suffixes = [](std::string_view letter) -> std::span<const Affix> {
    if (letter == "ا") return kEndAlef;
    if (letter == "ت") return kEndTeh;
    if (letter == "ن") return kEndNoon;
    if (letter == "م") return kEndMeem;
    if (letter == "ه") return kEndHeh;
    if (letter == "ي") return kEndYeh;
    return {};
  };
  if (token.size() < 2) return token;
  size_t letters = Letters(token);
  if (const Affix* p = FirstFit(prefixes(token.substr(0, 2)), token, letters, /*at_start=*/true)) {
    token.remove_prefix(p->bytes.size());
    letters -= p->letters;
  }
  if (token.size() < 2) return token;
  if (const Affix* x = FirstFit(suffixes(token.substr(token.size() - 2)), token, letters,
                                /*at_start=*/false)) {
    token.remove_suffix(x->bytes.size());
  }
  return token;
}

std::string ConsonantSkeleton(std::string_view stem) {
  std::string out;
  ConsonantSkeletonInto(stem, &out);
  return out;
}

void ConsonantSkeletonInto(std::string_view stem, std::string* out) {
  out->clear();
  if (stem.empty() || static_cast<unsigned char>(stem[0]) < 0x80) return;
  // The letters up to `stop`: a final ت is dropped from four letters or more.
  size_t letters = 0;
  size_t last = 0;  // byte offset of the last letter
  for (size_t pos = 0; pos < stem.size();) {
    last = pos;
    DecodeUtf8(stem, &pos);
    ++letters;
  }
  size_t stop = stem.size();
  if (letters >= 4) {
    size_t pos = last;
    if (DecodeUtf8(stem, &pos) == U'\u062A') stop = last;  // ت
  }
  size_t kept = 0;
  for (size_t pos = 0, i = 0; pos < stop; ++i) {
    const char32_t c = DecodeUtf8(stem, &pos);
    if (i > 0 && (c == U'\u0627' || c == U'\u0648' || c == U'\u064A')) continue;  // ا و ي
    if (c < 0x0600 || c > 0x06FF) {
      out->clear();
      return;
    }
    AppendUtf8(c, out);
    ++kept;
  }
  if (kept < 2) out->clear();
}

ContentWordForms ContentWordFormsOf(std::string_view normalized, const std::vector<Token>& tokens) {
  ContentWordForms out;
  out.token.reserve(tokens.size());
  out.stem.reserve(tokens.size());
  out.skeleton_end.reserve(tokens.size());
  std::string skeleton;
  for (size_t ti = 0; ti < tokens.size(); ++ti) {
    const Token& t = tokens[ti];
    const std::string_view word = TokenText(normalized, t);
    if (IsStopWord(word)) continue;
    const std::string_view stem = t.numeric ? word : LightStem(word);
    out.token.push_back(static_cast<uint32_t>(ti));
    out.stem.push_back(stem);
    if (!t.numeric) {
      ConsonantSkeletonInto(stem, &skeleton);
      out.skeletons.append(skeleton);
    }
    out.skeleton_end.push_back(static_cast<uint32_t>(out.skeletons.size()));
  }
  return out;
}

bool IsStopWord(std::string_view token) {
  static const absl::flat_hash_set<std::string_view> kStop = {
      // Arabic (matching form: ا for أ إ آ, ه for ة, ي for ى).
      "في", "من", "الي", "علي", "عن", "مع", "ان", "او", "ثم", "قد", "لقد", "ما", "لا", "لم", "لن",
      "هذا", "هذه", "ذلك", "تلك", "التي", "الذي", "الذين", "هو", "هي", "هم", "كان", "كانت", "و",
      "ف", "ب", "ل", "كما", "بين", "حتي", "عند", "منذ", "اي", "كل", "بعد", "قبل", "انه", "انها",
      "بان", "لان", "اذا", "به", "بها", "له", "لها", "فيه", "فيها", "منه", "منها", "عليه", "عليها",
      "الا", "ولا", "وقد", "وهو", "وهي", "يوم", "اليوم", "حول", "جميع", "ايضا",
      // English.
      "the", "a", "an", "of", "to", "in", "on", "at", "for", "and", "or", "but", "by", "with",
      "from", "as", "is", "are", "was", "were", "be", "been", "it", "its", "that", "this", "these",
      "those", "he", "she", "they", "we", "has", "have", "had", "which", "who"};
  static const WordFilter kFilter = [] {
    WordFilter f;
    for (std::string_view w : kStop) f.Add(w);
    return f;
  }();
  return kFilter.MayContain(token) && kStop.contains(token);
}

}  // namespace claimdiff
