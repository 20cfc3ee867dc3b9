// JSON Lines read in chunks: the documents and errors must not depend on where chunks end.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "core/ingest.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace claimdiff {
namespace {

using testing::ElementsAre;
using testing::HasSubstr;
using testing::Pair;

using Lines = std::vector<std::pair<int64_t, std::string>>;

// The lines a splitter visits when `bytes` is fed in chunks of `chunk` bytes.
Lines SplitInChunks(std::string_view bytes, size_t chunk) {
  Lines lines;
  JsonLineSplitter splitter(
      [&](int64_t n, std::string_view line) { lines.emplace_back(n, std::string(line)); });
  for (size_t pos = 0; pos < bytes.size(); pos += chunk) splitter.Feed(bytes.substr(pos, chunk));
  splitter.Finish();
  return lines;
}

Lines SplitWhole(std::string_view bytes) {
  Lines lines;
  ForEachJsonLine(
      bytes, [&](int64_t n, std::string_view line) { lines.emplace_back(n, std::string(line)); });
  return lines;
}

LoadedInputs LoadStreamed(const std::string& path, const std::string& bytes, size_t chunk,
                          const LoadOptions& options = {}) {
  MemoryFileSystem fs;
  fs.SetChunkBytes(chunk);
  fs.AddFile(path, bytes);
  return LoadInputs({path}, fs, options);
}

auto DocumentFields(const Document& d) {
  return std::tie(d.id, d.title, d.outlet, d.url, d.published, d.source, d.line, d.text);
}

auto ErrorFields(const InputError& e) { return std::tie(e.source, e.line, e.offset, e.message); }

void ExpectSameDocuments(const std::vector<Document>& a, const std::vector<Document>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_TRUE(DocumentFields(a[i]) == DocumentFields(b[i]))
        << "document " << i << ": " << a[i].id;
  }
}

void ExpectSameErrors(const std::vector<InputError>& a, const std::vector<InputError>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_TRUE(ErrorFields(a[i]) == ErrorFields(b[i]))
        << FormatInputError(a[i]) << " vs " << FormatInputError(b[i]);
  }
}

const std::string kBom = "\xEF\xBB\xBF";

// BOM, CRLF, a blank line, a whitespace-only line, Arabic text and no final newline.
const std::string kTricky = kBom +
                            "{\"id\":\"a\",\"text\":\"first\"}\r\n"
                            "\n"
                            " \t\r\n"
                            "{\"id\":\"b\",\"text\":\"نص عربي\"}\n"
                            "{\"id\":\"c\",\"text\":\"last\"}";

TEST(JsonLineSplitter, LinesStraddlingChunksAreAssembled) {
  for (size_t chunk : {size_t{1}, size_t{3}, size_t{7}}) {
    SCOPED_TRACE(absl::StrCat("chunk ", chunk));
    EXPECT_THAT(SplitInChunks(kTricky, chunk),
                ElementsAre(Pair(1, "{\"id\":\"a\",\"text\":\"first\"}"),
                            Pair(4, "{\"id\":\"b\",\"text\":\"نص عربي\"}"),
                            Pair(5, "{\"id\":\"c\",\"text\":\"last\"}")));
  }
}

TEST(JsonLineSplitter, EveryChunkSizeSeesWhatForEachJsonLineSees) {
  const Lines whole = SplitWhole(kTricky);
  ASSERT_EQ(whole.size(), 3u);
  for (size_t chunk = 1; chunk <= kTricky.size() + 1; ++chunk) {
    EXPECT_EQ(SplitInChunks(kTricky, chunk), whole) << "chunk " << chunk;
  }
}

TEST(JsonLineSplitter, CrLfSplitBetweenChunksIsOneLineEnd) {
  Lines lines;
  JsonLineSplitter splitter(
      [&](int64_t n, std::string_view line) { lines.emplace_back(n, std::string(line)); });
  splitter.Feed("{\"id\":\"a\"}\r");
  splitter.Feed("\n{\"id\":\"b\"}\r");
  splitter.Feed("\n");
  splitter.Finish();
  EXPECT_THAT(lines, ElementsAre(Pair(1, "{\"id\":\"a\"}"), Pair(2, "{\"id\":\"b\"}")));
  EXPECT_EQ(splitter.lines(), 2);
}

