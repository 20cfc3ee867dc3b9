// `compare` as stages that any distributed engine can schedule (the Dask driver in
// python/claimdiff_dask.py runs them; README "Beyond one machine (Dask)").
//
// Each stage is a pure function of its inputs; the corpus is split into parts (any split of its
// documents), and every quantity that `compare` computes over the whole corpus is counted by a
// map/reduce first and handed to the stages that need it:
//
//   repeats     per part: how many documents have each span form      -> MergeRepeats (sum)
//   frequencies per part, given the repeats: document frequencies of
//               the comparable spans' features                         -> MergeFrequencies (sum)
//   sketch      per part, given both: each comparable span's TF-IDF features (weighed with the
//               corpus's idf), kept with the part, and its MinHash-LSH band keys, split into
//               shuffle partitions by key. Only the keys are shuffled.
//   candidates  per shuffle partition: the key records of all parts -> buckets of equal band
//               keys -> candidate pairs (MinHashLshCandidates's own BucketPairs), each given to
//               one of its two spans' parts (its owner, PairOwner), and for the other span a
//               request for its features
//   select      per part: the features of its spans that other parts requested, one selection
//               per requesting part
//   verify      per part: the candidate pairs it owns, with its own features and the
//               selections -> exact cosine (VerifyCandidates)
//   cluster     all verified pairs, mapped to the corpus's spans, replace the generator's pairs
//               in BuildReport (ResolvePairs + BuildReportFrom).
//
// The verified pairs are exactly those of MinHashLshCandidates::Generate on the whole corpus
// (`compare --candidates lsh`), whatever the split: a span's features and band keys depend on
// the corpus's counts only, a shuffle partition holds every span of each of its band keys, so
// its buckets are the corpus's buckets, and a cosine sums the same products in the same order.
// What travels: band keys (9 bytes per band per comparable span), candidate pairs, and the
// features of a span only to the parts that own a pair with it.
//
// Formats: little-endian binary, each file starting with a 4-byte magic and a uint32 version
// (kStageFormatVersion); see the Serialize* functions and the README for the layouts. A reader
// rejects a wrong magic, version or a truncated file with the byte offset.
#ifndef CLAIMDIFF_REPORT_STAGES_H_
#define CLAIMDIFF_REPORT_STAGES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "core/boilerplate.h"
#include "report/analysis.h"
#include "report/report.h"
#include "similarity/candidates.h"
#include "similarity/tfidf.h"

namespace claimdiff {

inline constexpr uint32_t kStageFormatVersion = 2;

// How many documents of the corpus (or of a part) have each span form, the form identified by
// two independent stable 64-bit hashes of its key (SpanForm::key). Magic "CDRP".
struct RepeatTable {
  struct Entry {
    uint64_t h1 = 0;
    uint64_t h2 = 0;
    uint32_t documents = 0;
  };
  uint64_t documents = 0;      // documents counted
  std::vector<Entry> entries;  // sorted by (h1, h2), each once

