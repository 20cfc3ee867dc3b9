#include "cli/stages.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "cli/common.h"
#include "core/ingest.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "report/analysis.h"
#include "report/render.h"
#include "report/stages.h"

namespace claimdiff::cli {
namespace {

constexpr std::string_view kStagesHelp =
    R"help(usage: claimdiff ids [-o FILE] PATH...
       claimdiff repeats [--skip FILE] [-o FILE | --partitions R --out-dir DIR]
                         [--threads N] PATH...
       claimdiff repeats --merge [--min-docs N] [-o FILE] FILE...
       claimdiff repeats --join [-o FILE] FILE...
       claimdiff df --repeats FILE [--skip FILE] [-o FILE | --partitions R --out-dir DIR]
                    [--threads N] PATH...
       claimdiff df --merge [-o FILE] FILE...
       claimdiff df --lookup MERGED [-o FILE] FILE
       claimdiff df --join [-o FILE] FILE...
       claimdiff sketch --repeats FILE --df FILE --part K --partitions P --out-dir DIR
                        [--skip FILE] [--threads N] PATH...
       claimdiff candidates --parts N --out-dir DIR PIECE...
       claimdiff select --features FILE --out-dir DIR NEEDS...
       claimdiff verify [--threshold X] [--threads N] [-o FILE] FILE...
       claimdiff cluster --stages DIR [--threshold X] [--format json|text|markdown|html]
                         [-o FILE] [--threads N] PATH...

`compare` in stages, each a pure function of its inputs, for a distributed engine (see
python/claimdiff_dask.py and the README, "Beyond one machine (Dask)"). PATH... is one part of
the corpus (files, folders, JSON Lines, as for compare) for repeats, df and sketch, and the
whole corpus for cluster.

