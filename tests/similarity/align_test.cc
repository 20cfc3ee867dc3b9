#include "similarity/align.h"

#include "core/normalize.h"
#include "gtest/gtest.h"

namespace claimdiff {
namespace {

bool Substituted(const char* a, const char* b) {
  const Normalizer n = *Normalizer::Create();
  return HasEnclosedSubstitution(ContentWords(n.Normalize(a).text),
                                 ContentWords(n.Normalize(b).text));
}

TEST(HasEnclosedSubstitution, AnotherSubjectBetweenSharedWords) {
  EXPECT_TRUE(Substituted("من المتوقع أن تحذو دول أخرى حذوها",
                          "من المتوقع أن تحذو الولايات المتحدة حذوها"));
  EXPECT_TRUE(
      Substituted("the minister visited Paris yesterday", "the minister visited Berlin yesterday"));
}

TEST(HasEnclosedSubstitution, InsertionsAndEndsAreNotSubstitutions) {
  EXPECT_FALSE(Substituted("الهجوم أثر على أكثر من ربع مليون خادم",
                           "الهجوم أثر بشدة على أكثر من ربع مليون خادم"));
  EXPECT_FALSE(Substituted("قال الوزير إن الهجوم خطير", "وأضاف الوزير إن الهجوم خطير"));
  EXPECT_FALSE(Substituted("الهجوم أثر على الخوادم", "الهجوم أثر على الخوادم"));
  EXPECT_FALSE(Substituted("", "شيء"));
}

TEST(HasEnclosedSubstitution, ChangedFiguresAreLeftToTheVerdict) {
  EXPECT_FALSE(Substituted("أصيب 30 شخصا في الحادث", "أصيب 45 شخصا في الحادث"));
}

TEST(HasEnclosedSubstitution, MatchesInflectedFormsThroughSkeletons) {
  EXPECT_FALSE(Substituted("أثر الهجوم على الخوادم في العالم", "أثرت الهجمة على خادم في العالم"));
}

TEST(ContentRun, HoldsEachSpansSequenceInOrder) {
  const Normalizer n = *Normalizer::Create();
  const std::vector<ContentSequence> spans = {
      ContentWords(n.Normalize("the minister visited Paris yesterday").text),
      ContentWords(n.Normalize("").text), ContentWords(n.Normalize("أصيب 30 شخصا في الحادث").text),
      ContentWords(n.Normalize("the minister visited Berlin yesterday").text)};
  ContentRun run;
  for (const ContentSequence& s : spans) run.Append(s);
  run.ShrinkToFit();
  ASSERT_EQ(run.size(), spans.size());
  for (size_t k = 0; k < spans.size(); ++k) {
    const ContentView v = run[k];
    EXPECT_EQ(std::vector<uint64_t>(v.keys.begin(), v.keys.end()), spans[k].keys) << k;
    EXPECT_EQ(std::vector<uint8_t>(v.numeric.begin(), v.numeric.end()), spans[k].numeric) << k;
  }
  EXPECT_TRUE(run[1].keys.empty());
  EXPECT_TRUE(run[2].numeric[0] == 1 || run[2].numeric[1] == 1);  // the figure 30
  // The veto reads the views as it reads the sequences.
  EXPECT_TRUE(HasEnclosedSubstitution(run[0], run[3]));
  EXPECT_FALSE(HasEnclosedSubstitution(run[0], run[0]));
}

}  // namespace
}  // namespace claimdiff
