#include "report/worddiff.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace claimdiff {
namespace {

const Normalizer& TheNormalizer() {
  static const Normalizer n = *Normalizer::Create();  // trivially destructible
  return n;
}

std::vector<DiffToken> Words(std::string_view text) { return DiffTokens(TheNormalizer(), text, 0); }

std::vector<DiffToken> Keys(const std::vector<std::string>& keys) {
  std::vector<DiffToken> out;
  for (const std::string& k : keys) out.push_back({0, 0, k});
  return out;
}

std::vector<std::string> KeysOf(const std::vector<DiffToken>& tokens, size_t limit = SIZE_MAX) {
  std::vector<std::string> out;
  for (size_t i = 0; i < tokens.size() && i < limit; ++i) out.push_back(tokens[i].key);
  return out;
}

// "=0:2,0:2 ~2:3,2:3": op (= - + ~), reference range, member range, per chunk.
std::string Describe(const WordDiff& diff) {
  std::string out;
  for (const DiffChunk& c : diff.chunks) {
    if (!out.empty()) out += ' ';
    const char op = c.op == DiffOp::kEqual    ? '='
                    : c.op == DiffOp::kDelete ? '-'
                    : c.op == DiffOp::kInsert ? '+'
                                              : '~';
    absl::StrAppend(&out, std::string(1, op), c.ref_begin, ":", c.ref_end, ",", c.mem_begin, ":",
                    c.mem_end);
  }
  return out;
}

// Checks the chunks' contract against sequences of n and m tokens, and returns the member's
// keys rebuilt by applying the chunks to the reference (empty on a broken contract).
std::vector<std::string> CheckAndApply(const WordDiff& diff, const std::vector<DiffToken>& ref,
                                       const std::vector<DiffToken>& mem, size_t n, size_t m) {
  std::vector<std::string> rebuilt;
  uint32_t r = 0;
  uint32_t k = 0;
  for (size_t i = 0; i < diff.chunks.size(); ++i) {
    const DiffChunk& c = diff.chunks[i];
    const std::string where = absl::StrCat("chunk ", i, " of ", Describe(diff));
    EXPECT_EQ(c.ref_begin, r) << where;
    EXPECT_EQ(c.mem_begin, k) << where;
    EXPECT_LE(c.ref_begin, c.ref_end) << where;
    EXPECT_LE(c.mem_begin, c.mem_end) << where;
    const bool has_ref = c.ref_end > c.ref_begin;
    const bool has_mem = c.mem_end > c.mem_begin;
    switch (c.op) {
      case DiffOp::kEqual:
        EXPECT_TRUE(has_ref) << where;
        EXPECT_EQ(c.ref_end - c.ref_begin, c.mem_end - c.mem_begin) << where;
        for (uint32_t j = 0; j < c.ref_end - c.ref_begin && c.mem_begin + j < c.mem_end; ++j) {
          EXPECT_EQ(ref[c.ref_begin + j].key, mem[c.mem_begin + j].key) << where;
          rebuilt.push_back(ref[c.ref_begin + j].key);
        }
        break;
      case DiffOp::kDelete:
        EXPECT_TRUE(has_ref && !has_mem) << where;
        break;
      case DiffOp::kInsert:
      case DiffOp::kReplace:
        EXPECT_TRUE(has_mem && has_ref == (c.op == DiffOp::kReplace)) << where;
        for (uint32_t j = c.mem_begin; j < c.mem_end; ++j) rebuilt.push_back(mem[j].key);
        break;
    }
    if (i > 0) {  // an equal run and an edit alternate
      EXPECT_NE(c.op == DiffOp::kEqual, diff.chunks[i - 1].op == DiffOp::kEqual) << where;
    }
    r = c.ref_end;
    k = c.mem_end;
  }
  EXPECT_EQ(r, n) << Describe(diff);
  EXPECT_EQ(k, m) << Describe(diff);
  return rebuilt;
}

size_t EqualTokens(const WordDiff& diff) {
  size_t n = 0;
  for (const DiffChunk& c : diff.chunks) {
    if (c.op == DiffOp::kEqual) n += c.ref_end - c.ref_begin;
  }
  return n;
}

// The plain O(N·M) longest common subsequence, by key.
size_t Lcs(const std::vector<DiffToken>& a, const std::vector<DiffToken>& b, size_t limit) {
  const size_t n = std::min(a.size(), limit);
  const size_t m = std::min(b.size(), limit);
  std::vector<size_t> prev(m + 1, 0);
  std::vector<size_t> row(m + 1, 0);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      row[j] = a[i - 1].key == b[j - 1].key ? prev[j - 1] + 1 : std::max(prev[j], row[j - 1]);
    }
    std::swap(prev, row);
  }
  return prev[m];
}