  ids          every document read, duplicated ids included, as JSON Lines
               {"id", "source", "line"}: what a driver needs to keep, across parts, the copy
               of a duplicated id that compare keeps (the smallest source, then line)
  --skip FILE  (repeats, df, sketch) leave out the documents FILE lists, as JSON Lines
               {"source", "line"} (the other copies of duplicated ids)
  repeats      map: how many documents of these have each span form (binary "CDRP")
  repeats --merge
               reduce: sums tables; --min-docs N leaves out forms in fewer than N documents
               (the final table: 3, what flags furniture; default 0 keeps all)
  df           map: document frequencies of the comparable spans' features, with the
               corpus's repeats (binary "CDDF")
  df --merge   reduce: sums them
  --partitions R --out-dir DIR
               (repeats, df maps) the table split by hash into DIR/repeats-R.cdrp or DIR/df-R.cddf,
               R pieces, for a partitioned reduce: piece r of every part merged by one task
  repeats --join, df --join
               the union of merged pieces (disjoint hashes): the corpus's table
  df --lookup MERGED
               the counts in MERGED (a merged piece) of the features FILE (the part's own
               piece) lists: a part fetches the frequencies of its own features only
  sketch       each comparable span's MinHash-LSH band keys into DIR/piece-Q.cdsk for each
               shuffle partition Q < P (a key goes to partition Mix64(key) % P), its TF-IDF
               features (the corpus's idf) into DIR/features.cdft, and the part's documents
               and span counts into DIR/documents.cdsd; K numbers the part (0, 1, ...)
  candidates   the pieces of one shuffle partition from every part -> buckets of equal band
               keys -> candidate pairs: DIR/pairs-K.cdcp, the pairs part K verifies, and
               DIR/needs-K.cdnd, the features part K must send to the others (K < N, the
               number of parts)
  select       the features of one part (its features.cdft) that its needs-K.cdnd files from
               every shuffle partition ask for: DIR/features-for-J.cdft for each part J
  verify       one part's pairs-K.cdcp files, its features.cdft and the features-for-K.cdft
               files sent to it -> pairs verified by exact cosine >= X (default 0.30)
               (binary "CDPR")
  cluster      the corpus's report, as `compare --candidates lsh` gives it, from the pairs
               and documents in DIR (*.cdpr, *.cdsd); --format json by default

exit codes: 0 ok; 1 some input could not be read (the output covers the rest);
            2 usage error; 3 no document, a stage file that cannot be read or does not
            match, or output not writable
)help";

int Usage(std::string_view message) {
  std::cerr << "claimdiff: " << message << "\n(see claimdiff repeats --help)\n";
  return kUsage;
}

int Fatal(std::string_view message) {
  std::cerr << "claimdiff: " << message << "\n";
  return kFatal;
}

int Fatal(const absl::Status& status) {
  std::cerr << "claimdiff: " << status.message() << "\n";
  return kFatal;
}

bool ParseFloat(std::string_view s, float* out) { return ParseNumber(s, out); }
bool ParseUint(std::string_view s, uint32_t* out) { return ParseNumber(s, out); }

// The options every stage command may take; each command checks which it accepts.
struct Args {
  std::vector<std::string> positional;
  std::string output;
  std::string repeats;
  std::string df;
  std::string out_dir;
  std::string stages;
  std::string features;
  std::string skip;
  std::string format = "json";
  std::optional<uint32_t> part;
  std::optional<uint32_t> partitions;
  std::optional<uint32_t> parts;
  uint32_t min_docs = 0;
  float threshold = 0.30f;
  int threads = 0;
  bool merge = false;
  bool join = false;
  std::string lookup;
  bool help = false;
  std::vector<std::string> given;  // option names seen
};

// Parses `args`; returns an error message on failure.
std::optional<std::string> Parse(const std::vector<std::string_view>& args, Args* out) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view a = args[i];
    std::string_view value;
    const bool has_inline = SplitInlineValue(&a, &value);
    auto need = [&]() {
      if (has_inline) return true;
      if (i + 1 >= args.size()) return false;
      value = args[++i];
      return true;
    };
    auto missing = [&]() { return absl::StrCat(std::string(a), " needs a value"); };
    if (a == "-h" || a == "--help") {
      out->help = true;
      continue;
    }
    if (a == "-" || a.empty() || a[0] != '-') {
      out->positional.emplace_back(a);
      continue;
    }
    out->given.emplace_back(a);
    if (a == "--merge") {
      out->merge = true;
    } else if (a == "--join") {
      out->join = true;
    } else if (a == "--lookup") {
      if (!need()) return missing();
      out->lookup = std::string(value);
    } else if (a == "-o" || a == "--output") {
      if (!need()) return missing();
      out->output = std::string(value);
    } else if (a == "--repeats") {
      if (!need()) return missing();
      out->repeats = std::string(value);
    } else if (a == "--df") {
      if (!need()) return missing();
      out->df = std::string(value);
    } else if (a == "--out-dir") {
      if (!need()) return missing();
      out->out_dir = std::string(value);
    } else if (a == "--skip") {
      if (!need()) return missing();
      out->skip = std::string(value);
    } else if (a == "--features") {
      if (!need()) return missing();
      out->features = std::string(value);
    } else if (a == "--stages") {
      if (!need()) return missing();
      out->stages = std::string(value);
    } else if (a == "--format") {
      if (!need()) return missing();
      out->format = std::string(value);
      if (out->format != "json" && out->format != "text" && out->format != "markdown" &&
          out->format != "html") {
        return absl::StrCat("unknown --format '", out->format,
                            "': use json, text, markdown or html");
      }
    } else if (a == "--part" || a == "--partitions" || a == "--parts" || a == "--min-docs") {
      uint32_t n = 0;
      if (!need() || !ParseUint(value, &n)) {
        return absl::StrCat(std::string(a), " needs a whole number >= 0");
      }
      if (a == "--part") out->part = n;
      if (a == "--partitions") out->partitions = n;
      if (a == "--parts") out->parts = n;
      if (a == "--min-docs") out->min_docs = n;
    } else if (a == "--threshold") {
      float t = 0;
      if (!need() || !ParseFloat(value, &t) || !(t > 0.0f && t <= 1.0f)) {
        return std::string("--threshold needs a number in (0, 1]");
      }
      out->threshold = t;
    } else if (a == "--threads") {
      uint32_t n = 0;
      if (!need() || !ParseUint(value, &n) || n > 4096) {
        return std::string("--threads needs a whole number >= 0");
      }
      out->threads = static_cast<int>(n);
    } else {
      return absl::StrCat("unknown option '", std::string(a), "'");
    }
  }
  return std::nullopt;
}

