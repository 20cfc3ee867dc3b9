// claimdiff: the command line. Wires ingestion, the pipeline and the renderers together and
// owns nothing else. Exit codes are documented in `claimdiff --help` and the README.
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli/common.h"
#include "cli/stages.h"
#include "core/ingest.h"
#include "index/store.h"
#include "report/pairs.h"
#include "report/render.h"
#include "report/report.h"
#include "report/syndication.h"

namespace {

using claimdiff::kVersion;

using claimdiff::cli::CheckInputs;
using claimdiff::cli::kFatal;
using claimdiff::cli::kInputErrors;
using claimdiff::cli::kOk;
using claimdiff::cli::kUsage;

constexpr std::string_view kMainHelp =
    R"(claimdiff: find the same claim across news sources and show where they agree.

usage: claimdiff <command> [options]

commands:
  compare PATH...   cluster the spans of articles that state the same claim
  syndication PATH...
                    which articles reuse which, passage by passage, and who published first
  pairs FILE        judge pairs of statements: same claim or not, agree or conflict
  index add|match|stats --db FILE [INPUT...]
                    keep earlier drops in an index and match a new drop against them
  ids|repeats|df|sketch|candidates|select|verify|cluster
                    compare in stages for a distributed engine (claimdiff repeats --help)

options:
  -h, --help        show help (also: claimdiff compare --help)
  --version         print the version

exit codes: 0 ok; 1 some input could not be read (the report covers the rest);
            2 usage error; 3 nothing to compare, --strict stop, or output not writable
)";

constexpr std::string_view kCompareHelp = R"(usage: claimdiff compare [options] PATH...

Reads articles and reports the claims that two or more of them state.

inputs (PATH):
  FILE.txt          one article; the first non-empty line that is not page furniture is the
                    title; the id is the file name without extension
  FILE.jsonl        JSON Lines, one article per line: "id" and "text" required; "title",
                    "outlet", "url", "published" optional (also .ndjson)
  FOLDER            every .txt, .jsonl and .ndjson file below it
  -                 JSON Lines on standard input
  The order of inputs never changes the output.

options:
  --format FORMAT   text (default: for a terminal), markdown, html (one self-contained
                    page) or json (claimdiff/report-v1)
  --color WHEN      auto (default: colour when standard output is a terminal and NO_COLOR
                    is not set), always or never; text format only
  --only VERDICT    show only claims whose verdict is conflict, agree or single
  --limit N         show at most N claims (all formats; the summary counts them all)
  -o, --output FILE write the report to FILE instead of standard output
  --threshold X     similarity (0 < X <= 1) two spans need to be one claim (default 0.30)
  --candidates HOW  exact (every pair sharing a feature), lsh (MinHash-LSH, for large
                    inputs) or auto (default: lsh above 20,000 comparable spans)
  --min-bands N     lsh: a pair is a candidate when it shares N of the 64 bands (default
                    1); a higher N is faster and drops pairs that met by chance, at some
                    recall (README: the S-curve)
  --threads N       worker threads (default 0: all cores); the output is the same for any N
  --strict          stop with exit code 3 at the first input problem
  --quiet           no progress line (it is shown on stderr only when stderr is a terminal:
                    stage, done/total within the stage, documents/s, spans/s, elapsed
                    time and the stage's estimated time left)
  --verbose         print one line per stage on stderr as it ends: its elapsed and CPU
                    seconds, the total so far, and the resident and peak memory (for
                    benchmarks)
  -h, --help        show this help

Input problems (missing path, invalid UTF-8, malformed JSON line, empty document) are
printed on stderr as "claimdiff: SOURCE[:LINE]: MESSAGE", listed in the report, and the
other documents are still compared.

exit codes: 0 ok; 1 some input could not be read (the report covers the rest);
            2 usage error; 3 nothing to compare, --strict stop, or output not writable
)";

constexpr std::string_view kPairsHelp = R"(usage: claimdiff pairs [options] FILE

Judges pairs of statements with the pipeline of `compare`: every text of FILE is a
document of one corpus, each pair is scored as clustering would score it, and compared
with the same verdict code.

input (FILE, or - for standard input): JSON Lines, one pair per line:
  {"id": "p1", "a": "first statement", "b": "second statement"}

output: one JSON line per pair, in input order:
  {"id", "similarity", "same_claim", "verdict": "agree"|"conflict"|"different",
   "conflicts": [{"kind": "number"|"negation"|"speaker", "detail"}]}

options:
  -o, --output FILE write the lines to FILE instead of standard output
  --threshold X     similarity (0 < X <= 1) the pair needs to be one claim (default 0.30)
  --strict          stop with exit code 3 at the first input problem
  -h, --help        show this help

exit codes: 0 ok; 1 some lines could not be read (the others are judged);
            2 usage error; 3 nothing to judge, --strict stop, or output not writable
)";

