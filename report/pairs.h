// Judging pairs of statements: same claim or not, and do they agree.
//
//   std::vector<PairInput> in;  std::vector<InputError> errors;
//   ParsePairs("pairs.jsonl", bytes, &in, &errors);      // {"id", "a", "b"} per line
//   absl::StatusOr<std::vector<PairJudgment>> out = JudgePairs(in, options);
//   for (const PairJudgment& j : *out) std::cout << RenderPairJson(j);
//
// The pipeline is `compare`'s (report/analysis.h): every text of the input is a
// document of one corpus, so document frequencies come from the whole file; each pair is then
// scored as clustering would score its best pair of spans (with the substitution veto), and
// compared with the same verdict code. Use it to calibrate the threshold and to check two
// statements quickly.
#ifndef CLAIMDIFF_REPORT_PAIRS_H_
#define CLAIMDIFF_REPORT_PAIRS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/ingest.h"
#include "report/report.h"

namespace claimdiff {

struct PairInput {
  std::string id;
  std::string a;
  std::string b;
  int64_t line = 0;  // in the input, for messages
};

struct PairJudgment {
  std::string id;
  float similarity = 0;     // the best span pair's score (cosine, or more for a shared figure)
  bool same_claim = false;  // similarity reaches the threshold and no substitution vetoes it
  // "agree" or "conflict" for the same claim; "conflict" also when the figures conflict on a
  // pair too different to be one claim (the looser pass of `compare`); otherwise "different".
  std::string verdict;
  std::vector<Conflict> conflicts;  // spans refer to the internal corpus; use kind and detail
};

// One JSON Lines input: string fields "id", "a", "b" (an integer id is taken as its text).
// Each bad line adds an error naming `source` and the line; the others are still read.
void ParsePairs(std::string_view source, std::string_view bytes, std::vector<PairInput>* pairs,
                std::vector<InputError>* errors);

absl::StatusOr<std::vector<PairJudgment>> JudgePairs(const std::vector<PairInput>& pairs,
                                                     const CompareOptions& options = {});

// {"id", "similarity", "same_claim", "verdict", "conflicts": [{"kind", "detail"}]} and a newline.
std::string RenderPairJson(const PairJudgment& judgment);

}  // namespace claimdiff

#endif  // CLAIMDIFF_REPORT_PAIRS_H_