  // The documents with span form `key` (0 when not listed).
  uint32_t DocumentsWith(std::string_view key) const;
  // The counts as FlagRepeatedSpans takes them; refers to this table.
  CorpusRepeats AsCorpus() const;
};

// Map: the span forms of `documents` (one part of the corpus).
absl::StatusOr<RepeatTable> CountRepeats(std::vector<Document> documents,
                                         const CompareOptions& options);
// Reduce: the sum of `parts`; forms in fewer than `min_documents` documents are left out (they
// flag nothing: pass options.boilerplate.min_repeat_docs for the final table, 0 to keep all
// for a further merge).
RepeatTable MergeRepeats(const std::vector<RepeatTable>& parts, uint32_t min_documents);

// Map: the document frequencies of the comparable spans of `documents` (flagged with the
// corpus's repeats). Magic "CDDF". Reduce: MergeFrequencies.
absl::StatusOr<DocumentFrequencies> CountFrequencies(std::vector<Document> documents,
                                                     const CompareOptions& options,
                                                     const RepeatTable& repeats);
DocumentFrequencies MergeFrequencies(const std::vector<DocumentFrequencies>& parts);

// Partitioned reduces, so that no task holds a whole corpus-wide table: a map's table is split
// by hash (SplitRepeats, SplitFrequencies: piece r holds the hashes h with Mix64(h) % pieces ==
// r, and the part's `documents` or `counted_rows`), piece r of every part is merged by reduce
// task r (MergeRepeats, MergeFrequencies), and:
//  - the merged repeat pieces, small once forms in fewer than 3 documents are left out, are
//    joined into the corpus's table (JoinRepeats) and sent to every later task;
//  - each part looks up its own features' corpus counts in each merged frequency piece
//    (LookupFrequencies), and joins the answers (JoinFrequencies): only a part's own features
//    travel, never the corpus's whole vocabulary.
std::vector<RepeatTable> SplitRepeats(const RepeatTable& table, uint32_t pieces);
std::vector<DocumentFrequencies> SplitFrequencies(const DocumentFrequencies& frequencies,
                                                  uint32_t pieces);
// The union of disjoint pieces of one table. Fails when they overlap or disagree on the
// documents (rows) counted.
absl::StatusOr<RepeatTable> JoinRepeats(const std::vector<RepeatTable>& pieces);
absl::StatusOr<DocumentFrequencies> JoinFrequencies(const std::vector<DocumentFrequencies>& pieces);
// The counts in `merged` (the corpus's, or a piece of them) of the features `own` lists, with
// merged's counted rows. Fails when one of own's features is not in merged (own is not one of
// the tables merged).
absl::StatusOr<DocumentFrequencies> LookupFrequencies(const DocumentFrequencies& merged,
                                                      const DocumentFrequencies& own);

// A span of the corpus as the stages name it: its part, and its index among the part's spans
// (documents sorted by id, spans in text order, as in a Report of the part).
struct SpanRef {
  uint32_t part = 0;
  uint32_t span = 0;
  friend bool operator==(const SpanRef&, const SpanRef&) = default;
  friend auto operator<=>(const SpanRef&, const SpanRef&) = default;
};

// The unit-length TF-IDF features of spans of one part: (stable hash, weight), ascending hash.
// A part's own (sketch) or the selection another part requested (select). Magic "CDFT".
struct SpanFeatures {
  uint32_t span = 0;
  std::vector<std::pair<uint64_t, float>> features;
};
struct PartFeatures {
  uint32_t part = 0;
  std::vector<SpanFeatures> spans;  // ascending span
};

// One comparable span in one shuffle partition: those of its band keys that belong there.
struct SketchRecord {
  SpanRef ref;
  std::vector<std::pair<uint8_t, uint64_t>> keys;  // (band, key)
};

// The LSH settings a sketch was made with; all pieces given to `candidates` must agree.
struct SketchSettings {
  uint32_t shuffle_partitions = 1;
  uint32_t bands = 0;
  uint32_t rows_per_band = 0;
  uint32_t max_df = 0;
  uint32_t max_bucket = 0;
  friend bool operator==(const SketchSettings&, const SketchSettings&) = default;
};

// The key records of one part for one shuffle partition. Magic "CDSK".
struct SketchPiece {
  uint32_t part = 0;
  uint32_t partition = 0;  // the shuffle partition, < settings.shuffle_partitions
  SketchSettings settings;
  std::vector<SketchRecord> records;  // by span
};

// The documents of one part, in the part's order, with their span counts: how the cluster
// step maps a SpanRef to the corpus's span. Magic "CDSD".
struct PartDocuments {
  uint32_t part = 0;
  std::vector<std::pair<std::string, uint32_t>> documents;  // (id, spans)
};

struct Sketch {
  PartDocuments documents;
  PartFeatures features;            // stays with the part (select and verify read it)
  std::vector<SketchPiece> pieces;  // one per shuffle partition
  uint64_t spans = 0;               // spans of the part
  uint64_t sketched = 0;            // comparable spans with band keys
};

// Map: sketches part `part` of the corpus, given the corpus's repeats and frequencies. A band
// key goes to shuffle partition Mix64(key) % shuffle_partitions.
absl::StatusOr<Sketch> SketchPart(std::vector<Document> documents, const CompareOptions& options,
                                  const RepeatTable& repeats,
                                  const DocumentFrequencies& frequencies, uint32_t part,
                                  uint32_t shuffle_partitions);

// Two spans (a < b as SpanRefs), and their exact cosine once verified.
struct RefPair {
  SpanRef a;
  SpanRef b;
  float similarity = 0;
};

// The part that verifies a pair: the spans' part when they share one, otherwise a's part when
// the two part numbers have the same parity and b's when not, so that every part owns about
// half of the pairs it shares with each other part.
uint32_t PairOwner(const SpanRef& a, const SpanRef& b);

// The candidate pairs of one owner part from one shuffle partition (similarity 0), sorted by
// (a, b), each once. Magic "CDCP".
struct CandidateList {
  uint32_t owner = 0;
  uint32_t partition = 0;
  std::vector<RefPair> pairs;
};

// The features part `part` must send, as (requesting part, span), from one shuffle partition;
// sorted, each once. Magic "CDND".
struct NeedList {
  uint32_t part = 0;
  uint32_t partition = 0;
  std::vector<std::pair<uint32_t, uint32_t>> needs;
};

// What one shuffle partition's candidates send on, one list of each kind per part of the
// corpus (index = owner part, index = part).
struct CandidateSplit {
  std::vector<CandidateList> owned;
  std::vector<NeedList> needs;
};

// The candidate pairs of one shuffle partition: the pieces of every part for that partition,
// `parts` the number of parts of the corpus (every piece's part is below it).
absl::StatusOr<CandidateSplit> PartitionCandidates(std::vector<SketchPiece> pieces, uint32_t parts);

// The features of `features`'s spans that `needs` (the requests of the shuffle partitions to
// this part) ask for, one selection per requesting part (ascending part; parts that asked for
// nothing are left out).
absl::StatusOr<std::vector<std::pair<uint32_t, PartFeatures>>> SelectFeatures(
    const PartFeatures& features, const std::vector<NeedList>& needs);

// The verified pairs of one owner part: `candidates` (its lists from the shuffle partitions),
// with the features of both spans of each pair in `features` (the owner's own and the
// selections it received). Sorted by (a, b). Magic "CDPR" (with the threshold).
absl::StatusOr<std::vector<RefPair>> VerifyPairs(std::vector<PartFeatures> features,
                                                 std::vector<CandidateList> candidates,
                                                 float threshold, int threads);

// The cluster step's input: the pairs of all shuffle partitions as the corpus's spans (rows of
// `analysis`, the Analysis of the whole corpus), sorted by (a, b), each once: what
// MinHashLshCandidates::Generate gives for the corpus. Fails when the parts' documents are not
// the corpus's (another input, different ids or span counts) or a pair is not comparable.
absl::StatusOr<std::vector<ScoredPair>> ResolvePairs(const Analysis& analysis,
                                                     const std::vector<PartDocuments>& parts,
                                                     const std::vector<RefPair>& pairs);

// Serialization. Parse* name `source` (a file name) and the byte offset in their errors.
std::string SerializeRepeats(const RepeatTable& table);
absl::StatusOr<RepeatTable> ParseRepeats(std::string_view bytes, std::string_view source);
std::string SerializeFrequencies(const DocumentFrequencies& frequencies);
absl::StatusOr<DocumentFrequencies> ParseFrequencies(std::string_view bytes,
                                                     std::string_view source);
std::string SerializePiece(const SketchPiece& piece);
absl::StatusOr<SketchPiece> ParsePiece(std::string_view bytes, std::string_view source);
std::string SerializeFeatures(const PartFeatures& features);
absl::StatusOr<PartFeatures> ParseFeatures(std::string_view bytes, std::string_view source);
std::string SerializeCandidates(const CandidateList& list);
absl::StatusOr<CandidateList> ParseCandidates(std::string_view bytes, std::string_view source);
std::string SerializeNeeds(const NeedList& list);
absl::StatusOr<NeedList> ParseNeeds(std::string_view bytes, std::string_view source);
std::string SerializeDocuments(const PartDocuments& documents);
absl::StatusOr<PartDocuments> ParseDocuments(std::string_view bytes, std::string_view source);
std::string SerializePairs(const std::vector<RefPair>& pairs, float threshold);
// The pairs and the threshold they were verified at.
absl::StatusOr<std::pair<std::vector<RefPair>, float>> ParsePairs(std::string_view bytes,
                                                                  std::string_view source);

}  // namespace claimdiff

#endif  // CLAIMDIFF_REPORT_STAGES_H_
