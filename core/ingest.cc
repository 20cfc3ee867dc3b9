#include "core/ingest.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/parallel.h"
#include "core/utf8.h"
#include "rapidjson/document.h"
#include "rapidjson/error/en.h"

namespace claimdiff {
namespace {

namespace fs = std::filesystem;

// JsonLineSplitter keeps the buffer of its unfinished line up to this size between lines.
constexpr size_t kKeepPendingBytes = size_t{1} << 20;

bool IsJsonLinesPath(std::string_view path) {
  return path == "-" || path.ends_with(".jsonl") || path.ends_with(".ndjson");
}

bool IsBlank(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    if (!IsSpaceLike(DecodeUtf8(text, &i))) return false;
  }
  return true;
}

std::string StemOf(const std::string& path) { return fs::path(path).stem().string(); }

// The byte offset where a parse error is, carried as a status payload (not read back from
// the message): "at byte N" in the message is for people, the payload for the InputError.
constexpr char kByteOffsetPayload[] = "type.claimdiff/byte-offset";

absl::Status AtByte(absl::Status status, uint64_t offset) {
  status.SetPayload(kByteOffsetPayload, absl::Cord(absl::StrCat(offset)));
  return status;
}

int64_t ByteOffsetOf(const absl::Status& status) {
  const auto payload = status.GetPayload(kByteOffsetPayload);  // an absl::optional<Cord>
  int64_t offset = -1;
  if (!payload || !absl::SimpleAtoi(std::string(*payload), &offset)) return -1;
  return offset;
}

// Checks the text of a document once it is known to be a string: UTF-8, not blank, not huge.
absl::Status CheckText(std::string_view text, const LoadOptions& options) {
  if (auto bad = FindInvalidUtf8(text)) {
    return AtByte(absl::InvalidArgumentError(absl::StrCat("invalid UTF-8 at byte ", *bad)), *bad);
  }
  if (text.size() > options.max_document_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "document of ", text.size(), " bytes is over the limit of ", options.max_document_bytes));
  }
  if (IsBlank(text)) return absl::InvalidArgumentError("empty document: no text to compare");
  return absl::OkStatus();
}

void AddTextFile(const std::string& path, const FileSystem& fs, const LoadOptions& options,
                 std::vector<Document>* docs, std::vector<InputError>* errors) {
  absl::StatusOr<std::string> bytes = fs.ReadFile(path);
  if (!bytes.ok()) {
    errors->push_back({path, 0, -1, std::string(bytes.status().message())});
    return;
  }
  absl::StatusOr<Document> doc = ParseTextDocument(StemOf(path), path, *std::move(bytes), options);
  if (!doc.ok()) {
    const std::string message(doc.status().message());
    errors->push_back({path, 0, ByteOffsetOf(doc.status()), message});
    return;
  }
  docs->push_back(*std::move(doc));
}

// Reads an optional string member; absent and null leave `out` empty.
absl::Status OptionalString(const rapidjson::Value& obj, const char* name,
                            std::optional<std::string>* out) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || it->value.IsNull()) return absl::OkStatus();
  if (!it->value.IsString()) {
    return absl::InvalidArgumentError(absl::StrCat("field \"", name, "\" must be a string"));
  }
  *out = std::string(it->value.GetString(), it->value.GetStringLength());
  return absl::OkStatus();
}

absl::StatusOr<Document> ParseJsonLine(std::string_view line, const LoadOptions& options) {
  if (std::optional<size_t> deep = FindTooDeepJson(line)) {
    return AtByte(absl::InvalidArgumentError(absl::StrCat("malformed JSON at byte ", *deep,
                                                          ": nested more than ", kMaxJsonDepth,
                                                          " levels deep")),
                  *deep);
  }
  rapidjson::Document json;
  json.Parse<rapidjson::kParseValidateEncodingFlag>(line.data(), line.size());
  if (json.HasParseError()) {
    return AtByte(absl::InvalidArgumentError(
                      absl::StrCat("malformed JSON at byte ", json.GetErrorOffset(), ": ",
                                   rapidjson::GetParseError_En(json.GetParseError()))),
                  json.GetErrorOffset());
  }
  if (!json.IsObject()) return absl::InvalidArgumentError("a JSON line must be an object");
  Document doc;
  // Const iterators: comparing a mutable MemberIterator with == is ambiguous in C++20 (clang).
  const rapidjson::Value& object = json;
  auto id = object.FindMember("id");
  if (id == object.MemberEnd()) return absl::InvalidArgumentError("missing required field \"id\"");
  if (id->value.IsString()) {
    doc.id.assign(id->value.GetString(), id->value.GetStringLength());
  } else if (id->value.IsInt64()) {
    doc.id = absl::StrCat(id->value.GetInt64());
  } else {
    return absl::InvalidArgumentError("field \"id\" must be a string or an integer");
  }
  if (doc.id.empty()) return absl::InvalidArgumentError("field \"id\" is empty");
  auto text = object.FindMember("text");
  if (text == object.MemberEnd()) {
    return absl::InvalidArgumentError("missing required field \"text\"");
  }
  if (!text->value.IsString()) return absl::InvalidArgumentError("field \"text\" must be a string");
  doc.text.assign(text->value.GetString(), text->value.GetStringLength());
  std::optional<std::string> title;
  for (auto [name, field] : {std::pair{"title", &title}, std::pair{"outlet", &doc.outlet},
                             std::pair{"url", &doc.url}, std::pair{"published", &doc.published}}) {
    if (absl::Status s = OptionalString(json, name, field); !s.ok()) return s;
  }
  if (title) doc.title = *std::move(title);
  if (absl::Status s = CheckText(doc.text, options); !s.ok()) {
    // An offset into the decoded text, not the line: said in the message, not carried.
    return absl::Status(s.code(), absl::StrCat("document \"", doc.id, "\": ", s.message()));
  }
  return doc;
}