TEST(DiffTokens, FoldsArabicKeysAndSlicesOriginalBytes) {
  const std::string text = "قال: «أكثر من ٢٥٠ ألف خادمٍ تضرّرت»، والخوادمُ ١٫٥٪.";
  const uint32_t base = 1000;
  const std::vector<DiffToken> tokens = DiffTokens(TheNormalizer(), text, base);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"قال", "قال"}, {"أكثر", "اكثر"}, {"من", "من"},       {"٢٥٠", "250"},
      {"ألف", "الف"}, {"خادمٍ", "خادم"}, {"تضرّرت", "تضررت"}, {"والخوادمُ", "والخوادم"},
      {"١٫٥", "1.5"}, {"٪", "%"},
  };
  ASSERT_EQ(tokens.size(), expected.size()) << text;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const DiffToken& t = tokens[i];
    ASSERT_GE(t.begin, base);
    ASSERT_LE(t.begin, t.end);
    ASSERT_LE(t.end, base + text.size());
    EXPECT_EQ(text.substr(t.begin - base, t.end - t.begin), expected[i].first) << i;
    EXPECT_EQ(t.key, expected[i].second) << i;
  }
  // Quote marks, the colon, the Arabic comma and the full stop are in no token.
  for (const DiffToken& t : tokens) {
    const std::string_view original(text.data() + (t.begin - base), t.end - t.begin);
    for (std::string_view mark : {"«", "»", "،", ":", "."}) {
      EXPECT_EQ(original.find(mark), std::string_view::npos) << original;
    }
  }
}

TEST(DiffTokens, LowercasesEnglishAndSkipsPunctuation) {
  const std::string text = "He said: “Servers—250,000 of them—were hit.”";
  const std::vector<DiffToken> tokens = DiffTokens(TheNormalizer(), text, 7);
  std::vector<std::string> originals;
  for (const DiffToken& t : tokens) originals.push_back(text.substr(t.begin - 7, t.end - t.begin));
  EXPECT_EQ(originals, (std::vector<std::string>{"He", "said", "Servers", "250,000", "of", "them",
                                                 "were", "hit"}));
  EXPECT_EQ(KeysOf(tokens), (std::vector<std::string>{"he", "said", "servers", "250,000", "of",
                                                      "them", "were", "hit"}));
  EXPECT_TRUE(DiffTokens(TheNormalizer(), "", 3).empty());
  EXPECT_TRUE(DiffTokens(TheNormalizer(), "«…» — !", 3).empty());
}