// The first option of `args` not in `allowed`, if any.
std::optional<std::string> Unexpected(const Args& args,
                                      std::initializer_list<std::string_view> allowed) {
  for (const std::string& g : args.given) {
    if (std::find(allowed.begin(), allowed.end(), g) == allowed.end()) return g;
  }
  return std::nullopt;
}

std::optional<std::string> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return bytes;
}

// Writes `bytes` to `path`, or standard output when `path` is empty or "-".
bool WriteAll(const std::string& path, const std::string& bytes) {
  if (path.empty() || path == "-") {
    std::cout.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    std::cout.flush();
    if (!std::cout) {
      std::cerr << "claimdiff: cannot write to standard output\n";
      return false;
    }
    return true;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    std::cerr << "claimdiff: cannot write " << path << "\n";
    return false;
  }
  return true;
}

// Reads one stage file with `parse`; prints the error and returns nullopt on failure.
template <typename T, typename ParseFn>
std::optional<T> ReadStageFile(const std::string& path, const ParseFn& parse) {
  std::optional<std::string> bytes = ReadAll(path);
  if (!bytes.has_value()) {
    std::cerr << "claimdiff: " << path << ": cannot read\n";
    return std::nullopt;
  }
  absl::StatusOr<T> parsed = parse(*bytes, path);
  if (!parsed.ok()) {
    std::cerr << "claimdiff: " << parsed.status().message() << "\n";
    return std::nullopt;
  }
  return *std::move(parsed);
}

// The documents of PATH... but those --skip lists; input problems are printed. nullopt when
// none could be read (or the skip list cannot be).
std::optional<LoadedInputs> Load(const Args& args, bool keep_duplicate_ids = false) {
  LoadOptions options;
  options.keep_duplicate_ids = keep_duplicate_ids;
  options.threads = args.threads;
  if (!args.skip.empty()) {
    std::optional<std::string> bytes = ReadAll(args.skip);
    if (!bytes.has_value()) {
      std::cerr << "claimdiff: " << args.skip << ": cannot read\n";
      return std::nullopt;
    }
    bool ok = true;
    ForEachJsonLine(*bytes, [&](int64_t line, std::string_view text) {
      if (!ok) return;
      rapidjson::Document d;
      d.Parse(text.data(), text.size());
      if (d.HasParseError() || !d.IsObject() || !d.HasMember("source") || !d["source"].IsString() ||
          !d.HasMember("line") || !d["line"].IsInt64()) {
        std::cerr << "claimdiff: " << args.skip << ":" << line
                  << ": expected {\"source\": STRING, \"line\": NUMBER}\n";
        ok = false;
        return;
      }
      options.skip.emplace_back(std::string(d["source"].GetString(), d["source"].GetStringLength()),
                                d["line"].GetInt64());
    });
    if (!ok) return std::nullopt;
    std::sort(options.skip.begin(), options.skip.end());
  }
  LocalFileSystem fs;
  LoadedInputs in = LoadInputs(args.positional, fs, options);
  CheckInputs(in.errors, /*strict=*/false, /*nothing_read=*/false, "");  // prints them
  if (in.documents.empty()) return std::nullopt;
  return in;
}

CompareOptions OptionsOf(const Args& args) {
  CompareOptions options;
  options.threshold = args.threshold;
  options.threads = args.threads;
  return options;
}

// Creates `dir`; prints the error and returns false on failure.
bool MakeDirectory(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::cerr << "claimdiff: cannot create " << dir << ": " << ec.message() << "\n";
    return false;
  }
  return true;
}

// Writes one file per piece, DIR/STEM-R.EXT (R from 0); prints the error and returns false on
// failure.
template <typename T, typename Serialize>
bool WritePieces(const std::string& dir, std::string_view stem, std::string_view ext,
                 const std::vector<T>& pieces, const Serialize& serialize) {
  if (!MakeDirectory(dir)) return false;
  for (size_t r = 0; r < pieces.size(); ++r) {
    const std::string name = absl::StrCat(std::string(stem), "-", r, ".", std::string(ext));
    if (!WriteAll((std::filesystem::path(dir) / name).string(), serialize(pieces[r]))) {
      return false;
    }
  }
  return true;
}