TEST(JsonLineSplitter, ByteOrderMarkSplitAcrossChunksIsRemoved) {
  Lines lines;
  JsonLineSplitter splitter(
      [&](int64_t n, std::string_view line) { lines.emplace_back(n, std::string(line)); });
  splitter.Feed("\xEF");
  splitter.Feed("\xBB");
  splitter.Feed("\xBF{\"id\":1}\n\xEF\xBB");
  splitter.Feed("\xBF{\"id\":2}\n");
  splitter.Finish();
  // Only the mark that starts the input is removed, as for ForEachJsonLine.
  EXPECT_THAT(lines, ElementsAre(Pair(1, "{\"id\":1}"), Pair(2, kBom + "{\"id\":2}")));
}

TEST(JsonLineSplitter, FinalLineWithoutNewlineIsVisitedOnlyAtFinish) {
  Lines lines;
  JsonLineSplitter splitter(
      [&](int64_t n, std::string_view line) { lines.emplace_back(n, std::string(line)); });
  splitter.Feed("{\"id\":1}\n{\"id\"");
  splitter.Feed(":2}");
  EXPECT_THAT(lines, ElementsAre(Pair(1, "{\"id\":1}")));
  splitter.Finish();
  EXPECT_THAT(lines, ElementsAre(Pair(1, "{\"id\":1}"), Pair(2, "{\"id\":2}")));
  EXPECT_EQ(splitter.lines(), 2);
}

TEST(JsonLineSplitter, TrailingNewlineAndEmptyInputAddNoLine) {
  EXPECT_THAT(SplitInChunks("{\"id\":1}\n", 2), ElementsAre(Pair(1, "{\"id\":1}")));
  EXPECT_TRUE(SplitInChunks("", 1).empty());
  EXPECT_TRUE(SplitInChunks("\n\n\r\n", 1).empty());
}

TEST(MemoryFileSystem, ReadChunksPassesTheFileInChunksOfTheSetSize) {
  MemoryFileSystem fs;
  fs.AddFile("f", "abcdefgh");
  fs.SetChunkBytes(3);
  std::vector<std::string> chunks;
  ASSERT_TRUE(fs.ReadChunks("f", [&](std::string_view c) {
                  chunks.emplace_back(c);
                  return true;
                }).ok());
  EXPECT_THAT(chunks, ElementsAre("abc", "def", "gh"));

  chunks.clear();
  ASSERT_TRUE(fs.ReadChunks("f", [&](std::string_view c) {
                  chunks.emplace_back(c);
                  return false;  // stop after the first
                }).ok());
  EXPECT_THAT(chunks, ElementsAre("abc"));

  const absl::Status missing = fs.ReadChunks("g", [](std::string_view) { return true; });
  EXPECT_EQ(missing.message(), "cannot open: No such file or directory");
}

TEST(LoadInputsStreamed, MultiByteCharacterSplitAcrossChunksIsKeptWhole) {
  const std::string line = "{\"id\":\"ar\",\"text\":\"قال الوزير\"}\n";
  const size_t inside = line.find("ق") + 1;  // between the two bytes of ق
  ASSERT_EQ(static_cast<unsigned char>(line[inside]) & 0xC0, 0x80);
  Lines lines;
  JsonLineSplitter splitter(
      [&](int64_t n, std::string_view l) { lines.emplace_back(n, std::string(l)); });
  splitter.Feed(std::string_view(line).substr(0, inside));
  splitter.Feed(std::string_view(line).substr(inside));
  splitter.Finish();
  EXPECT_THAT(lines, ElementsAre(Pair(1, line.substr(0, line.size() - 1))));

  for (size_t chunk : {size_t{1}, size_t{3}, size_t{7}, inside}) {
    const LoadedInputs in = LoadStreamed("ar.jsonl", line, chunk);
    EXPECT_TRUE(in.errors.empty()) << "chunk " << chunk;
    ASSERT_EQ(in.documents.size(), 1u);
    EXPECT_EQ(in.documents[0].text, "قال الوزير");
  }
}