constexpr std::string_view kSyndicationHelp = R"(usage: claimdiff syndication [options] PATH...

Finds the articles that reuse each other's text: for every pair that shares a passage, how
much of each is found in the other (page furniture excluded), the aligned passages with byte
offsets in both, who published first (from "published"; unknown when a date is missing or
equal, never guessed from file order), and a label:
  copy            most of one is the other (at least 50% one way and 30% the other)
  shared source   both reuse a third article (30% or more of one side) more than each
                  other: two versions of one wire story
  partial reuse   they share some passages (a quoted statement, a paragraph)
Families are the groups of articles linked by copies, with the earliest one named.

inputs (PATH): as for compare (FILE.txt, FILE.jsonl, FOLDER, - for JSON Lines on stdin).
  The order of inputs never changes the output.

options:
  --format FORMAT   text (default), markdown, html (one self-contained page) or json
                    (claimdiff/syndication-v1, see report/syndication-v1.schema.json):
                    {"schema", "generator", "documents", "pairs": [{"a", "b", "a_in_b",
                     "b_in_a", "shared_spans", "label", "first", "passages": [{"a_start",
                     "a_end", "b_start", "b_end", "similarity"}]}], "families": [{"members",
                     "earliest"}], "errors"}
  --limit N         show at most N pairs and N families (ranked: copies first)
  -o, --output FILE write the report to FILE instead of standard output
  --candidates HOW  exact (every pair sharing a phrase), lsh (document MinHash-LSH: finds
                    copies, pairs sharing little text only by chance) or auto (default: lsh
                    above 1,000 documents)
  --threads N       worker threads (default 0: all cores); the output is the same for any N
  --strict          stop with exit code 3 at the first input problem
  --quiet           no progress line (it is shown on stderr only when stderr is a terminal)
  -h, --help        show this help

exit codes: 0 ok; 1 some input could not be read (the report covers the rest);
            2 usage error; 3 nothing to compare, --strict stop, or output not writable
)";

constexpr std::string_view kIndexHelp = R"(usage: claimdiff index add --db FILE [options] INPUT...
       claimdiff index match --db FILE [options] INPUT...
       claimdiff index stats --db FILE

add     stores the documents of INPUT (files, folders, JSON Lines, - for stdin) as one drop, in
        one transaction: a crash leaves earlier drops intact and this one absent. Stores the
        spans (offsets), their LSH band keys, the document frequencies and each span's claim
        cluster (joined to an earlier drop's cluster when it states the same claim). Documents
        whose id is already indexed are reported on stderr, not added again.
match   reports each span of INPUT that states a claim found in the index, from the stored
        band keys (the archive is not re-analysed). Default format jsonl, one line per span:
        {"doc", "span", "start", "end", "matches": [{"doc", "span", "start", "end",
         "similarity", "verdict", "cluster"}]} (byte offsets into each document's text;
        matches most similar first), then one line per new document that reuses the text of
        a stored one (syndication, as `claimdiff syndication` measures it):
        {"doc", "reuses", "label", "first", "doc_in_earlier", "earlier_in_doc", "passages":
         [{"start", "end", "earlier_start", "earlier_end", "similarity"}]}.
        With --format text, markdown, html or json: the normal report over INPUT and the
        earlier documents it matches. INPUT is not stored; add it afterwards to keep it.
stats   drops, documents, spans, claims and stored sizes.

options:
  --format FORMAT   match only: jsonl (default), text, markdown, html or json
  -o, --output FILE write to FILE instead of standard output (match)
  --threshold X     similarity (0 < X <= 1) two spans need to be one claim (default 0.30)
  --threads N       worker threads (default 0: all cores)
  --min-bands N     add, match: an earlier span is a candidate of a new one when they share
                    N of the 64 LSH bands or a figure key (default 2); a higher N is
                    faster and uses less memory, at some recall (README: the S-curve)
  --quiet           no progress line (shown on stderr only when it is a terminal)
  --verbose         one line per stage on stderr, with the elapsed time

exit codes: 0 ok; 1 some input could not be read; 2 usage error; 3 the index cannot be opened
            or written, or nothing to add or match
)";

int Usage(std::string_view message) {
  std::cerr << "claimdiff: " << message << "\n(see claimdiff --help)\n";
  return kUsage;
}

bool ParseFloat(std::string_view s, float* out) { return claimdiff::cli::ParseNumber(s, out); }
bool ParseInt(std::string_view s, int* out) { return claimdiff::cli::ParseNumber(s, out); }

// --min-bands N: how many LSH bands a pair must share to be a candidate (1 to the bands).
bool ParseMinBands(std::string_view value, claimdiff::CompareOptions* options) {
  int n = 0;
  if (!ParseInt(value, &n) || n < 1 || n > options->minhash.bands) return false;
  options->minhash.min_shared_bands = n;
  return true;
}

int MinBandsUsage() {
  return Usage(absl::StrCat("--min-bands needs a whole number from 1 to ",
                            claimdiff::MinHashOptions().bands));
}

