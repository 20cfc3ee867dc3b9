// The stage functions (report/stages.h) split a corpus into parts and shuffle partitions and
// give exactly what compare computes on the whole: repeat flags, document frequencies, verified
// LSH pairs (same pairs, same cosines) and the report.
#include "report/stages.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/ingest.h"
#include "gtest/gtest.h"
#include "report/analysis.h"
#include "report/render.h"
#include "similarity/minhash.h"

namespace claimdiff {
namespace {

std::vector<Document> Fixtures() {
  LocalFileSystem fs;
  return LoadInputs({std::string(CLAIMDIFF_SOURCE_DIR) + "/fixtures/exchange-hack"}, fs).documents;
}

std::vector<Document> Generated(int docs) {
  const std::string dir = testing::TempDir();
  const std::string corpus = dir + "/stages_corpus.jsonl";
  const std::string command = "python3 '" + std::string(CLAIMDIFF_SHARED_DIR) +
                              "/bench/make_corpus.py' --docs " + std::to_string(docs) + " --out '" +
                              corpus + "' --truth '" + dir + "/stages_truth.jsonl'";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  LocalFileSystem fs;
  return LoadInputs({corpus}, fs).documents;
}

// Document d goes to part d % parts: parts need not be ranges of ids.
std::vector<std::vector<Document>> Split(const std::vector<Document>& docs, size_t parts) {
  std::vector<std::vector<Document>> out(parts);
  for (size_t d = 0; d < docs.size(); ++d) out[d % parts].push_back(docs[d]);
  return out;
}

// Every stage through its serialized form, as the command line runs them.
template <typename T, typename Parse, typename Serialize>
T RoundTrip(const T& value, const Parse& parse, const Serialize& serialize) {
  absl::StatusOr<T> back = parse(serialize(value), "test");
  EXPECT_TRUE(back.ok()) << back.status();
  return *std::move(back);
}

struct Distributed {
  std::vector<PartDocuments> documents;
  std::vector<RefPair> pairs;
  uint64_t spans = 0;
  uint64_t selected_spans = 0;  // features sent from one part to another
};

Distributed RunStages(const std::vector<Document>& docs, const CompareOptions& options,
                      size_t parts, uint32_t partitions) {
  const std::vector<std::vector<Document>> split = Split(docs, parts);
  // Partitioned reduces with 3 hash pieces: piece r of every part merged by task r.
  constexpr uint32_t kReduces = 3;
  std::vector<std::vector<RepeatTable>> repeat_pieces(kReduces);
  for (const auto& part : split) {
    const std::vector<RepeatTable> pieces = SplitRepeats(*CountRepeats(part, options), kReduces);
    for (uint32_t r = 0; r < kReduces; ++r) {
      repeat_pieces[r].push_back(RoundTrip(pieces[r], ParseRepeats, SerializeRepeats));
    }
  }
  std::vector<RepeatTable> repeat_merged;
  for (const auto& pieces : repeat_pieces) {
    repeat_merged.push_back(
        RoundTrip(MergeRepeats(pieces, static_cast<uint32_t>(options.boilerplate.min_repeat_docs)),
                  ParseRepeats, SerializeRepeats));
  }
  const RepeatTable repeats =
      RoundTrip(*JoinRepeats(repeat_merged), ParseRepeats, SerializeRepeats);
  std::vector<std::vector<DocumentFrequencies>> own(split.size());  // [part][piece]
  std::vector<std::vector<DocumentFrequencies>> df_pieces(kReduces);
  for (size_t k = 0; k < split.size(); ++k) {
    own[k] = SplitFrequencies(*CountFrequencies(split[k], options, repeats), kReduces);
    for (uint32_t r = 0; r < kReduces; ++r) {
      df_pieces[r].push_back(RoundTrip(own[k][r], ParseFrequencies, SerializeFrequencies));
    }
  }
  std::vector<DocumentFrequencies> df_merged;
  for (const auto& pieces : df_pieces) df_merged.push_back(MergeFrequencies(pieces));
  // Each part's own features' corpus counts.
  std::vector<DocumentFrequencies> part_df;
  for (size_t k = 0; k < split.size(); ++k) {
    std::vector<DocumentFrequencies> looked_up;
    for (uint32_t r = 0; r < kReduces; ++r) {
      absl::StatusOr<DocumentFrequencies> l = LookupFrequencies(df_merged[r], own[k][r]);
      EXPECT_TRUE(l.ok()) << l.status();
      looked_up.push_back(RoundTrip(*l, ParseFrequencies, SerializeFrequencies));
    }
    part_df.push_back(*JoinFrequencies(looked_up));
  }
  Distributed out;
  std::vector<std::vector<SketchPiece>> by_partition(partitions);
  std::vector<PartFeatures> features;
  for (size_t k = 0; k < split.size(); ++k) {
    absl::StatusOr<Sketch> sketch =
        SketchPart(split[k], options, repeats, part_df[k], static_cast<uint32_t>(k), partitions);
    EXPECT_TRUE(sketch.ok()) << sketch.status();
    out.spans += sketch->spans;
    out.documents.push_back(RoundTrip(sketch->documents, ParseDocuments, SerializeDocuments));
    features.push_back(RoundTrip(sketch->features, ParseFeatures, SerializeFeatures));
    for (const SketchPiece& piece : sketch->pieces) {
      by_partition[piece.partition].push_back(RoundTrip(piece, ParsePiece, SerializePiece));
    }
  }
  // candidates: per shuffle partition, lists per owner part and requests per part.
  const auto n = static_cast<uint32_t>(split.size());
  std::vector<std::vector<CandidateList>> owned(n);
  std::vector<std::vector<NeedList>> needs(n);
  for (auto& pieces : by_partition) {
    absl::StatusOr<CandidateSplit> c = PartitionCandidates(std::move(pieces), n);
    EXPECT_TRUE(c.ok()) << c.status();
    EXPECT_EQ(c->owned.size(), n);
    for (uint32_t k = 0; k < n; ++k) {
      for (const RefPair& p : c->owned[k].pairs) EXPECT_EQ(PairOwner(p.a, p.b), k);
      owned[k].push_back(RoundTrip(c->owned[k], ParseCandidates, SerializeCandidates));
      needs[k].push_back(RoundTrip(c->needs[k], ParseNeeds, SerializeNeeds));
    }
  }
  // select: each part sends the features asked for; verify: each owner part.
  std::vector<std::vector<PartFeatures>> received(n);
  for (uint32_t j = 0; j < n; ++j) {
    absl::StatusOr<std::vector<std::pair<uint32_t, PartFeatures>>> selected =
        SelectFeatures(features[j], needs[j]);
    EXPECT_TRUE(selected.ok()) << selected.status();
    for (const auto& [to, part] : *selected) {
      EXPECT_NE(to, j);
      received[to].push_back(RoundTrip(part, ParseFeatures, SerializeFeatures));
      out.selected_spans += part.spans.size();
    }
  }
  for (uint32_t k = 0; k < n; ++k) {
    received[k].push_back(features[k]);
    absl::StatusOr<std::vector<RefPair>> pairs =
        VerifyPairs(std::move(received[k]), std::move(owned[k]), options.threshold, 2);
    EXPECT_TRUE(pairs.ok()) << pairs.status();
    auto [back, threshold] = *ParsePairs(SerializePairs(*pairs, options.threshold), "test");
    EXPECT_EQ(threshold, options.threshold);
    out.pairs.insert(out.pairs.end(), back.begin(), back.end());
  }
  return out;
}

// The distributed pairs equal Generate's on the whole corpus (cosines bit for bit), and the
// report equals compare's.
void ExpectSameAsCompare(const std::vector<Document>& docs, CompareOptions options, size_t parts,
                         uint32_t partitions) {
  options.candidates = CandidateMode::kLsh;
  const Distributed dist = RunStages(docs, options, parts, partitions);
  Analysis whole = *Analyze(docs, options, {});
  EXPECT_EQ(dist.spans, whole.report.spans.size());
  const std::vector<ScoredPair> expected =
      MinHashLshCandidates(whole.tfidf, options.minhash, 2)
          .Generate(whole.tfidf.rows, whole.eligible, options.threshold);
  absl::StatusOr<std::vector<ScoredPair>> got = ResolvePairs(whole, dist.documents, dist.pairs);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), expected.size());
  for (size_t k = 0; k < expected.size(); ++k) {
    EXPECT_EQ((*got)[k].a, expected[k].a);
    EXPECT_EQ((*got)[k].b, expected[k].b);
    EXPECT_EQ((*got)[k].similarity, expected[k].similarity);  // exactly
  }
  std::printf("%zu documents, %zu parts, %u partitions: %zu verified pairs, %llu features sent\n",
              docs.size(), parts, partitions, expected.size(),
              static_cast<unsigned long long>(dist.selected_spans));
  options.word_diffs = false;
  whole.report.options.word_diffs = false;
  const std::string compare = RenderJson(*BuildReport(docs, options, {}));
  const std::string distributed = RenderJson(*BuildReportFrom(std::move(whole), *std::move(got)));
  EXPECT_EQ(distributed, compare);
}

