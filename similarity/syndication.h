// Document reuse: which documents share text, how much, and where.
//
//   DocumentPhrases a = MakeDocumentPhrases(std::move(phrases_of_a));  // overlap.h AppendPhrases
//   DocumentPhrases b = MakeDocumentPhrases(std::move(phrases_of_b));
//   ReuseMeasure m = MeasureReuse(a, b);   // containment both ways, aligned passages
//   std::vector<std::pair<uint32_t, uint32_t>> cands = ReuseCandidates(all_docs, {});
//
// Containment is the share of one document's distinct phrases (3-stem windows, overlap.h)
// found anywhere in the other. Passages are maximal runs of phrases the two documents have in
// the same order: a run continues across a small edit (a word dropped, replaced or inserted
// breaks at most three phrases) as long as both documents skip at most `max_gap` phrases, so
// an edited sentence stays one passage; a moved paragraph is a run of its own, so reordering
// keeps every passage. Only runs of `min_phrases` matched phrases or more are passages: a
// common three-word phrase shared by chance is not reuse.
//
// Candidates: every pair sharing `min_phrases` phrases (an inverted index; exact) for small
// inputs, or document-level MinHash-LSH over the phrase sets for large ones: signatures and
// band keys are made with MinHashSignature and Mix64 from stable phrase hashes, so they are
// the same on every machine and run and can be stored. LSH finds near-copies (Jaccard of the
// phrase sets >= 0.3 with probability >= 0.99 at the defaults); pairs that share only a few
// sentences are found by chance.
//
// Stateless functions; thread-safe. Results never depend on the thread count.
#ifndef CLAIMDIFF_SIMILARITY_SYNDICATION_H_
#define CLAIMDIFF_SIMILARITY_SYNDICATION_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "similarity/overlap.h"

namespace claimdiff {

// One document's phrases: in text order (boilerplate left out by the caller), and as a set.
struct DocumentPhrases {
  std::vector<Phrase> sequence;
  std::vector<uint64_t> set;  // distinct hashes, sorted
};

DocumentPhrases MakeDocumentPhrases(std::vector<Phrase> sequence);

struct PassageOptions {
  // Phrases either document may skip inside one passage: a small edit. Default 8: two word
  // edits close together; a dropped or added sentence (usually 15+ phrases) ends the passage.
  int max_gap = 8;
  // Matched phrases a passage needs. Default 4: six words in the same order.
  int min_phrases = 4;
  // A phrase repeated more often than this in either document is not aligned (a refrain or
  // a list would make every occurrence match every other).
  int max_repeats = 4;
};

// A passage of reused text: byte ranges [start, end) in both documents' original text.
struct Passage {
  uint32_t a_start = 0;
  uint32_t a_end = 0;
  uint32_t b_start = 0;
  uint32_t b_end = 0;
  uint32_t phrases = 0;  // matched phrases
  // 2 * matched / (phrases of a in the passage + phrases of b in the passage): 1 for an
  // unedited passage, lower with each edit inside it.
  double similarity = 0;
};

struct ReuseMeasure {
  double a_in_b = 0;  // share of a's distinct phrases found in b
  double b_in_a = 0;
  uint32_t shared_phrases = 0;  // distinct phrases of both
  // Spans (Phrase::segment) at least half of whose phrases lie in passages: the smaller of
  // the two documents' counts.
  uint32_t shared_spans = 0;
  std::vector<Passage> passages;  // by a_start, then b_start
};

// Containment both ways and the aligned passages of two documents.
ReuseMeasure MeasureReuse(const DocumentPhrases& a, const DocumentPhrases& b,
                          const PassageOptions& options = {});

struct ReuseCandidateOptions {
  // Exact candidates (every pair sharing min_shared phrases) up to this many documents,
  // MinHash-LSH above.
  size_t lsh_from_documents = 1000;
  // Exact mode: a phrase in more documents than this is not indexed (it would make pairs of
  // everything); such phrases still count in containment.
  size_t max_postings = 200;
  uint32_t min_shared = 4;
  // LSH: b bands of r rows. P(candidate) = 1 - (1 - J^r)^b: J = 0.3 → 0.99, J = 0.1 → 0.38,
  // J = 0.02 → 0.02.
  int bands = 48;
  int rows_per_band = 2;
  // Buckets with more documents than this are skipped (a phrase set shared that widely is
  // furniture, and the bucket would make candidates quadratic).
  size_t max_bucket = 500;
  bool force_lsh = false;  // LSH whatever the size (tests, benchmarks)
};

// The document-level LSH band keys of one phrase set: `bands` keys, empty for an empty set.
std::vector<uint64_t> DocumentBandKeys(const std::vector<uint64_t>& phrase_set,
                                       const ReuseCandidateOptions& options);

// Pairs (a < b) worth measuring, sorted. `threads`: 0 for all cores.
std::vector<std::pair<uint32_t, uint32_t>> ReuseCandidates(
    const std::vector<DocumentPhrases>& documents, const ReuseCandidateOptions& options,
    int threads = 1);

}  // namespace claimdiff

#endif  // CLAIMDIFF_SIMILARITY_SYNDICATION_H_