// Resident memory now and at its peak, in bytes (0 when unknown).
size_t CurrentRss() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long pages = 0;
  unsigned long resident = 0;
  const int got = std::fscanf(f, "%lu %lu", &pages, &resident);
  std::fclose(f);
  return got == 2 ? resident * static_cast<size_t>(sysconf(_SC_PAGESIZE)) : 0;
}

// CPU seconds (user + system, all threads) used so far.
double CpuSeconds() {
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

size_t PeakRss() {
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  return static_cast<size_t>(usage.ru_maxrss) * 1024;  // kilobytes on Linux
}

// Resident memory on transparent huge pages (AnonHugePages of /proc/self/smaps_rollup), in
// bytes; 0 where the kernel does not tell.
size_t HugePagesRss() {
  std::ifstream rollup("/proc/self/smaps_rollup");
  std::string line;
  while (std::getline(rollup, line)) {
    size_t kb = 0;
    if (std::sscanf(line.c_str(), "AnonHugePages: %zu kB", &kb) == 1) return kb * 1024;
  }
  return 0;
}

// The progress line (a terminal on stderr) and the --verbose stage lines of `compare`. Called
// through CompareOptions::progress and ::step, never concurrently.
class ProgressDisplay {
 public:
  ProgressDisplay(bool line, bool verbose)
      : line_(line), verbose_(verbose), start_(Clock::now()), stage_start_(start_) {}

  // A stage starts: the previous one ends.
  void Stage(std::string_view name, size_t documents, size_t spans) {
    EndStage();
    stage_.assign(name);
    documents_ = documents;
    spans_ = spans;
    done_ = total_ = 0;
    stage_start_ = Clock::now();
    stage_cpu_ = verbose_ ? CpuSeconds() : 0;
    Draw(true);
  }

  void Step(std::string_view name, size_t done, size_t total) {
    if (name != stage_) return;
    done_ = done;
    total_ = total;
    if (stage_ == "segmenting") documents_ = done;
    Draw(done == total);
  }

  // The current stage ends (its --verbose line); the progress line is cleared.
  void EndStage() {
    if (stage_.empty()) return;
    if (verbose_) {
      const Clock::time_point now = Clock::now();
      if (line_) std::fputs("\r\x1b[K", stderr);
      std::fprintf(stderr,
                   "claimdiff: stage %-16s %7.2f s  cpu %7.2f s  total %7.2f s  rss %6zu MB  "
                   "peak %6zu MB  huge %6zu MB\n",
                   stage_.c_str(), Seconds(stage_start_, now), CpuSeconds() - stage_cpu_,
                   Seconds(start_, now), CurrentRss() >> 20, PeakRss() >> 20, HugePagesRss() >> 20);
    }
    stage_.clear();
  }

  void Clear() const {
    if (line_) std::fputs("\r\x1b[K", stderr);
    std::fflush(stderr);
  }

 private:
  using Clock = std::chrono::steady_clock;

  static double Seconds(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
  }

  void Draw(bool force) {
    if (!line_) return;
    const Clock::time_point now = Clock::now();
    const double elapsed = Seconds(start_, now);
    if (!force && elapsed - last_draw_ < 0.2) return;
    last_draw_ = elapsed;
    const double rate_time = std::max(elapsed, 1e-3);
    std::string eta;
    if (total_ > 0 && done_ > 0 && done_ < total_) {
      const double stage_elapsed = Seconds(stage_start_, now);
      const double left =
          stage_elapsed * static_cast<double>(total_ - done_) / static_cast<double>(done_);
      eta = absl::StrCat(", ETA ", static_cast<int64_t>(left + 0.5), " s");
    }
    std::string percent;
    if (total_ > 0) percent = absl::StrCat(done_ * 100 / total_, "%");
    std::fprintf(stderr,
                 "\r\x1b[Kclaimdiff: %-15s %4s %zu documents, %zu spans, %.0f docs/s, %.0f "
                 "spans/s, %.1f s%s",
                 stage_.c_str(), percent.c_str(), documents_, spans_,
                 static_cast<double>(documents_) / rate_time,
                 static_cast<double>(spans_) / rate_time, elapsed, eta.c_str());
    std::fflush(stderr);
  }

  bool line_;
  bool verbose_;
  Clock::time_point start_;
  Clock::time_point stage_start_;
  double stage_cpu_ = 0;
  std::string stage_;
  size_t documents_ = 0;
  size_t spans_ = 0;
  size_t done_ = 0;
  size_t total_ = 0;
  double last_draw_ = -1;
};

// The report in one of the formats for people (text, markdown, html) or json.
std::string Render(const claimdiff::Report& report, std::string_view format,
                   const claimdiff::RenderOptions& view) {
  if (format == "json") return claimdiff::RenderJson(report, view);
  if (format == "markdown") return claimdiff::RenderMarkdown(report, view);
  if (format == "html") return claimdiff::RenderHtml(report, view);
  return claimdiff::RenderText(report, view);
}

// Writes `text` to `output` (a file) or standard output; false on failure (message printed).
bool WriteOutput(const std::string& output, const std::string& text) {
  if (output.empty()) {
    std::cout << text;
    std::cout.flush();
    if (!std::cout) {
      std::cerr << "claimdiff: cannot write to standard output\n";
      return false;
    }
    return true;
  }
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    std::cerr << "claimdiff: cannot write " << output << "\n";
    return false;
  }
  return true;
}

