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

}  // namespace
}  // namespace claimdiff
