#include "core/normalize.h"

#include <string>
#include <vector>

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include "core/utf8.h"
#include "gtest/gtest.h"

namespace claimdiff {
namespace {

Normalizer Make() { return *Normalizer::Create(); }

struct FoldCase {
  const char* input;
  const char* expected;
};

TEST(Normalizer, FoldsArabicAndUnicodeVariants) {
  const FoldCase cases[] = {
      {"أكثر", "اكثر"},                        // hamza on alef
      {"إلى", "الي"},                          // hamza below, alef maqsura
      {"آلاف", "الاف"},                        // madda
      {"ٱلرحمن", "الرحمن"},                    // wasla
      {"مدينة", "مدينه"},                      // taa marbuta
      {"خادمٍ", "خادم"},                        // tanween
      {"مُحَمَّد", "محمد"},                        // harakat and shadda
      {"كـــبير", "كبير"},                     // tatweel
      {"٢٥٠ ألف", "250 الف"},                  // Arabic-Indic digits
      {"۲۵۰", "250"},                          // Persian digits
      {"٨٪", "8%"},                            // Arabic percent sign
      {"نعم، لا؛ لماذا؟", "نعم, لا; لماذا?"},  // Arabic punctuation
      {"“quoted” «نص» „x‟", "\"quoted\" \"نص\" \"x\""},
      {"Servers ABC", "servers abc"},  // case folding
      {"ＡＢＣ１２", "abc12"},         // full width (NFKC)
      {"\xEF\xBB\xBB", "لا"},          // lam-alef ligature U+FEFB
      {"ا\u200dب\u200cج", "ابج"},      // joiners are default-ignorable
      {"a\u202Eb", "ab"},              // bidi override removed from the matching form
      {"پیکان", "پيكان"},              // Persian yeh and kaf
      {"2021–2022", "2021-2022"},      // en dash
  };
  const Normalizer n = Make();
  for (const FoldCase& c : cases) {
    EXPECT_EQ(n.Normalize(c.input).text, c.expected) << "input: " << c.input;
  }
}

// ICU's NFKC_Casefold of `text` as a whole, then each code point folded: the matching form by
// its definition, for texts that are one normalization segment or several that do not interact.
std::string Reference(const std::u32string& text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  icu::UnicodeString in;
  for (char32_t c : text) in.append(static_cast<UChar32>(c));
  icu::UnicodeString out;
  nfkc_cf->normalize(in, out, status);
  std::string bytes;
  for (int32_t i = 0; i < out.length();) {
    const UChar32 c = out.char32At(i);
    i += U16_LENGTH(c);
    const char32_t folded = Normalizer::FoldArabic(static_cast<char32_t>(c));
    if (folded == 0) continue;
    char buf[4];
    bytes.append(buf, EncodeUtf8(folded, buf));
  }
  return bytes;
}

std::string Utf8(const std::u32string& text) {
  std::string bytes;
  for (char32_t c : text) {
    char buf[4];
    bytes.append(buf, EncodeUtf8(c, buf));
  }
  return bytes;
}

// Every code point up to the end of the Arabic block alone (the tabled ones), and the Arabic
// letters followed by each mark that may combine with them or not (hamza above and below,
// madda, harakat, shadda, superscript alef): the tables give what ICU gives.
TEST(Normalizer, TabledCodePointsAndLetterMarkPairsMatchIcu) {
  const Normalizer n = Make();
  for (char32_t c = 1; c < 0x0700; ++c) {
    if (c == '\r' || c == '\n') continue;
    const std::u32string text(1, c);
    EXPECT_EQ(n.Normalize(Utf8(text)).text, Reference(text)) << "U+" << std::hex << uint32_t{c};
  }
  for (char32_t letter = 0x0621; letter <= 0x064A; ++letter) {
    for (char32_t mark :
         {U'\u0653', U'\u0654', U'\u0655', U'\u064B', U'\u064E', U'\u0651', U'\u0670'}) {
      const std::u32string text = {letter, mark, U'\u0628', letter};
      EXPECT_EQ(n.Normalize(Utf8(text)).text, Reference(text))
          << "U+" << std::hex << uint32_t{letter} << " U+" << uint32_t{mark};
    }
  }
}

TEST(Normalizer, OffsetsAreMonotoneAndOnCodePointBoundaries) {
  const Normalizer n = Make();
  const std::vector<std::string> inputs = {"قال: «أكثر من ٢٥٠ ألف خادمٍ» في العالم.",
                                           "Café ＡＢＣ e\u0301 ﻻ ٪", "", "x", "مُحَمَّدٌ وَالْخَوادِمُ"};
  for (const std::string& in : inputs) {
    const NormalizedText m = n.Normalize(in);
    ASSERT_EQ(m.offsets.size(), m.text.size() + 1) << in;
    EXPECT_EQ(m.offsets.back(), in.size());
    for (size_t i = 0; i < m.text.size(); ++i) {
      EXPECT_LE(m.offsets[i], m.offsets[i + 1]);
      const auto byte = static_cast<unsigned char>(in[m.offsets[i]]);
      EXPECT_NE(byte & 0xC0, 0x80) << "offset inside a code point: " << in;
    }
  }
}

// Normalizing each input segment on its own and concatenating gives the whole matching form:
// the map really says which input bytes made which output bytes.
TEST(Normalizer, OffsetMapRoundTrips) {
  const Normalizer n = Make();
  const std::string in = "وقال: «أكثرُ من ٢٥٠ ألف خادمٍ» — ﻻ Café e\u0301 ＡＢＣ ٨٪";
  const NormalizedText m = n.Normalize(in);
  std::string rebuilt;
  size_t i = 0;
  while (i < m.text.size()) {
    size_t j = i;
    while (j < m.text.size() && m.offsets[j] == m.offsets[i]) ++j;
    const uint32_t seg_end = m.offsets[j];
    const std::string piece = m.text.substr(i, j - i);
    const std::string orig = in.substr(m.offsets[i], seg_end - m.offsets[i]);
    // The original segment (plus anything dropped after it) normalizes to the piece.
    EXPECT_EQ(n.Normalize(orig).text, piece) << "segment " << orig;
    rebuilt += piece;
    i = j;
  }
  EXPECT_EQ(rebuilt, m.text);
}

TEST(Normalizer, ToOriginalCoversWholeWordsWithTheirMarks) {
  const Normalizer n = Make();
  const std::string in = "أكثر من ٢٥٠ ألف خادمٍ";
  const NormalizedText m = n.Normalize(in);
  const size_t num = m.text.find("250");
  ASSERT_NE(num, std::string::npos);
  auto [b, e] = m.ToOriginal(num, num + 3);
  EXPECT_EQ(in.substr(b, e - b), "٢٥٠");
  const size_t word = m.text.find("خادم");
  auto [wb, we] = m.ToOriginal(word, word + std::string("خادم").size());
  EXPECT_EQ(in.substr(wb, we - wb), "خادمٍ");
  auto [fb, fe] = m.ToOriginal(0, m.text.size());
  EXPECT_EQ(fb, 0u);
  EXPECT_EQ(fe, in.size());
}

TEST(Utf8, FindsTheFirstInvalidByte) {
  EXPECT_EQ(FindInvalidUtf8("abc"), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("خادم"), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("ab\xC0\xAF"), 2u);        // overlong "/"
  EXPECT_EQ(FindInvalidUtf8("a\xED\xA0\x80"), 1u);     // surrogate
  EXPECT_EQ(FindInvalidUtf8("abc\xE2\x82"), 3u);       // truncated
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("ok\x80"), 2u);            // lone continuation byte
}

// Regression (bad-input suite): 100,000 Arabic diacritics in a row were one normalization
// segment, and ICU's canonical reordering of it took 13 s (quadratic). Segments now hold at most
// 32 code points: the marks are still dropped and the map still points at code point starts.
TEST(Normalizer, LongRunsOfCombiningMarksAreCutIntoShortSegments) {
  const Normalizer n = Make();
  std::string marks = "ب";
  for (int i = 0; i < 20000; ++i) marks += "\u064e\u0651\u064f\u0652\u0650";
  const NormalizedText arabic = n.Normalize(marks);
  EXPECT_EQ(arabic.text, "ب");
  std::string latin = "e";
  for (int i = 0; i < 1000; ++i) latin += "\u0301";
  const NormalizedText m = n.Normalize(latin);
  ASSERT_EQ(m.offsets.size(), m.text.size() + 1);
  EXPECT_EQ(m.offsets.front(), 0u);
  // Later output maps to later segments, not all to the first byte.
  EXPECT_GT(m.offsets[m.text.size() - 1], 60u);
  for (uint32_t o : m.offsets) EXPECT_TRUE(o == latin.size() || (latin[o] & 0xC0) != 0x80);
}

}  // namespace
}  // namespace claimdiff
