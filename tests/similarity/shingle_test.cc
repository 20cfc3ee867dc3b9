#include "similarity/shingle.h"

#include <random>
#include <set>
#include <string>

#include "core/normalize.h"
#include "gtest/gtest.h"

namespace claimdiff {
namespace {

// Signatures are stored and compared across runs and machines: these values must never change.
TEST(StableHash64, IsPinned) {
  EXPECT_EQ(StableHash64("abc"), UINT64_C(0x85ae6a66be682ff2));
  EXPECT_EQ(StableHash64("خادم", 7), UINT64_C(0x92c91082d71a3f37));
  EXPECT_NE(StableHash64("abc", 1), StableHash64("abc", 2));
  EXPECT_NE(StableHash64("abcdefgh1"), StableHash64("abcdefgh2"));
}

// The definition, byte by byte: seed and length mixed, then each 8-byte little-endian word,
// then the last bytes as one little-endian value with their count.
uint64_t ReferenceHash(std::string_view bytes, uint64_t seed) {
  constexpr uint64_t kMul = 0x9E3779B97F4A7C15ULL;
  uint64_t h = Mix64(seed ^ (bytes.size() * kMul));
  size_t at = 0;
  for (; at + 8 <= bytes.size(); at += 8) {
    uint64_t word = 0;
    for (size_t i = 0; i < 8; ++i)
      word |= uint64_t{static_cast<unsigned char>(bytes[at + i])} << (8 * i);
    h = Mix64(h ^ word) * kMul;
  }
  uint64_t tail = 0;
  for (size_t i = at; i < bytes.size(); ++i) {
    tail |= uint64_t{static_cast<unsigned char>(bytes[i])} << (8 * (i - at));
  }
  return Mix64(h ^ tail ^ (static_cast<uint64_t>(bytes.size() - at) << 59));
}

TEST(StableHash64, EqualsItsByteByByteDefinitionAtEveryLength) {
  std::mt19937 rng(17);
  for (size_t length = 0; length <= 40; ++length) {
    for (int trial = 0; trial < 50; ++trial) {
      std::string bytes(length, '\0');
      for (char& c : bytes) c = static_cast<char>(rng() & 0xFF);
      const uint64_t seed = rng();
      ASSERT_EQ(StableHash64(bytes, seed), ReferenceHash(bytes, seed)) << "length " << length;
    }
  }
}

TEST(StableHash64, SpreadsSimilarStrings) {
  std::set<uint64_t> seen;
  for (int i = 0; i < 10000; ++i) seen.insert(StableHash64("span " + std::to_string(i)));
  EXPECT_EQ(seen.size(), 10000u);
}

TEST(ShingleText, SortedMergedAndStable) {
  const Normalizer n = *Normalizer::Create();
  const std::string text = n.Normalize("الهجوم أثر على أكثر من ربع مليون خادم، الهجوم").text;
  const std::vector<Shingle> a = ShingleText(text);
  ASSERT_FALSE(a.empty());
  for (size_t i = 1; i < a.size(); ++i) EXPECT_LT(a[i - 1].hash, a[i].hash);
  bool repeated = false;
  for (const Shingle& s : a) repeated |= s.count == 2;
  EXPECT_TRUE(repeated) << "the repeated word should be counted twice";
  const std::vector<Shingle> b = ShingleText(text);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].hash, b[i].hash);
}

size_t Shared(const std::vector<Shingle>& a, const std::vector<Shingle>& b, ShingleType type) {
  size_t n = 0;
  for (const Shingle& x : a) {
    for (const Shingle& y : b) n += x.hash == y.hash && x.type == type;
  }
  return n;
}

TEST(ShingleText, QuantitiesShareOneFeatureWhateverTheWording) {
  const Normalizer n = *Normalizer::Create();
  const auto a = ShingleText(n.Normalize("ربع مليون خادم").text);
  const auto b = ShingleText(n.Normalize("250 ألف خادم").text);
  const auto c = ShingleText(n.Normalize("250,000 servers").text);
  const auto d = ShingleText(n.Normalize("300 ألف خادم").text);
  EXPECT_EQ(Shared(a, b, ShingleType::kNumber), 1u);
  EXPECT_EQ(Shared(a, c, ShingleType::kNumber), 1u);
  EXPECT_EQ(Shared(b, d, ShingleType::kNumber), 0u);
}

TEST(ShingleText, BrokenPluralMeetsSingularThroughItsSkeleton) {
  const Normalizer n = *Normalizer::Create();
  const auto a = ShingleText(n.Normalize("الخوادم").text);
  const auto b = ShingleText(n.Normalize("خادم").text);
  EXPECT_EQ(Shared(a, b, ShingleType::kSkeleton), 1u);
  EXPECT_EQ(Shared(a, b, ShingleType::kWord), 0u);
}

TEST(ShingleText, FunctionWordsAloneGiveNoWordFeatures) {
  const auto s = ShingleText("في من علي الي the of");
  for (const Shingle& x : s) EXPECT_NE(x.type, ShingleType::kWord);
}

}  // namespace
}  // namespace claimdiff