TEST(LoadInputsStreamed, FinalLineWithoutNewlineIsRead) {
  for (size_t chunk : {size_t{1}, size_t{3}, size_t{7}, size_t{1000}}) {
    SCOPED_TRACE(absl::StrCat("chunk ", chunk));
    const LoadedInputs in = LoadStreamed("d.jsonl", kTricky, chunk);
    EXPECT_TRUE(in.errors.empty());
    ASSERT_EQ(in.documents.size(), 3u);
    EXPECT_EQ(in.documents[0].id, "a");  // the BOM did not stick to the first line
    EXPECT_EQ(in.documents[0].line, 1);
    EXPECT_EQ(in.documents[1].text, "نص عربي");
    EXPECT_EQ(in.documents[2].id, "c");
    EXPECT_EQ(in.documents[2].text, "last");
    EXPECT_EQ(in.documents[2].line, 5);
    EXPECT_EQ(in.documents[2].source, "d.jsonl");
  }
}

TEST(LoadInputsStreamed, InvalidUtf8OffsetsAreThoseOfTheWholeFilePath) {
  const std::string line2 = "{\"id\":\"b\",\"text\":\"bad \xFF byte\"}";
  const std::string line3 = "{\"id\":\"c\",\"title\":\"\xC3\x28\",\"text\":\"x\"}";
  const std::string bytes = "{\"id\":\"a\",\"text\":\"ok\"}\n" + line2 + "\n" + line3 +
                            "\r\n{\"id\":\"d\",\"text\":\"ok too\"}";
  std::vector<Document> docs;
  std::vector<InputError> whole;
  ParseJsonLines("u.jsonl", bytes, &docs, &whole);
  ASSERT_EQ(whole.size(), 2u);
  // The offset is that of the bad byte within its line.
  EXPECT_EQ(whole[0].line, 2);
  EXPECT_EQ(whole[0].offset, static_cast<int64_t>(line2.find('\xFF')));
  EXPECT_EQ(whole[1].line, 3);
  EXPECT_EQ(whole[1].offset, static_cast<int64_t>(line3.find('\xC3')));
  EXPECT_EQ(FormatInputError(whole[0]),
            absl::StrCat("u.jsonl:2: malformed JSON at byte ", line2.find('\xFF'),
                         ": Invalid encoding in string."));
  for (size_t chunk : {size_t{1}, size_t{3}, size_t{7}, size_t{20}}) {
    SCOPED_TRACE(absl::StrCat("chunk ", chunk));
    const LoadedInputs in = LoadStreamed("u.jsonl", bytes, chunk);
    ExpectSameErrors(in.errors, whole);
    ExpectSameDocuments(in.documents, docs);
  }
}

TEST(LoadInputsStreamed, MaxDocumentBytesIsRespected) {
  LoadOptions options;
  options.max_document_bytes = 10;
  const std::string bytes =
      "{\"id\":\"long\",\"text\":\"eleven byte\"}\n"
      "{\"id\":\"short\",\"text\":\"ten bytes!\"}\n";
  for (size_t chunk : {size_t{1}, size_t{3}, size_t{7}}) {
    SCOPED_TRACE(absl::StrCat("chunk ", chunk));
    const LoadedInputs in = LoadStreamed("m.jsonl", bytes, chunk, options);
    ASSERT_EQ(in.documents.size(), 1u);
    EXPECT_EQ(in.documents[0].id, "short");
    ASSERT_EQ(in.errors.size(), 1u);
    EXPECT_EQ(FormatInputError(in.errors[0]),
              "m.jsonl:1: document \"long\": document of 11 bytes is over the limit of 10");
  }
}