TEST(Stages, FixturesSplitAnyWayGiveComparesPairsAndReport) {
  const std::vector<Document> docs = Fixtures();
  ASSERT_EQ(docs.size(), 5u);
  ExpectSameAsCompare(docs, {}, 1, 1);
  ExpectSameAsCompare(docs, {}, 2, 3);
  ExpectSameAsCompare(docs, {}, 5, 7);
}

TEST(Stages, GeneratedCorpusWithTheLargeCorpusSettings) {
  const std::vector<Document> docs = Generated(150);
  ASSERT_EQ(docs.size(), 150u);
  CompareOptions options;
  ExpectSameAsCompare(docs, options, 3, 4);
  // Above common_scale_rows comparable spans LSH takes bands of 2 rows and a smaller df cap:
  // lowered here so that 150 documents exercise it.
  options.minhash.common_scale_rows = 1000;
  options.minhash.max_bucket = 40;  // and some buckets are skipped as too large
  ExpectSameAsCompare(docs, options, 4, 5);
}

TEST(Stages, RepeatsAcrossPartsFlagFurnitureAsTheWholeCorpusDoes) {
  // A short line in three documents is furniture; each part holds one of them.
  std::vector<Document> docs;
  for (int d = 0; d < 3; ++d) {
    Document doc;
    doc.id = absl::StrCat("d", d);
    const std::string n = absl::StrCat(d);
    doc.text = absl::StrCat("عنوان الخبر رقم ", n,
                            "\nتابعوا آخر الأخبار العاجلة\nأعلنت الوزارة اليوم عن خطة جديدة "
                            "للنقل العام في المدينة رقم ",
                            n, ".\n");
    docs.push_back(std::move(doc));
  }
  const CompareOptions options;
  const Analysis whole = *Analyze(docs, options, {});
  const std::vector<std::vector<Document>> split = Split(docs, 3);
  std::vector<RepeatTable> tables;
  for (const auto& part : split) tables.push_back(*CountRepeats(part, options));
  const RepeatTable repeats = MergeRepeats(tables, 3);
  EXPECT_EQ(repeats.documents, 3u);
  EXPECT_FALSE(repeats.entries.empty());
  size_t flagged = 0;
  for (size_t k = 0; k < split.size(); ++k) {
    const CorpusRepeats corpus = repeats.AsCorpus();
    CorpusCounts counts;
    counts.repeats = &corpus;
    const Analysis alone = *AnalyzeSpans(split[k], options, {}, nullptr, CorpusCounts{});
    const Analysis part = *AnalyzeSpans(split[k], options, {}, nullptr, counts);
    const uint32_t first = whole.report.first_span[k];
    ASSERT_EQ(part.report.spans.size(), whole.report.first_span[k + 1] - first);
    for (size_t i = 0; i < part.report.spans.size(); ++i) {
      EXPECT_EQ(part.report.spans[i].boilerplate, whole.report.spans[first + i].boilerplate) << i;
      flagged += part.report.spans[i].boilerplate && !alone.report.spans[i].boilerplate;
    }
  }
  EXPECT_EQ(flagged, 3u);  // the repeated line, once per document, seen only across parts
}