// One non-blank JSON line, parsed: its document, or an error naming `source` and the line.
void AddParsedLine(std::string_view source, int64_t line_no, absl::StatusOr<Document> doc,
                   std::vector<Document>* documents, std::vector<InputError>* errors) {
  if (!doc.ok()) {
    const std::string message(doc.status().message());
    errors->push_back({std::string(source), line_no, ByteOffsetOf(doc.status()), message});
    return;
  }
  doc->source = std::string(source);
  doc->line = line_no;
  documents->push_back(*std::move(doc));
}

// Streams a JSON Lines file: complete lines are gathered into batches of about kBatchBytes, and
// each batch is parsed on options.threads threads, its documents and errors kept in line order.
// When reading fails part way, the documents of the lines before are kept, the unfinished line is
// dropped and the error gives the byte offset where reading stopped.
void AddJsonLinesFile(const std::string& path, const FileSystem& fs, const LoadOptions& options,
                      std::vector<Document>* docs, std::vector<InputError>* errors) {
  constexpr size_t kBatchBytes = size_t{8} << 20;
  struct Line {
    int64_t number;
    size_t offset;  // into `batch`
    size_t size;
  };
  std::string batch;
  std::vector<Line> lines_of_batch;
  std::vector<absl::StatusOr<Document>> parsed;
  auto flush = [&]() {
    parsed.clear();
    parsed.resize(lines_of_batch.size(), absl::UnknownError("not parsed"));
    ParallelFor(lines_of_batch.size(), options.threads, [&](size_t begin, size_t end) {
      for (size_t k = begin; k < end; ++k) {
        const Line& l = lines_of_batch[k];
        parsed[k] = ParseJsonLine(std::string_view(batch).substr(l.offset, l.size), options);
      }
    });
    for (size_t k = 0; k < parsed.size(); ++k) {
      AddParsedLine(path, lines_of_batch[k].number, std::move(parsed[k]), docs, errors);
    }
    batch.clear();
    lines_of_batch.clear();
  };
  JsonLineSplitter lines([&](int64_t line_no, std::string_view line) {
    lines_of_batch.push_back({line_no, batch.size(), line.size()});
    batch.append(line);
    if (batch.size() >= kBatchBytes) flush();
  });
  int64_t bytes_read = 0;
  const absl::Status read = fs.ReadChunks(path, [&](std::string_view chunk) {
    bytes_read += static_cast<int64_t>(chunk.size());
    lines.Feed(chunk);
    return true;
  });
  if (read.ok()) lines.Finish();
  flush();
  if (!read.ok()) {
    errors->push_back({path, 0, bytes_read > 0 ? bytes_read : -1, std::string(read.message())});
  }
}

}  // namespace

std::string FormatInputError(const InputError& e) {
  if (e.line > 0) return absl::StrCat(e.source, ":", e.line, ": ", e.message);
  if (e.offset >= 0 && e.message.find("at byte") == std::string::npos) {
    return absl::StrCat(e.source, ": byte ", e.offset, ": ", e.message);
  }
  return absl::StrCat(e.source, ": ", e.message);
}

// ---- FileSystem ----

absl::Status FileSystem::ReadChunks(const std::string& path,
                                    const std::function<bool(std::string_view)>& sink) const {
  absl::StatusOr<std::string> bytes = ReadFile(path);
  if (!bytes.ok()) return bytes.status();
  if (!bytes->empty()) sink(*bytes);
  return absl::OkStatus();
}