TEST(LoadInputsStreamed, DuplicateIdsAcrossStreamedFilesKeepTheSmallerSourceAndLine) {
  MemoryFileSystem fs;
  fs.SetChunkBytes(3);
  fs.AddFile("b.jsonl", "{\"id\":\"x\",\"text\":\"from b\"}\n");
  fs.AddFile("a.jsonl",
             "{\"id\":\"y\",\"text\":\"y1\"}\n{\"id\":\"x\",\"text\":\"from a\"}\n"
             "{\"id\":\"y\",\"text\":\"y3\"}");
  const LoadedInputs in = LoadInputs({"b.jsonl", "a.jsonl"}, fs);
  ASSERT_EQ(in.documents.size(), 2u);
  EXPECT_EQ(in.documents[0].text, "from a");
  EXPECT_EQ(in.documents[1].text, "y1");
  ASSERT_EQ(in.errors.size(), 2u);
  // Reported in id order, after the per-line errors (none here).
  EXPECT_EQ(FormatInputError(in.errors[0]),
            "b.jsonl:1: duplicate document id \"x\" (kept the one from a.jsonl:2)");
  EXPECT_EQ(FormatInputError(in.errors[1]),
            "a.jsonl:3: duplicate document id \"y\" (kept the one from a.jsonl:1)");
}

// A JSON Lines file of `lines` lines with every kind of line: good ones (English, Arabic, long
// enough to span many chunks, with optional fields), CRLF ends, blank lines, malformed JSON,
// invalid UTF-8, missing fields, blank text, and a BOM in front. Ids are unique.
std::string GeneratedJsonLines(int lines, uint32_t seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint32_t>(n)); };
  const std::vector<std::string> words = {
      "the", "minister", "said",           "قال",     "الوزير", "إن",
      "٣٥",  "percent",  "\\\"quoted\\\"", "\\u0628", "ة"};
  std::string out = kBom;
  for (int i = 0; i < lines; ++i) {
    std::string text;
    const int n = pick(10) == 0 ? 2000 : 1 + pick(40);  // some lines of about 10 KB
    for (int w = 0; w < n; ++w)
      absl::StrAppend(&text, w ? " " : "", words[pick(static_cast<int>(words.size()))]);
    const std::string id = absl::StrCat("doc-", i);
    switch (pick(12)) {
      case 0:
        out.append("\n");  // blank
        break;
      case 1:
        absl::StrAppend(&out, "{\"id\":\"", id, "\",\"text\":\"", text, "\n");  // unterminated
        break;
      case 2:
        absl::StrAppend(&out, "{\"id\":\"", id, "\",\"text\":\"", text, " \xE2\x82 cut\"}\n");
        break;
      case 3:
        absl::StrAppend(&out, "{\"text\":\"", text, "\"}\n");  // no id
        break;
      case 4:
        absl::StrAppend(&out, "{\"id\":\"", id, "\",\"text\":\" \\t \"}\n");  // blank text
        break;
      case 5:
        absl::StrAppend(&out, "{\"id\":", i, ",\"text\":\"", text, "\"}\r\n");  // numeric id, CRLF
        break;
      default:
        absl::StrAppend(&out, "{\"id\":\"", id, "\",\"title\":\"t ", i,
                        "\",\"outlet\":", pick(2) ? "\"X\"" : "null", ",\"text\":\"", text, "\"}",
                        pick(3) == 0 ? "\r\n" : "\n");
    }
  }
  out.append("{\"id\":\"tail\",\"text\":\"no newline at the end\"}");
  return out;
}

