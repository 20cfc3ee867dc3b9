#include "report/report.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "core/tokenize.h"
#include "similarity/align.h"
#include "similarity/candidates.h"
#include "similarity/overlap.h"

namespace claimdiff {
namespace {

// Above this many documents, document pairs are only looked for among documents that share a
// claim cluster (all pairs would be quadratic).
constexpr size_t kAllDocumentPairsUpTo = 400;

uint64_t PairKey(uint32_t a, uint32_t b) {
  if (a > b) std::swap(a, b);
  return (static_cast<uint64_t>(a) << 32) | b;
}

// Two figures of the same kind in spans of different documents.
struct FigurePair {
  uint32_t a = 0;  // spans, a < b
  uint32_t b = 0;
  bool compatible = false;  // the figures can be the same quantity
  bool same_unit = false;   // they count the same thing
  // Both are counts of 100 or more within a factor of 100 of each other: the scale of one
  // event, described with different words ("tens of thousands of computers", "250,000 servers").
  bool comparable_scale = false;
  float window_similarity = 0;  // cosine of the words around the two figures
};

// The matching-form words around a figure: `words` tokens on each side.
std::string FigureWindow(const std::string& normalized, const NumberMention& m, int words) {
  const std::vector<Token> tokens = Tokenize(normalized);
  const auto w = static_cast<size_t>(words);
  const size_t first = m.qualifier_token > w ? m.qualifier_token - w : 0;
  const size_t last = std::min(tokens.size(), m.end_token + w);
  if (first >= last) return {};
  return normalized.substr(tokens[first].begin, tokens[last - 1].end - tokens[first].begin);
}

bool Countable(NumberKind k) {
  return k == NumberKind::kCount || k == NumberKind::kMoney || k == NumberKind::kPercent;
}

// Every pair of countable figures (count, money, percent) in eligible spans of different
// documents, with the similarity of the words around them. Quadratic in the number of figures
// of one kind; above kMaxFigures figures only figures with the same counted thing are paired.
std::vector<FigurePair> PairFigures(const Report& r, const std::vector<std::string>& normalized,
                                    const std::vector<uint8_t>& eligible, const TfidfMatrix& tfidf,
                                    const CompareOptions& options) {
  constexpr size_t kMaxFigures = 4000;
  struct Figure {
    uint32_t span;
    const NumberMention* mention;
    std::string unit_key;
    Eigen::SparseVector<float> window;
  };
  std::vector<Figure> figures;
  for (uint32_t i = 0; i < r.spans.size(); ++i) {
    if (!eligible[i]) continue;
    for (const NumberFact& f : r.facts[i].numbers) {
      if (!Countable(f.mention.kind)) continue;
      Figure g{i, &f.mention, ConsonantSkeleton(f.mention.unit), {}};
      if (g.unit_key.empty()) g.unit_key = f.mention.unit;
      g.window = Vectorize(
          tfidf, ShingleText(FigureWindow(normalized[i], f.mention, options.fact_window_words),
                             options.shingle),
          options.tfidf);
      figures.push_back(std::move(g));
    }
  }
  const bool all_units = figures.size() <= kMaxFigures;
  std::map<std::pair<uint32_t, uint32_t>, FigurePair> out;
  for (size_t x = 0; x < figures.size(); ++x) {
    for (size_t y = x + 1; y < figures.size(); ++y) {
      const Figure& fx = figures[x];
      const Figure& fy = figures[y];
      if (r.spans[fx.span].doc == r.spans[fy.span].doc) continue;
      if (fx.mention->kind != fy.mention->kind) continue;
      const bool same_unit = !fx.unit_key.empty() && fx.unit_key == fy.unit_key;
      if (!same_unit && !all_units) continue;
      FigurePair p;
      p.a = std::min(fx.span, fy.span);
      p.b = std::max(fx.span, fy.span);
      p.compatible = Compatible(*fx.mention, *fy.mention);
      p.same_unit = same_unit;
      const double lo = std::min(fx.mention->low, fy.mention->low);
      const double hi = std::max(fx.mention->high, fy.mention->high);
      p.comparable_scale = fx.mention->kind == NumberKind::kCount && lo >= 100 && hi <= lo * 100;
      p.window_similarity = fx.window.dot(fy.window);
      // One entry per span pair and verdict: keep the strongest evidence.
      auto [it, inserted] = out.try_emplace({p.a, p.b}, p);
      if (!inserted) {
        FigurePair& q = it->second;
        q.comparable_scale |= p.comparable_scale;
        const bool better = (p.compatible && p.same_unit && !(q.compatible && q.same_unit)) ||
                            (p.compatible == q.compatible && p.same_unit == q.same_unit &&
                             p.window_similarity > q.window_similarity);
        if (better) q = p;
      }
    }
  }
  std::vector<FigurePair> result;
  for (auto& [key, p] : out) result.push_back(p);
  return result;
}

}  // namespace

absl::StatusOr<Report> BuildReport(std::vector<Document> documents, const CompareOptions& options,
                                   std::vector<InputError> errors) {
  if (!(options.threshold > 0.0f && options.threshold <= 1.0f)) {
    return absl::InvalidArgumentError(
        absl::StrCat("threshold must be in (0, 1], got ", options.threshold));
  }
  if (!(options.min_link > 0.0f && options.min_link <= 1.0f)) {
    return absl::InvalidArgumentError(
        absl::StrCat("min_link must be in (0, 1], got ", options.min_link));
  }
  absl::StatusOr<Segmenter> segmenter = Segmenter::Create(options.segment);
  if (!segmenter.ok()) return segmenter.status();
  const Normalizer& normalizer = segmenter->normalizer();

  Report report;
  report.options = options;
  report.documents = std::move(documents);
  report.errors = std::move(errors);

  // Spans.
  for (uint32_t d = 0; d < report.documents.size(); ++d) {
    Document& doc = report.documents[d];
    report.first_span.push_back(static_cast<uint32_t>(report.spans.size()));
    std::vector<Span> spans = segmenter->Segment(doc, d);
    if (doc.title.empty()) {
      for (const Span& s : spans) {
        if (s.kind == SpanKind::kTitle) doc.title = std::string(SpanText(doc, s));
      }
    }
    report.spans.insert(report.spans.end(), spans.begin(), spans.end());
  }
  report.first_span.push_back(static_cast<uint32_t>(report.spans.size()));
  FlagRepeatedSpans(report.documents, &report.spans, normalizer, options.boilerplate);

  // Matching form, shingles, eligibility.
  const size_t n = report.spans.size();
  std::vector<std::string> normalized(n);
  std::vector<std::vector<Shingle>> shingles(n);
  std::vector<uint8_t> eligible(n, 0);
  std::vector<ContentSequence> content(n);
  for (size_t i = 0; i < n; ++i) {
    const Span& s = report.spans[i];
    normalized[i] = normalizer.Normalize(SpanText(report.documents[s.doc], s)).text;
    shingles[i] = ShingleText(normalized[i], options.shingle);
    content[i] = ContentWords(normalized[i]);
    eligible[i] = !s.boilerplate && s.kind != SpanKind::kDateline &&
                  content[i].keys.size() >= static_cast<size_t>(options.min_content_words);
  }
  // Facts, in text order so a quotation can inherit the previous span's speaker.
  const FactExtractor extractor(normalizer);
  report.facts.resize(n);
  for (uint32_t d = 0; d < report.documents.size(); ++d) {
    const SpanFacts* previous = nullptr;
    for (uint32_t i = report.first_span[d]; i < report.first_span[d + 1]; ++i) {
      report.facts[i] = extractor.Extract(report.documents[d], report.spans[i], previous);
      previous = &report.facts[i];
    }
  }

  const TfidfMatrix tfidf = BuildTfidf(shingles, eligible, options.tfidf);
  std::vector<ScoredPair> pairs =
      AllPairsCandidates().Generate(tfidf.rows, eligible, options.threshold);
  std::erase_if(pairs, [&](const ScoredPair& p) {
    return report.spans[p.a].doc == report.spans[p.b].doc &&
           p.similarity < options.threshold + options.same_document_margin;
  });

  // Figures stated by two documents: compare the words around them too.
  const std::vector<FigurePair> figure_pairs =
      PairFigures(report, normalized, eligible, tfidf, options);
  absl::flat_hash_map<uint64_t, float> boosted;
  for (const FigurePair& f : figure_pairs) {
    if (!f.compatible || !f.same_unit || f.window_similarity < options.fact_min_window) continue;
    const float score = std::min(1.0f, f.window_similarity + options.fact_bonus);
    if (score < options.threshold || score <= Cosine(tfidf.rows, f.a, f.b)) continue;
    auto [it, inserted] = boosted.try_emplace(PairKey(f.a, f.b), score);
    if (!inserted) it->second = std::max(it->second, score);
  }
  for (const auto& [key, score] : boosted) {
    const auto a = static_cast<uint32_t>(key >> 32);
    const auto b = static_cast<uint32_t>(key & 0xFFFFFFFFu);
    auto it = std::find_if(pairs.begin(), pairs.end(),
                           [&](const ScoredPair& p) { return p.a == a && p.b == b; });
    if (it == pairs.end()) {
      pairs.push_back({a, b, score});
    } else {
      it->similarity = score;
    }
  }
  std::vector<SpanCluster> found = ClusterRows(
      tfidf.rows, pairs, {options.threshold, options.min_link},
      [&content, &options](uint32_t x, uint32_t y) {
        const size_t words = std::min(content[x].keys.size(), content[y].keys.size());
        if (words > static_cast<size_t>(options.substitution_check_words)) return true;
        return !HasEnclosedSubstitution(content[x], content[y]);
      },
      [&](uint32_t x, uint32_t y) {
        const float cosine = Cosine(tfidf.rows, x, y);
        auto it = boosted.find(PairKey(x, y));
        return it == boosted.end() ? cosine : std::max(cosine, it->second);
      });

  // Clusters in report order.
  for (SpanCluster& c : found) {
    Cluster out;
    std::set<uint32_t> docs;
    for (size_t k = 0; k < c.members.size(); ++k) {
      out.members.push_back({c.members[k], c.similarity[k]});
      docs.insert(report.spans[c.members[k]].doc);
    }
    out.reference = c.reference;
    out.documents = static_cast<uint32_t>(docs.size());
    report.clusters.push_back(std::move(out));
  }
  std::stable_sort(report.clusters.begin(), report.clusters.end(),
                   [](const Cluster& x, const Cluster& y) {
                     if (x.documents != y.documents) return x.documents > y.documents;
                     if (x.members.size() != y.members.size()) {
                       return x.members.size() > y.members.size();
                     }
                     return x.members.front().span < y.members.front().span;
                   });
  report.cluster_of.assign(n, -1);
  for (size_t c = 0; c < report.clusters.size(); ++c) {
    report.clusters[c].id = absl::StrCat("c", c + 1);
    for (const ClusterMember& m : report.clusters[c].members) {
      report.cluster_of[m.span] = static_cast<int32_t>(c);
    }
  }

  for (Cluster& c : report.clusters) {
    c.verdict = ClusterVerdict(report, c, normalizer, &c.conflicts);
  }

  // The looser pass: conflicting figures the threshold kept apart.
  std::set<std::pair<uint32_t, uint32_t>> reported;
  for (const FigurePair& f : figure_pairs) {
    if (f.compatible) continue;
    const int32_t ca = report.cluster_of[f.a];
    if (ca >= 0 && ca == report.cluster_of[f.b]) continue;  // the cluster's verdict has it
    if (reported.count({f.a, f.b})) continue;
    const float cosine = Cosine(tfidf.rows, f.a, f.b);
    const bool near =
        f.window_similarity >= options.conflict_window_similarity ||
        (cosine >= options.conflict_min_similarity && (f.same_unit || f.comparable_scale));
    if (!near) continue;
    std::vector<Conflict> found_conflicts =
        NumberConflicts(report, f.a, f.b, /*any_unit=*/!f.same_unit);
    for (Conflict& c : found_conflicts) {
      c.similarity = std::max(cosine, f.window_similarity);
      report.conflicts.push_back(std::move(c));
    }
    if (!found_conflicts.empty()) reported.insert({f.a, f.b});
  }

  // Document pairs: shared clusters and phrase containment.
  std::map<std::pair<uint32_t, uint32_t>, uint32_t> shared;
  for (const Cluster& c : report.clusters) {
    std::set<uint32_t> docs;
    for (const ClusterMember& m : c.members) docs.insert(report.spans[m.span].doc);
    for (auto i = docs.begin(); i != docs.end(); ++i) {
      for (auto j = std::next(i); j != docs.end(); ++j) ++shared[{*i, *j}];
    }
  }
  const size_t num_docs = report.documents.size();
  std::vector<std::vector<uint64_t>> phrases(num_docs);
  for (uint32_t d = 0; d < num_docs; ++d) {
    std::vector<std::string_view> texts;
    for (uint32_t i = report.first_span[d]; i < report.first_span[d + 1]; ++i) {
      if (!report.spans[i].boilerplate) texts.push_back(normalized[i]);
    }
    phrases[d] = PhraseShingles(texts);
  }
  if (num_docs <= kAllDocumentPairsUpTo) {
    for (uint32_t a = 0; a < num_docs; ++a) {
      for (uint32_t b = a + 1; b < num_docs; ++b) {
        if (IntersectionSize(phrases[a], phrases[b]) > 0) shared.try_emplace({a, b}, 0);
      }
    }
  }
  for (const auto& [key, count] : shared) {
    DocumentPair p;
    p.a = key.first;
    p.b = key.second;
    p.shared_spans = count;
    p.a_in_b = Containment(phrases[p.a], phrases[p.b]);
    p.b_in_a = Containment(phrases[p.b], phrases[p.a]);
    report.document_pairs.push_back(p);
  }
  return report;
}

}  // namespace claimdiff
