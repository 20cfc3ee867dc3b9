// The stage functions (report/stages.h) split a corpus into parts and shuffle partitions and
// give exactly what compare computes on the whole: repeat flags, document frequencies, verified
// LSH pairs (same pairs, same cosines) and the report.
#include "report/stages.h"

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
};

Distributed RunStages(const std::vector<Document>& docs, const CompareOptions& options,
                      size_t parts, uint32_t partitions) {
  const std::vector<std::vector<Document>> split = Split(docs, parts);
  std::vector<RepeatTable> repeat_parts;
  for (const auto& part : split) {
    repeat_parts.push_back(RoundTrip(*CountRepeats(part, options), ParseRepeats, SerializeRepeats));
  }
  const RepeatTable repeats = RoundTrip(
      MergeRepeats(repeat_parts, static_cast<uint32_t>(options.boilerplate.min_repeat_docs)),
      ParseRepeats, SerializeRepeats);
  std::vector<DocumentFrequencies> df_parts;
  for (const auto& part : split) {
    df_parts.push_back(RoundTrip(*CountFrequencies(part, options, repeats), ParseFrequencies,
                                 SerializeFrequencies));
  }
  const DocumentFrequencies df =
      RoundTrip(MergeFrequencies(df_parts), ParseFrequencies, SerializeFrequencies);
  Distributed out;
  std::vector<std::vector<SketchPiece>> by_partition(partitions);
  for (size_t k = 0; k < split.size(); ++k) {
    absl::StatusOr<Sketch> sketch =
        SketchPart(split[k], options, repeats, df, static_cast<uint32_t>(k), partitions);
    EXPECT_TRUE(sketch.ok()) << sketch.status();
    out.spans += sketch->spans;
    out.documents.push_back(RoundTrip(sketch->documents, ParseDocuments, SerializeDocuments));
    for (const SketchPiece& piece : sketch->pieces) {
      by_partition[piece.partition].push_back(RoundTrip(piece, ParsePiece, SerializePiece));
    }
  }
  for (auto& pieces : by_partition) {
    absl::StatusOr<std::vector<RefPair>> pairs =
        PartitionCandidates(std::move(pieces), options.threshold, 2);
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
  std::printf("%zu documents, %zu parts, %u partitions: %zu verified pairs\n", docs.size(), parts,
              partitions, expected.size());
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