TEST(LoadInputsStreamed, GeneratedInputGivesTheSameDocumentsAndErrorsAsWholeBytes) {
  const std::string bytes = GeneratedJsonLines(400, 7);
  std::vector<Document> docs;
  std::vector<InputError> errors;
  ParseJsonLines("gen.jsonl", bytes, &docs, &errors);
  std::sort(docs.begin(), docs.end(),
            [](const Document& a, const Document& b) { return a.id < b.id; });
  // The input exercises what it claims to: documents, errors of several kinds, long lines.
  ASSERT_GT(docs.size(), 200u);
  ASSERT_GT(errors.size(), 60u);
  EXPECT_TRUE(std::any_of(docs.begin(), docs.end(),
                          [](const Document& d) { return d.text.size() > 8000; }));
  for (size_t chunk :
       {size_t{1}, size_t{3}, size_t{7}, size_t{4096}, size_t{65536}, bytes.size()}) {
    SCOPED_TRACE(absl::StrCat("chunk ", chunk));
    const LoadedInputs in = LoadStreamed("gen.jsonl", bytes, chunk);
    ExpectSameDocuments(in.documents, docs);
    ExpectSameErrors(in.errors, errors);
  }
}

// Input of several parsing batches (8 MB each), parsed on 1 and 4 threads: the documents and the
// errors, in order, of a serial parse of the whole bytes.
TEST(LoadInputsStreamed, BatchesParsedOnSeveralThreadsGiveTheSerialResult) {
  std::string bytes;
  for (int part = 0; bytes.size() < (size_t{20} << 20); ++part) {
    std::string piece = GeneratedJsonLines(400, 100 + part);
    // Ids unique across pieces (string ids get "pN-" in front, numeric ones "1NN"); the tail
    // line of each piece ends with a newline here.
    absl::StrReplaceAll({{"\"id\":\"", "\x01"}}, &piece);
    absl::StrReplaceAll({{"\"id\":", absl::StrCat("\"id\":", 100 + part)}}, &piece);
    absl::StrReplaceAll({{"\x01", absl::StrCat("\"id\":\"p", part, "-")}}, &piece);
    absl::StrAppend(&bytes, piece, "\n");
  }
  std::vector<Document> docs;
  std::vector<InputError> errors;
  ParseJsonLines("big.jsonl", bytes, &docs, &errors);
  std::sort(docs.begin(), docs.end(),
            [](const Document& a, const Document& b) { return a.id < b.id; });
  ASSERT_GT(errors.size(), 300u);
  for (int threads : {1, 4}) {
    SCOPED_TRACE(absl::StrCat("threads ", threads));
    LoadOptions options;
    options.threads = threads;
    const LoadedInputs in = LoadStreamed("big.jsonl", bytes, 65536, options);
    ExpectSameDocuments(in.documents, docs);
    ExpectSameErrors(in.errors, errors);
  }
}

// Passes its files on in chunks, then fails after `fail_after` bytes of one file, as a disk
// error part way through would.
class FailingFileSystem final : public FileSystem {
 public:
  FailingFileSystem(std::string contents, size_t fail_after)
      : contents_(std::move(contents)), fail_after_(fail_after) {}
  Kind Stat(const std::string&) const override { return Kind::kFile; }
  std::vector<std::string> ListFiles(const std::string&, std::vector<InputError>*) const override {
    return {};
  }
  absl::StatusOr<std::string> ReadFile(const std::string&) const override {
    return absl::DataLossError("read failed: Input/output error");
  }
  absl::Status ReadChunks(const std::string&,
                          const std::function<bool(std::string_view)>& sink) const override {
    std::string_view rest = std::string_view(contents_).substr(0, fail_after_);
    while (!rest.empty()) {
      sink(rest.substr(0, 5));
      rest.remove_prefix(std::min<size_t>(5, rest.size()));
    }
    return absl::DataLossError("read failed: Input/output error");
  }

 private:
  std::string contents_;
  size_t fail_after_;
};

