// JSON Lines ingest: any bytes, read whole and in chunks of every size the first byte picks.
// Properties: nothing is lost (each non-blank line is a document or an error), documents are
// valid UTF-8, not blank, sorted with unique ids; the chunk size never changes the result.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/ingest.h"
#include "core/utf8.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

claimdiff::LoadedInputs Load(std::string_view bytes, size_t chunk) {
  claimdiff::MemoryFileSystem fs;
  fs.SetChunkBytes(chunk);
  fs.AddFile("in/drop.jsonl", std::string(bytes));
  fs.AddFile("in/article.txt", std::string(bytes));
  return claimdiff::LoadInputs({"in"}, fs);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t chunk = 1 + data[0] % 17;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);

  int64_t lines = 0;
  claimdiff::ForEachJsonLine(bytes, [&lines](int64_t, std::string_view) { ++lines; });

  const claimdiff::LoadedInputs whole = Load(bytes, size_t{1} << 20);
  // Every non-blank line and the text file each give one document or one error.
  FUZZ_CHECK(static_cast<int64_t>(whole.documents.size() + whole.errors.size()) == lines + 1);
  for (size_t i = 0; i < whole.documents.size(); ++i) {
    const claimdiff::Document& d = whole.documents[i];
    FUZZ_CHECK(!d.id.empty());
    FUZZ_CHECK(!claimdiff::FindInvalidUtf8(d.text).has_value());
    FUZZ_CHECK(!claimdiff::FindInvalidUtf8(d.title).has_value());
    FUZZ_CHECK(d.text.find_first_not_of(" \t\r\n") != std::string::npos);
    if (i > 0) FUZZ_CHECK(whole.documents[i - 1].id < d.id);
  }
  for (const claimdiff::InputError& e : whole.errors) {
    FUZZ_CHECK(!e.message.empty());
    FUZZ_CHECK(!claimdiff::FormatInputError(e).empty());
  }

  const claimdiff::LoadedInputs chunked = Load(bytes, chunk);
  FUZZ_CHECK(chunked.documents.size() == whole.documents.size());
  FUZZ_CHECK(chunked.errors.size() == whole.errors.size());
  for (size_t i = 0; i < whole.documents.size(); ++i) {
    FUZZ_CHECK(chunked.documents[i].id == whole.documents[i].id);
    FUZZ_CHECK(chunked.documents[i].text == whole.documents[i].text);
    FUZZ_CHECK(chunked.documents[i].line == whole.documents[i].line);
  }
  for (size_t i = 0; i < whole.errors.size(); ++i) {
    FUZZ_CHECK(chunked.errors[i].message == whole.errors[i].message);
    FUZZ_CHECK(chunked.errors[i].line == whole.errors[i].line);
  }
  return 0;
}
