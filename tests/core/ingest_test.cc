#include "core/ingest.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace claimdiff {
namespace {

using testing::HasSubstr;

std::vector<std::string> Ids(const LoadedInputs& in) {
  std::vector<std::string> ids;
  for (const Document& d : in.documents) ids.push_back(d.id);
  return ids;
}

TEST(LoadInputs, TextFilesKeepTheirBytesAndTakeTheirIdFromTheName) {
  MemoryFileSystem fs;
  fs.AddFile("news/b.txt", "عنوان\r\nنص الخبر.\r\n");
  fs.AddFile("news/a.txt", "Title\n\nBody text.");
  fs.AddFile("news/notes.md", "ignored");
  const LoadedInputs in = LoadInputs({"news"}, fs);
  EXPECT_TRUE(in.errors.empty());
  ASSERT_EQ(Ids(in), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(in.documents[1].text, "عنوان\r\nنص الخبر.\r\n");
  EXPECT_EQ(in.documents[1].source, "news/b.txt");
  EXPECT_EQ(in.documents[1].line, 0);
}

TEST(LoadInputs, OrderOfPathsNeverChangesTheResult) {
  MemoryFileSystem fs;
  fs.AddFile("x/2.txt", "two words here");
  fs.AddFile("y/1.txt", "one words here");
  fs.AddFile("z.jsonl", "{\"id\":\"0\",\"text\":\"zero\"}\n");
  const LoadedInputs a = LoadInputs({"x", "y", "z.jsonl"}, fs);
  const LoadedInputs b = LoadInputs({"z.jsonl", "y", "x"}, fs);
  EXPECT_EQ(Ids(a), Ids(b));
  EXPECT_EQ(Ids(a), (std::vector<std::string>{"0", "1", "2"}));
}

TEST(LoadInputs, MissingPathIsReportedAndTheRestAreRead) {
  MemoryFileSystem fs;
  fs.AddFile("a.txt", "a document");
  const LoadedInputs in = LoadInputs({"nope.txt", "a.txt", "gone/"}, fs);
  EXPECT_EQ(Ids(in), (std::vector<std::string>{"a"}));
  ASSERT_EQ(in.errors.size(), 2u);
  EXPECT_EQ(in.errors[0].source, "nope.txt");
  EXPECT_EQ(FormatInputError(in.errors[0]), "nope.txt: no such file or folder");
}

TEST(LoadInputs, InvalidUtf8NamesTheByteOffset) {
  MemoryFileSystem fs;
  fs.AddFile("bad.txt", "abc\xC3\x28 more");
  fs.AddFile("good.txt", "fine text");
  const LoadedInputs in = LoadInputs({"bad.txt", "good.txt"}, fs);
  EXPECT_EQ(Ids(in), (std::vector<std::string>{"good"}));
  ASSERT_EQ(in.errors.size(), 1u);
  EXPECT_EQ(in.errors[0].offset, 3);
  EXPECT_EQ(FormatInputError(in.errors[0]), "bad.txt: invalid UTF-8 at byte 3");
}

TEST(LoadInputs, EmptyAndBlankDocumentsAreReported) {
  MemoryFileSystem fs;
  fs.AddFile("d/empty.txt", "");
  fs.AddFile("d/blank.txt", " \n\t\xC2\xA0\n");
  fs.AddFile("d/ok.txt", "text");
  const LoadedInputs in = LoadInputs({"d"}, fs);
  EXPECT_EQ(Ids(in), (std::vector<std::string>{"ok"}));
  ASSERT_EQ(in.errors.size(), 2u);
  EXPECT_THAT(in.errors[0].message, HasSubstr("empty document"));
}

TEST(LoadInputs, FolderWithoutArticlesIsReported) {
  MemoryFileSystem fs;
  fs.AddFile("d/readme.md", "x");
  const LoadedInputs in = LoadInputs({"d"}, fs);
  EXPECT_TRUE(in.documents.empty());
  ASSERT_EQ(in.errors.size(), 1u);
  EXPECT_THAT(in.errors[0].message, HasSubstr("no .txt or .jsonl"));
}

TEST(LoadInputs, DuplicateIdsKeepOneAndReportTheOther) {
  MemoryFileSystem fs;
  fs.AddFile("b/same.txt", "second copy");
  fs.AddFile("a/same.txt", "first copy");
  const LoadedInputs in = LoadInputs({"b", "a"}, fs);
  ASSERT_EQ(in.documents.size(), 1u);
  EXPECT_EQ(in.documents[0].text, "first copy");
  ASSERT_EQ(in.errors.size(), 1u);
  EXPECT_THAT(in.errors[0].message, HasSubstr("duplicate document id \"same\""));
}

TEST(ParseJsonLines, ReadsFieldsAndReportsEachBadLine) {
  std::vector<Document> docs;
  std::vector<InputError> errors;
  const std::string input =
      "{\"id\":\"a\",\"text\":\"نص أول\",\"title\":\"عنوان\",\"outlet\":\"X\",\"url\":null,"
      "\"published\":\"2021-07-19\"}\n"
      "{\"id\":\"b\",\"text\":\"unterminated\n"
      "\n"
      "{\"text\":\"no id\"}\n"
      "{\"id\":\"c\",\"text\":42}\n"
      "[1,2]\n"
      "{\"id\":\"d\",\"text\":\"ok\"} trailing\n"
      "{\"id\":\"e\",\"text\":\"  \"}\n"
      "{\"id\":\"f\",\"text\":\"last\",\"outlet\":7}\n"
      "{\"id\":7,\"text\":\"numeric id\"}";
  ParseJsonLines("drop.jsonl", input, &docs, &errors);
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0].id, "a");
  EXPECT_EQ(docs[0].title, "عنوان");
  EXPECT_EQ(docs[0].outlet, "X");
  EXPECT_FALSE(docs[0].url.has_value());
  EXPECT_EQ(docs[0].published, "2021-07-19");
  EXPECT_EQ(docs[0].line, 1);
  EXPECT_EQ(docs[1].id, "7");
  EXPECT_EQ(docs[1].line, 10);
  std::vector<int64_t> lines;
  for (const InputError& e : errors) lines.push_back(e.line);
  EXPECT_EQ(lines, (std::vector<int64_t>{2, 4, 5, 6, 7, 8, 9}));
  EXPECT_THAT(FormatInputError(errors[0]), HasSubstr("drop.jsonl:2: malformed JSON"));
  // The unterminated string: the offset is where the parser stopped within the line, carried
  // as a number, and the same one the message names; errors with no position carry none.
  EXPECT_GT(errors[0].offset, 0);
  EXPECT_THAT(errors[0].message, HasSubstr(absl::StrCat("at byte ", errors[0].offset, ":")));
  EXPECT_EQ(errors[1].offset, -1);
  EXPECT_EQ(errors[4].offset, 23);  // "trailing" after the object
  EXPECT_THAT(errors[1].message, HasSubstr("missing required field \"id\""));
  EXPECT_THAT(errors[2].message, HasSubstr("\"text\" must be a string"));
  EXPECT_THAT(errors[3].message, HasSubstr("must be an object"));
  EXPECT_THAT(errors[5].message, HasSubstr("empty document"));
  EXPECT_THAT(errors[6].message, HasSubstr("\"outlet\" must be a string"));
}

