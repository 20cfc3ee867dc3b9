// Syndication: which articles reuse which, passage by passage, and who published first.
//
//   SyndicationOptions options;
//   absl::StatusOr<SyndicationReport> r = BuildSyndication(std::move(documents), options);
//   std::string json = RenderSyndicationJson(*r);  // claimdiff/syndication-v1
//
// For every pair of documents that share text (at least one aligned passage): containment
// both ways (share of each document's phrases found in the other; page furniture excluded),
// the aligned passages with byte offsets in both (similarity/syndication.h), who published
// first, and a label:
//   copy           the larger containment reaches copy_containment and the smaller
//                  copy_min_containment: one is a version of the other;
//   shared source  both documents reuse a third one more than each other, and substantially
//                  (copy_min_containment of one side or more): two copies of one wire story;
//   partial reuse  anything else that shares a passage (a quoted statement, a paragraph).
// Families are the groups of documents linked by copies, with the member published strictly
// before all others named as the earliest.
//
// Direction comes only from `published` (ISO 8601 dates or date-times: 2021-07-01,
// 2021-07-01T10:30:00Z, 2021-07-01 10:30+03:00): a pair whose dates are missing, unreadable or
// equal has no `first`. File order is never used.
//
// A SyndicationReport owns its documents; pairs and families refer to them by index. Immutable
// once built; safe to read from several threads. Output is the same for any thread count and
// input order.
#ifndef CLAIMDIFF_REPORT_SYNDICATION_H_
#define CLAIMDIFF_REPORT_SYNDICATION_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/boilerplate.h"
#include "core/document.h"
#include "core/ingest.h"
#include "core/normalize.h"
#include "core/segment.h"
#include "similarity/syndication.h"

namespace claimdiff {

inline constexpr std::string_view kSyndicationSchema = "claimdiff/syndication-v1";

enum class ReuseLabel : uint8_t { kCopy, kSharedSource, kPartialReuse };

// "copy", "shared source", "partial reuse".
std::string_view ReuseLabelName(ReuseLabel label);

struct SyndicationOptions {
  // A pair is a copy when the larger containment reaches copy_containment and the smaller
  // copy_min_containment. Defaults 0.5 and 0.3: a copy keeps most of its source through
  // edits, a new first paragraph or a cut ending; an article that quotes a few statements
  // of another stays far below (measured in bench/syndication_eval.py).
  double copy_containment = 0.5;
  double copy_min_containment = 0.3;
  PassageOptions passages;
  ReuseCandidateOptions candidates;
  SegmentOptions segment;
  BoilerplateOptions boilerplate;
  // Worker threads (0: all cores); the report is the same for any value.
  int threads = 0;
  // Called as each stage starts, with the number of documents; not called when empty.
  std::function<void(std::string_view stage, size_t documents)> progress;
};

struct SyndicationPair {
  uint32_t a = 0;  // indices into the documents, a < b
  uint32_t b = 0;
  double a_in_b = 0;
  double b_in_a = 0;
  uint32_t shared_spans = 0;  // ReuseMeasure::shared_spans
  ReuseLabel label = ReuseLabel::kPartialReuse;
  std::optional<uint32_t> first;  // the document published first, when the dates say so
  std::vector<Passage> passages;
};

struct SyndicationFamily {
  std::vector<uint32_t> members;     // document indices, ascending
  std::optional<uint32_t> earliest;  // published strictly before every other member
};

struct SyndicationReport {
  SyndicationOptions options;
  std::vector<Document> documents;  // sorted by id
  // Ranked: copies, then shared sources, then partial reuse; within a label by the larger
  // containment (highest first), then by (a, b).
  std::vector<SyndicationPair> pairs;
  // Largest first, then by first member.
  std::vector<SyndicationFamily> families;
  std::vector<InputError> errors;
};

// -1 when `a` was published before `b`, 1 when after, nullopt when either date is missing or
// unreadable or they are equal (a date without a time equals any time that day).
std::optional<int> ComparePublished(const std::optional<std::string>& a,
                                    const std::optional<std::string>& b);

// The phrases of each document: its spans that are not furniture, in text order (Phrase::segment
// is the span's index into `spans`). `first_span[d]..first_span[d + 1]` are document d's spans.
std::vector<DocumentPhrases> DocumentPhrasesOf(const std::vector<Document>& documents,
                                               const std::vector<Span>& spans,
                                               const std::vector<uint32_t>& first_span,
                                               const Normalizer& normalizer, int threads);

// Pairs that share a passage, labelled and directed, sorted by (a, b).
std::vector<SyndicationPair> FindReuse(const std::vector<Document>& documents,
                                       const std::vector<DocumentPhrases>& phrases,
                                       const SyndicationOptions& options);
// The same over given candidate pairs (a < b, sorted) instead of ReuseCandidates: for callers
// that find candidates elsewhere (the index joins stored document band keys).
std::vector<SyndicationPair> FindReuse(const std::vector<Document>& documents,
                                       const std::vector<DocumentPhrases>& phrases,
                                       const std::vector<std::pair<uint32_t, uint32_t>>& candidates,
                                       const SyndicationOptions& options);

// Families: the connected groups of `copy` pairs.
std::vector<SyndicationFamily> FamiliesOf(const std::vector<Document>& documents,
                                          const std::vector<SyndicationPair>& pairs);

// Segments, flags furniture, finds reuse, labels, ranks and groups. Fails only when ICU is
// unavailable.
absl::StatusOr<SyndicationReport> BuildSyndication(std::vector<Document> documents,
                                                   const SyndicationOptions& options = {},
                                                   std::vector<InputError> errors = {});

// Views. JSON (claimdiff/syndication-v1, report/syndication-v1.schema.json), pretty-printed;
// text for a terminal; Markdown; one self-contained HTML page. `limit`: at most this many
// pairs and families (0: all). The same report always gives the same bytes.
std::string RenderSyndicationJson(const SyndicationReport& report, size_t limit = 0);
std::string RenderSyndicationText(const SyndicationReport& report, size_t limit = 0);
std::string RenderSyndicationMarkdown(const SyndicationReport& report, size_t limit = 0);
std::string RenderSyndicationHtml(const SyndicationReport& report, size_t limit = 0);

}  // namespace claimdiff

#endif  // CLAIMDIFF_REPORT_SYNDICATION_H_
