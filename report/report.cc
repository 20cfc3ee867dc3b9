#include "report/report.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "core/parallel.h"
#include "core/radix_sort.h"
#include "core/tokenize.h"
#include "report/analysis.h"
#include "report/internal/progress.h"
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
  absl::StatusOr<Analysis> analyzed = Analyze(std::move(documents), options, std::move(errors));
  if (!analyzed.ok()) return analyzed.status();
  return BuildReportFrom(*std::move(analyzed), std::nullopt);
}

absl::StatusOr<Report> BuildReportFrom(Analysis analysis,
                                       std::optional<std::vector<ScoredPair>> candidates) {
  Report& report = analysis.report;
  const CompareOptions& options = report.options;
  const TfidfMatrix& tfidf = analysis.tfidf;
  const size_t n = report.spans.size();
  absl::StatusOr<Normalizer> normalizer = Normalizer::Create();
  if (!normalizer.ok()) return normalizer.status();

  auto stage = [&](std::string_view name) {
    if (options.progress) options.progress(name, report.documents.size(), report.spans.size());
  };
  // The figure windows were the matching forms' last reader (Analyze's figure pairs).
  analysis.ReleaseMatchingForms();
  stage("candidates");
  // Once candidates are being found only the rows of the matrix are read (cosines): the
  // per-column arrays (at 100,000 documents, tens of millions of columns of 17 bytes) go as
  // soon as the candidate generator is done with them, before its band keys and the
  // clustering make the peak.
  auto release_columns = [&analysis](ColumnsRead read) {
    TfidfMatrix& m = analysis.tfidf;
    std::vector<float>().swap(m.idf);
    std::vector<ShingleType>().swap(m.types);
    std::vector<uint32_t>().swap(m.df);
    if (read == ColumnsRead::kAll) std::vector<uint64_t>().swap(m.columns);
  };
  std::vector<ScoredPair> pairs = candidates.has_value()
                                      ? FinishClaimPairs(analysis, *std::move(candidates))
                                      : ClaimPairs(analysis, release_columns);
  release_columns(ColumnsRead::kAll);  // when the candidates were given, or already done
  stage("clusters");
  std::vector<SpanCluster> found = ClusterRows(
      tfidf.rows, std::move(pairs), {options.threshold, options.min_link, options.threads},
      [&analysis](uint32_t x, uint32_t y) { return analysis.Compatible(x, y); },
      [&analysis](uint32_t x, uint32_t y) { return analysis.Score(x, y); });

  // What only matching and clustering needed goes before the later stages grow the peak.
  std::vector<ContentRun>().swap(analysis.content);
  absl::flat_hash_map<uint64_t, float>().swap(analysis.boosted);

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

  stage("verdicts");
  // Clusters on several threads: each writes only its own verdict, conflicts and diffs.
  internal::StepProgress verdict_step(options, "verdicts", report.clusters.size());
  ParallelFor(report.clusters.size(), options.threads, [&](size_t begin, size_t end) {
    for (size_t ci = begin; ci < end; ++ci) {
      Cluster& c = report.clusters[ci];
      c.verdict = ClusterVerdict(report, c, *normalizer, &c.conflicts);
      if (!options.word_diffs) {
        verdict_step.Add(1);
        continue;
      }
      auto words = [&](uint32_t span) {
        const Span& sp = report.spans[span];
        return DiffTokens(*normalizer, SpanText(report.documents[sp.doc], sp), sp.begin);
      };
      c.reference_words = words(c.reference);
      for (const ClusterMember& m : c.members) {
        c.member_words.push_back(m.span == c.reference ? c.reference_words : words(m.span));
        c.diffs.push_back(m.span == c.reference
                              ? WordDiff()
                              : DiffWords(c.reference_words, c.member_words.back()));
      }
      verdict_step.Add(1);
    }
  });
  verdict_step.Finish();

  // The looser pass: conflicting figures the threshold kept apart.
  stage("hidden conflicts");
  // Figure pairs are distinct span pairs, read in order (PairFigures found their cosines); a
  // pair within one cluster has the cluster's verdict.
  // Blocks of pairs on all threads, joined in pair order.
  {
    const std::vector<FigurePair>& figure_pairs = analysis.figure_pairs;
    const size_t blocks = std::min<size_t>(figure_pairs.size(), 256);
    std::vector<std::vector<Conflict>> hidden(blocks);
    ParallelFor(blocks, options.threads, [&](size_t begin, size_t end) {
      for (size_t blk = begin; blk < end; ++blk) {
        for (size_t k = figure_pairs.size() * blk / blocks;
             k < figure_pairs.size() * (blk + 1) / blocks; ++k) {
          const FigurePair& f = figure_pairs[k];
          const int32_t ca = report.cluster_of[f.a];
          if ((ca >= 0 && ca == report.cluster_of[f.b]) || !analysis.HiddenConflict(f)) continue;
          for (Conflict& c : NumberConflicts(report, f.a, f.b, /*any_unit=*/!f.same_unit)) {
            c.similarity = std::max(Cosine(tfidf.rows, f.a, f.b), f.window_similarity);
            hidden[blk].push_back(std::move(c));
          }
        }
      }
    });
    for (std::vector<Conflict>& v : hidden) {
      for (Conflict& c : v) report.conflicts.push_back(std::move(c));
    }
  }

  // The vectors and figure pairs are done with too: document pairs read phrases.
  analysis.tfidf = TfidfMatrix();
  std::vector<FigurePair>().swap(analysis.figure_pairs);

  stage("document pairs");
  // Document pairs: shared clusters and phrase containment.
  // Every (a, b) once per cluster holding both, as a < b keys; sorted, a run's length is the
  // pair's count of shared clusters.
  std::vector<std::pair<uint64_t, uint32_t>> shared;  // (PairKey, shared clusters), by key
  {
    std::vector<uint64_t> shared_keys;
    std::vector<uint32_t> docs;
    for (const Cluster& c : report.clusters) {
      if (c.documents < 2) continue;
      docs.clear();
      for (const ClusterMember& m : c.members) docs.push_back(report.spans[m.span].doc);
      std::sort(docs.begin(), docs.end());
      docs.erase(std::unique(docs.begin(), docs.end()), docs.end());
      for (size_t i = 0; i < docs.size(); ++i) {
        for (size_t j = i + 1; j < docs.size(); ++j) {
          shared_keys.push_back(PairKey(docs[i], docs[j]));
        }
      }
    }
    ParallelRadixSortBy(
        shared_keys, [](uint64_t key) { return key; }, options.threads);
    for (size_t k = 0; k < shared_keys.size();) {
      size_t end = k + 1;
      while (end < shared_keys.size() && shared_keys[end] == shared_keys[k]) ++end;
      shared.emplace_back(shared_keys[k], static_cast<uint32_t>(end - k));
      k = end;
    }
  }
  const size_t num_docs = report.documents.size();
  const std::vector<DocumentPhrases> phrases = DocumentPhrasesOf(
      report.documents, report.spans, report.first_span, *normalizer, options.threads);
  SyndicationOptions reuse_options = options.syndication;
  reuse_options.threads = options.threads;
  // The reused pairs, by key, and for small inputs every pair sharing a phrase, join the pairs
  // that share clusters (as sharing none).
  std::vector<SyndicationPair> reused = FindReuse(report.documents, phrases, reuse_options);
  auto reused_key = [&reused](size_t k) { return PairKey(reused[k].a, reused[k].b); };
  std::sort(reused.begin(), reused.end(), [](const SyndicationPair& x, const SyndicationPair& y) {
    return PairKey(x.a, x.b) < PairKey(y.a, y.b);
  });
  const size_t clustered = shared.size();
  for (size_t k = 0; k < reused.size(); ++k) shared.emplace_back(reused_key(k), 0);
  if (num_docs <= kAllDocumentPairsUpTo) {
    for (uint32_t a = 0; a < num_docs; ++a) {
      for (uint32_t b = a + 1; b < num_docs; ++b) {
        if (IntersectionSize(phrases[a].set, phrases[b].set) > 0) {
          shared.emplace_back(PairKey(a, b), 0);
        }
      }
    }
  }
  if (shared.size() > clustered) {
    // A pair that shares clusters keeps its count (the larger of its entries).
    std::sort(shared.begin(), shared.end(), [](const auto& x, const auto& y) {
      return x.first != y.first ? x.first < y.first : x.second > y.second;
    });
    shared.erase(std::unique(shared.begin(), shared.end(),
                             [](const auto& x, const auto& y) { return x.first == y.first; }),
                 shared.end());
  }
  report.document_pairs.reserve(shared.size());
  size_t next_reused = 0;
  for (const auto& [key, count] : shared) {
    DocumentPair p;
    p.a = static_cast<uint32_t>(key >> 32);
    p.b = static_cast<uint32_t>(key);
    p.shared_spans = count;
    while (next_reused < reused.size() && reused_key(next_reused) < key) ++next_reused;
    if (next_reused < reused.size() && reused_key(next_reused) == key) {
      SyndicationPair& r = reused[next_reused];
      p.label = r.label;
      p.first = r.first;
      p.passages = std::move(r.passages);
    }
    report.document_pairs.push_back(std::move(p));
  }
  std::vector<std::pair<uint64_t, uint32_t>>().swap(shared);
  ParallelFor(report.document_pairs.size(), options.threads, [&](size_t begin, size_t end) {
    for (size_t k = begin; k < end; ++k) {
      DocumentPair& p = report.document_pairs[k];
      const Containments c = BothContainments(phrases[p.a].set, phrases[p.b].set);
      p.a_in_b = c.a_in_b;
      p.b_in_a = c.b_in_a;
    }
  });
  // Coverage and summary.
  stage("coverage");
  // Linear in the members of shared claims; the lists of missing claims (documents x claims)
  // only for small reports.
  report.coverage.assign(num_docs, DocumentCoverage());
  const bool list_missing = num_docs <= kListMissingUpTo;
  std::vector<uint8_t> in_shared_claim(n, 0);
  std::vector<uint8_t> in_cluster(list_missing ? num_docs : 0, 0);
  uint32_t shared_claims = 0;
  for (size_t c = 0; c < report.clusters.size(); ++c) {
    const Cluster& cluster = report.clusters[c];
    if (cluster.documents < 2) continue;
    ++shared_claims;
    (cluster.verdict == Verdict::kConflict ? report.summary.conflicting
                                           : report.summary.corroborated)++;
    std::vector<uint32_t> docs;
    for (const ClusterMember& m : cluster.members) {
      docs.push_back(report.spans[m.span].doc);
      in_shared_claim[m.span] = 1;
    }
    std::sort(docs.begin(), docs.end());
    docs.erase(std::unique(docs.begin(), docs.end()), docs.end());
    for (uint32_t d : docs) ++report.coverage[d].shared;
    if (list_missing) {
      for (uint32_t d : docs) in_cluster[d] = 1;
      for (uint32_t d = 0; d < num_docs; ++d) {
        if (!in_cluster[d]) report.coverage[d].missing.push_back(static_cast<uint32_t>(c));
      }
      for (uint32_t d : docs) in_cluster[d] = 0;
    }
  }
  for (DocumentCoverage& cov : report.coverage) cov.lacks = shared_claims - cov.shared;
  for (uint32_t i = 0; i < n; ++i) {
    report.summary.furniture += report.spans[i].boilerplate;
    if (analysis.eligible[i] && !in_shared_claim[i]) {
      report.coverage[report.spans[i].doc].only_here.push_back(i);
      ++report.summary.single_source;
    }
  }
  return std::move(report);
}

}  // namespace claimdiff