// A map's table: to -o FILE, or with --partitions R split by hash (`split`) into R pieces,
// DIR/STEM-R.EXT in --out-dir (checked by the caller). Prints the error and returns false on
// failure.
template <typename T, typename SplitFn, typename Serialize>
bool WriteMapTable(const Args& args, std::string_view stem, std::string_view ext, const T& table,
                   const SplitFn& split, const Serialize& serialize) {
  if (!args.partitions.has_value()) return WriteAll(args.output, serialize(table));
  return WritePieces(args.out_dir, stem, ext, split(table, *args.partitions), serialize);
}

// Reads every file of `paths` with `parse`; nullopt (the error printed) when one fails.
template <typename T, typename ParseFn>
std::optional<std::vector<T>> ReadStageFiles(const std::vector<std::string>& paths,
                                             const ParseFn& parse) {
  std::vector<T> out;
  for (const std::string& path : paths) {
    std::optional<T> t = ReadStageFile<T>(path, parse);
    if (!t.has_value()) return std::nullopt;
    out.push_back(*std::move(t));
  }
  return out;
}

int Ids(const Args& args) {
  if (auto u = Unexpected(args, {"-o", "--output"})) {
    return Usage(absl::StrCat("unknown option '", *u, "' for ids"));
  }
  if (args.positional.empty()) return Usage("ids needs at least one PATH");
  std::optional<LoadedInputs> in = Load(args, /*keep_duplicate_ids=*/true);
  if (!in.has_value()) return Fatal("no document could be read");
  std::string out;
  for (const Document& d : in->documents) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    w.Key("id");
    w.String(d.id.data(), static_cast<rapidjson::SizeType>(d.id.size()));
    w.Key("source");
    w.String(d.source.data(), static_cast<rapidjson::SizeType>(d.source.size()));
    w.Key("line");
    w.Int64(d.line);
    w.EndObject();
    out.append(buffer.GetString(), buffer.GetSize());
    out.push_back('\n');
  }
  if (!WriteAll(args.output, out)) return kFatal;
  return in->errors.empty() ? kOk : kInputErrors;
}

int Repeats(const Args& args) {
  if (auto u = Unexpected(args, {"--merge", "--min-docs", "--join", "--partitions", "--out-dir",
                                 "--skip", "-o", "--output", "--threads"})) {
    return Usage(absl::StrCat("unknown option '", *u, "' for repeats"));
  }
  if (args.positional.empty()) return Usage("repeats needs at least one PATH (or FILE)");
  if (args.merge || args.join) {
    std::optional<std::vector<RepeatTable>> tables =
        ReadStageFiles<RepeatTable>(args.positional, ParseRepeats);
    if (!tables.has_value()) return kFatal;
    if (args.merge) {
      return WriteAll(args.output, SerializeRepeats(MergeRepeats(*tables, args.min_docs))) ? kOk
                                                                                           : kFatal;
    }
    absl::StatusOr<RepeatTable> joined = JoinRepeats(*tables);
    if (!joined.ok()) return Fatal(joined.status());
    return WriteAll(args.output, SerializeRepeats(*joined)) ? kOk : kFatal;
  }
  if (args.partitions.has_value() && args.out_dir.empty()) {
    return Usage("repeats --partitions R needs --out-dir DIR");
  }
  std::optional<LoadedInputs> in = Load(args);
  if (!in.has_value()) return Fatal("no document could be read");
  const bool errors = !in->errors.empty();
  absl::StatusOr<RepeatTable> table = CountRepeats(std::move(in->documents), OptionsOf(args));
  if (!table.ok()) return Fatal(table.status());
  if (!WriteMapTable(args, "repeats", "cdrp", *table, SplitRepeats, SerializeRepeats)) {
    return kFatal;
  }
  return errors ? kInputErrors : kOk;
}