TEST(DiffWords, SmallCasesGiveExpectedChunks) {
  struct Case {
    const char* reference;
    const char* member;
    const char* chunks;
  };
  const Case cases[] = {
      // Identical keys (the member differs only in folding).
      {"أكثر من ٢٥٠ ألف خادم", "اكثر من 250 الف خادمٍ", "=0:5,0:5"},
      {"hackers hit servers", "Hackers hit servers.", "=0:3,0:3"},
      // One word substituted.
      {"إنهاء هذا التخريب السيبراني المنهجي", "إنهاء هذا التخريب الإلكتروني المنهجي",
       "=0:3,0:3 ~3:4,3:4 =4:5,4:5"},
      {"more than 250,000 servers", "about 10,000 servers", "~0:3,0:2 =3:4,2:3"},
      // Insertions only.
      {"hackers hit servers", "chinese hackers hit many servers",
       "+0:0,0:1 =0:2,1:3 +2:2,3:4 =2:3,4:5"},
      {"اخترق القراصنة الخوادم", "اخترق القراصنة الصينيون الخوادم", "=0:2,0:2 +2:2,2:3 =2:3,3:4"},
      // Deletions only.
      {"اخترق القراصنة أكثر من ٢٥٠ ألف خادم", "اخترق القراصنة ٢٥٠ ألف خادم",
       "=0:2,0:2 -2:4,2:2 =4:7,2:5"},
      {"the attack hit servers worldwide", "the attack hit servers", "=0:4,0:4 -4:5,4:4"},
      // Nothing in common: one replace, not interleaved deletes and inserts.
      {"a b c", "x y z", "~0:3,0:3"},
      // Empty sides.
      {"", "hackers hit servers", "+0:0,0:3"},
      {"hackers hit servers", "", "-0:3,0:0"},
      {"", "", ""},
      {"«»", "—", ""},
  };
  for (const Case& c : cases) {
    const std::vector<DiffToken> ref = Words(c.reference);
    const std::vector<DiffToken> mem = Words(c.member);
    const WordDiff diff = DiffWords(ref, mem);
    EXPECT_EQ(Describe(diff), c.chunks) << c.reference << " | " << c.member;
    EXPECT_FALSE(diff.truncated);
    EXPECT_EQ(CheckAndApply(diff, ref, mem, ref.size(), mem.size()), KeysOf(mem));
  }
}

TEST(DiffWords, EqualTokensMatchPlainLcsOnRandomSequences) {
  std::mt19937 rng(20240611);
  const std::vector<std::string> alphabet = {"ا", "ب", "c", "d"};
  for (int iteration = 0; iteration < 400; ++iteration) {
    const size_t letters = 2 + iteration % 3;
    std::uniform_int_distribution<size_t> size(0, iteration < 200 ? 12 : 40);
    std::uniform_int_distribution<size_t> letter(0, letters - 1);
    std::vector<std::string> a(size(rng));
    std::vector<std::string> b(size(rng));
    for (std::string& s : a) s = alphabet[letter(rng)];
    for (std::string& s : b) s = alphabet[letter(rng)];
    const std::vector<DiffToken> ref = Keys(a);
    const std::vector<DiffToken> mem = Keys(b);
    const WordDiff diff = DiffWords(ref, mem);
    SCOPED_TRACE(testing::Message() << "iteration " << iteration << ": " << Describe(diff));
    EXPECT_EQ(EqualTokens(diff), Lcs(ref, mem, SIZE_MAX));
    EXPECT_EQ(CheckAndApply(diff, ref, mem, a.size(), b.size()), b);
    EXPECT_EQ(Describe(DiffWords(ref, mem)), Describe(diff));  // deterministic
  }
}

TEST(DiffWords, SmallEditBudgetStillCoversBothSequences) {
  const std::vector<DiffToken> ref = Keys({"a", "b", "c", "d", "e", "f"});
  const std::vector<DiffToken> mem = Keys({"a", "x", "c", "y", "e", "z"});
  EXPECT_EQ(Describe(DiffWords(ref, mem)), "=0:1,0:1 ~1:2,1:2 =2:3,2:3 ~3:4,3:4 =4:5,4:5 ~5:6,5:6");
  // Two edits reach (b→x, then c); the rest is one replace.
  EXPECT_EQ(Describe(DiffWords(ref, mem, {.max_edit_distance = 2})),
            "=0:1,0:1 ~1:2,1:2 =2:3,2:3 ~3:6,3:6");
  // No edits at all: the common prefix, then everything else.
  EXPECT_EQ(Describe(DiffWords(ref, mem, {.max_edit_distance = 0})), "=0:1,0:1 ~1:6,1:6");
  // A common suffix survives the cut-off.
  EXPECT_EQ(Describe(DiffWords(Keys({"a", "b", "c", "q"}), Keys({"x", "y", "q"}),
                               {.max_edit_distance = 1})),
            "~0:3,0:2 =3:4,2:3");
  // Only one side left over: a delete or an insert, never an empty replace.
  EXPECT_EQ(Describe(DiffWords(Keys({"a", "b", "c"}), Keys({"a"}), {.max_edit_distance = 0})),
            "=0:1,0:1 -1:3,1:1");

  std::mt19937 rng(7);
  for (int iteration = 0; iteration < 200; ++iteration) {
    std::uniform_int_distribution<size_t> size(0, 30);
    std::uniform_int_distribution<int> letter(0, 2);
    std::vector<std::string> a(size(rng));
    std::vector<std::string> b(size(rng));
    for (std::string& s : a) s = std::string(1, static_cast<char>('a' + letter(rng)));
    for (std::string& s : b) s = std::string(1, static_cast<char>('a' + letter(rng)));
    const std::vector<DiffToken> r = Keys(a);
    const std::vector<DiffToken> m = Keys(b);
    const WordDiff diff =
        DiffWords(r, m, {.max_edit_distance = static_cast<size_t>(iteration % 5)});
    SCOPED_TRACE(testing::Message() << "iteration " << iteration << ": " << Describe(diff));
    EXPECT_FALSE(diff.truncated);
    EXPECT_EQ(CheckAndApply(diff, r, m, a.size(), b.size()), b);
    EXPECT_LE(EqualTokens(diff), Lcs(r, m, SIZE_MAX));
  }
}

