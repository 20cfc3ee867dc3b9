#include "core/tokenize.h"

#include <string>
#include <vector>

#include "core/word_filter.h"
#include "gtest/gtest.h"

namespace claimdiff {
namespace {

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> out;
  for (const Token& t : Tokenize(text)) out.emplace_back(TokenText(text, t));
  return out;
}

TEST(CountTokens, IsTheNumberOfTokens) {
  for (const char* text :
       {"", "   ", "قال الوزير إن 250,000 خادم و1.5% من الشركات", "a.b 1.5. 3,4 x%y %",
        "Sales rose in the 1990s", "و١٢ ٣٤٥,٦", "\xD8\xA7\xD9\x8B\xD8\xA8"}) {
    EXPECT_EQ(CountTokens(text), Tokenize(text).size()) << text;
  }
}

TEST(Tokenize, KeepsNumbersWithSeparatorsAndSplitsPunctuation) {
  EXPECT_EQ(
      Words("اكثر من 250,000 خادم, و1.5 مليون (8%)."),
      (std::vector<std::string>{"اكثر", "من", "250,000", "خادم", "و", "1.5", "مليون", "8", "%"}));
  EXPECT_EQ(Words("apt40 g7"), (std::vector<std::string>{"apt40", "g7"}));
  EXPECT_EQ(Words("\"quoted\" - text"), (std::vector<std::string>{"quoted", "text"}));
  EXPECT_TRUE(Tokenize("2021")[0].numeric);
  EXPECT_FALSE(Tokenize("خادم")[0].numeric);
  EXPECT_TRUE(Tokenize("...!!").empty());
}

TEST(LightStem, RemovesOnePrefixAndOneSuffix) {
  const std::pair<const char*, const char*> cases[] = {
      {"والخوادم", "خوادم"}, {"الخوادم", "خوادم"},  {"بالهجوم", "هجوم"}, {"للمساءله", "مساءل"},
      {"الشركات", "شرك"},    {"servers", "server"}, {"class", "class"},  {"من", "من"},
      {"وزير", "زير"},       {"ولد", "ولد"},  // never below three letters
  };
  for (const auto& [in, out] : cases) EXPECT_EQ(LightStem(in), out) << in;
}

// The light stemmer's rules written out plainly (one list of prefixes and one of suffixes,
// longest first), as the reference for LightStem's letter-indexed tables.
std::string_view ReferenceLightStem(std::string_view token) {
  if (token.empty()) return token;
  if (static_cast<unsigned char>(token[0]) < 0x80) return LightStem(token);  // Latin: not here
  auto letters_of = [](std::string_view w) {
    size_t n = 0;
    for (char ch : w) n += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
    return n;
  };
  size_t letters = letters_of(token);
  for (std::string_view p : {"وال", "بال", "كال", "فال", "لل", "ال", "و", "ف", "ب"}) {
    if (token.starts_with(p) && letters - letters_of(p) >= 3) {
      token.remove_prefix(p.size());
      letters -= letters_of(p);
      break;
    }
  }
  for (std::string_view x :
       {"هما", "تها", "ات", "ون", "ين", "ان", "ها", "هم", "كم", "نا", "يه", "ه", "ي", "ا"}) {
    if (token.ends_with(x) && letters - letters_of(x) >= 3) {
      token.remove_suffix(x.size());
      break;
    }
  }
  return token;
}

// Every prefix (or none) and every suffix (or none) around every stem of one to three letters
// drawn from the affixes' own letters and two others.
TEST(LightStem, EqualsTheRulesWrittenOutOnEveryAffixedWord) {
  const std::vector<std::string> letters = {"ا", "ب", "ت", "ف", "ك", "ل", "م",
                                            "ن", "ه", "و", "ي", "د", "س"};
  std::vector<std::string> stems = {""};
  for (int length = 1; length <= 3; ++length) {
    std::vector<std::string> longer;
    for (const std::string& s : stems) {
      if (static_cast<int>(s.size()) / 2 != length - 1) continue;
      for (const std::string& l : letters) longer.push_back(s + l);
    }
    stems.insert(stems.end(), longer.begin(), longer.end());
  }
  const std::vector<std::string> prefixes = {"",   "وال", "بال", "كال", "فال",
                                             "لل", "ال",  "و",   "ف",   "ب"};
  const std::vector<std::string> suffixes = {"",   "هما", "تها", "ات", "ون", "ين", "ان", "ها",
                                             "هم", "كم",  "نا",  "يه", "ه",  "ي",  "ا"};
  size_t checked = 0;
  for (const std::string& p : prefixes) {
    for (const std::string& stem : stems) {
      for (const std::string& x : suffixes) {
        const std::string word = p + stem + x;
        ASSERT_EQ(LightStem(word), ReferenceLightStem(word)) << word;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 300000u);
}

TEST(ContentWordFormsOf, ContentWordsWithStemsAndSkeletons) {
  const std::string text = "اثرت الهجمات في 250 الف من الخوادم and the servers";
  const std::vector<Token> tokens = Tokenize(text);
  const ContentWordForms words = ContentWordFormsOf(text, tokens);
  // في, من, and, the are stop words.
  ASSERT_EQ(words.size(), 6u);
  const std::vector<uint32_t> token = {0, 1, 3, 4, 6, 9};
  EXPECT_EQ(words.token, token);
  for (size_t k = 0; k < words.size(); ++k) {
    const Token& t = tokens[words.token[k]];
    const std::string_view word = TokenText(text, t);
    EXPECT_EQ(words.stem[k], t.numeric ? word : LightStem(word)) << k;
    EXPECT_EQ(words.Skeleton(k), t.numeric ? "" : ConsonantSkeleton(words.stem[k])) << k;
  }
  EXPECT_EQ(words.Skeleton(2), "");  // 250, a number
  EXPECT_EQ(words.Skeleton(5), "");  // servers: not Arabic
  EXPECT_EQ(words.stem[5], "server");
  EXPECT_EQ(words.Skeleton(4), "خدم");  // الخوادم
  EXPECT_TRUE(ContentWordFormsOf("", {}).skeletons.empty());
}

TEST(ConsonantSkeleton, JoinsBrokenPluralsAndVerbForms) {
  EXPECT_EQ(ConsonantSkeleton("خوادم"), ConsonantSkeleton("خادم"));
  EXPECT_EQ(ConsonantSkeleton("اثرت"), ConsonantSkeleton("اثر"));
  EXPECT_NE(ConsonantSkeleton("خادم"), ConsonantSkeleton("هجوم"));
  EXPECT_EQ(ConsonantSkeleton("server"), "");
}

TEST(ConsonantSkeleton, SpellsOutTheRules) {
  EXPECT_EQ(ConsonantSkeleton("خوادم"), "خدم");  // ا و ي dropped after the first letter
  EXPECT_EQ(ConsonantSkeleton("اثرت"), "اثر");   // a first alef stays; final ت of 4+ letters
  EXPECT_EQ(ConsonantSkeleton("بيت"), "بت");     // three letters keep their ت
  EXPECT_EQ(ConsonantSkeleton("يوا"), "");       // fewer than two letters left
  EXPECT_EQ(ConsonantSkeleton("خادمx"), "");     // a letter outside the Arabic block
}

TEST(ConsonantSkeleton, IntoReusedStorageMatches) {
  std::string out = "left over from an earlier word";
  for (const char* w : {"خوادم", "server", "اثرت", "بيت", "يوا", "خادمx", "", "هجمات"}) {
    ConsonantSkeletonInto(w, &out);
    EXPECT_EQ(out, ConsonantSkeleton(w)) << w;
  }
}

TEST(StopWords, CoverArabicAndEnglishFunctionWords) {
  for (const char* w : {"في", "من", "الي", "علي", "ان", "the", "of"}) EXPECT_TRUE(IsStopWord(w));
  for (const char* w : {"خادم", "الصين", "servers"}) EXPECT_FALSE(IsStopWord(w));
  // Every stop word passes the filter in front of the set, whatever its length.
  for (const char* w : {"و", "a", "an", "هذا", "عليها", "ايضا", "which", "those"}) {
    EXPECT_TRUE(IsStopWord(w)) << w;
  }
}

TEST(WordFilter, PassesEveryWordAddedAndFewOthers) {
  WordFilter f;
  std::vector<std::string> added;
  for (int i = 0; i < 100; ++i) added.push_back(std::to_string(i * 7919).append("w"));
  added.push_back("");
  added.push_back("x");
  for (const std::string& w : added) f.Add(w);
  for (const std::string& w : added) EXPECT_TRUE(f.MayContain(w)) << w;
  int passed = 0;
  for (int i = 0; i < 10000; ++i) passed += f.MayContain(std::to_string(i).append("other")) ? 1 : 0;
  EXPECT_LT(passed, 100);  // 102 of 65,536 bits set: about 0.2% pass
}

}  // namespace
}  // namespace claimdiff