int Frequencies(const Args& args) {
  if (auto u = Unexpected(args, {"--merge", "--join", "--lookup", "--repeats", "--partitions",
                                 "--out-dir", "--skip", "-o", "--output", "--threads"})) {
    return Usage(absl::StrCat("unknown option '", *u, "' for df"));
  }
  if (args.positional.empty()) return Usage("df needs at least one PATH (or FILE)");
  if (args.merge || args.join || !args.lookup.empty()) {
    std::optional<std::vector<DocumentFrequencies>> tables =
        ReadStageFiles<DocumentFrequencies>(args.positional, ParseFrequencies);
    if (!tables.has_value()) return kFatal;
    absl::StatusOr<DocumentFrequencies> out;
    if (args.merge) {
      out = MergeFrequencies(*tables);
    } else if (args.join) {
      out = JoinFrequencies(*tables);
    } else {
      if (tables->size() != 1) return Usage("df --lookup MERGED takes one FILE (the part's)");
      std::optional<DocumentFrequencies> merged =
          ReadStageFile<DocumentFrequencies>(args.lookup, ParseFrequencies);
      if (!merged.has_value()) return kFatal;
      out = LookupFrequencies(*merged, tables->front());
    }
    if (!out.ok()) return Fatal(out.status());
    return WriteAll(args.output, SerializeFrequencies(*out)) ? kOk : kFatal;
  }
  if (args.repeats.empty()) return Usage("df needs --repeats FILE (claimdiff repeats --merge)");
  if (args.partitions.has_value() && args.out_dir.empty()) {
    return Usage("df --partitions R needs --out-dir DIR");
  }
  std::optional<RepeatTable> repeats = ReadStageFile<RepeatTable>(args.repeats, ParseRepeats);
  if (!repeats.has_value()) return kFatal;
  std::optional<LoadedInputs> in = Load(args);
  if (!in.has_value()) return Fatal("no document could be read");
  const bool errors = !in->errors.empty();
  absl::StatusOr<DocumentFrequencies> df =
      CountFrequencies(std::move(in->documents), OptionsOf(args), *repeats);
  if (!df.ok()) return Fatal(df.status());
  if (!WriteMapTable(args, "df", "cddf", *df, SplitFrequencies, SerializeFrequencies)) {
    return kFatal;
  }
  return errors ? kInputErrors : kOk;
}

int SketchCommand(const Args& args) {
  if (auto u = Unexpected(args, {"--repeats", "--df", "--part", "--partitions", "--out-dir",
                                 "--skip", "--threads"})) {
    return Usage(absl::StrCat("unknown option '", *u, "' for sketch"));
  }
  if (args.repeats.empty() || args.df.empty() || !args.part.has_value() ||
      !args.partitions.has_value() || args.out_dir.empty()) {
    return Usage("sketch needs --repeats FILE --df FILE --part K --partitions P --out-dir DIR");
  }
  if (*args.partitions < 1) return Usage("--partitions needs a whole number >= 1");
  if (args.positional.empty()) return Usage("sketch needs at least one PATH");
  std::optional<RepeatTable> repeats = ReadStageFile<RepeatTable>(args.repeats, ParseRepeats);
  if (!repeats.has_value()) return kFatal;
  std::optional<DocumentFrequencies> df =
      ReadStageFile<DocumentFrequencies>(args.df, ParseFrequencies);
  if (!df.has_value()) return kFatal;
  std::optional<LoadedInputs> in = Load(args);
  if (!in.has_value()) return Fatal("no document could be read");
  const bool errors = !in->errors.empty();
  absl::StatusOr<Sketch> sketch = SketchPart(std::move(in->documents), OptionsOf(args), *repeats,
                                             *df, *args.part, *args.partitions);
  if (!sketch.ok()) return Fatal(sketch.status());
  if (!MakeDirectory(args.out_dir)) return kFatal;
  const std::filesystem::path dir(args.out_dir);
  if (!WriteAll((dir / "documents.cdsd").string(), SerializeDocuments(sketch->documents)) ||
      !WriteAll((dir / "features.cdft").string(), SerializeFeatures(sketch->features))) {
    return kFatal;
  }
  for (const SketchPiece& piece : sketch->pieces) {
    const std::string name = absl::StrCat("piece-", piece.partition, ".cdsk");
    if (!WriteAll((dir / name).string(), SerializePiece(piece))) return kFatal;
  }
  return errors ? kInputErrors : kOk;
}

