#include "report/stages.h"

#include <algorithm>
#include <cstring>
#include <queue>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/uninitialized.h"
#include "similarity/minhash.h"
#include "similarity/shingle.h"

namespace claimdiff {
namespace {

// Seeds of the two hashes of a span form.
constexpr uint64_t kFormSeed1 = 0x5EED5EED00000001ULL;
constexpr uint64_t kFormSeed2 = 0x5EED5EED00000002ULL;

std::pair<uint64_t, uint64_t> FormHashes(std::string_view key) {
  return {StableHash64(key, kFormSeed1), StableHash64(key, kFormSeed2)};
}

// Little-endian fixed-width writer and reader.
class Writer {
 public:
  explicit Writer(std::string_view magic) {
    out_.append(magic);
    U32(kStageFormatVersion);
  }
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U32(uint32_t v) { Put(v); }
  void U64(uint64_t v) { Put(v); }
  void F32(float v) {
    uint32_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    Put(bits);
  }
  void Bytes(std::string_view s) { out_.append(s); }
  std::string Take() { return std::move(out_); }

 private:
  template <typename T>
  void Put(T v) {
    for (size_t i = 0; i < sizeof(T); ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  }
  std::string out_;
};

class Reader {
 public:
  Reader(std::string_view bytes, std::string_view source, std::string_view what)
      : bytes_(bytes), source_(source), what_(what) {}

  // Checks the magic and the version.
  absl::Status Header(std::string_view magic) {
    if (bytes_.size() < 8 || bytes_.substr(0, 4) != magic) {
      return Error(0, absl::StrCat("not a claimdiff ", std::string(what_),
                                   " file (expected magic '", std::string(magic), "')"));
    }
    pos_ = 4;
    uint32_t version = 0;
    if (!U32(&version)) return Truncated();
    if (version != kStageFormatVersion) {
      return Error(4, absl::StrCat("format version ", version, " (this claimdiff reads ",
                                   kStageFormatVersion, ")"));
    }
    return absl::OkStatus();
  }
  bool U8(uint8_t* v) {
    if (bytes_.size() - pos_ < 1) return false;
    *v = static_cast<uint8_t>(bytes_[pos_++]);
    return true;
  }
  bool U32(uint32_t* v) { return Get(v); }
  bool U64(uint64_t* v) { return Get(v); }
  bool F32(float* v) {
    uint32_t bits = 0;
    if (!Get(&bits)) return false;
    std::memcpy(v, &bits, sizeof bits);
    return true;
  }
  bool Bytes(size_t n, std::string* s) {
    if (bytes_.size() - pos_ < n) return false;
    s->assign(bytes_.substr(pos_, n));
    pos_ += n;
    return true;
  }
  // Whether `count` items of at least `size` bytes each can follow (guards reservations).
  bool CanHold(uint64_t count, size_t size) const {
    return count <= (bytes_.size() - pos_) / std::max<size_t>(size, 1);
  }
  size_t pos() const { return pos_; }
  absl::Status Truncated() const { return Error(pos_, "truncated"); }
  absl::Status End() const {
    if (pos_ != bytes_.size()) return Error(pos_, "unexpected bytes after the last entry");
    return absl::OkStatus();
  }
  absl::Status Error(size_t offset, std::string_view message) const {
    return absl::InvalidArgumentError(absl::StrCat(std::string(source_), ": byte ", offset, ": ",
                                                   std::string(what_), ": ", std::string(message)));
  }