// Runs `render` on a stream to `output` (a file) or standard output; false on failure
// (message printed).
bool StreamOutput(const std::string& output, const std::function<void(std::ostream&)>& render) {
  if (output.empty()) {
    render(std::cout);
    std::cout.flush();
    if (!std::cout) {
      std::cerr << "claimdiff: cannot write to standard output\n";
      return false;
    }
    return true;
  }
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  if (out) render(out);
  out.close();
  if (!out) {
    std::cerr << "claimdiff: cannot write " << output << "\n";
    return false;
  }
  return true;
}

int Compare(const std::vector<std::string_view>& args) {
  std::vector<std::string> paths;
  std::string format = "text";
  std::string color = "auto";
  bool quiet = false;
  bool verbose = false;
  claimdiff::RenderOptions view;
  std::string output;
  bool strict = false;
  claimdiff::CompareOptions options;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view a = args[i];
    std::string_view value;
    const bool has_inline = claimdiff::cli::SplitInlineValue(&a, &value);
    auto need_value = [&](std::string_view name) -> bool {
      if (has_inline) return true;
      if (i + 1 >= args.size()) return false;
      value = args[++i];
      (void)name;
      return true;
    };
    if (a == "-h" || a == "--help") {
      std::cout << kCompareHelp;
      return kOk;
    } else if (a == "--format") {
      if (!need_value(a)) return Usage("--format needs a value: text or json");
      format = std::string(value);
      if (format != "text" && format != "json" && format != "markdown" && format != "html") {
        return Usage(
            absl::StrCat("unknown --format '", format, "': use text, markdown, html or json"));
      }
    } else if (a == "--color" || a == "--colour") {
      if (!need_value(a)) return Usage("--color needs auto, always or never");
      color = std::string(value);
      if (color != "auto" && color != "always" && color != "never") {
        return Usage(absl::StrCat("unknown --color '", color, "': use auto, always or never"));
      }
    } else if (a == "--only") {
      if (!need_value(a)) return Usage("--only needs conflict, agree or single");
      if (value == "conflict") {
        view.only = claimdiff::Verdict::kConflict;
      } else if (value == "agree") {
        view.only = claimdiff::Verdict::kAgree;
      } else if (value == "single") {
        view.only = claimdiff::Verdict::kSingle;
      } else {
        return Usage("--only needs conflict, agree or single");
      }
    } else if (a == "--limit") {
      int n = 0;
      if (!need_value(a) || !ParseInt(value, &n) || n < 1) {
        return Usage("--limit needs a whole number >= 1");
      }
      view.limit = static_cast<size_t>(n);
    } else if (a == "-o" || a == "--output") {
      if (!need_value(a)) return Usage("-o needs a file name");
      output = std::string(value);
    } else if (a == "--threshold") {
      float t = 0;
      if (!need_value(a) || !ParseFloat(value, &t) || !(t > 0.0f && t <= 1.0f)) {
        return Usage("--threshold needs a number in (0, 1]");
      }
      options.threshold = t;
    } else if (a == "--threads") {
      int n = 0;
      if (!need_value(a) || !ParseInt(value, &n) || n < 0) {
        return Usage("--threads needs a whole number >= 0");
      }
      options.threads = n;
    } else if (a == "--min-bands") {
      if (!need_value(a) || !ParseMinBands(value, &options)) return MinBandsUsage();
    } else if (a == "--candidates") {
      if (!need_value(a)) return Usage("--candidates needs exact, lsh or auto");
      if (value == "exact") {
        options.candidates = claimdiff::CandidateMode::kExact;
      } else if (value == "lsh") {
        options.candidates = claimdiff::CandidateMode::kLsh;
      } else if (value == "auto") {
        options.candidates = claimdiff::CandidateMode::kAuto;
      } else {
        return Usage("--candidates needs exact, lsh or auto");
      }
    } else if (a == "--strict") {
      strict = true;
    } else if (a == "--quiet" || a == "-q") {
      quiet = true;
    } else if (a == "--verbose" || a == "-v") {
      verbose = true;
    } else if (a == "-" || a.empty() || a[0] != '-') {
      paths.emplace_back(a);
    } else {
      return Usage(absl::StrCat("unknown option '", std::string(a), "' for compare"));
    }
  }
  if (paths.empty()) return Usage("compare needs at least one PATH");

  claimdiff::LocalFileSystem fs;
  claimdiff::LoadOptions load;
  load.threads = options.threads;
  claimdiff::LoadedInputs in = claimdiff::LoadInputs(paths, fs, load);
  if (const int status = CheckInputs(in.errors, strict, in.documents.empty(),
                                     "no document could be read: nothing to compare");
      status != kOk) {
    return status;
  }
  const bool input_errors = !in.errors.empty();
  // JSON does not draw word diffs: skip computing them.
  options.word_diffs = format != "json";
  ProgressDisplay display(!quiet && isatty(STDERR_FILENO) != 0, verbose);
  if ((!quiet && isatty(STDERR_FILENO) != 0) || verbose) {
    options.progress = [&display](std::string_view stage, size_t docs, size_t spans) {
      display.Stage(stage, docs, spans);
    };
    options.step = [&display](std::string_view stage, size_t done, size_t total) {
      display.Step(stage, done, total);
    };
  }
  absl::StatusOr<claimdiff::Report> report =
      claimdiff::BuildReport(std::move(in.documents), options, std::move(in.errors));
  if (!report.ok()) {
    display.EndStage();
    display.Clear();
  } else {
    display.Stage("writing", report->documents.size(), report->spans.size());
  }
  if (!report.ok()) {
    std::cerr << "claimdiff: " << report.status().message() << "\n";
    return kFatal;
  }
  const char* no_color = std::getenv("NO_COLOR");
  view.color =
      color == "always" || (color == "auto" && output.empty() && isatty(STDOUT_FILENO) != 0 &&
                            (no_color == nullptr || no_color[0] == '\0'));
  // The report goes to its destination as it is rendered, never whole in memory.
  const bool written = StreamOutput(output, [&](std::ostream& out) {
    if (format == "json") {
      claimdiff::RenderJson(*report, view, out);
    } else if (format == "markdown") {
      claimdiff::RenderMarkdown(*report, view, out);
    } else if (format == "html") {
      claimdiff::RenderHtml(*report, view, out);
    } else {
      claimdiff::RenderText(*report, view, out);
    }
  });
  display.EndStage();
  display.Clear();
  if (!written) return kFatal;
  return input_errors ? kInputErrors : kOk;
}

