// The shared front half of `compare` and `pairs`: spans, facts, TF-IDF and pair scores.
//
// Most callers want BuildReport (report.h) or JudgePairs (pairs.h); this stage is public for
// tools that need the pipeline's own pair scores (the index uses it to score a new span against
// archived ones). An Analysis is immutable once built; its methods are thread-safe.
#ifndef CLAIMDIFF_REPORT_ANALYSIS_H_
#define CLAIMDIFF_REPORT_ANALYSIS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "core/boilerplate.h"
#include "core/tokenize.h"
#include "report/report.h"
#include "similarity/align.h"
#include "similarity/candidates.h"
#include "similarity/minhash.h"
#include "similarity/tfidf.h"

namespace claimdiff {

// Two countable figures (count, money, percent) of the same kind in spans of different
// documents.
// Flags in bit-fields: a large corpus has tens of millions of figure pairs, 16 bytes each.
struct FigurePair {
  uint32_t a = 0;  // spans, a < b
  uint32_t b = 0;
  bool compatible : 1 = false;  // the figures can be the same quantity
  bool same_unit : 1 = false;   // they count the same thing
  // Both are counts of 100 or more within a factor of 100 of each other: the scale of one
  // event, described with different words ("tens of thousands of computers", "250,000 servers").
  bool comparable_scale : 1 = false;
  // The spans' cosine reaches conflict_min_similarity. Set only where it can decide
  // HiddenConflict (figures that cannot be the same quantity, words around them below
  // conflict_window_similarity); false elsewhere.
  bool spans_near : 1 = false;
  // The shared figure raises the pair's score above the spans' cosine: compatible figures of
  // the same thing whose window similarity reaches fact_min_window, and window similarity +
  // fact_bonus (at most 1) reaches the threshold and exceeds the cosine.
  bool raises_score : 1 = false;
  float window_similarity = 0;  // cosine of the words around the two figures
};

struct Analysis {
  // documents, spans, first_span, facts, options and errors are set; clusters are not.
  Report report;
  // The matching forms kept, those of spans with a number (the figure windows read them): per
  // document, its spans' forms one after another; per span, (start, size) of its form in its
  // document's, (0, 0) for the others. One string per document rather than one per span: at
  // 100,000 documents, 3.2M string headers of 32 bytes each, most of them empty.
  std::vector<std::string> forms;
  std::vector<std::pair<uint32_t, uint32_t>> form_at;
  // Per document: its spans' content words, for the substitution veto (ContentOf).
  std::vector<ContentRun> content;
  std::vector<uint8_t> eligible;  // per span: may be compared at all
  TfidfMatrix tfidf;
  // The figure pairs that may be hidden conflicts (HiddenConflict), in span-pair order; the
  // others only raised scores (boosted) and are not kept.
  std::vector<FigurePair> figure_pairs;
  // Pairs whose shared figure raises their score above their cosine (PairKey -> score).
  absl::flat_hash_map<uint64_t, float> boosted;