 private:
  template <typename T>
  bool Get(T* v) {
    if (bytes_.size() - pos_ < sizeof(T)) return false;
    T x = 0;
    for (size_t i = 0; i < sizeof(T); ++i) {
      x |= static_cast<T>(static_cast<uint8_t>(bytes_[pos_ + i])) << (8 * i);
    }
    pos_ += sizeof(T);
    *v = x;
    return true;
  }
  std::string_view bytes_;
  std::string_view source_;
  std::string_view what_;
  size_t pos_ = 0;
};

}  // namespace

uint32_t RepeatTable::DocumentsWith(std::string_view key) const {
  const auto [h1, h2] = FormHashes(key);
  const auto it = std::lower_bound(entries.begin(), entries.end(), std::pair(h1, h2),
                                   [](const Entry& e, const std::pair<uint64_t, uint64_t>& k) {
                                     return std::pair(e.h1, e.h2) < k;
                                   });
  if (it == entries.end() || it->h1 != h1 || it->h2 != h2) return 0;
  return it->documents;
}

CorpusRepeats RepeatTable::AsCorpus() const {
  return {documents, [this](std::string_view key) { return DocumentsWith(key); }};
}

absl::StatusOr<RepeatTable> CountRepeats(std::vector<Document> documents,
                                         const CompareOptions& options) {
  absl::StatusOr<Report> segmented = SegmentDocuments(std::move(documents), options);
  if (!segmented.ok()) return segmented.status();
  absl::StatusOr<Normalizer> normalizer = Normalizer::Create();
  if (!normalizer.ok()) return normalizer.status();
  const std::vector<SpanForm> forms =
      CountSpanForms(segmented->documents, segmented->spans, *normalizer, options.threads);
  RepeatTable table;
  table.documents = segmented->documents.size();
  table.entries.reserve(forms.size());
  for (const SpanForm& f : forms) {
    const auto [h1, h2] = FormHashes(f.key);
    table.entries.push_back({h1, h2, f.documents});
  }
  std::sort(table.entries.begin(), table.entries.end(),
            [](const RepeatTable::Entry& x, const RepeatTable::Entry& y) {
              return std::pair(x.h1, x.h2) < std::pair(y.h1, y.h2);
            });
  // Distinct forms with equal hashes (never seen; 2^-128) are counted as one.
  std::vector<RepeatTable::Entry> merged;
  for (const RepeatTable::Entry& e : table.entries) {
    if (!merged.empty() && merged.back().h1 == e.h1 && merged.back().h2 == e.h2) {
      merged.back().documents += e.documents;
    } else {
      merged.push_back(e);
    }
  }
  table.entries = std::move(merged);
  return table;
}

RepeatTable MergeRepeats(const std::vector<RepeatTable>& parts, uint32_t min_documents) {
  RepeatTable out;
  size_t total = 0;
  for (const RepeatTable& p : parts) {
    out.documents += p.documents;
    total += p.entries.size();
  }
  std::vector<RepeatTable::Entry> all;
  all.reserve(total);
  for (const RepeatTable& p : parts) all.insert(all.end(), p.entries.begin(), p.entries.end());
  std::sort(all.begin(), all.end(), [](const RepeatTable::Entry& x, const RepeatTable::Entry& y) {
    return std::pair(x.h1, x.h2) < std::pair(y.h1, y.h2);
  });
  for (size_t start = 0; start < all.size();) {
    size_t stop = start;
    uint64_t docs = 0;
    while (stop < all.size() && all[stop].h1 == all[start].h1 && all[stop].h2 == all[start].h2) {
      docs += all[stop].documents;
      ++stop;
    }
    if (docs >= min_documents) {
      out.entries.push_back({all[start].h1, all[start].h2,
                             static_cast<uint32_t>(std::min<uint64_t>(docs, UINT32_MAX))});
    }
    start = stop;
  }
  return out;
}

absl::StatusOr<DocumentFrequencies> CountFrequencies(std::vector<Document> documents,
                                                     const CompareOptions& options,
                                                     const RepeatTable& repeats) {
  const CorpusRepeats corpus_repeats = repeats.AsCorpus();
  CorpusCounts corpus;
  corpus.repeats = &corpus_repeats;
  corpus.facts = false;
  absl::StatusOr<Analysis> analysis =
      AnalyzeSpans(std::move(documents), options, {}, nullptr, corpus);
  if (!analysis.ok()) return analysis.status();
  return OwnDocumentFrequencies(analysis->tfidf, analysis->eligible);
}

DocumentFrequencies MergeFrequencies(const std::vector<DocumentFrequencies>& parts) {
  DocumentFrequencies out;
  // A k-way merge of the sorted lists.
  using Head = std::pair<uint64_t, size_t>;  // (hash, part)
  std::priority_queue<Head, std::vector<Head>, std::greater<>> heads;
  std::vector<size_t> pos(parts.size(), 0);
  for (size_t p = 0; p < parts.size(); ++p) {
    out.counted_rows += parts[p].counted_rows;
    if (!parts[p].counts.empty()) heads.emplace(parts[p].counts[0].first, p);
  }
  while (!heads.empty()) {
    const auto [hash, p] = heads.top();
    heads.pop();
    const uint32_t count = parts[p].counts[pos[p]].second;
    if (!out.counts.empty() && out.counts.back().first == hash) {
      out.counts.back().second += count;
    } else {
      out.counts.emplace_back(hash, count);
    }
    if (++pos[p] < parts[p].counts.size()) heads.emplace(parts[p].counts[pos[p]].first, p);
  }
  return out;
}

std::vector<RepeatTable> SplitRepeats(const RepeatTable& table, uint32_t pieces) {
  std::vector<RepeatTable> out(std::max<uint32_t>(pieces, 1));
  for (RepeatTable& t : out) t.documents = table.documents;
  for (const RepeatTable::Entry& e : table.entries)
    out[Mix64(e.h1) % out.size()].entries.push_back(e);
  return out;
}

std::vector<DocumentFrequencies> SplitFrequencies(const DocumentFrequencies& frequencies,
                                                  uint32_t pieces) {
  std::vector<DocumentFrequencies> out(std::max<uint32_t>(pieces, 1));
  for (DocumentFrequencies& f : out) f.counted_rows = frequencies.counted_rows;
  for (const auto& c : frequencies.counts) out[Mix64(c.first) % out.size()].counts.push_back(c);
  return out;
}

absl::StatusOr<RepeatTable> JoinRepeats(const std::vector<RepeatTable>& pieces) {
  RepeatTable out;
  if (!pieces.empty()) out.documents = pieces.front().documents;
  for (const RepeatTable& p : pieces) {
    if (p.documents != out.documents) {
      return absl::InvalidArgumentError(absl::StrCat("repeat pieces of ", out.documents, " and ",
                                                     p.documents,
                                                     " documents: not pieces of one table"));
    }
    out.entries.insert(out.entries.end(), p.entries.begin(), p.entries.end());
  }
  std::sort(out.entries.begin(), out.entries.end(),
            [](const RepeatTable::Entry& x, const RepeatTable::Entry& y) {
              return std::pair(x.h1, x.h2) < std::pair(y.h1, y.h2);
            });
  for (size_t k = 1; k < out.entries.size(); ++k) {
    if (out.entries[k].h1 == out.entries[k - 1].h1 && out.entries[k].h2 == out.entries[k - 1].h2) {
      return absl::InvalidArgumentError("repeat pieces overlap: not pieces of one table");
    }
  }
  return out;
}

absl::StatusOr<DocumentFrequencies> JoinFrequencies(
    const std::vector<DocumentFrequencies>& pieces) {
  DocumentFrequencies out;
  if (!pieces.empty()) out.counted_rows = pieces.front().counted_rows;
  for (const DocumentFrequencies& p : pieces) {
    if (p.counted_rows != out.counted_rows) {
      return absl::InvalidArgumentError(absl::StrCat("frequency pieces of ", out.counted_rows,
                                                     " and ", p.counted_rows,
                                                     " spans: not pieces of one table"));
    }
    out.counts.insert(out.counts.end(), p.counts.begin(), p.counts.end());
  }
  std::sort(out.counts.begin(), out.counts.end());
  for (size_t k = 1; k < out.counts.size(); ++k) {
    if (out.counts[k].first == out.counts[k - 1].first) {
      return absl::InvalidArgumentError("frequency pieces overlap: not pieces of one table");
    }
  }
  return out;
}

absl::StatusOr<DocumentFrequencies> LookupFrequencies(const DocumentFrequencies& merged,
                                                      const DocumentFrequencies& own) {
  DocumentFrequencies out;
  out.counted_rows = merged.counted_rows;
  out.counts.reserve(own.counts.size());
  auto it = merged.counts.begin();
  for (const auto& [hash, count] : own.counts) {
    it = std::lower_bound(
        it, merged.counts.end(), hash,
        [](const std::pair<uint64_t, uint32_t>& c, uint64_t h) { return c.first < h; });
    if (it == merged.counts.end() || it->first != hash || it->second < count) {
      return absl::InvalidArgumentError(
          absl::StrCat("feature ", hash, " is counted ", count,
                       " times in the part but not (as often) in the merged table: the part's "
                       "table was not one of those merged"));
    }
    out.counts.emplace_back(hash, it->second);
  }
  return out;
}

absl::StatusOr<Sketch> SketchPart(std::vector<Document> documents, const CompareOptions& options,
                                  const RepeatTable& repeats,
                                  const DocumentFrequencies& frequencies, uint32_t part,
                                  uint32_t shuffle_partitions) {
  if (shuffle_partitions == 0) return absl::InvalidArgumentError("no shuffle partition");
  if (options.minhash.bands < 1 || options.minhash.bands > 256) {
    return absl::InvalidArgumentError("bands must be in [1, 256]");
  }
  const CorpusRepeats corpus_repeats = repeats.AsCorpus();
  CorpusCounts corpus;
  corpus.repeats = &corpus_repeats;
  corpus.frequencies = &frequencies;
  corpus.facts = false;
  absl::StatusOr<Analysis> analyzed =
      AnalyzeSpans(std::move(documents), options, {}, nullptr, corpus);
  if (!analyzed.ok()) return analyzed.status();
  const Analysis& analysis = *analyzed;
  const TfidfMatrix& m = analysis.tfidf;
  const Report& report = analysis.report;

  Sketch sketch;
  sketch.documents.part = part;
  for (size_t d = 0; d < report.documents.size(); ++d) {
    sketch.documents.documents.emplace_back(report.documents[d].id,
                                            report.first_span[d + 1] - report.first_span[d]);
  }
  sketch.spans = report.spans.size();
  // As MinHashLshCandidates::Generate: the corpus's comparable rows set the parameters, and the
  // corpus's document frequency of each column is held against the cap.
  const LshParameters parameters = LshParametersFor(frequencies.counted_rows, options.minhash);
  const std::vector<std::pair<uint64_t, uint32_t>> keys =
      LshBandKeys(m, analysis.eligible, m.df, options.minhash, parameters, options.threads);
  SketchSettings settings;
  settings.shuffle_partitions = shuffle_partitions;
  settings.bands = static_cast<uint32_t>(options.minhash.bands);
  settings.rows_per_band = static_cast<uint32_t>(parameters.rows_per_band);
  settings.max_df = parameters.max_df;
  settings.max_bucket = static_cast<uint32_t>(options.minhash.max_bucket);
  sketch.pieces.resize(shuffle_partitions);
  for (uint32_t q = 0; q < shuffle_partitions; ++q) {
    sketch.pieces[q].part = part;
    sketch.pieces[q].partition = q;
    sketch.pieces[q].settings = settings;
  }
  // LshBandKeys gives `bands` keys per row, rows ascending, bands in order.
  const auto bands = static_cast<size_t>(options.minhash.bands);
  sketch.features.part = part;
  std::vector<int64_t> last_record(shuffle_partitions, -1);  // the row each piece last took
  for (size_t k = 0; k < keys.size(); k += bands) {
    const uint32_t row = keys[k].second;
    ++sketch.sketched;
    SpanFeatures& features = sketch.features.spans.emplace_back();
    features.span = row;
    for (SparseRows::InnerIterator it(m.rows, row); it; ++it) {
      features.features.emplace_back(m.columns[static_cast<size_t>(it.col())], it.value());
    }
    for (size_t b = 0; b < bands; ++b) {
      const uint64_t key = keys[k + b].first;
      const auto q = static_cast<uint32_t>(Mix64(key) % shuffle_partitions);
      std::vector<SketchRecord>& records = sketch.pieces[q].records;
      if (last_record[q] != row) {
        records.push_back({{part, row}, {}});
        last_record[q] = row;
      }
      records.back().keys.emplace_back(static_cast<uint8_t>(b), key);
    }
  }
  return sketch;
}

uint32_t PairOwner(const SpanRef& a, const SpanRef& b) {
  if (a.part == b.part) return a.part;
  return (a.part + b.part) % 2 == 0 ? a.part : b.part;
}

absl::StatusOr<CandidateSplit> PartitionCandidates(std::vector<SketchPiece> pieces,
                                                   uint32_t parts) {
  CandidateSplit out;
  out.owned.resize(parts);
  out.needs.resize(parts);
  for (uint32_t k = 0; k < parts; ++k) out.owned[k].owner = out.needs[k].part = k;
  if (pieces.empty()) return out;
  const SketchSettings& settings = pieces.front().settings;
  const uint32_t partition = pieces.front().partition;
  for (uint32_t k = 0; k < parts; ++k) out.owned[k].partition = out.needs[k].partition = partition;
  std::vector<SketchRecord> records;
  for (SketchPiece& p : pieces) {
    if (!(p.settings == settings) || p.partition != partition) {
      return absl::InvalidArgumentError(absl::StrCat(
          "sketch pieces disagree: part ", p.part, " is shuffle partition ", p.partition, " of ",
          p.settings.shuffle_partitions, " with ", p.settings.bands, " bands of ",
          p.settings.rows_per_band, " (max df ", p.settings.max_df, "), part ", pieces.front().part,
          " partition ", partition, " of ", settings.shuffle_partitions, " with ", settings.bands,
          " bands of ", settings.rows_per_band, " (max df ", settings.max_df, ")"));
    }
    if (p.part >= parts) {
      return absl::InvalidArgumentError(
          absl::StrCat("a piece of part ", p.part, ", but the corpus has ", parts, " parts"));
    }
    for (SketchRecord& r : p.records) records.push_back(std::move(r));
    std::vector<SketchRecord>().swap(p.records);
  }
  std::sort(records.begin(), records.end(),
            [](const SketchRecord& x, const SketchRecord& y) { return x.ref < y.ref; });
  for (size_t i = 1; i < records.size(); ++i) {
    if (records[i].ref == records[i - 1].ref) {
      return absl::InvalidArgumentError(absl::StrCat("span ", records[i].ref.span, " of part ",
                                                     records[i].ref.part,
                                                     " is in two pieces (a part given twice?)"));
    }
  }
  // Buckets band by band, as Generate forms them; record indices follow the SpanRef order.
  std::vector<std::vector<std::pair<uint64_t, uint32_t>>> per_band(settings.bands);
  for (size_t i = 0; i < records.size(); ++i) {
    for (const auto& [band, key] : records[i].keys) {
      if (band >= settings.bands) {
        return absl::InvalidArgumentError(absl::StrCat("band ", band, " out of range"));
      }
      per_band[band].emplace_back(key, static_cast<uint32_t>(i));
    }
  }
  std::vector<std::pair<uint32_t, uint32_t>> candidates;
  for (auto& keys : per_band) {
    std::sort(keys.begin(), keys.end());
    BucketPairs(keys, static_cast<int>(settings.max_bucket), &candidates);
    std::vector<std::pair<uint64_t, uint32_t>>().swap(keys);
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  for (const auto& [i, j] : candidates) {
    const SpanRef& a = records[i].ref;
    const SpanRef& b = records[j].ref;
    const uint32_t owner = PairOwner(a, b);
    out.owned[owner].pairs.push_back({a, b, 0.0f});
    const SpanRef& other = owner == a.part ? b : a;
    if (other.part != owner) out.needs[other.part].needs.emplace_back(owner, other.span);
  }
  for (NeedList& n : out.needs) {
    std::sort(n.needs.begin(), n.needs.end());
    n.needs.erase(std::unique(n.needs.begin(), n.needs.end()), n.needs.end());
  }
  return out;
}

absl::StatusOr<std::vector<std::pair<uint32_t, PartFeatures>>> SelectFeatures(
    const PartFeatures& features, const std::vector<NeedList>& needs) {
  std::vector<std::pair<uint32_t, uint32_t>> all;  // (requesting part, span)
  for (const NeedList& n : needs) {
    if (n.part != features.part) {
      return absl::InvalidArgumentError(absl::StrCat(
          "requests for part ", n.part, " given with the features of part ", features.part));
    }
    all.insert(all.end(), n.needs.begin(), n.needs.end());
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  std::vector<std::pair<uint32_t, PartFeatures>> out;
  for (const auto& [to, span] : all) {
    const auto it = std::lower_bound(features.spans.begin(), features.spans.end(), span,
                                     [](const SpanFeatures& f, uint32_t s) { return f.span < s; });
    if (it == features.spans.end() || it->span != span) {
      return absl::InvalidArgumentError(absl::StrCat("part ", to, " asks for span ", span,
                                                     " of part ", features.part,
                                                     ", which has no features"));
    }
    if (out.empty() || out.back().first != to) {
      out.emplace_back(to, PartFeatures{features.part, {}});
    }
    out.back().second.spans.push_back(*it);
  }
  return out;
}

absl::StatusOr<std::vector<RefPair>> VerifyPairs(std::vector<PartFeatures> features,
                                                 std::vector<CandidateList> candidates,
                                                 float threshold, int threads) {
  std::vector<RefPair> pairs;
  for (CandidateList& list : candidates) {
    for (const RefPair& p : list.pairs) {
      if (!(p.a < p.b) || PairOwner(p.a, p.b) != list.owner) {
        return absl::InvalidArgumentError(absl::StrCat(
            "a candidate pair (part ", p.a.part, " span ", p.a.span, ", part ", p.b.part, " span ",
            p.b.span, ") in the list of part ", list.owner, ", which does not own it"));
      }
    }
    if (!candidates.empty() && list.owner != candidates.front().owner) {
      return absl::InvalidArgumentError(absl::StrCat("candidate lists of parts ",
                                                     candidates.front().owner, " and ", list.owner,
                                                     " given together"));
    }
    pairs.insert(pairs.end(), list.pairs.begin(), list.pairs.end());
    std::vector<RefPair>().swap(list.pairs);
  }
  auto ref_order = [](const RefPair& x, const RefPair& y) {
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  };
  std::sort(pairs.begin(), pairs.end(), ref_order);
  pairs.erase(
      std::unique(pairs.begin(), pairs.end(),
                  [](const RefPair& x, const RefPair& y) { return x.a == y.a && x.b == y.b; }),
      pairs.end());
  // The spans of the pairs.
  std::vector<SpanRef> used;
  used.reserve(2 * pairs.size());
  for (const RefPair& p : pairs) {
    used.push_back(p.a);
    used.push_back(p.b);
  }
  std::sort(used.begin(), used.end());
  used.erase(std::unique(used.begin(), used.end()), used.end());
  // Those with features, in SpanRef order: row i of the matrix below (the owner's spans in no
  // pair are left out: a cosine reads only its two rows).
  std::vector<std::pair<SpanRef, const SpanFeatures*>> spans;
  for (const PartFeatures& f : features) {
    for (const SpanFeatures& s : f.spans) {
      const SpanRef ref{f.part, s.span};
      if (std::binary_search(used.begin(), used.end(), ref)) spans.emplace_back(ref, &s);
    }
  }
  std::sort(spans.begin(), spans.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
  for (size_t i = 1; i < spans.size(); ++i) {
    if (spans[i].first == spans[i - 1].first) {
      return absl::InvalidArgumentError(absl::StrCat("the features of span ", spans[i].first.span,
                                                     " of part ", spans[i].first.part,
                                                     " are given twice"));
    }
  }
  auto row_of = [&](const SpanRef& ref) -> absl::StatusOr<uint32_t> {
    const auto it = std::lower_bound(spans.begin(), spans.end(), ref,
                                     [](const auto& x, const SpanRef& r) { return x.first < r; });
    if (it == spans.end() || !(it->first == ref)) {
      return absl::InvalidArgumentError(absl::StrCat("no features for span ", ref.span, " of part ",
                                                     ref.part, " (a selection missing?)"));
    }
    return static_cast<uint32_t>(it - spans.begin());
  };
  std::vector<std::pair<uint32_t, uint32_t>> rows_of_pairs;
  rows_of_pairs.reserve(pairs.size());
  for (const RefPair& p : pairs) {
    absl::StatusOr<uint32_t> a = row_of(p.a);
    if (!a.ok()) return a.status();
    absl::StatusOr<uint32_t> b = row_of(p.b);
    if (!b.ok()) return b.status();
    rows_of_pairs.emplace_back(*a, *b);  // ascending, as the pairs are
  }
  // The rows in a matrix whose columns are their distinct hashes in increasing order, as in the
  // corpus's matrix: a cosine sums the same products in the same order.
  std::vector<uint64_t> columns;
  for (const auto& [ref, s] : spans) {
    for (const auto& [hash, weight] : s->features) columns.push_back(hash);
  }
  std::sort(columns.begin(), columns.end());
  columns.erase(std::unique(columns.begin(), columns.end()), columns.end());
  std::vector<int64_t> outer(spans.size() + 1, 0);
  for (size_t i = 0; i < spans.size(); ++i) {
    outer[i + 1] = outer[i] + static_cast<int64_t>(spans[i].second->features.size());
  }
  UninitializedVector<int32_t> inner(static_cast<size_t>(outer[spans.size()]));
  std::vector<float> value(inner.size());
  for (size_t i = 0; i < spans.size(); ++i) {
    auto pos = static_cast<size_t>(outer[i]);
    uint64_t previous = 0;
    const std::vector<std::pair<uint64_t, float>>& f = spans[i].second->features;
    for (size_t k = 0; k < f.size(); ++k) {
      const auto [hash, weight] = f[k];
      if (k > 0 && hash <= previous) {
        return absl::InvalidArgumentError(absl::StrCat("span ", spans[i].first.span, " of part ",
                                                       spans[i].first.part,
                                                       ": features not in increasing order"));
      }
      previous = hash;
      inner[pos] = static_cast<int32_t>(std::lower_bound(columns.begin(), columns.end(), hash) -
                                        columns.begin());
      value[pos] = weight;
      ++pos;
    }
  }
  const SparseRows rows = SparseRows::WithValues(
      static_cast<int64_t>(columns.size()), std::move(outer), std::move(inner), std::move(value));
  std::vector<PartFeatures>().swap(features);
  const std::vector<ScoredPair> verified =
      VerifyCandidates(rows, rows_of_pairs, threshold, threads);
  std::vector<RefPair> out;
  out.reserve(verified.size());
  for (const ScoredPair& p : verified) {
    out.push_back({spans[p.a].first, spans[p.b].first, p.similarity});
  }
  return out;
}

absl::StatusOr<std::vector<ScoredPair>> ResolvePairs(const Analysis& analysis,
                                                     const std::vector<PartDocuments>& parts,
                                                     const std::vector<RefPair>& pairs) {
  const Report& report = analysis.report;
  // Per part: the corpus row of each of its documents' first span, and the part's span
  // offsets.
  uint32_t max_part = 0;
  for (const PartDocuments& p : parts) max_part = std::max(max_part, p.part);
  struct PartMap {
    bool present = false;
    std::vector<uint32_t> first_local;  // per document: its first span in the part
    std::vector<uint32_t> first_row;    // per document: its first span in the corpus
  };
  std::vector<PartMap> maps(parts.empty() ? 0 : max_part + 1);
  std::vector<uint8_t> seen(report.documents.size(), 0);
  size_t documents = 0;
  for (const PartDocuments& p : parts) {
    PartMap& map = maps[p.part];
    if (map.present) return absl::InvalidArgumentError(absl::StrCat("part ", p.part, " twice"));
    map.present = true;
    uint32_t local = 0;
    for (const auto& [id, spans] : p.documents) {
      const auto it =
          std::lower_bound(report.documents.begin(), report.documents.end(), id,
                           [](const Document& d, const std::string& x) { return d.id < x; });
      if (it == report.documents.end() || it->id != id) {
        return absl::InvalidArgumentError(
            absl::StrCat("document '", id, "' of part ", p.part, " is not in the input"));
      }
      const auto d = static_cast<size_t>(it - report.documents.begin());
      if (seen[d]) {
        return absl::InvalidArgumentError(
            absl::StrCat("document '", id, "' is in two parts (or twice in one)"));
      }
      seen[d] = 1;
      if (report.first_span[d + 1] - report.first_span[d] != spans) {
        return absl::InvalidArgumentError(
            absl::StrCat("document '", id, "' has ", spans, " spans in part ", p.part, " but ",
                         report.first_span[d + 1] - report.first_span[d], " in the input"));
      }
      map.first_local.push_back(local);
      map.first_row.push_back(report.first_span[d]);
      local += spans;
    }
    map.first_local.push_back(local);
    documents += p.documents.size();
  }
  if (documents != report.documents.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the parts hold ", documents, " documents, the input ", report.documents.size()));
  }
  auto row_of = [&](const SpanRef& ref) -> absl::StatusOr<uint32_t> {
    if (ref.part >= maps.size() || !maps[ref.part].present) {
      return absl::InvalidArgumentError(
          absl::StrCat("a pair names part ", ref.part, ", whose documents were not given"));
    }
    const PartMap& map = maps[ref.part];
    if (ref.span >= map.first_local.back()) {
      return absl::InvalidArgumentError(absl::StrCat("a pair names span ", ref.span, " of part ",
                                                     ref.part, ", which has ",
                                                     map.first_local.back()));
    }
    const auto d = static_cast<size_t>(
        std::upper_bound(map.first_local.begin(), map.first_local.end(), ref.span) -
        map.first_local.begin() - 1);
    const uint32_t row = map.first_row[d] + (ref.span - map.first_local[d]);
    if (!analysis.eligible[row]) {
      return absl::InvalidArgumentError(absl::StrCat("span ", ref.span, " of part ", ref.part,
                                                     " is not comparable in the whole input"));
    }
    return row;
  };
  std::vector<ScoredPair> out;
  out.reserve(pairs.size());
  for (const RefPair& p : pairs) {
    absl::StatusOr<uint32_t> a = row_of(p.a);
    if (!a.ok()) return a.status();
    absl::StatusOr<uint32_t> b = row_of(p.b);
    if (!b.ok()) return b.status();
    out.push_back({std::min(*a, *b), std::max(*a, *b), p.similarity});
  }
  std::sort(out.begin(), out.end(), [](const ScoredPair& x, const ScoredPair& y) {
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  // A pair found in several shuffle partitions (it shares keys in several) is one pair, with
  // the same cosine wherever it was verified.
  out.erase(std::unique(
                out.begin(), out.end(),
                [](const ScoredPair& x, const ScoredPair& y) { return x.a == y.a && x.b == y.b; }),
            out.end());
  return out;
}

// Layouts (after the magic and the uint32 version):
//   CDRP  u64 documents, u64 n, n x (u64 h1, u64 h2, u32 documents)
//   CDDF  u64 rows, u64 n, n x (u64 hash, u32 df)
//   CDSK  u32 part, u32 partition, u32 partitions, u32 bands, u32 rows_per_band, u32 max_df,
//         u32 max_bucket, u64 n, n x (u32 span, u32 keys, keys x (u8 band, u64 key))
//   CDFT  u32 part, u64 n, n x (u32 span, u32 features, features x (u64 hash, f32 weight))
//   CDCP  u32 owner, u32 partition, u64 n, n x (u32 part a, u32 span a, u32 part b, u32 span b)
//   CDND  u32 part, u32 partition, u64 n, n x (u32 requesting part, u32 span)
//   CDSD  u32 part, u64 n, n x (u32 spans, u32 id bytes, id)
//   CDPR  f32 threshold, u64 n, n x (u32 part a, u32 span a, u32 part b, u32 span b,
//         f32 cosine)
std::string SerializeRepeats(const RepeatTable& table) {
  Writer w("CDRP");
  w.U64(table.documents);
  w.U64(table.entries.size());
  for (const RepeatTable::Entry& e : table.entries) {
    w.U64(e.h1);
    w.U64(e.h2);
    w.U32(e.documents);
  }
  return w.Take();
}

absl::StatusOr<RepeatTable> ParseRepeats(std::string_view bytes, std::string_view source) {
  Reader r(bytes, source, "repeats");
  if (absl::Status s = r.Header("CDRP"); !s.ok()) return s;
  RepeatTable t;
  uint64_t n = 0;
  if (!r.U64(&t.documents) || !r.U64(&n)) return r.Truncated();
  if (!r.CanHold(n, 20)) return r.Truncated();
  t.entries.resize(n);
  for (RepeatTable::Entry& e : t.entries) {
    if (!r.U64(&e.h1) || !r.U64(&e.h2) || !r.U32(&e.documents)) return r.Truncated();
  }
  for (size_t k = 1; k < t.entries.size(); ++k) {
    if (std::pair(t.entries[k - 1].h1, t.entries[k - 1].h2) >=
        std::pair(t.entries[k].h1, t.entries[k].h2)) {
      return r.Error(r.pos(), "entries not in increasing order");
    }
  }
  if (absl::Status s = r.End(); !s.ok()) return s;
  return t;
}

std::string SerializeFrequencies(const DocumentFrequencies& frequencies) {
  Writer w("CDDF");
  w.U64(frequencies.counted_rows);
  w.U64(frequencies.counts.size());
  for (const auto& [hash, df] : frequencies.counts) {
    w.U64(hash);
    w.U32(df);
  }
  return w.Take();
}

absl::StatusOr<DocumentFrequencies> ParseFrequencies(std::string_view bytes,
                                                     std::string_view source) {
  Reader r(bytes, source, "frequencies");
  if (absl::Status s = r.Header("CDDF"); !s.ok()) return s;
  DocumentFrequencies f;
  uint64_t n = 0;
  if (!r.U64(&f.counted_rows) || !r.U64(&n)) return r.Truncated();
  if (!r.CanHold(n, 12)) return r.Truncated();
  f.counts.resize(n);
  for (auto& [hash, df] : f.counts) {
    if (!r.U64(&hash) || !r.U32(&df)) return r.Truncated();
  }
  for (size_t k = 1; k < f.counts.size(); ++k) {
    if (f.counts[k - 1].first >= f.counts[k].first) {
      return r.Error(r.pos(), "hashes not in increasing order");
    }
  }
  if (absl::Status s = r.End(); !s.ok()) return s;
  return f;
}

std::string SerializePiece(const SketchPiece& piece) {
  Writer w("CDSK");
  w.U32(piece.part);
  w.U32(piece.partition);
  w.U32(piece.settings.shuffle_partitions);
  w.U32(piece.settings.bands);
  w.U32(piece.settings.rows_per_band);
  w.U32(piece.settings.max_df);
  w.U32(piece.settings.max_bucket);
  w.U64(piece.records.size());
  for (const SketchRecord& rec : piece.records) {
    w.U32(rec.ref.span);
    w.U32(static_cast<uint32_t>(rec.keys.size()));
    for (const auto& [band, key] : rec.keys) {
      w.U8(band);
      w.U64(key);
    }
  }
  return w.Take();
}

absl::StatusOr<SketchPiece> ParsePiece(std::string_view bytes, std::string_view source) {
  Reader r(bytes, source, "sketch piece");
  if (absl::Status s = r.Header("CDSK"); !s.ok()) return s;
  SketchPiece p;
  uint64_t n = 0;
  if (!r.U32(&p.part) || !r.U32(&p.partition) || !r.U32(&p.settings.shuffle_partitions) ||
      !r.U32(&p.settings.bands) || !r.U32(&p.settings.rows_per_band) ||
      !r.U32(&p.settings.max_df) || !r.U32(&p.settings.max_bucket) || !r.U64(&n)) {
    return r.Truncated();
  }
  if (p.partition >= p.settings.shuffle_partitions) {
    return r.Error(8, "partition out of range");
  }
  if (!r.CanHold(n, 8)) return r.Truncated();
  p.records.resize(n);
  for (SketchRecord& rec : p.records) {
    rec.ref.part = p.part;
    uint32_t keys = 0;
    if (!r.U32(&rec.ref.span) || !r.U32(&keys)) return r.Truncated();
    if (!r.CanHold(keys, 9)) return r.Truncated();
    rec.keys.resize(keys);
    for (auto& [band, key] : rec.keys) {
      if (!r.U8(&band) || !r.U64(&key)) return r.Truncated();
    }
  }
  if (absl::Status s = r.End(); !s.ok()) return s;
  return p;
}

std::string SerializeFeatures(const PartFeatures& features) {
  Writer w("CDFT");
  w.U32(features.part);
  w.U64(features.spans.size());
  for (const SpanFeatures& s : features.spans) {
    w.U32(s.span);
    w.U32(static_cast<uint32_t>(s.features.size()));
    for (const auto& [hash, weight] : s.features) {
      w.U64(hash);
      w.F32(weight);
    }
  }
  return w.Take();
}

absl::StatusOr<PartFeatures> ParseFeatures(std::string_view bytes, std::string_view source) {
  Reader r(bytes, source, "features");
  if (absl::Status s = r.Header("CDFT"); !s.ok()) return s;
  PartFeatures f;
  uint64_t n = 0;
  if (!r.U32(&f.part) || !r.U64(&n)) return r.Truncated();
  if (!r.CanHold(n, 8)) return r.Truncated();
  f.spans.resize(n);
  for (size_t k = 0; k < f.spans.size(); ++k) {
    SpanFeatures& s = f.spans[k];
    const size_t at = r.pos();
    uint32_t count = 0;
    if (!r.U32(&s.span) || !r.U32(&count)) return r.Truncated();
    if (k > 0 && s.span <= f.spans[k - 1].span) return r.Error(at, "spans not in increasing order");
    if (!r.CanHold(count, 12)) return r.Truncated();
    s.features.resize(count);
    for (auto& [hash, weight] : s.features) {
      if (!r.U64(&hash) || !r.F32(&weight)) return r.Truncated();
    }
  }
  if (absl::Status s = r.End(); !s.ok()) return s;
  return f;
}

std::string SerializeCandidates(const CandidateList& list) {
  Writer w("CDCP");
  w.U32(list.owner);
  w.U32(list.partition);
  w.U64(list.pairs.size());
  for (const RefPair& p : list.pairs) {
    w.U32(p.a.part);
    w.U32(p.a.span);
    w.U32(p.b.part);
    w.U32(p.b.span);
  }
  return w.Take();
}

absl::StatusOr<CandidateList> ParseCandidates(std::string_view bytes, std::string_view source) {
  Reader r(bytes, source, "candidate pairs");
  if (absl::Status s = r.Header("CDCP"); !s.ok()) return s;
  CandidateList list;
  uint64_t n = 0;
  if (!r.U32(&list.owner) || !r.U32(&list.partition) || !r.U64(&n)) return r.Truncated();
  if (!r.CanHold(n, 16)) return r.Truncated();
  list.pairs.resize(n);
  for (RefPair& p : list.pairs) {
    if (!r.U32(&p.a.part) || !r.U32(&p.a.span) || !r.U32(&p.b.part) || !r.U32(&p.b.span)) {
      return r.Truncated();
    }
  }
  if (absl::Status s = r.End(); !s.ok()) return s;
  return list;
}

std::string SerializeNeeds(const NeedList& list) {
  Writer w("CDND");
  w.U32(list.part);
  w.U32(list.partition);
  w.U64(list.needs.size());
  for (const auto& [to, span] : list.needs) {
    w.U32(to);
    w.U32(span);
  }
  return w.Take();
}

absl::StatusOr<NeedList> ParseNeeds(std::string_view bytes, std::string_view source) {
  Reader r(bytes, source, "feature requests");
  if (absl::Status s = r.Header("CDND"); !s.ok()) return s;
  NeedList list;
  uint64_t n = 0;
  if (!r.U32(&list.part) || !r.U32(&list.partition) || !r.U64(&n)) return r.Truncated();
  if (!r.CanHold(n, 8)) return r.Truncated();
  list.needs.resize(n);
  for (auto& [to, span] : list.needs) {
    if (!r.U32(&to) || !r.U32(&span)) return r.Truncated();
  }
  if (absl::Status s = r.End(); !s.ok()) return s;
  return list;
}

std::string SerializeDocuments(const PartDocuments& documents) {
  Writer w("CDSD");
  w.U32(documents.part);
  w.U64(documents.documents.size());
  for (const auto& [id, spans] : documents.documents) {
    w.U32(spans);
    w.U32(static_cast<uint32_t>(id.size()));
    w.Bytes(id);
  }
  return w.Take();
}

absl::StatusOr<PartDocuments> ParseDocuments(std::string_view bytes, std::string_view source) {
  Reader r(bytes, source, "part documents");
  if (absl::Status s = r.Header("CDSD"); !s.ok()) return s;
  PartDocuments d;
  uint64_t n = 0;
  if (!r.U32(&d.part) || !r.U64(&n)) return r.Truncated();
  if (!r.CanHold(n, 8)) return r.Truncated();
  d.documents.resize(n);
  for (auto& [id, spans] : d.documents) {
    uint32_t size = 0;
    if (!r.U32(&spans) || !r.U32(&size) || !r.Bytes(size, &id)) return r.Truncated();
  }
  if (absl::Status s = r.End(); !s.ok()) return s;
  return d;
}

std::string SerializePairs(const std::vector<RefPair>& pairs, float threshold) {
  Writer w("CDPR");
  w.F32(threshold);
  w.U64(pairs.size());
  for (const RefPair& p : pairs) {
    w.U32(p.a.part);
    w.U32(p.a.span);
    w.U32(p.b.part);
    w.U32(p.b.span);
    w.F32(p.similarity);
  }
  return w.Take();
}

absl::StatusOr<std::pair<std::vector<RefPair>, float>> ParsePairs(std::string_view bytes,
                                                                  std::string_view source) {
  Reader r(bytes, source, "pairs");
  if (absl::Status s = r.Header("CDPR"); !s.ok()) return s;
  float threshold = 0;
  uint64_t n = 0;
  if (!r.F32(&threshold) || !r.U64(&n)) return r.Truncated();
  if (!r.CanHold(n, 20)) return r.Truncated();
  std::vector<RefPair> pairs(n);
  for (RefPair& p : pairs) {
    if (!r.U32(&p.a.part) || !r.U32(&p.a.span) || !r.U32(&p.b.part) || !r.U32(&p.b.span) ||
        !r.F32(&p.similarity)) {
      return r.Truncated();
    }
  }
  if (absl::Status s = r.End(); !s.ok()) return s;
  return std::pair(std::move(pairs), threshold);
}

}  // namespace claimdiff