// -o/--output FILE and --threshold X, shared by `pairs` and `index`: nullopt when args[*i] is
// neither, kOk when it was consumed (with its value), kUsage after a message when it is bad.
std::optional<int> SharedFlag(const std::vector<std::string_view>& args, size_t* i,
                              std::string* output, claimdiff::CompareOptions* options) {
  const std::string_view a = args[*i];
  if (a == "-o" || a == "--output") {
    if (*i + 1 >= args.size()) return Usage("-o needs a file name");
    *output = std::string(args[++*i]);
    return kOk;
  }
  if (a == "--threshold") {
    float t = 0;
    if (*i + 1 >= args.size() || !ParseFloat(args[++*i], &t) || !(t > 0.0f && t <= 1.0f)) {
      return Usage("--threshold needs a number in (0, 1]");
    }
    options->threshold = t;
    return kOk;
  }
  return std::nullopt;
}

int Index(const std::vector<std::string_view>& args) {
  if (args.empty() || args[0] == "-h" || args[0] == "--help") {
    std::cout << kIndexHelp;
    return args.empty() ? kUsage : kOk;
  }
  const std::string_view verb = args[0];
  std::string db;
  std::string output;
  std::vector<std::string> paths;
  std::string format = "jsonl";
  bool quiet = false;
  bool verbose = false;
  claimdiff::CompareOptions options;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string_view a = args[i];
    if (a == "-h" || a == "--help") {
      std::cout << kIndexHelp;
      return kOk;
    } else if (a == "--db") {
      if (i + 1 >= args.size()) return Usage("--db needs a file name");
      db = std::string(args[++i]);
    } else if (std::optional<int> shared = SharedFlag(args, &i, &output, &options)) {
      if (*shared != kOk) return *shared;
    } else if (a == "--format") {
      if (i + 1 >= args.size()) return Usage("--format needs jsonl, text, markdown, html or json");
      format = std::string(args[++i]);
      if (format != "jsonl" && format != "text" && format != "json" && format != "markdown" &&
          format != "html") {
        return Usage(absl::StrCat("unknown --format '", format,
                                  "': use jsonl, text, markdown, html or json"));
      }
    } else if (a == "--threads") {
      int n = 0;
      if (i + 1 >= args.size() || !ParseInt(args[++i], &n) || n < 0) {
        return Usage("--threads needs a whole number >= 0");
      }
      options.threads = n;
    } else if (a == "--min-bands") {
      if (i + 1 >= args.size() || !ParseMinBands(args[++i], &options)) return MinBandsUsage();
    } else if (a == "--quiet" || a == "-q") {
      quiet = true;
    } else if (a == "--verbose" || a == "-v") {
      verbose = true;
    } else if (a == "-" || a.empty() || a[0] != '-') {
      paths.emplace_back(a);
    } else {
      return Usage(absl::StrCat("unknown option '", std::string(a), "' for index"));
    }
  }
  if (verb != "add" && verb != "match" && verb != "stats") {
    return Usage(absl::StrCat("unknown index command '", std::string(verb), "'"));
  }
  if (db.empty()) return Usage("index needs --db FILE");
  absl::StatusOr<claimdiff::Store> store = claimdiff::Store::Open(db);
  if (!store.ok()) {
    std::cerr << "claimdiff: " << store.status().message() << "\n";
    return kFatal;
  }
  if (verb == "stats") {
    absl::StatusOr<claimdiff::IndexStats> st = store->Stats();
    if (!st.ok()) {
      std::cerr << "claimdiff: " << st.status().message() << "\n";
      return kFatal;
    }
    std::cout << "drops " << st->drops << "\ndocuments " << st->documents << "\nspans " << st->spans
              << "\ncomparable_spans " << st->comparable << "\nclaims " << st->claims
              << "\ntext_bytes " << st->text_bytes << "\nbucket_bytes " << st->bucket_bytes
              << "\nfrequency_bytes " << st->df_bytes << "\nfeature_bytes " << st->feature_bytes
              << "\ncomparable_spans_without_features " << st->without_features << "\nfile_bytes "
              << st->file_bytes << "\nlsh_bands " << st->bands << "\nlsh_rows_per_band "
              << st->rows_per_band << "\n";
    return kOk;
  }
  if (paths.empty()) return Usage(absl::StrCat("index ", std::string(verb), " needs INPUT"));
  claimdiff::LocalFileSystem fs;
  claimdiff::LoadOptions load;
  load.threads = options.threads;
  claimdiff::LoadedInputs in = claimdiff::LoadInputs(paths, fs, load);
  if (const int status = CheckInputs(in.errors, /*strict=*/false, in.documents.empty(),
                                     "no document could be read");
      status != kOk) {
    return status;
  }
  const int read_status = in.errors.empty() ? kOk : kInputErrors;
  ProgressDisplay display(!quiet && isatty(STDERR_FILENO) != 0, verbose);
  if ((!quiet && isatty(STDERR_FILENO) != 0) || verbose) {
    options.progress = [&display](std::string_view stage, size_t docs, size_t spans) {
      display.Stage(stage, docs, spans);
    };
    options.step = [&display](std::string_view stage, size_t done, size_t total) {
      display.Step(stage, done, total);
    };
  }
  auto clear_progress = [&display] {
    display.EndStage();
    display.Clear();
  };
  if (verb == "add") {
    absl::StatusOr<claimdiff::AddResult> added = store->AddDrop(std::move(in.documents), options);
    clear_progress();
    if (!added.ok()) {
      std::cerr << "claimdiff: " << added.status().message() << "\n";
      return kFatal;
    }
    for (const std::string& id : added->existing) {
      std::cerr << "claimdiff: " << id << ": already indexed, not added again\n";
    }
    if (added->drop == 0) {
      std::cout << "no drop recorded: 0 documents added, " << added->existing.size()
                << " already indexed\n";
    } else {
      std::cout << "drop " << added->drop << ": " << added->added << " documents added ("
                << added->spans << " spans, " << added->comparable << " comparable, "
                << added->joined << " in claims of earlier drops), " << added->existing.size()
                << " already indexed\n";
    }
    return read_status;
  }
  // For people, the matched earlier documents are compared with the new ones as `compare`
  // would: the normal report over both.
  std::vector<claimdiff::Document> drop;
  if (format != "jsonl") drop = in.documents;
  absl::StatusOr<claimdiff::MatchResult> matches = store->Match(std::move(in.documents), options);
  clear_progress();
  if (!matches.ok()) {
    std::cerr << "claimdiff: " << matches.status().message() << "\n";
    return kFatal;
  }
  for (const std::string& id : matches->existing) {
    std::cerr << "claimdiff: " << id << ": already indexed, not matched\n";
  }
  if (format == "jsonl") {
    std::string text;
    for (const claimdiff::SpanMatch& m : matches->spans) text += claimdiff::RenderMatchJson(m);
    for (const claimdiff::DocumentReuse& r : matches->reuse) text += claimdiff::RenderReuseJson(r);
    if (!WriteOutput(output, text)) return kFatal;
    return read_status;
  }
  std::vector<std::string> ids;
  for (const claimdiff::SpanMatch& m : matches->spans) {
    for (const claimdiff::SpanMatch::Earlier& e : m.matches) ids.push_back(e.doc);
  }
  for (const claimdiff::DocumentReuse& r : matches->reuse) ids.push_back(r.earlier);
  absl::StatusOr<std::vector<claimdiff::Document>> earlier = store->DocumentsById(ids);
  if (!earlier.ok()) {
    std::cerr << "claimdiff: " << earlier.status().message() << "\n";
    return kFatal;
  }
  std::erase_if(drop, [&](const claimdiff::Document& d) {
    return std::find(matches->existing.begin(), matches->existing.end(), d.id) !=
           matches->existing.end();
  });
  drop.insert(drop.end(), std::make_move_iterator(earlier->begin()),
              std::make_move_iterator(earlier->end()));
  std::sort(drop.begin(), drop.end(),
            [](const claimdiff::Document& a, const claimdiff::Document& b) { return a.id < b.id; });
  options.progress = nullptr;
  options.step = nullptr;
  absl::StatusOr<claimdiff::Report> report = claimdiff::BuildReport(std::move(drop), options);
  if (!report.ok()) {
    std::cerr << "claimdiff: " << report.status().message() << "\n";
    return kFatal;
  }
  claimdiff::RenderOptions view;
  view.color = output.empty() && isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;
  if (!WriteOutput(output, Render(*report, format, view))) return kFatal;
  return read_status;
}