// "w0 w1 ... " with every `stride`-th word replaced by a word of its own.
std::string GeneratedText(size_t words, size_t stride, std::string_view odd) {
  std::string out;
  for (size_t i = 0; i < words; ++i) {
    if (i > 0) out += ' ';
    if (stride != 0 && i % stride == stride - 1) {
      out += odd;
      out += std::to_string(i);
    } else {
      out += 'w';  // not "w" + to_string: GCC 12's -Wrestrict false positive at -O3
      out += std::to_string(i % 97);
    }
  }
  return out;
}

TEST(DiffWords, TruncatesLongInputsToMaxTokens) {
  const std::vector<DiffToken> ref = Words(GeneratedText(5000, 0, ""));
  const std::vector<DiffToken> mem = Words(GeneratedText(5000, 9, "changed"));
  ASSERT_EQ(ref.size(), 5000u);
  ASSERT_EQ(mem.size(), 5000u);
  const WordDiff diff = DiffWords(ref, mem);
  EXPECT_TRUE(diff.truncated);
  const std::vector<DiffToken> mem_prefix(mem.begin(), mem.begin() + 1000);
  EXPECT_EQ(CheckAndApply(diff, ref, mem, 1000, 1000), KeysOf(mem_prefix));
  EXPECT_EQ(EqualTokens(diff), Lcs(ref, mem, 1000));

  const WordDiff small = DiffWords(ref, mem, {.max_tokens = 50});
  EXPECT_TRUE(small.truncated);
  CheckAndApply(small, ref, mem, 50, 50);

  // Only the long side is cut; the short one is whole.
  const std::vector<DiffToken> short_mem = Words("w0 w1 x w3");
  const WordDiff one_side = DiffWords(ref, short_mem);
  EXPECT_TRUE(one_side.truncated);
  EXPECT_EQ(CheckAndApply(one_side, ref, short_mem, 1000, 4), KeysOf(short_mem));

  EXPECT_FALSE(DiffWords(ref, mem, {.max_tokens = 5000}).truncated);
}

TEST(DiffWords, TruncatedAndOverEditBudgetStillCoversInOrder) {
  const std::vector<DiffToken> ref = Words(GeneratedText(5000, 4, "old"));
  const std::vector<DiffToken> mem = Words(GeneratedText(5000, 3, "new"));
  const WordDiff diff = DiffWords(ref, mem, {.max_tokens = 1000, .max_edit_distance = 10});
  EXPECT_TRUE(diff.truncated);
  const std::vector<DiffToken> mem_prefix(mem.begin(), mem.begin() + 1000);
  EXPECT_EQ(CheckAndApply(diff, ref, mem, 1000, 1000), KeysOf(mem_prefix));
  ASSERT_FALSE(diff.chunks.empty());
  EXPECT_EQ(diff.chunks.back().op, DiffOp::kReplace);  // the rest, given up on
  EXPECT_LT(EqualTokens(diff), Lcs(ref, mem, 1000));
}

}  // namespace
}  // namespace claimdiff