TEST(Stages, MergedFrequenciesAreTheWholeCorpusFrequencies) {
  const std::vector<Document> docs = Fixtures();
  const CompareOptions options;
  const Analysis whole = *Analyze(docs, options, {});
  const DocumentFrequencies expected = OwnDocumentFrequencies(whole.tfidf, whole.eligible);
  const std::vector<std::vector<Document>> split = Split(docs, 2);
  std::vector<RepeatTable> tables;
  for (const auto& part : split) tables.push_back(*CountRepeats(part, options));
  const RepeatTable repeats = MergeRepeats(tables, 3);
  std::vector<DocumentFrequencies> parts;
  for (const auto& part : split) parts.push_back(*CountFrequencies(part, options, repeats));
  const DocumentFrequencies merged = MergeFrequencies(parts);
  EXPECT_EQ(merged.counted_rows, expected.counted_rows);
  EXPECT_EQ(merged.counts, expected.counts);
}

TEST(Stages, PartitionedReducesGiveTheWholeTables) {
  const std::vector<Document> docs = Fixtures();
  const CompareOptions options;
  const std::vector<std::vector<Document>> split = Split(docs, 2);
  const RepeatTable whole_repeats = *CountRepeats(docs, options);
  std::vector<RepeatTable> pieces = SplitRepeats(whole_repeats, 4);
  ASSERT_EQ(pieces.size(), 4u);
  absl::StatusOr<RepeatTable> joined = JoinRepeats(pieces);
  ASSERT_TRUE(joined.ok()) << joined.status();
  EXPECT_EQ(joined->documents, whole_repeats.documents);
  EXPECT_EQ(joined->entries.size(), whole_repeats.entries.size());
  pieces.push_back(pieces[0]);  // overlapping pieces are not pieces of one table
  EXPECT_FALSE(JoinRepeats(pieces).ok());

  const DocumentFrequencies whole = *CountFrequencies(docs, options, whole_repeats);
  const DocumentFrequencies part0 = *CountFrequencies(split[0], options, whole_repeats);
  // A part's lookup holds the corpus's counts of exactly its own features.
  absl::StatusOr<DocumentFrequencies> looked_up = LookupFrequencies(whole, part0);
  ASSERT_TRUE(looked_up.ok()) << looked_up.status();
  EXPECT_EQ(looked_up->counted_rows, whole.counted_rows);
  ASSERT_EQ(looked_up->counts.size(), part0.counts.size());
  for (const auto& [hash, count] : looked_up->counts) {
    const auto it = std::lower_bound(whole.counts.begin(), whole.counts.end(),
                                     std::pair<uint64_t, uint32_t>(hash, 0));
    ASSERT_NE(it, whole.counts.end());
    EXPECT_EQ(it->first, hash);
    EXPECT_EQ(it->second, count);
  }
  EXPECT_LT(looked_up->counts.size(), whole.counts.size());
  // A part that was not merged is refused.
  EXPECT_FALSE(LookupFrequencies(part0, whole).ok());
  absl::StatusOr<DocumentFrequencies> rejoined = JoinFrequencies(SplitFrequencies(whole, 3));
  ASSERT_TRUE(rejoined.ok());
  EXPECT_EQ(rejoined->counts, whole.counts);
}

