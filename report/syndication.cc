#include "report/syndication.h"

#include <algorithm>
#include <cctype>
#include <numeric>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "core/parallel.h"

namespace claimdiff {
namespace {

// A reading of `published`: the calendar day, and the UTC second when a time is given.
struct Instant {
  int64_t day = 0;  // days since 1970-01-01 (local date as written)
  std::optional<int64_t> utc_second;
};

bool Digits(std::string_view s, size_t at, size_t n, int* out) {
  if (at + n > s.size()) return false;
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (the era-based civil-date method).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::optional<Instant> ParsePublished(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  int y = 0, mo = 0, d = 0;
  if (!Digits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, &mo) ||
      s[7] != '-' || !Digits(s, 8, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31) {
    return std::nullopt;
  }
  Instant out;
  out.day = DaysFromCivil(y, mo, d);
  if (s.size() == 10) return out;
  if (s[10] != 'T' && s[10] != ' ') return std::nullopt;
  int h = 0, mi = 0, sec = 0;
  if (!Digits(s, 11, 2, &h) || s.size() < 16 || s[13] != ':' || !Digits(s, 14, 2, &mi) || h > 23 ||
      mi > 59) {
    return std::nullopt;
  }
  size_t at = 16;
  if (at < s.size() && s[at] == ':') {
    if (!Digits(s, at + 1, 2, &sec) || sec > 60) return std::nullopt;
    at += 3;
    if (at < s.size() && (s[at] == '.' || s[at] == ',')) {
      ++at;
      while (at < s.size() && std::isdigit(static_cast<unsigned char>(s[at]))) ++at;
    }
  }
  int64_t offset = 0;
  if (at < s.size()) {
    const std::string_view zone = s.substr(at);
    int zh = 0, zm = 0;
    if (zone == "Z" || zone == "z") {
      offset = 0;
    } else if ((zone[0] == '+' || zone[0] == '-') && Digits(zone, 1, 2, &zh) &&
               ((zone.size() == 6 && zone[3] == ':' && Digits(zone, 4, 2, &zm)) ||
                (zone.size() == 5 && Digits(zone, 3, 2, &zm)) || zone.size() == 3)) {
      offset = (zh * 3600 + zm * 60) * (zone[0] == '-' ? -1 : 1);
    } else {
      return std::nullopt;
    }
  }
  // A time without a zone is taken as UTC: both sides of a comparison are read the same way.
  out.utc_second = out.day * 86400 + h * 3600 + mi * 60 + sec - offset;
  return out;
}

uint32_t Find(std::vector<uint32_t>& parent, uint32_t x) {
  while (parent[x] != x) x = parent[x] = parent[parent[x]];
  return x;
}

double Larger(const SyndicationPair& p) { return std::max(p.a_in_b, p.b_in_a); }

}  // namespace

std::string_view ReuseLabelName(ReuseLabel label) {
  switch (label) {
    case ReuseLabel::kCopy:
      return "copy";
    case ReuseLabel::kSharedSource:
      return "shared source";
    case ReuseLabel::kPartialReuse:
      return "partial reuse";
  }
  return "partial reuse";
}

std::optional<int> ComparePublished(const std::optional<std::string>& a,
                                    const std::optional<std::string>& b) {
  if (!a || !b) return std::nullopt;
  const std::optional<Instant> x = ParsePublished(*a);
  const std::optional<Instant> y = ParsePublished(*b);
  if (!x || !y) return std::nullopt;
  if (x->utc_second && y->utc_second) {
    if (*x->utc_second == *y->utc_second) return std::nullopt;
    return *x->utc_second < *y->utc_second ? -1 : 1;
  }
  if (x->day == y->day) return std::nullopt;
  return x->day < y->day ? -1 : 1;
}

std::vector<DocumentPhrases> DocumentPhrasesOf(const std::vector<Document>& documents,
                                               const std::vector<Span>& spans,
                                               const std::vector<uint32_t>& first_span,
                                               const Normalizer& normalizer, int threads) {
  std::vector<DocumentPhrases> out(documents.size());
  ParallelFor(documents.size(), threads, [&](size_t begin, size_t end) {
    for (size_t d = begin; d < end; ++d) {
      std::vector<Phrase> sequence;
      for (uint32_t i = first_span[d]; i < first_span[d + 1]; ++i) {
        const Span& s = spans[i];
        if (s.boilerplate) continue;
        AppendPhrases(normalizer.Normalize(SpanText(documents[d], s)), s.begin, i, &sequence);
      }
      out[d] = MakeDocumentPhrases(std::move(sequence));
    }
  });
  return out;
}

std::vector<SyndicationPair> FindReuse(const std::vector<Document>& documents,
                                       const std::vector<DocumentPhrases>& phrases,
                                       const SyndicationOptions& options) {
  return FindReuse(documents, phrases,
                   ReuseCandidates(phrases, options.candidates, options.threads), options);
}

std::vector<SyndicationPair> FindReuse(const std::vector<Document>& documents,
                                       const std::vector<DocumentPhrases>& phrases,
                                       const std::vector<std::pair<uint32_t, uint32_t>>& candidates,
                                       const SyndicationOptions& options) {
  std::vector<std::optional<SyndicationPair>> measured(candidates.size());
  ParallelFor(candidates.size(), options.threads, [&](size_t begin, size_t end) {
    for (size_t k = begin; k < end; ++k) {
      const auto [a, b] = candidates[k];
      ReuseMeasure m = MeasureReuse(phrases[a], phrases[b], options.passages);
      if (m.passages.empty()) continue;
      SyndicationPair p;
      p.a = a;
      p.b = b;
      p.a_in_b = m.a_in_b;
      p.b_in_a = m.b_in_a;
      p.shared_spans = m.shared_spans;
      p.passages = std::move(m.passages);
      const bool copy = std::max(p.a_in_b, p.b_in_a) >= options.copy_containment &&
                        std::min(p.a_in_b, p.b_in_a) >= options.copy_min_containment;
      p.label = copy ? ReuseLabel::kCopy : ReuseLabel::kPartialReuse;
      if (const std::optional<int> order =
              ComparePublished(documents[a].published, documents[b].published)) {
        p.first = *order < 0 ? a : b;
      }
      measured[k] = std::move(p);
    }
  });
  std::vector<SyndicationPair> pairs;
  for (std::optional<SyndicationPair>& p : measured) {
    if (p) pairs.push_back(std::move(*p));
  }
  // Shared source: both documents reuse a third one substantially (the larger containment
  // reaches copy_min_containment) and more than each other. Two articles that each quote a
  // sentence of a third are not versions of it.
  std::vector<absl::flat_hash_map<uint32_t, double>> strength(documents.size());
  for (const SyndicationPair& p : pairs) {
    if (Larger(p) < options.copy_min_containment) continue;
    strength[p.a][p.b] = Larger(p);
    strength[p.b][p.a] = Larger(p);
  }
  for (SyndicationPair& p : pairs) {
    const double s = Larger(p);
    const bool a_smaller = strength[p.a].size() <= strength[p.b].size();
    const auto& mine = strength[a_smaller ? p.a : p.b];
    const auto& other = strength[a_smaller ? p.b : p.a];
    for (const auto& [z, sz] : mine) {
      if (z == p.a || z == p.b || sz <= s) continue;
      const auto it = other.find(z);
      if (it != other.end() && it->second > s) {
        p.label = ReuseLabel::kSharedSource;
        break;
      }
    }
  }
  return pairs;
}

std::vector<SyndicationFamily> FamiliesOf(const std::vector<Document>& documents,
                                          const std::vector<SyndicationPair>& pairs) {
  std::vector<uint32_t> parent(documents.size());
  std::iota(parent.begin(), parent.end(), 0u);
  std::vector<uint8_t> linked(documents.size(), 0);
  for (const SyndicationPair& p : pairs) {
    if (p.label != ReuseLabel::kCopy) continue;
    linked[p.a] = linked[p.b] = 1;
    const uint32_t x = Find(parent, p.a), y = Find(parent, p.b);
    if (x != y) parent[std::max(x, y)] = std::min(x, y);
  }
  absl::flat_hash_map<uint32_t, size_t> family_of;
  std::vector<SyndicationFamily> families;
  for (uint32_t d = 0; d < documents.size(); ++d) {
    if (!linked[d]) continue;
    const auto [it, inserted] = family_of.try_emplace(Find(parent, d), families.size());
    if (inserted) families.emplace_back();
    families[it->second].members.push_back(d);
  }
  for (SyndicationFamily& f : families) {
    for (uint32_t candidate : f.members) {
      bool before_all = true;
      for (uint32_t other : f.members) {
        if (other == candidate) continue;
        const std::optional<int> order =
            ComparePublished(documents[candidate].published, documents[other].published);
        if (!order || *order > 0) {
          before_all = false;
          break;
        }
      }
      if (before_all) {
        f.earliest = candidate;
        break;
      }
    }
  }
  std::stable_sort(families.begin(), families.end(),
                   [](const SyndicationFamily& x, const SyndicationFamily& y) {
                     return x.members.size() > y.members.size();
                   });
  return families;
}

absl::StatusOr<SyndicationReport> BuildSyndication(std::vector<Document> documents,
                                                   const SyndicationOptions& options,
                                                   std::vector<InputError> errors) {
  absl::StatusOr<Segmenter> segmenter = Segmenter::Create(options.segment);
  if (!segmenter.ok()) return segmenter.status();
  SyndicationReport report;
  report.options = options;
  report.errors = std::move(errors);
  report.documents = std::move(documents);
  std::stable_sort(report.documents.begin(), report.documents.end(),
                   [](const Document& x, const Document& y) { return x.id < y.id; });
  auto stage = [&](std::string_view name) {
    if (options.progress) options.progress(name, report.documents.size());
  };
  stage("segmenting");
  const size_t n = report.documents.size();
  std::vector<std::vector<Span>> per_doc(n);
  ParallelFor(n, options.threads, [&](size_t begin, size_t end) {
    for (size_t d = begin; d < end; ++d) {
      per_doc[d] = segmenter->Segment(report.documents[d], static_cast<uint32_t>(d));
    }
  });
  std::vector<Span> spans;
  std::vector<uint32_t> first_span;
  for (size_t d = 0; d < n; ++d) {
    first_span.push_back(static_cast<uint32_t>(spans.size()));
    spans.insert(spans.end(), per_doc[d].begin(), per_doc[d].end());
    std::vector<Span>().swap(per_doc[d]);
  }
  first_span.push_back(static_cast<uint32_t>(spans.size()));
  FlagRepeatedSpans(report.documents, &spans, segmenter->normalizer(), options.boilerplate);
  stage("phrases");
  const std::vector<DocumentPhrases> phrases = DocumentPhrasesOf(
      report.documents, spans, first_span, segmenter->normalizer(), options.threads);
  stage("passages");
  report.pairs = FindReuse(report.documents, phrases, options);
  report.families = FamiliesOf(report.documents, report.pairs);
  std::stable_sort(report.pairs.begin(), report.pairs.end(),
                   [](const SyndicationPair& x, const SyndicationPair& y) {
                     if (x.label != y.label) return x.label < y.label;
                     const double lx = Larger(x), ly = Larger(y);
                     if (lx != ly) return lx > ly;
                     return std::make_pair(x.a, x.b) < std::make_pair(y.a, y.b);
                   });
  return report;
}

}  // namespace claimdiff