int Candidates(const Args& args) {
  if (auto u = Unexpected(args, {"--parts", "--out-dir"})) {
    return Usage(absl::StrCat("unknown option '", *u, "' for candidates"));
  }
  if (!args.parts.has_value() || *args.parts < 1 || args.out_dir.empty()) {
    return Usage("candidates needs --parts N (N >= 1, the number of parts) --out-dir DIR");
  }
  if (args.positional.empty()) return Usage("candidates needs at least one PIECE");
  std::vector<SketchPiece> pieces;
  for (const std::string& path : args.positional) {
    std::optional<SketchPiece> p = ReadStageFile<SketchPiece>(path, ParsePiece);
    if (!p.has_value()) return kFatal;
    pieces.push_back(*std::move(p));
  }
  absl::StatusOr<CandidateSplit> split = PartitionCandidates(std::move(pieces), *args.parts);
  if (!split.ok()) return Fatal(split.status());
  if (!WritePieces(args.out_dir, "pairs", "cdcp", split->owned, SerializeCandidates) ||
      !WritePieces(args.out_dir, "needs", "cdnd", split->needs, SerializeNeeds)) {
    return kFatal;
  }
  return kOk;
}

int Select(const Args& args) {
  if (auto u = Unexpected(args, {"--features", "--out-dir"})) {
    return Usage(absl::StrCat("unknown option '", *u, "' for select"));
  }
  if (args.features.empty() || args.out_dir.empty()) {
    return Usage("select needs --features FILE --out-dir DIR");
  }
  std::optional<PartFeatures> features = ReadStageFile<PartFeatures>(args.features, ParseFeatures);
  if (!features.has_value()) return kFatal;
  std::vector<NeedList> needs;
  for (const std::string& path : args.positional) {
    std::optional<NeedList> n = ReadStageFile<NeedList>(path, ParseNeeds);
    if (!n.has_value()) return kFatal;
    needs.push_back(*std::move(n));
  }
  absl::StatusOr<std::vector<std::pair<uint32_t, PartFeatures>>> selected =
      SelectFeatures(*features, needs);
  if (!selected.ok()) return Fatal(selected.status());
  if (!MakeDirectory(args.out_dir)) return kFatal;
  const std::filesystem::path dir(args.out_dir);
  for (const auto& [to, part] : *selected) {
    if (!WriteAll((dir / absl::StrCat("features-for-", to, ".cdft")).string(),
                  SerializeFeatures(part))) {
      return kFatal;
    }
  }
  return kOk;
}

int Verify(const Args& args) {
  if (auto u = Unexpected(args, {"--threshold", "--threads", "-o", "--output"})) {
    return Usage(absl::StrCat("unknown option '", *u, "' for verify"));
  }
  if (args.positional.empty()) return Usage("verify needs at least one FILE");
  std::vector<PartFeatures> features;
  std::vector<CandidateList> candidates;
  for (const std::string& path : args.positional) {
    std::optional<std::string> bytes = ReadAll(path);
    if (!bytes.has_value()) return Fatal(absl::StrCat(path, ": cannot read"));
    if (bytes->compare(0, 4, "CDFT") == 0) {
      absl::StatusOr<PartFeatures> f = ParseFeatures(*bytes, path);
      if (!f.ok()) return Fatal(f.status());
      features.push_back(*std::move(f));
    } else {
      absl::StatusOr<CandidateList> c = ParseCandidates(*bytes, path);
      if (!c.ok()) return Fatal(c.status());
      candidates.push_back(*std::move(c));
    }
  }
  absl::StatusOr<std::vector<RefPair>> pairs =
      VerifyPairs(std::move(features), std::move(candidates), args.threshold, args.threads);
  if (!pairs.ok()) return Fatal(pairs.status());
  return WriteAll(args.output, SerializePairs(*pairs, args.threshold)) ? kOk : kFatal;
}