int Syndication(const std::vector<std::string_view>& args) {
  std::vector<std::string> paths;
  std::string format = "text";
  std::string output;
  size_t limit = 0;
  bool strict = false;
  bool quiet = false;
  claimdiff::SyndicationOptions options;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    if (a == "-h" || a == "--help") {
      std::cout << kSyndicationHelp;
      return kOk;
    } else if (a == "--format") {
      if (i + 1 >= args.size()) return Usage("--format needs text, markdown, html or json");
      format = std::string(args[++i]);
      if (format != "text" && format != "json" && format != "markdown" && format != "html") {
        return Usage(
            absl::StrCat("unknown --format '", format, "': use text, markdown, html or json"));
      }
    } else if (a == "-o" || a == "--output") {
      if (i + 1 >= args.size()) return Usage("-o needs a file name");
      output = std::string(args[++i]);
    } else if (a == "--limit") {
      int n = 0;
      if (i + 1 >= args.size() || !ParseInt(args[++i], &n) || n < 1) {
        return Usage("--limit needs a whole number >= 1");
      }
      limit = static_cast<size_t>(n);
    } else if (a == "--threads") {
      int n = 0;
      if (i + 1 >= args.size() || !ParseInt(args[++i], &n) || n < 0) {
        return Usage("--threads needs a whole number >= 0");
      }
      options.threads = n;
    } else if (a == "--candidates") {
      const std::string_view value = i + 1 < args.size() ? args[++i] : std::string_view();
      if (value == "exact") {
        options.candidates.lsh_from_documents = static_cast<size_t>(-1);
      } else if (value == "lsh") {
        options.candidates.force_lsh = true;
      } else if (value != "auto") {
        return Usage("--candidates needs exact, lsh or auto");
      }
    } else if (a == "--strict") {
      strict = true;
    } else if (a == "--quiet" || a == "-q") {
      quiet = true;
    } else if (a == "-" || a.empty() || a[0] != '-') {
      paths.emplace_back(a);
    } else {
      return Usage(absl::StrCat("unknown option '", std::string(a), "' for syndication"));
    }
  }
  if (paths.empty()) return Usage("syndication needs at least one PATH");
  claimdiff::LocalFileSystem fs;
  claimdiff::LoadOptions load;
  load.threads = options.threads;
  claimdiff::LoadedInputs in = claimdiff::LoadInputs(paths, fs, load);
  if (const int status = CheckInputs(in.errors, strict, in.documents.empty(),
                                     "no document could be read: nothing to compare");
      status != kOk) {
    return status;
  }
  const bool input_errors = !in.errors.empty();
  ProgressDisplay display(!quiet && isatty(STDERR_FILENO) != 0, false);
  if (!quiet && isatty(STDERR_FILENO) != 0) {
    options.progress = [&display](std::string_view stage, size_t docs) {
      display.Stage(stage, docs, 0);
    };
  }
  absl::StatusOr<claimdiff::SyndicationReport> report =
      claimdiff::BuildSyndication(std::move(in.documents), options, std::move(in.errors));
  display.EndStage();
  display.Clear();
  if (!report.ok()) {
    std::cerr << "claimdiff: " << report.status().message() << "\n";
    return kFatal;
  }
  std::string text;
  if (format == "json") {
    text = claimdiff::RenderSyndicationJson(*report, limit);
  } else if (format == "markdown") {
    text = claimdiff::RenderSyndicationMarkdown(*report, limit);
  } else if (format == "html") {
    text = claimdiff::RenderSyndicationHtml(*report, limit);
  } else {
    text = claimdiff::RenderSyndicationText(*report, limit);
  }
  if (!WriteOutput(output, text)) return kFatal;
  return input_errors ? kInputErrors : kOk;
}

