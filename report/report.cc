#include "report/report.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

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
  const TfidfMatrix tfidf = BuildTfidf(shingles, eligible, options.tfidf);
  std::vector<ScoredPair> pairs =
      AllPairsCandidates().Generate(tfidf.rows, eligible, options.threshold);
  std::erase_if(pairs, [&](const ScoredPair& p) {
    return report.spans[p.a].doc == report.spans[p.b].doc &&
           p.similarity < options.threshold + options.same_document_margin;
  });
  std::vector<SpanCluster> found =
      ClusterRows(tfidf.rows, pairs, {options.threshold, options.min_link},
                  [&content, &options](uint32_t x, uint32_t y) {
                    const size_t words = std::min(content[x].keys.size(), content[y].keys.size());
                    if (words > static_cast<size_t>(options.substitution_check_words)) return true;
                    return !HasEnclosedSubstitution(content[x], content[y]);
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