TEST(ParseJsonLines, InvalidUtf8InsideALineIsAnError) {
  std::vector<Document> docs;
  std::vector<InputError> errors;
  ParseJsonLines("x.jsonl",
                 "{\"id\":\"a\",\"text\":\"bad \xFF byte\"}\n{\"id\":\"b\",\"text\":\"ok\"}", &docs,
                 &errors);
  ASSERT_EQ(docs.size(), 1u);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 1);
}

// Regression (bad-input suite): "[[[[..." 200,000 deep overflowed the stack of the recursive
// JSON parser and killed the process. Now the line is an error and the next line is read.
TEST(LoadInputs, DeeplyNestedJsonIsAnErrorNotACrash) {
  MemoryFileSystem fs;
  const std::string deep(200000, '[');
  fs.AddFile("drop.jsonl",
             "{\"id\":\"a\",\"text\":\"x\",\"n\":" + deep + "\n" + std::string(65, '{') + "\n" +
                 "{\"id\":\"b\",\"text\":\"[[[[ in a string is fine\",\"n\":[[1]]}\n");
  const LoadedInputs in = LoadInputs({"drop.jsonl"}, fs);
  ASSERT_EQ(Ids(in), (std::vector<std::string>{"b"}));
  ASSERT_EQ(in.errors.size(), 2u);
  EXPECT_EQ(in.errors[0].line, 1);
  EXPECT_THAT(in.errors[0].message, HasSubstr("nested more than 64 levels deep"));
  EXPECT_EQ(in.errors[1].line, 2);
  EXPECT_EQ(FindTooDeepJson(std::string(64, '[')), std::nullopt);
  EXPECT_EQ(FindTooDeepJson(std::string(65, '[')), std::optional<size_t>(64));
  EXPECT_EQ(FindTooDeepJson("[\"\\\"[[[[\"]"), std::nullopt);
}

// Regression (bad-input suite): a .txt link in a loop of links was silently skipped, so a
// document given was lost without a word. Now reading it reports the loop.
TEST(LoadInputs, SymlinkLoopsInAFolderAreReported) {
  const std::string dir = testing::TempDir() + "/symlink-loop-" + std::to_string(getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir + "/sub");
  { std::ofstream(dir + "/good.txt") << "عنوان جيد هنا\nقال الوزير إن الهجوم أثر على الخوادم.\n"; }
  std::filesystem::create_symlink(dir + "/b.txt", dir + "/a.txt");
  std::filesystem::create_symlink(dir + "/a.txt", dir + "/b.txt");
  std::filesystem::create_directory_symlink(dir, dir + "/sub/up");  // a folder loop: not followed
  LocalFileSystem fs;
  const LoadedInputs in = LoadInputs({dir}, fs);
  EXPECT_EQ(Ids(in), (std::vector<std::string>{"good"}));
  ASSERT_EQ(in.errors.size(), 2u);
  EXPECT_THAT(in.errors[0].source, HasSubstr("a.txt"));
  EXPECT_THAT(in.errors[0].message, HasSubstr("symbolic links"));
  EXPECT_THAT(in.errors[1].source, HasSubstr("b.txt"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace claimdiff
