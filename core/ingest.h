// Reading articles: text files, folders and JSON Lines, with every problem reported.
//
//   LocalFileSystem fs;
//   LoadedInputs in = LoadInputs({"fixtures/exchange-hack", "drop.jsonl"}, fs);
//   for (const InputError& e : in.errors) std::cerr << FormatInputError(e) << "\n";
//   // in.documents: every document that could be read, sorted by id, ids unique.
//
// Bad input is normal input: a missing path, invalid UTF-8, a malformed JSON line or an empty
// document becomes an InputError naming the source and the line or byte offset, and the other
// documents are still returned. Nothing here prints or aborts.
//
// All reads go through the FileSystem interface so tests can feed documents from memory
// (MemoryFileSystem). Functions are thread-compatible; a FileSystem is read-only once built.
#ifndef CLAIMDIFF_CORE_INGEST_H_
#define CLAIMDIFF_CORE_INGEST_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/document.h"

namespace claimdiff {

// A problem with one input: the document (or line) it concerns is skipped, the rest go on.
struct InputError {
  std::string source;   // path, or "-" for standard input
  int64_t line = 0;     // 1-based line for JSON Lines input; 0 when not line-based
  int64_t offset = -1;  // byte offset in the file or line where the problem is; -1 if none
  std::string message;  // what is wrong, for a person
};

// "source:line: message", "source: byte N: message" or "source: message".
std::string FormatInputError(const InputError& error);

class FileSystem {
 public:
  enum class Kind { kMissing, kFile, kDirectory, kOther };
  virtual ~FileSystem() = default;
  virtual Kind Stat(const std::string& path) const = 0;
  // The regular files below `dir`, recursively, sorted by path. Symbolic links to directories
  // are not followed (no loops). Unreadable subfolders are reported in `errors`.
  virtual std::vector<std::string> ListFiles(const std::string& dir,
                                             std::vector<InputError>* errors) const = 0;
  virtual absl::StatusOr<std::string> ReadFile(const std::string& path) const = 0;
};

// The real file system. The path "-" reads standard input (once).
class LocalFileSystem final : public FileSystem {
 public:
  Kind Stat(const std::string& path) const override;
  std::vector<std::string> ListFiles(const std::string& dir,
                                     std::vector<InputError>* errors) const override;
  absl::StatusOr<std::string> ReadFile(const std::string& path) const override;
};

// Files held in memory, for tests. Folders are implied by the files' paths.
class MemoryFileSystem final : public FileSystem {
 public:
  void AddFile(std::string path, std::string contents);
  Kind Stat(const std::string& path) const override;
  std::vector<std::string> ListFiles(const std::string& dir,
                                     std::vector<InputError>* errors) const override;
  absl::StatusOr<std::string> ReadFile(const std::string& path) const override;

 private:
  std::map<std::string, std::string> files_;
};

struct LoadOptions {
  // Documents larger than this are rejected with an error (offsets are 32-bit). Default 1 GiB.
  size_t max_document_bytes = size_t{1} << 30;
};

struct LoadedInputs {
  std::vector<Document> documents;  // sorted by id; ids unique
  std::vector<InputError> errors;   // in the order the inputs were named
};

// Reads every path: a folder contributes its `.txt` files (one document each) and its
// `.jsonl`/`.ndjson` files (one document per line), recursively, other files ignored; a file
// named directly is JSON Lines if it ends in `.jsonl` or `.ndjson` or is "-", text otherwise.
// The result does not depend on the order of `paths` or of folder listings: documents are
// sorted by id, and when two share an id the one from the smaller (source, line) is kept and
// the other reported.
LoadedInputs LoadInputs(const std::vector<std::string>& paths, const FileSystem& fs,
                        const LoadOptions& options = {});

// One text file as a document: id is `id`, text is `bytes` as read. Errors: invalid UTF-8
// (with the byte offset), an empty or blank document, a document over the size limit.
absl::StatusOr<Document> ParseTextDocument(std::string id, std::string source, std::string bytes,
                                           const LoadOptions& options = {});

// Calls `visit(line_number, line)` for each non-blank line of JSON Lines `bytes` (1-based
// numbers; a trailing CR and a leading byte-order mark removed).
void ForEachJsonLine(std::string_view bytes,
                     const std::function<void(int64_t, std::string_view)>& visit);

// JSON Lines: one object per line with `id` (a string, or an integer taken as its decimal text)
// and `text` (a string), both required, and `title`,
// `outlet`, `url`, `published` (optional, string or null). Blank lines are skipped; each bad line
// adds one error naming `source` and the line, and the other lines are still read.
void ParseJsonLines(std::string_view source, std::string_view bytes,
                    std::vector<Document>* documents, std::vector<InputError>* errors,
                    const LoadOptions& options = {});

}  // namespace claimdiff

#endif  // CLAIMDIFF_CORE_INGEST_H_