int Pairs(const std::vector<std::string_view>& args) {
  std::string path;
  std::string output;
  bool strict = false;
  claimdiff::CompareOptions options;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    if (a == "-h" || a == "--help") {
      std::cout << kPairsHelp;
      return kOk;
    } else if (std::optional<int> shared = SharedFlag(args, &i, &output, &options)) {
      if (*shared != kOk) return *shared;
    } else if (a == "--strict") {
      strict = true;
    } else if ((a == "-" || a.empty() || a[0] != '-') && path.empty()) {
      path = std::string(a);
    } else {
      return Usage(absl::StrCat("unexpected argument '", std::string(a), "' for pairs"));
    }
  }
  if (path.empty()) return Usage("pairs needs a FILE (or - for standard input)");
  claimdiff::LocalFileSystem fs;
  absl::StatusOr<std::string> bytes = fs.ReadFile(path);
  if (!bytes.ok()) {
    std::cerr << "claimdiff: " << path << ": " << bytes.status().message() << "\n";
    return kFatal;
  }
  std::vector<claimdiff::PairInput> pairs;
  std::vector<claimdiff::InputError> errors;
  claimdiff::ParsePairs(path, *bytes, &pairs, &errors);
  if (const int status =
          CheckInputs(errors, strict, pairs.empty(), "no pair could be read: nothing to judge");
      status != kOk) {
    return status;
  }
  absl::StatusOr<std::vector<claimdiff::PairJudgment>> judged =
      claimdiff::JudgePairs(pairs, options);
  if (!judged.ok()) {
    std::cerr << "claimdiff: " << judged.status().message() << "\n";
    return kFatal;
  }
  std::string text;
  for (const claimdiff::PairJudgment& j : *judged) text += claimdiff::RenderPairJson(j);
  if (!WriteOutput(output, text)) return kFatal;
  return errors.empty() ? kOk : kInputErrors;
}

