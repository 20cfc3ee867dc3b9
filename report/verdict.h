// Comparing what two spans say: the conflicts that make a claim's verdict.
//
//   std::vector<Conflict> c = CompareSpans(report, a, b, normalizer);
//   Verdict v = ClusterVerdict(report, cluster, normalizer, &cluster.conflicts);
//
// Three kinds of conflict, each explained in one sentence that quotes the outlets' words:
//  - number: figures of the same kind about the same thing (same counted word, by consonant
//    skeleton) whose allowed ranges do not meet once qualifiers are applied ("about 250,000"
//    and "more than 250,000" agree; 250,000 and 10,000-99,999 conflict). A figure that one span
//    gives and the other leaves out is no conflict, nor is a figure the other matches;
//  - negation: one span negates (لم, لن, ليس, لا, نفى, not, never, denied...) and the other
//    does not;
//  - speaker: both spans quote, and name speakers who share no word;
//  - direction: one span reports a rise (ارتفاع, صعود, rise...) and the other a fall (تراجع,
//    هبوط, fall...).
//
// Pure functions of the report; thread-safe.
#ifndef CLAIMDIFF_REPORT_VERDICT_H_
#define CLAIMDIFF_REPORT_VERDICT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/facts.h"
#include "core/normalize.h"

namespace claimdiff {

struct Report;
struct Cluster;

enum class Verdict : uint8_t { kSingle, kAgree, kConflict };
enum class ConflictKind : uint8_t { kNumber, kNegation, kSpeaker, kDirection };

std::string_view VerdictName(Verdict v);
std::string_view ConflictKindName(ConflictKind k);

struct Conflict {
  ConflictKind kind = ConflictKind::kNumber;
  std::string detail;           // one sentence for people, quoting the outlets' words
  std::vector<uint32_t> spans;  // indices into Report::spans, increasing
  float similarity = 0;         // of the two spans (top-level conflicts only; 0 otherwise)
  // What differs, without where: conflicts of a cluster with the same key (the same two
  // figures, say, stated by many members) are merged into one listing all their spans.
  std::string key;
};

// A figure for people: "about 250,000 خادم", "10,000–99,999 اجهز", "8%", "2017", "2021-07-19".
std::string DescribeNumber(const NumberMention& n);

// Conflicts between spans a and b (of different documents) of a report whose `facts` are set.
std::vector<Conflict> CompareSpans(const Report& report, uint32_t a, uint32_t b,
                                   const Normalizer& normalizer);

// Only the number conflicts between a and b. With `any_unit`, figures of the same kind conflict
// whatever they count (the looser pass decides from the words around them that they describe
// the same thing).
std::vector<Conflict> NumberConflicts(const Report& report, uint32_t a, uint32_t b,
                                      bool any_unit = false);

// The verdict of a cluster, with its conflicts (between members of different documents)
// appended to `conflicts`, one per key: a claim restated by hundreds of sources lists each
// disagreement once, with every span involved.
Verdict ClusterVerdict(const Report& report, const Cluster& cluster, const Normalizer& normalizer,
                       std::vector<Conflict>* conflicts);

}  // namespace claimdiff

#endif  // CLAIMDIFF_REPORT_VERDICT_H_
