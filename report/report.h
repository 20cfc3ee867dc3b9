// The Report: everything claimdiff found about a set of documents, and how to build it.
//
//   CompareOptions options;            // defaults are the measured ones
//   absl::StatusOr<Report> r = BuildReport(std::move(documents), options);
//   std::string json = RenderJson(*r);  // see render.h
//
// One model for every view: the renderers only draw a Report, they never analyse text.
// A Report owns its documents; spans and clusters refer to them by index, so a Report is
// self-contained and can be kept, moved and read from several threads.
#ifndef CLAIMDIFF_REPORT_REPORT_H_
#define CLAIMDIFF_REPORT_REPORT_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/boilerplate.h"
#include "core/document.h"
#include "core/facts.h"
#include "core/ingest.h"
#include "core/segment.h"
#include "report/syndication.h"
#include "report/verdict.h"
#include "report/worddiff.h"
#include "similarity/cluster.h"
#include "similarity/minhash.h"
#include "similarity/shingle.h"
#include "similarity/tfidf.h"

namespace claimdiff {

inline constexpr std::string_view kVersion = "0.1.0";
inline constexpr std::string_view kReportSchema = "claimdiff/report-v1";

enum class CandidateMode : uint8_t {
  kAuto,   // exact up to lsh_from_spans comparable spans (and exact_work_limit), LSH above
  kExact,  // every pair that shares a feature (the oracle)
  kLsh,    // MinHash-LSH (similarity/minhash.h), verified by exact cosine
};

struct CompareOptions {
  // Mean cosine two groups of spans need to be one claim (see ClusterOptions::threshold and
  // README "Choosing the threshold"). Higher: fewer, surer clusters; lower: more recall.
  float threshold = 0.30f;
  // Every cross pair of a merge must reach min_link * threshold (anti-chaining).
  float min_link = 0.5f;
  // Two spans of one document start a cluster only at threshold + same_document_margin: an
  // article's sentences share its vocabulary, so their similarity is weaker evidence. A
  // headline restated in the lede still clears it.
  float same_document_margin = 0.1f;
  // Each span proposes merges through at most this many partners in any one document (its
  // strongest pairs with that document; a pair stays when either span keeps it). Merges are
  // still judged over all members, and a claim stated once by each of hundreds of outlets
  // keeps every pair; what the cap bounds is the pairs a document of thousands of
  // near-identical sentences would make (quadratic in its length otherwise). 0: no cap.
  int max_partners = 32;
  // A span needs at least this many content words (function words excluded) to be compared.
  int min_content_words = 3;
  // In a pair where one span has at most this many content words, a substituted phrase (words
  // of both spans standing between the same shared words: "تحذو دول أخرى حذوها" against
  // "تحذو الولايات المتحدة حذوها") makes them different claims. Figures are exempt: a changed
  // number is a conflict within one claim. 0 turns the check off.
  int substitution_check_words = 8;
  // Two spans of different documents that state a compatible figure about the same counted
  // thing (250 ألف خادم, أكثر من ربع مليون خادم) are compared on the words around the figure
  // (this many on each side) as well as whole: a long sentence that carries the figure among
  // other claims still meets the short sentence that states only it.
  int fact_window_words = 6;
  // Such a pair scores window similarity + fact_bonus (when the window reaches
  // fact_min_window): a shared figure about the same thing is evidence that a bag of words
  // undervalues.
  float fact_min_window = 0.12f;
  float fact_bonus = 0.2f;
  // The looser pass for conflicts the threshold would hide (different figures make sentences
  // less similar): spans of different documents outside one cluster whose figures conflict are
  // reported when the words around their figures reach conflict_window_similarity, or when the
  // spans reach conflict_min_similarity and the figures count the same thing or are large
  // counts of comparable scale (both >= 100, within a factor of 100).
  float conflict_min_similarity = 0.15f;
  float conflict_window_similarity = 0.3f;
  // Worker threads (0: all cores). The report is byte-identical for any value.
  int threads = 0;
  // Called as each stage starts ("segmenting", "vectors", "candidates", ...) with the number
  // of documents and spans known so far; for progress displays. Not called when empty.
  std::function<void(std::string_view stage, size_t documents, size_t spans)> progress;
  // Called once for each span that may be comparable (not furniture nor a dateline, with enough
  // content words) with its shingles and quantities as the analysis derives them (the index
  // stores them, so a later match need not derive them again), from worker threads, possibly
  // concurrently for different spans. Repeated lines are found after: the analysis's `eligible`
  // tells which of these spans are comparable. Not called when empty.
  std::function<void(size_t span, std::span<const Shingle> shingles,
                     std::span<const NumberMention> numbers)>
      span_features;
  // Called within the long stages with the work done so far and the stage's total, in the
  // stage's own unit (documents while segmenting and shingling, clusters for verdicts...), about
  // every percent and once at the end, so a display can show a rate and an estimated time left. It
  // may be called from worker threads, but never concurrently; it must be cheap. Not called when
  // empty.
  std::function<void(std::string_view stage, size_t done, size_t total)> step;
  // How candidate pairs are found; see similarity/candidates.h and similarity/minhash.h.
  CandidateMode candidates = CandidateMode::kAuto;
  // Whether clusters carry word diffs (Cluster::reference_words, member_words, diffs) for the
  // human views. The JSON report does not use them; leaving them out saves their time and
  // memory (one token and its key per word of every clustered span). Without them the views
  // show each member's wording without marking what differs.
  bool word_diffs = true;
  size_t lsh_from_spans = 20000;
  // auto also takes MinHash-LSH when the exact path would do more than exact_work_limit
  // multiply-adds (ExactPairWork), or finds more than exact_max_pairs pairs (it stops there):
  // thousands of near-identical spans, where every pair shares most features, would make the
  // exact path quadratic. Ordinary news below lsh_from_spans stays far under both.
  double exact_work_limit = 2e9;
  size_t exact_max_pairs = 200000;
  // Figure pairs are made for a slice of spans at a time, about this many pairs per slice (16
  // bytes each): a memory bound; the pairs found do not depend on it.
  size_t figure_slice_pairs = size_t{1} << 21;
  // Whether Analyze keeps the matching forms (Analysis::MatchingForm) once the figure
  // windows, its last reader in a comparison, are made: a caller reading them afterwards (index
  // add) sets it; otherwise they are freed before the figures are paired (hundreds of MB at
  // 100,000 documents).
  bool keep_matching_forms = false;
  MinHashOptions minhash;
  SegmentOptions segment;
  BoilerplateOptions boilerplate;
  ShingleOptions shingle;
  TfidfOptions tfidf;
  // Document reuse (labels, passages, direction) for the document pairs; its segment,
  // boilerplate and threads fields are not used (the ones above are).
  SyndicationOptions syndication;
};

struct ClusterMember {
  uint32_t span = 0;     // index into Report::spans
  float similarity = 0;  // mean cosine to the cluster's other members
};

struct Cluster {
  std::string id;                      // "c1", "c2", ... in report order
  Verdict verdict = Verdict::kSingle;  // single (one document), agree or conflict
  std::vector<Conflict> conflicts;     // what makes it a conflict
  std::vector<ClusterMember> members;  // in span order
  uint32_t reference = 0;              // index into Report::spans: the most central member
  uint32_t documents = 0;              // distinct documents among the members
  // Word diffs against the reference, for the views: the reference's words, and per member (in
  // `members` order) its words and its diff from the reference (empty for the reference).
  std::vector<DiffToken> reference_words;
  std::vector<std::vector<DiffToken>> member_words;
  std::vector<WordDiff> diffs;
};

struct DocumentPair {
  uint32_t a = 0;  // indices into Report::documents, a < b
  uint32_t b = 0;
  uint32_t shared_spans = 0;  // clusters that hold a span of both
  double a_in_b = 0;          // share of a's phrases (3-word windows) found in b
  double b_in_a = 0;
  // When the two share a passage of text (report/syndication.h): copy, shared source or
  // partial reuse, the document published first (when the dates say so), and the aligned
  // passages. Unset and empty otherwise.
  std::optional<ReuseLabel> label;
  std::optional<uint32_t> first;
  std::vector<Passage> passages;
};

// Up to this many documents, DocumentCoverage::missing lists the claims each document lacks;
// above, only their number is kept (the lists would grow with documents x claims).
inline constexpr size_t kListMissingUpTo = 400;

// What one source says that the others do not, and the other way round.
struct DocumentCoverage {
  uint32_t shared = 0;              // claims (clusters of 2+ documents) this document is in
  uint32_t lacks = 0;               // claims of 2+ documents it has no span in
  std::vector<uint32_t> only_here;  // its comparable spans in no claim of 2+ documents
  // The `lacks` claims as cluster indices, in report order, when the report has at most
  // kListMissingUpTo documents; empty above.
  std::vector<uint32_t> missing;
};

// The headline figures of a report.
struct ReportSummary {
  uint32_t corroborated = 0;   // claims stated by 2+ sources that agree
  uint32_t conflicting = 0;    // claims stated by 2+ sources that conflict
  uint32_t single_source = 0;  // comparable spans stated by one source only
  uint32_t furniture = 0;      // spans flagged as page furniture
};

struct Report {
  CompareOptions options;
  std::vector<Document> documents;   // sorted by id
  std::vector<Span> spans;           // every span, grouped by document, in text order
  std::vector<uint32_t> first_span;  // spans of document d: [first_span[d], first_span[d + 1])
  std::vector<int32_t> cluster_of;   // per span: index into clusters, or -1
  SpanFactsTable facts;              // per span: figures, quotations, negation cues
  // Clusters ordered by documents covered (most first), then size, then first member.
  std::vector<Cluster> clusters;
  // Conflicts between spans of different documents that are not in one cluster (the looser
  // pass), by their spans.
  std::vector<Conflict> conflicts;
  // Pairs that share a claim or wording, by (a, b): with up to 400 documents every pair that
  // shares a phrase, above only pairs that share a claim or a passage.
  std::vector<DocumentPair> document_pairs;
  std::vector<DocumentCoverage> coverage;  // per document
  ReportSummary summary;
  std::vector<InputError> errors;  // problems met while reading the input
};

// Runs the whole pipeline: segmentation, page-furniture flags, shingles, TF-IDF, candidate
// pairs, clusters and document pairs. `errors` (from ingestion) are carried into the report.
// Fails with InvalidArgument when an option is out of range (threshold and min_link must be in
// (0, 1]), and with Internal if ICU cannot provide its normalizer or break iterator.
absl::StatusOr<Report> BuildReport(std::vector<Document> documents,
                                   const CompareOptions& options = {},
                                   std::vector<InputError> errors = {});

}  // namespace claimdiff

#endif  // CLAIMDIFF_REPORT_REPORT_H_