// Starts claimdiff again with glibc's malloc told to ask for transparent huge pages
// (GLIBC_TUNABLES=glibc.malloc.hugetlb=1), unless the variable already names that tunable
// (set it to 0 to run without). A large run writes gigabytes of fresh memory, and each 4 KB page
// first written is a page fault: on this project's 2-core virtual machines the faults were about
// a quarter of the CPU time of `index match` against a 100,000-document index, and huge pages
// took it from 53-59 s to 39-42 s (README, "Scale"). glibc reads its tunables only when a program
// starts, hence the new start. Where the kernel gives no huge pages on request, or the new start
// fails, claimdiff runs on as it was.
void UseHugePages(char** argv) {
  const std::string tunable = "glibc.malloc.hugetlb";
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (tunables != nullptr && std::string_view(tunables).find(tunable) != std::string_view::npos) {
    return;
  }
  const std::string value = tunables == nullptr || *tunables == '\0'
                                ? tunable + "=1"
                                : std::string(tunables) + ":" + tunable + "=1";
  if (setenv("GLIBC_TUNABLES", value.c_str(), 1) != 0) return;
  execv("/proc/self/exe", argv);
}

// Tells glibc's malloc to grow a heap by 64 MB beyond a request and to keep 64 MB free when it
// shrinks one (M_TOP_PAD), unless GLIBC_TUNABLES sets glibc.malloc.top_pad. The threads' heaps
// are 64 MB each: with the default pad they were given back and faulted in again, huge page
// after huge page, as the per-span buffers came and went. `compare` of 100,000 documents, the
// pad given as the tunable, alternating runs: 132.5 and 117.7 s without, 104.8 and 90.0 s with
// (CPU 222 and 199 s, 180 and 156 s), peak RSS 14 MB higher; a 16 MB pad gave no gain.
void PadHeaps() {
#ifdef M_TOP_PAD
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (tunables != nullptr &&
      std::string_view(tunables).find("glibc.malloc.top_pad") != std::string_view::npos) {
    return;
  }
  mallopt(M_TOP_PAD, 64 << 20);
#endif
}

}  // namespace

int main(int argc, char** argv) {
  UseHugePages(argv);
  PadHeaps();
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << kMainHelp;
    return kUsage;
  }
  const std::string_view command = args[0];
  if (command == "-h" || command == "--help" || command == "help") {
    std::cout << kMainHelp;
    return kOk;
  }
  if (command == "--version" || command == "version") {
    std::cout << "claimdiff " << kVersion << "\n";
    return kOk;
  }
  if (command == "compare") return Compare({args.begin() + 1, args.end()});
  if (command == "syndication") return Syndication({args.begin() + 1, args.end()});
  if (command == "pairs") return Pairs({args.begin() + 1, args.end()});
  if (command == "index") return Index({args.begin() + 1, args.end()});
  if (claimdiff::cli::IsStageCommand(command)) {
    return claimdiff::cli::RunStage(command, {args.begin() + 1, args.end()});
  }
  return Usage(absl::StrCat("unknown command '", std::string(command), "'"));
}
