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
// (MemoryFileSystem). JSON Lines are streamed: read in chunks (1 MiB from disk), each line parsed
// into its Document as soon as it is complete, so loading holds the documents plus one chunk and
// one line, never the whole file. Text files are read whole (one document each).
// Functions are thread-compatible; a FileSystem is read-only once built.
#ifndef CLAIMDIFF_CORE_INGEST_H_
#define CLAIMDIFF_CORE_INGEST_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
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
  // are not followed (no loops); links that cannot be followed at all (a loop of links, a
  // missing target) are listed too, so that reading them reports the problem. Unreadable
  // subfolders are reported in `errors`.
  virtual std::vector<std::string> ListFiles(const std::string& dir,
                                             std::vector<InputError>* errors) const = 0;
  // The whole file. Errors: "cannot open: ..." (NotFound), "read failed: ..." (DataLoss).
  virtual absl::StatusOr<std::string> ReadFile(const std::string& path) const = 0;
  // The file from start to end, in order, as chunks of any size (never empty) passed to `sink`;
  // a chunk is valid only during its call. Stops early, returning OK, when `sink` returns false.
  // Errors as ReadFile; "read failed" may come after some chunks were passed on. The default
  // passes the whole of ReadFile as one chunk: file systems that can stream override it.
  virtual absl::Status ReadChunks(const std::string& path,
                                  const std::function<bool(std::string_view)>& sink) const;
};

// The real file system. The path "-" reads standard input (once).
class LocalFileSystem final : public FileSystem {
 public:
  // ReadChunks reads into one buffer of this size per call.
  static constexpr size_t kChunkBytes = size_t{1} << 20;

  Kind Stat(const std::string& path) const override;
  std::vector<std::string> ListFiles(const std::string& dir,
                                     std::vector<InputError>* errors) const override;
  absl::StatusOr<std::string> ReadFile(const std::string& path) const override;
  absl::Status ReadChunks(const std::string& path,
                          const std::function<bool(std::string_view)>& sink) const override;
};

// Files held in memory, for tests. Folders are implied by the files' paths.
class MemoryFileSystem final : public FileSystem {
 public:
  void AddFile(std::string path, std::string contents);
  // ReadChunks passes files on in chunks of this many bytes (the last may be shorter); tiny
  // sizes make lines, CRLFs and UTF-8 characters straddle chunks. Default 64 KiB; 0 counts as 1.
  void SetChunkBytes(size_t bytes);
  Kind Stat(const std::string& path) const override;
  std::vector<std::string> ListFiles(const std::string& dir,
                                     std::vector<InputError>* errors) const override;
  absl::StatusOr<std::string> ReadFile(const std::string& path) const override;
  absl::Status ReadChunks(const std::string& path,
                          const std::function<bool(std::string_view)>& sink) const override;

 private:
  std::map<std::string, std::string> files_;
  size_t chunk_bytes_ = size_t{1} << 16;
};

struct LoadOptions {
  // Documents larger than this are rejected with an error (offsets are 32-bit). Default 1 GiB.
  size_t max_document_bytes = size_t{1} << 30;
  // Documents left out, silently, by (source, line), sorted: a distributed run reads its input
  // in parts and leaves out in each part the copies of a duplicated id that a run over the whole
  // input would not keep (see `claimdiff ids`).
  std::vector<std::pair<std::string, int64_t>> skip;
  // Keeps every document of a duplicated id (sorted by id, source, line), without an error.
  bool keep_duplicate_ids = false;
  // Threads parsing JSON Lines (0: all cores); the result is the same for any number.
  int threads = 0;
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

// ForEachJsonLine for input that arrives in chunks split anywhere (inside a line, a CRLF, the
// byte-order mark or a UTF-8 character): `visit` sees exactly the lines ForEachJsonLine would see
// for the chunks joined. Only an unfinished line is copied and kept between chunks; a line that
// ends inside the chunk where it began is passed on as a view of that chunk.
//
//   JsonLineSplitter lines(visit);
//   lines.Feed(chunk);  // any number of times
//   lines.Finish();     // the last line, when the input does not end with a newline
class JsonLineSplitter {
 public:
  using Visitor = std::function<void(int64_t, std::string_view)>;
  explicit JsonLineSplitter(Visitor visit);
  void Feed(std::string_view chunk);
  // Ends the input; call once, after the last Feed.
  void Finish();
  // Lines ended so far, blank ones included; after Finish, every line of the input.
  int64_t lines() const { return line_no_; }

 private:
  void EndLine(std::string_view line);
  Visitor visit_;
  std::string pending_;  // the unfinished line
  int64_t line_no_ = 0;
};

// A JSON line nested deeper than this (arrays and objects) is rejected before it is parsed: a
// recursive parser would run out of stack on "[[[[...", and no document needs more than a few.
inline constexpr int kMaxJsonDepth = 64;

// The byte offset of the bracket or brace that opens level kMaxJsonDepth + 1 of `json` (strings
// and their escapes skipped), or nullopt when it nests no deeper. Linear time, no allocation.
std::optional<size_t> FindTooDeepJson(std::string_view json);

// JSON Lines: one object per line with `id` (a string, or an integer taken as its decimal text)
// and `text` (a string), both required, and `title`,
// `outlet`, `url`, `published` (optional, string or null). Blank lines are skipped; each bad line
// adds one error naming `source` and the line, and the other lines are still read.
void ParseJsonLines(std::string_view source, std::string_view bytes,
                    std::vector<Document>* documents, std::vector<InputError>* errors,
                    const LoadOptions& options = {});

}  // namespace claimdiff

#endif  // CLAIMDIFF_CORE_INGEST_H_