int ClusterCommand(const Args& args) {
  if (auto u = Unexpected(args,
                          {"--stages", "--threshold", "--format", "-o", "--output", "--threads"})) {
    return Usage(absl::StrCat("unknown option '", *u, "' for cluster"));
  }
  if (args.stages.empty()) return Usage("cluster needs --stages DIR");
  if (args.positional.empty()) return Usage("cluster needs at least one PATH");
  // The stage files, in name order.
  std::vector<std::string> documents_files;
  std::vector<std::string> pairs_files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(args.stages, ec)) {
    const std::string ext = entry.path().extension().string();
    if (ext == ".cdsd") documents_files.push_back(entry.path().string());
    if (ext == ".cdpr") pairs_files.push_back(entry.path().string());
  }
  if (ec) return Fatal(absl::StrCat("cannot list ", args.stages, ": ", ec.message()));
  std::sort(documents_files.begin(), documents_files.end());
  std::sort(pairs_files.begin(), pairs_files.end());
  if (documents_files.empty()) return Fatal(absl::StrCat(args.stages, ": no .cdsd file"));
  std::vector<PartDocuments> parts;
  for (const std::string& path : documents_files) {
    std::optional<PartDocuments> d = ReadStageFile<PartDocuments>(path, ParseDocuments);
    if (!d.has_value()) return kFatal;
    parts.push_back(*std::move(d));
  }
  std::vector<RefPair> pairs;
  for (const std::string& path : pairs_files) {
    std::optional<std::pair<std::vector<RefPair>, float>> p =
        ReadStageFile<std::pair<std::vector<RefPair>, float>>(path, ParsePairs);
    if (!p.has_value()) return kFatal;
    if (p->second != args.threshold) {
      return Fatal(absl::StrCat(path, ": pairs verified at threshold ", p->second,
                                ", but cluster runs at ", args.threshold));
    }
    pairs.insert(pairs.end(), p->first.begin(), p->first.end());
  }
  std::optional<LoadedInputs> in = Load(args);
  if (!in.has_value()) return Fatal("no document could be read: nothing to compare");
  const bool errors = !in->errors.empty();
  CompareOptions options = OptionsOf(args);
  options.candidates = CandidateMode::kLsh;
  options.word_diffs = args.format != "json";
  absl::StatusOr<Analysis> analysis =
      Analyze(std::move(in->documents), options, std::move(in->errors));
  if (!analysis.ok()) return Fatal(analysis.status());
  absl::StatusOr<std::vector<ScoredPair>> resolved = ResolvePairs(*analysis, parts, pairs);
  if (!resolved.ok()) return Fatal(resolved.status());
  std::vector<RefPair>().swap(pairs);
  absl::StatusOr<Report> report = BuildReportFrom(*std::move(analysis), *std::move(resolved));
  if (!report.ok()) return Fatal(report.status());
  RenderOptions view;
  auto render = [&](std::ostream& out) {
    if (args.format == "json") {
      RenderJson(*report, view, out);
    } else if (args.format == "markdown") {
      RenderMarkdown(*report, view, out);
    } else if (args.format == "html") {
      RenderHtml(*report, view, out);
    } else {
      RenderText(*report, view, out);
    }
  };
  if (args.output.empty() || args.output == "-") {
    render(std::cout);
    std::cout.flush();
    if (!std::cout) return Fatal("cannot write to standard output");
  } else {
    std::ofstream out(args.output, std::ios::binary | std::ios::trunc);
    if (out) render(out);
    out.close();
    if (!out) return Fatal(absl::StrCat("cannot write ", args.output));
  }
  return errors ? kInputErrors : kOk;
}

}  // namespace

bool IsStageCommand(std::string_view command) {
  return command == "ids" || command == "repeats" || command == "df" || command == "sketch" ||
         command == "candidates" || command == "select" || command == "verify" ||
         command == "cluster";
}

int RunStage(std::string_view command, const std::vector<std::string_view>& args) {
  Args parsed;
  if (std::optional<std::string> error = Parse(args, &parsed)) return Usage(*error);
  if (parsed.help) {
    std::cout << kStagesHelp;
    return kOk;
  }
  if (command == "ids") return Ids(parsed);
  if (command == "repeats") return Repeats(parsed);
  if (command == "df") return Frequencies(parsed);
  if (command == "sketch") return SketchCommand(parsed);
  if (command == "candidates") return Candidates(parsed);
  if (command == "select") return Select(parsed);
  if (command == "verify") return Verify(parsed);
  return ClusterCommand(parsed);
}

}  // namespace claimdiff::cli