TEST(LoadInputsStreamed, ReadFailurePartWayKeepsEarlierLinesAndDropsTheUnfinishedOne) {
  const std::string first = "{\"id\":\"a\",\"text\":\"read\"}\n";
  const std::string bytes = first + "{\"id\":\"b\",\"text\":\"cut off\"}\n";
  const FailingFileSystem fs(bytes, first.size() + 12);
  const LoadedInputs in = LoadInputs({"f.jsonl"}, fs);
  ASSERT_EQ(in.documents.size(), 1u);
  EXPECT_EQ(in.documents[0].id, "a");
  ASSERT_EQ(in.errors.size(), 1u);
  EXPECT_EQ(in.errors[0].offset, static_cast<int64_t>(first.size() + 12));
  EXPECT_EQ(FormatInputError(in.errors[0]),
            absl::StrCat("f.jsonl: byte ", first.size() + 12, ": read failed: Input/output error"));
}

// Only ReadFile: the FileSystem default of ReadChunks makes JSON Lines work unchanged.
class WholeFileSystem final : public FileSystem {
 public:
  Kind Stat(const std::string& path) const override {
    return path == "w.jsonl" ? Kind::kFile : Kind::kMissing;
  }
  std::vector<std::string> ListFiles(const std::string&, std::vector<InputError>*) const override {
    return {};
  }
  absl::StatusOr<std::string> ReadFile(const std::string& path) const override {
    if (path != "w.jsonl") return absl::NotFoundError("cannot open: No such file or directory");
    return std::string("{\"id\":\"w\",\"text\":\"whole\"}\n{\"id\":\"v\",\"text\":\"file\"}");
  }
};

TEST(LoadInputsStreamed, FileSystemsWithoutStreamingStillReadJsonLines) {
  const WholeFileSystem fs;
  const LoadedInputs in = LoadInputs({"w.jsonl"}, fs);
  EXPECT_TRUE(in.errors.empty());
  ASSERT_EQ(in.documents.size(), 2u);
  EXPECT_EQ(in.documents[0].id, "v");
  EXPECT_EQ(in.documents[0].line, 2);
  EXPECT_EQ(in.documents[1].text, "whole");
  const absl::Status missing = fs.ReadChunks("x", [](std::string_view) { return true; });
  EXPECT_EQ(missing.message(), "cannot open: No such file or directory");
}

TEST(LocalFileSystem, ReadsJsonLinesLongerThanOneChunkFromDisk) {
  // Lines of about 100 KB, so lines straddle the 1 MiB chunks of LocalFileSystem.
  std::string bytes;
  for (int i = 0; i < 30; ++i) {
    absl::StrAppend(&bytes, "{\"id\":\"", i, "\",\"text\":\"", std::string(100'000 + i, 'x'),
                    i % 2 ? "\"}\r\n" : "\"}\n");
  }
  bytes.append("{\"id\":\"end\",\"text\":\"last\"}");
  ASSERT_GT(bytes.size(), 2 * LocalFileSystem::kChunkBytes);
  const std::string path = testing::TempDir() + "/claimdiff_stream_test.jsonl";
  {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
  }
  const LocalFileSystem fs;
  std::vector<size_t> sizes;
  std::string joined;
  ASSERT_TRUE(fs.ReadChunks(path, [&](std::string_view c) {
                  sizes.push_back(c.size());
                  joined.append(c);
                  return true;
                }).ok());
  EXPECT_EQ(joined, bytes);
  EXPECT_EQ(sizes.front(), LocalFileSystem::kChunkBytes);
  EXPECT_EQ(*fs.ReadFile(path), bytes);

  std::vector<Document> docs;
  std::vector<InputError> errors;
  ParseJsonLines(path, bytes, &docs, &errors);
  std::sort(docs.begin(), docs.end(),
            [](const Document& a, const Document& b) { return a.id < b.id; });
  const LoadedInputs in = LoadInputs({path}, fs);
  EXPECT_TRUE(in.errors.empty());
  ASSERT_EQ(in.documents.size(), 31u);
  ExpectSameDocuments(in.documents, docs);
  std::remove(path.c_str());

  const absl::Status missing = fs.ReadChunks(path + ".gone", [](std::string_view) { return true; });
  EXPECT_EQ(missing.message(), "cannot open: No such file or directory");
}

}  // namespace
}  // namespace claimdiff