// ---- LocalFileSystem ----

FileSystem::Kind LocalFileSystem::Stat(const std::string& path) const {
  if (path == "-") return Kind::kFile;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || st.type() == fs::file_type::not_found) return Kind::kMissing;
  if (st.type() == fs::file_type::directory) return Kind::kDirectory;
  if (st.type() == fs::file_type::regular) return Kind::kFile;
  return Kind::kOther;
}

std::vector<std::string> LocalFileSystem::ListFiles(const std::string& dir,
                                                    std::vector<InputError>* errors) const {
  std::vector<std::string> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    errors->push_back({dir, 0, -1, absl::StrCat("cannot list folder: ", ec.message())});
    return files;
  }
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      errors->push_back({dir, 0, -1, absl::StrCat("cannot list folder: ", ec.message())});
      break;
    }
    std::error_code type_ec;
    if (it->is_regular_file(type_ec)) {
      files.push_back(it->path().string());
    } else if (type_ec && it->is_symlink(type_ec)) {
      // A link that cannot be followed (a loop, a missing target): listed, so that reading it
      // reports why instead of the file silently vanishing.
      files.push_back(it->path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

absl::StatusOr<std::string> LocalFileSystem::ReadFile(const std::string& path) const {
  std::string bytes;
  absl::Status read = ReadChunks(path, [&bytes](std::string_view chunk) {
    bytes.append(chunk);
    return true;
  });
  if (!read.ok()) return read;
  return bytes;
}

absl::Status LocalFileSystem::ReadChunks(const std::string& path,
                                         const std::function<bool(std::string_view)>& sink) const {
  struct Closer {
    void operator()(std::FILE* file) const { std::fclose(file); }
  };
  std::unique_ptr<std::FILE, Closer> opened;
  std::FILE* file = stdin;
  if (path != "-") {
    opened.reset(std::fopen(path.c_str(), "rb"));
    if (opened == nullptr) {
      return absl::NotFoundError(absl::StrCat("cannot open: ", std::strerror(errno)));
    }
    file = opened.get();
  }
  // Not zero-filled: a small file touches only the pages it is read into.
  const std::unique_ptr<char[]> buffer = std::make_unique_for_overwrite<char[]>(kChunkBytes);
  while (true) {
    const size_t n = std::fread(buffer.get(), 1, kChunkBytes, file);
    if (n > 0 && !sink(std::string_view(buffer.get(), n))) return absl::OkStatus();
    if (n < kChunkBytes) {
      if (std::ferror(file)) {
        return absl::DataLossError(absl::StrCat("read failed: ", std::strerror(errno)));
      }
      return absl::OkStatus();  // end of file
    }
  }
}

// ---- MemoryFileSystem ----

void MemoryFileSystem::AddFile(std::string path, std::string contents) {
  files_[std::move(path)] = std::move(contents);
}

FileSystem::Kind MemoryFileSystem::Stat(const std::string& path) const {
  if (files_.count(path)) return Kind::kFile;
  const std::string prefix = path + "/";
  auto it = files_.lower_bound(prefix);
  if (it != files_.end() && absl::StartsWith(it->first, prefix)) return Kind::kDirectory;
  return Kind::kMissing;
}

std::vector<std::string> MemoryFileSystem::ListFiles(const std::string& dir,
                                                     std::vector<InputError>*) const {
  std::vector<std::string> out;
  const std::string prefix = dir + "/";
  for (auto it = files_.lower_bound(prefix);
       it != files_.end() && absl::StartsWith(it->first, prefix); ++it) {
    out.push_back(it->first);
  }
  return out;
}

void MemoryFileSystem::SetChunkBytes(size_t bytes) { chunk_bytes_ = std::max<size_t>(bytes, 1); }

absl::StatusOr<std::string> MemoryFileSystem::ReadFile(const std::string& path) const {
  auto it = files_.find(path);
  if (it == files_.end()) return absl::NotFoundError("cannot open: No such file or directory");
  return it->second;
}

absl::Status MemoryFileSystem::ReadChunks(const std::string& path,
                                          const std::function<bool(std::string_view)>& sink) const {
  auto it = files_.find(path);
  if (it == files_.end()) return absl::NotFoundError("cannot open: No such file or directory");
  std::string_view rest = it->second;
  while (!rest.empty()) {
    const std::string_view chunk = rest.substr(0, chunk_bytes_);
    if (!sink(chunk)) break;
    rest.remove_prefix(chunk.size());
  }
  return absl::OkStatus();
}

// ---- parsing ----

absl::StatusOr<Document> ParseTextDocument(std::string id, std::string source, std::string bytes,
                                           const LoadOptions& options) {
  if (absl::Status s = CheckText(bytes, options); !s.ok()) return s;
  Document doc;
  doc.id = std::move(id);
  doc.source = std::move(source);
  doc.text = std::move(bytes);
  return doc;
}

JsonLineSplitter::JsonLineSplitter(Visitor visit) : visit_(std::move(visit)) {}

void JsonLineSplitter::Feed(std::string_view chunk) {
  while (!chunk.empty()) {
    const size_t nl = chunk.find('\n');
    if (nl == std::string_view::npos) {
      pending_.append(chunk);
      return;
    }
    if (pending_.empty()) {
      EndLine(chunk.substr(0, nl));
    } else {
      pending_.append(chunk.substr(0, nl));
      EndLine(pending_);
      pending_.clear();
      // A long line's buffer is given back; a usual one is kept for the next straddling line.
      if (pending_.capacity() > kKeepPendingBytes) std::string().swap(pending_);
    }
    chunk.remove_prefix(nl + 1);
  }
}

void JsonLineSplitter::Finish() {
  if (pending_.empty()) return;  // the input ended with a newline (or was empty)
  EndLine(pending_);
  std::string().swap(pending_);
}

void JsonLineSplitter::EndLine(std::string_view line) {
  ++line_no_;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line_no_ == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
  if (line.find_first_not_of(" \t") == std::string_view::npos) return;
  visit_(line_no_, line);
}

std::optional<size_t> FindTooDeepJson(std::string_view json) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character, whatever it is
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::nullopt;
}

void ForEachJsonLine(std::string_view bytes,
                     const std::function<void(int64_t, std::string_view)>& visit) {
  JsonLineSplitter lines(visit);
  lines.Feed(bytes);
  lines.Finish();
}

void ParseJsonLines(std::string_view source, std::string_view bytes,
                    std::vector<Document>* documents, std::vector<InputError>* errors,
                    const LoadOptions& options) {
  ForEachJsonLine(bytes, [&](int64_t line_no, std::string_view line) {
    AddParsedLine(source, line_no, ParseJsonLine(line, options), documents, errors);
  });
}

LoadedInputs LoadInputs(const std::vector<std::string>& paths, const FileSystem& fs,
                        const LoadOptions& options) {
  LoadedInputs out;
  for (const std::string& path : paths) {
    switch (fs.Stat(path)) {
      case FileSystem::Kind::kMissing:
        out.errors.push_back({path, 0, -1, "no such file or folder"});
        break;
      case FileSystem::Kind::kOther:
        out.errors.push_back({path, 0, -1, "not a regular file or folder"});
        break;
      case FileSystem::Kind::kFile:
        if (IsJsonLinesPath(path)) {
          AddJsonLinesFile(path, fs, options, &out.documents, &out.errors);
        } else {
          AddTextFile(path, fs, options, &out.documents, &out.errors);
        }
        break;
      case FileSystem::Kind::kDirectory: {
        size_t used = 0;
        for (const std::string& file : fs.ListFiles(path, &out.errors)) {
          if (IsJsonLinesPath(file)) {
            AddJsonLinesFile(file, fs, options, &out.documents, &out.errors);
            ++used;
          } else if (absl::EndsWith(file, ".txt")) {
            AddTextFile(file, fs, options, &out.documents, &out.errors);
            ++used;
          }
        }
        if (used == 0) {
          out.errors.push_back({path, 0, -1, "folder holds no .txt or .jsonl files"});
        }
        break;
      }
    }
  }
  std::vector<Document>& docs = out.documents;
  std::sort(docs.begin(), docs.end(), [](const Document& a, const Document& b) {
    return std::tie(a.id, a.source, a.line) < std::tie(b.id, b.source, b.line);
  });
  std::vector<Document> unique;
  unique.reserve(docs.size());
  for (Document& doc : docs) {
    if (!options.skip.empty() &&
        std::binary_search(options.skip.begin(), options.skip.end(),
                           std::pair<std::string, int64_t>(doc.source, doc.line))) {
      continue;
    }
    if (!options.keep_duplicate_ids && !unique.empty() && unique.back().id == doc.id) {
      const Document& kept = unique.back();
      out.errors.push_back(
          {doc.source, doc.line, -1,
           absl::StrCat("duplicate document id \"", doc.id, "\" (kept the one from ", kept.source,
                        kept.line > 0 ? absl::StrCat(":", kept.line) : "", ")")});
      continue;
    }
    unique.push_back(std::move(doc));
  }
  docs = std::move(unique);
  return out;
}

}  // namespace claimdiff