TEST(Stages, BadFilesAreRejectedWithTheByteOffset) {
  RepeatTable t;
  t.documents = 2;
  t.entries.push_back({1, 2, 3});
  const std::string bytes = SerializeRepeats(t);
  EXPECT_EQ(ParseRepeats(bytes, "r").value().entries.size(), 1u);
  absl::StatusOr<RepeatTable> truncated = ParseRepeats(bytes.substr(0, bytes.size() - 1), "r.bin");
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(std::string(truncated.status().message()).find("r.bin: byte "), std::string::npos)
      << truncated.status();
  EXPECT_NE(std::string(truncated.status().message()).find("truncated"), std::string::npos);
  absl::StatusOr<DocumentFrequencies> wrong = ParseFrequencies(bytes, "r.bin");
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(std::string(wrong.status().message()).find("magic 'CDDF'"), std::string::npos)
      << wrong.status();
  std::string future = SerializePairs({}, 0.3f);
  future[4] = 9;  // version 9
  absl::StatusOr<std::pair<std::vector<RefPair>, float>> version = ParsePairs(future, "p");
  ASSERT_FALSE(version.ok());
  EXPECT_NE(std::string(version.status().message()).find("format version 9"), std::string::npos);
  const std::string extra = absl::StrCat(SerializeRepeats(t), "x");
  EXPECT_FALSE(ParseRepeats(extra, "r").ok());
}