  // Span's matching form if it was kept (empty if not, or once released).
  std::string_view MatchingForm(uint32_t span) const {
    if (span >= form_at.size()) return {};
    const auto [start, size] = form_at[span];
    return std::string_view(forms[report.spans[span].doc]).substr(start, size);
  }
  void ReleaseMatchingForms() {
    std::vector<std::string>().swap(forms);
    std::vector<std::pair<uint32_t, uint32_t>>().swap(form_at);
  }
  // The content words of a span of report.documents.
  ContentView ContentOf(uint32_t span) const {
    const uint32_t doc = report.spans[span].doc;
    return content[doc][span - report.first_span[doc]];
  }
  // The similarity used to cluster spans a and b: their cosine, or more when they state the
  // same figure about the same thing.
  float Score(uint32_t a, uint32_t b) const;
  // False when a short span's wording substitutes a phrase of the other's (another subject).
  bool Compatible(uint32_t a, uint32_t b) const;
  // Whether conflicting figures are close enough to report although their spans are not one
  // claim: the words around the figures reach conflict_window_similarity, or the spans reach
  // conflict_min_similarity and the figures count the same thing or are large counts of
  // comparable scale. False for compatible figures.
  bool HiddenConflict(const FigurePair& f) const;
};

uint64_t PairKey(uint32_t a, uint32_t b);

// Figure pairing, for tools that pair figures outside an Analysis (the index): whether a figure
// is countable (a count, money or a percent), the key of the thing it counts (the consonant
// skeleton of its unit, or the unit; empty when none), and the matching-form words around it
// (`words` tokens on each side). `tokens` must be Tokenize(normalized), computed once per span by
// the caller: re-tokenizing the span for each of its figures made a long span quadratic.
bool CountableFigure(const NumberMention& m);
std::string FigureUnitKey(const NumberMention& m);
std::string FigureWindow(std::string_view normalized, const std::vector<Token>& tokens,
                         const NumberMention& m, int words);

// The verified pairs clustering starts from: candidates (all pairs or MinHash-LSH, by
// options.candidates and the number of comparable spans) at the threshold, pairs within one
// document only at threshold + same_document_margin, and the boosted pairs (a shared figure)
// with their raised score; each span keeps its options.max_partners strongest pairs with any
// one document. Sorted by (a, b); deterministic for any thread count.
// `columns_read` is called as the matrix's per-column arrays (columns, idf, types, df) stop
// being read (see MinHashLshCandidates::OnColumnsRead; the exact path says kAll at once), so a
// caller that does not need them either may free them before the candidates' peak.
std::vector<ScoredPair> ClaimPairs(const Analysis& analysis,
                                   const std::function<void(ColumnsRead)>& columns_read = {});

// ClaimPairs after its candidate generator: `candidates` are the verified pairs at the threshold
// (sorted by (a, b), each once, as a CandidateGenerator returns them), found here or elsewhere
// (the stage commands find them on a cluster, report/stages.h).
std::vector<ScoredPair> FinishClaimPairs(const Analysis& analysis,
                                         std::vector<ScoredPair> candidates);

// Segments, flags furniture, extracts facts, vectorizes and pairs figures. Fails on options
// out of range, or when ICU is unavailable. `prior` adds document frequencies counted
// elsewhere (an index's earlier drops) to the idf.
absl::StatusOr<Analysis> Analyze(std::vector<Document> documents, const CompareOptions& options,
                                 std::vector<InputError> errors,
                                 const PriorFrequencies* prior = nullptr);

// Counts over a whole corpus, for analysing one part of it as the whole corpus would be (the
// stage commands, report/stages.h). Empty: the part is the corpus.
struct CorpusCounts {
  // How many documents of the corpus have each span form (furniture flags).
  const CorpusRepeats* repeats = nullptr;
  // The document frequencies of the corpus's comparable spans; they replace the part's own.
  const PriorFrequencies* frequencies = nullptr;
  // Whether to extract facts (stages that need only the vectors skip them).
  bool facts = true;
};

// Analyze's steps that depend on each document alone, given the corpus's counts: spans,
// furniture flags, matching forms, eligibility, facts and the TF-IDF matrix; figure pairs are
// left empty (they pair spans across the corpus). `prior` and `corpus.frequencies` exclude each
// other.
absl::StatusOr<Analysis> AnalyzeSpans(std::vector<Document> documents,
                                      const CompareOptions& options, std::vector<InputError> errors,
                                      const PriorFrequencies* prior, const CorpusCounts& corpus);

// Analyze's first step alone: the report's documents, spans and first_span.
absl::StatusOr<Report> SegmentDocuments(std::vector<Document> documents,
                                        const CompareOptions& options);

// BuildReport from an Analysis (Analyze's), with `candidates` (see FinishClaimPairs) in place of
// the generator's pairs when given.
absl::StatusOr<Report> BuildReportFrom(Analysis analysis,
                                       std::optional<std::vector<ScoredPair>> candidates);

}  // namespace claimdiff

#endif  // CLAIMDIFF_REPORT_ANALYSIS_H_