TEST(Stages, PairsAreOwnedByOnePartAndFeaturesTravelOnlyWhereNeeded) {
  // Same part: that part; otherwise alternating by the parity of the two part numbers, so each
  // part verifies about half of the pairs it shares with any other.
  EXPECT_EQ(PairOwner({3, 1}, {3, 9}), 3u);
  EXPECT_EQ(PairOwner({0, 1}, {2, 0}), 0u);
  EXPECT_EQ(PairOwner({0, 1}, {1, 0}), 1u);
  EXPECT_EQ(PairOwner({1, 5}, {2, 0}), 2u);

  PartFeatures part2{2, {{4, {{10, 0.6f}, {20, 0.8f}}}, {7, {{10, 1.0f}}}}};
  NeedList from_q0{2, 0, {{0, 4}}};
  NeedList from_q1{2, 1, {{0, 4}, {1, 7}}};
  absl::StatusOr<std::vector<std::pair<uint32_t, PartFeatures>>> selected =
      SelectFeatures(part2, {from_q0, from_q1});
  ASSERT_TRUE(selected.ok()) << selected.status();
  ASSERT_EQ(selected->size(), 2u);  // part 0 gets span 4 (asked twice, sent once); part 1 span 7
  EXPECT_EQ((*selected)[0].first, 0u);
  ASSERT_EQ((*selected)[0].second.spans.size(), 1u);
  EXPECT_EQ((*selected)[0].second.spans[0].span, 4u);
  EXPECT_EQ((*selected)[1].first, 1u);
  EXPECT_EQ((*selected)[1].second.spans[0].span, 7u);
  // A request for a span without features, or requests to another part, are errors.
  EXPECT_FALSE(SelectFeatures(part2, {NeedList{2, 0, {{0, 5}}}}).ok());
  EXPECT_FALSE(SelectFeatures(part2, {NeedList{1, 0, {{0, 4}}}}).ok());

  // Part 0 verifies (0,3)-(2,4): its own features and the selection from part 2.
  PartFeatures part0{0, {{3, {{10, 0.6f}, {20, 0.8f}}}}};
  CandidateList owned{0, 0, {{{0, 3}, {2, 4}, 0.0f}}};
  absl::StatusOr<std::vector<RefPair>> pairs =
      VerifyPairs({part0, (*selected)[0].second}, {owned, owned}, 0.3f, 1);
  ASSERT_TRUE(pairs.ok()) << pairs.status();
  ASSERT_EQ(pairs->size(), 1u);  // found in two shuffle partitions, verified once
  EXPECT_FLOAT_EQ((*pairs)[0].similarity, 1.0f);
  // Without the selection the pair cannot be verified; a pair another part owns is refused.
  absl::StatusOr<std::vector<RefPair>> missing = VerifyPairs({part0}, {owned}, 0.3f, 1);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(std::string(missing.status().message()).find("no features for span 4 of part 2"),
            std::string::npos)
      << missing.status();
  CandidateList wrong{2, 0, {{{0, 3}, {2, 4}, 0.0f}}};
  EXPECT_FALSE(VerifyPairs({part0, (*selected)[0].second}, {wrong}, 0.3f, 1).ok());
  // A piece of a part beyond the corpus's parts is refused.
  SketchPiece piece;
  piece.part = 5;
  EXPECT_FALSE(PartitionCandidates({piece}, 2).ok());
}

TEST(Stages, ResolvePairsRejectsPartsThatAreNotTheInput) {
  const std::vector<Document> docs = Fixtures();
  const CompareOptions options;
  const Analysis whole = *Analyze(docs, options, {});
  PartDocuments part;
  part.part = 0;
  for (const Document& d : docs) part.documents.emplace_back(d.id, 1);  // wrong span counts
  EXPECT_FALSE(ResolvePairs(whole, {part}, {}).ok());
  part.documents.pop_back();  // a document missing
  EXPECT_FALSE(ResolvePairs(whole, {part}, {}).ok());
}

}  // namespace
}  // namespace claimdiff
