#include "report/analysis.h"

#include <algorithm>
#include <map>
#include <optional>
#include <span>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/parallel.h"
#include "core/tokenize.h"
#include "report/internal/progress.h"
#include "similarity/minhash.h"

namespace claimdiff {

std::string FigureWindow(std::string_view normalized, const std::vector<Token>& tokens,
                         const NumberMention& m, int words) {
  const auto w = static_cast<size_t>(words);
  const size_t first = m.qualifier_token > w ? m.qualifier_token - w : 0;
  const size_t last = std::min(tokens.size(), m.end_token + w);
  if (first >= last) return {};
  return std::string(
      normalized.substr(tokens[first].begin, tokens[last - 1].end - tokens[first].begin));
}

bool CountableFigure(const NumberMention& m) {
  return m.kind == NumberKind::kCount || m.kind == NumberKind::kMoney ||
         m.kind == NumberKind::kPercent;
}

std::string FigureUnitKey(const NumberMention& m) {
  std::string key = ConsonantSkeleton(m.unit);
  if (key.empty()) key = m.unit;
  return key;
}

namespace {

// The score a shared figure gives a pair of spans: the window similarity plus the bonus (at
// most 1), for compatible figures of the same thing whose windows reach fact_min_window and
// when it reaches the threshold; 0 otherwise.
float FigureScore(const FigurePair& f, const CompareOptions& options) {
  if (!f.compatible || !f.same_unit || f.window_similarity < options.fact_min_window) return 0;
  const float score = std::min(1.0f, f.window_similarity + options.fact_bonus);
  return score < options.threshold ? 0.0f : score;
}

// Every pair of countable figures (count, money, percent) in eligible spans of different
// documents, with the similarity of the words around them. Quadratic in the number of figures
// of one kind; above kMaxFigures figures only figures with the same counted thing are paired.
void PairFigures(Analysis& analysis) {
  const Report& r = analysis.report;
  const std::vector<uint8_t>& eligible = analysis.eligible;
  const TfidfMatrix& tfidf = analysis.tfidf;
  const CompareOptions& options = r.options;
  const size_t n = r.spans.size();
  constexpr size_t kMaxFigures = 4000;
  struct Figure {
    uint32_t span = 0;
    uint32_t doc = 0;
    const NumberMention* mention = nullptr;
    std::string unit_key;
    SparseView window;  // in its block's arrays
  };
  // Figures of blocks of spans in parallel, joined in span order.
  constexpr size_t kFigureBlocks = 256;
  std::vector<std::vector<Figure>> found(kFigureBlocks);
  ParallelFor(kFigureBlocks, options.threads, [&](size_t block_begin, size_t block_end) {
    for (size_t blk = block_begin; blk < block_end; ++blk) {
      for (size_t i = n * blk / kFigureBlocks; i < n * (blk + 1) / kFigureBlocks; ++i) {
        if (!eligible[i]) continue;
        for (const NumberFact& f : r.facts[i].numbers) {
          if (!CountableFigure(f.mention)) continue;
          found[blk].push_back(
              {static_cast<uint32_t>(i), r.spans[i].doc, &f.mention, FigureUnitKey(f.mention), {}});
        }
      }
    }
  });
  std::vector<Figure> figures;
  {
    size_t total = 0;
    for (const std::vector<Figure>& block : found) total += block.size();
    figures.reserve(total);
    for (std::vector<Figure>& block : found) {
      for (Figure& f : block) figures.push_back(std::move(f));
      std::vector<Figure>().swap(block);
    }
  }
  // Up to kMaxFigures figures every pair is looked at; above, only figures of the same kind and
  // counted thing, in groups of at most kMaxGroup (a larger group is a unit too generic to
  // tell one claim from another, and pairing it would be quadratic).
  constexpr size_t kMaxGroup = 500;
  std::vector<std::vector<size_t>> groups;
  if (figures.size() <= kMaxFigures) {
    groups.emplace_back(figures.size());
    for (size_t x = 0; x < figures.size(); ++x) groups.back()[x] = x;
  } else {
    std::map<std::pair<int, std::string>, std::vector<size_t>> by_unit;
    for (size_t x = 0; x < figures.size(); ++x) {
      if (figures[x].unit_key.empty()) continue;
      by_unit[{static_cast<int>(figures[x].mention->kind), figures[x].unit_key}].push_back(x);
    }
    for (auto& [key, members] : by_unit) {
      if (members.size() > 1 && members.size() <= kMaxGroup) groups.push_back(std::move(members));
    }
  }
  // The windows of the figures in a group (the others are never paired), blocks of figures in
  // parallel. A block keeps its windows' entries in two arrays, not a heap vector per window
  // (hundreds of thousands of windows at 100,000 documents).
  std::vector<uint8_t> grouped(figures.size(), 0);
  for (const std::vector<size_t>& group : groups) {
    for (size_t x : group) grouped[x] = 1;
  }
  // The windows are stored factored like the matrix's rows (FactoredVectorEntries): a column
  // index per entry, the few weights that are not their column's apart, a scale per window.
  struct WindowBlock {
    std::vector<size_t> begin;  // per grouped figure, into index; then the end
    std::vector<int32_t> index;
    std::vector<uint32_t> odd_begin;  // per grouped figure, into odd; then the end
    std::vector<OddWeight> odd;
    std::vector<float> scale;  // per grouped figure
  };
  std::vector<float> no_column_weights;  // for rows given with their values: every entry odd
  const float* column_weight = tfidf.rows.column_weights();
  if (column_weight == nullptr) {
    no_column_weights.assign(tfidf.columns.size(), 0.0f);
    column_weight = no_column_weights.data();
  }
  std::vector<WindowBlock> windows(kFigureBlocks);
  const size_t num_figures = figures.size();
  ParallelFor(kFigureBlocks, options.threads, [&](size_t block_begin, size_t block_end) {
    std::vector<std::pair<int32_t, float>> entries;
    std::vector<Token> tokens;
    for (size_t blk = block_begin; blk < block_end; ++blk) {
      WindowBlock& block = windows[blk];
      const size_t from = num_figures * blk / kFigureBlocks;
      const size_t to = num_figures * (blk + 1) / kFigureBlocks;
      int64_t tokenized = -1;  // the span `tokens` are of
      for (size_t x = from; x < to; ++x) {
        if (!grouped[x]) continue;
        const Figure& g = figures[x];
        if (tokenized != g.span) {
          tokens = Tokenize(analysis.MatchingForm(g.span));
          tokenized = g.span;
        }
        block.begin.push_back(block.index.size());
        block.odd_begin.push_back(static_cast<uint32_t>(block.odd.size()));
        block.scale.push_back(
            FactoredVectorEntries(tfidf,
                                  ShingleText(FigureWindow(analysis.MatchingForm(g.span), tokens,
                                                           *g.mention, options.fact_window_words),
                                              options.shingle),
                                  options.tfidf, static_cast<int64_t>(g.span), column_weight,
                                  &entries, &block.index, &block.odd));
      }
      block.begin.push_back(block.index.size());
      block.odd_begin.push_back(static_cast<uint32_t>(block.odd.size()));
      size_t k = 0;
      for (size_t x = from; x < to; ++x) {
        if (!grouped[x]) continue;
        SparseView& w = figures[x].window;
        w.index = block.index.data() + block.begin[k];
        w.size = block.begin[k + 1] - block.begin[k];
        w.column_weight = column_weight;
        w.odd = block.odd.data() + block.odd_begin[k];
        w.odd_size = block.odd_begin[k + 1] - block.odd_begin[k];
        w.scale = block.scale[k];
        ++k;
      }
    }
  });
  std::vector<uint8_t>().swap(grouped);
  if (!options.keep_matching_forms) analysis.ReleaseMatchingForms();
  // The pairs of each figure with the later figures of its group (a row), in parallel; each row
  // writes its own stretch of one vector, so the pairs are in the sequential order
  // (group, gx, gy) and ties resolve as they always have.
  struct Row {
    uint32_t group;
    uint32_t gx;
  };
  std::vector<Row> pair_rows;
  for (size_t g = 0; g < groups.size(); ++g) {
    for (size_t gx = 0; gx + 1 < groups[g].size(); ++gx) {
      pair_rows.push_back({static_cast<uint32_t>(g), static_cast<uint32_t>(gx)});
    }
  }
  auto paired = [&](const Figure& fx, const Figure& fy) {
    return fx.doc != fy.doc && fx.mention->kind == fy.mention->kind;
  };
  // Pairs are made a slice of first spans at a time: those whose smaller span is in
  // [slice_start[s], slice_start[s + 1]). A span pair's figure pairs all fall in one slice, in
  // the sequential order, so each slice folds as the whole would; only one slice's pairs (16
  // bytes each) are held at once, not the tens of millions of
  // a large corpus. Figures are in span order and a group lists them in that order, so a row's
  // pairs have fx's span as their smaller span: a row falls in one slice as a whole, and each
  // row's pairs are counted once for all slices. Slices hold about figure_slice_pairs pairs,
  // cut at kBins bins of spans.
  constexpr size_t kBins = 1024;
  const size_t slice_pairs = std::max<size_t>(options.figure_slice_pairs, 1);
  auto bin_of = [&](uint32_t span) {
    return static_cast<size_t>(span) * kBins / std::max<size_t>(n, 1);
  };
  auto row_span = [&](const Row& row) { return figures[groups[row.group][row.gx]].span; };
  std::vector<uint32_t> row_pairs(pair_rows.size(), 0);
  ParallelFor(pair_rows.size(), options.threads, [&](size_t begin, size_t end) {
    for (size_t k = begin; k < end; ++k) {
      const std::vector<size_t>& group = groups[pair_rows[k].group];
      const Figure& fx = figures[group[pair_rows[k].gx]];
      for (size_t gy = pair_rows[k].gx + 1; gy < group.size(); ++gy) {
        row_pairs[k] += paired(fx, figures[group[gy]]) ? 1 : 0;
      }
    }
  });
  std::vector<size_t> bin_pairs(kBins, 0);
  for (size_t k = 0; k < pair_rows.size(); ++k) {
    bin_pairs[bin_of(row_span(pair_rows[k]))] += row_pairs[k];
  }
  // Slice boundaries in spans: a bin's first span is the least span mapped to it.
  auto bin_start = [&](size_t b) {
    return static_cast<uint32_t>((b * std::max<size_t>(n, 1) + kBins - 1) / kBins);
  };
  std::vector<uint32_t> slice_start{0};
  for (size_t b = 0, held = 0; b < kBins; ++b) {
    if (held > 0 && held + bin_pairs[b] > slice_pairs) {
      slice_start.push_back(bin_start(b));
      held = 0;
    }
    held += bin_pairs[b];
  }
  slice_start.push_back(static_cast<uint32_t>(n));
  // Each slice's rows that have pairs, in row order.
  std::vector<std::vector<uint32_t>> slice_rows(slice_start.size() - 1);
  for (size_t k = 0; k < pair_rows.size(); ++k) {
    if (row_pairs[k] == 0) continue;
    const auto slice = static_cast<size_t>(
        std::upper_bound(slice_start.begin(), slice_start.end(), row_span(pair_rows[k])) -
        slice_start.begin() - 1);
    slice_rows[slice].push_back(static_cast<uint32_t>(k));
  }
  // A block with this many rows of a group finds their cosines and window similarities with
  // PartnerDots (bench/minhash_benchmark BM_BlockDots*: break-even near 3 rows on unrelated
  // rows; no measurable difference between 2 and 3 at 10,000 documents).
  constexpr size_t kPartnerDotsFrom = 2;
  for (const std::vector<uint32_t>& rows_with_pairs : slice_rows) {
    // Where each row's pairs go in the slice's vector, allocated once at its size.
    std::vector<size_t> first(rows_with_pairs.size() + 1, 0);
    for (size_t w = 0; w < rows_with_pairs.size(); ++w) {
      first[w + 1] = first[w] + row_pairs[rows_with_pairs[w]];
    }
    std::vector<FigurePair> all(first.back());
    ParallelFor(rows_with_pairs.size(), options.threads, [&](size_t begin, size_t end) {
      DotProbe probe;  // fx's row, once a pair needs the spans' cosine
      int64_t probed = -1;
      DotProbe window;  // fx's window, for each of its pairs
      // The spans' cosines of fx with all its partners at once, from their rows by column,
      // when this block holds several rows of fx's group (built once for those rows, one group
      // at a time); else from the probe, a pair at a time.
      PartnerDots partners;
      PartnerDots partner_windows;  // the same for the windows around the figures
      int64_t partners_group = -1;
      size_t partners_from = 0;  // the group's figure that is the runs' first
      std::vector<SparseView> query_rows, query_windows, run_rows, run_windows;
      std::vector<float> cosines;  // of fx with the group's figures, from partners_from
      bool cosines_made = false;
      std::vector<float> window_dots;  // of fx's window with theirs, likewise
      for (size_t w = begin; w < end; ++w) {
        const size_t k = rows_with_pairs[w];
        const std::vector<size_t>& group = groups[pair_rows[k].group];
        const size_t gx = pair_rows[k].gx;
        const Figure& fx = figures[group[gx]];
        if (partners_group != pair_rows[k].group) {
          partners_group = -1;
          size_t rows_here = 0;
          for (size_t v = w; v < end && pair_rows[rows_with_pairs[v]].group == pair_rows[k].group;
               ++v) {
            ++rows_here;
          }
          if (rows_here >= kPartnerDotsFrom) {
            query_rows.clear();
            query_windows.clear();
            for (size_t q = 0; q < rows_here; ++q) {
              const Figure& f = figures[group[pair_rows[rows_with_pairs[w + q]].gx]];
              query_rows.push_back(RowView(tfidf.rows, f.span));
              query_windows.push_back(f.window);
            }
            run_rows.clear();
            run_windows.clear();
            for (size_t y = gx + 1; y < group.size(); ++y) {
              run_rows.push_back(RowView(tfidf.rows, figures[group[y]].span));
              run_windows.push_back(figures[group[y]].window);
            }
            partners.Build(query_rows, run_rows);
            partner_windows.Build(query_windows, run_windows);
            partners_from = gx + 1;
            partners_group = pair_rows[k].group;
          }
        }
        cosines_made = false;
        if (partners_group >= 0) {
          partner_windows.Dots(fx.window, gx + 1 - partners_from, &window_dots);
        } else {
          window.Reset(fx.window, first[w + 1] - first[w]);
        }
        size_t out = first[w];
        for (size_t gy = gx + 1; gy < group.size(); ++gy) {
          // The windows live apart on the heap: when the probe reads them (PartnerDots has read
          // them already), ask for one a few figures ahead.
          constexpr size_t kAhead = 4;
          if (partners_group < 0 && gy + kAhead < group.size()) {
            const SparseView& ahead = figures[group[gy + kAhead]].window;
            __builtin_prefetch(ahead.index);
          }
          const Figure& fy = figures[group[gy]];
          if (!paired(fx, fy)) continue;
          FigurePair& p = all[out++];
          p.a = std::min(fx.span, fy.span);
          p.b = std::max(fx.span, fy.span);
          p.compatible = Compatible(*fx.mention, *fy.mention);
          p.same_unit = !fx.unit_key.empty() && fx.unit_key == fy.unit_key;
          const double lo_value = std::min(fx.mention->low, fy.mention->low);
          const double hi_value = std::max(fx.mention->high, fy.mention->high);
          p.comparable_scale = fx.mention->kind == NumberKind::kCount && lo_value >= 100 &&
                               hi_value <= lo_value * 100;
          p.window_similarity = partners_group >= 0 ? window_dots[gy - partners_from]
                                                    : window.Dot(fy.window);  // Dot(fx's, fy's)
          // The spans' cosine for HiddenConflict, here where a group's rows are in the cache:
          // later, in span-pair order, every partner row was a miss (a pair's fold below keeps
          // the fields of one pair made here, and where that one is not compatible and its
          // window is weak, it has this).
          auto cosine = [&]() {
            if (partners_group >= 0) {
              if (!cosines_made) {
                partners.Dots(RowView(tfidf.rows, fx.span), gx + 1 - partners_from, &cosines);
                cosines_made = true;
              }
              return cosines[gy - partners_from];
            }
            if (probed != fx.span) {
              probe.Reset(RowView(tfidf.rows, fx.span));
              probed = fx.span;
            }
            return probe.Dot(RowView(tfidf.rows, fy.span));  // Cosine(a, b), bit for bit
          };
          if (!p.compatible && p.window_similarity < options.conflict_window_similarity) {
            p.spans_near = cosine() >= options.conflict_min_similarity;
          }
          // Whether the shared figure raises the pair's score, here too.
          if (const float score = FigureScore(p, options); score > 0) {
            p.raises_score = !(score <= cosine());
          }
        }
      }
    });
    // The fold: each run of one span pair into one entry, exactly as a map updated in the
    // sequential order would. A pair's smaller span is its row's figure's span, so span a's
    // pairs are those of the slice's rows of a: they are taken row after row (the sequential
    // order), stably sorted by b and folded. A row's pairs are in b order already (a group lists
    // its figures in span order), so a span with one row, most of them, is folded in place. Spans
    // in blocks on all threads, joined in span order, as a stable sort of the slice's pairs by (a,
    // b) would give them; no such sort, nor its second array of the slice's pairs, is needed.
    auto span_of = [&](size_t w) { return row_span(pair_rows[rows_with_pairs[w]]); };
    std::vector<uint32_t> by_span(rows_with_pairs.size());  // the slice's rows by span
    for (size_t w = 0; w < by_span.size(); ++w) by_span[w] = static_cast<uint32_t>(w);
    std::stable_sort(by_span.begin(), by_span.end(),
                     [&](uint32_t x, uint32_t y) { return span_of(x) < span_of(y); });
    std::vector<size_t> span_start;  // into by_span: where each span's rows start; then the end
    for (size_t v = 0; v < by_span.size(); ++v) {
      if (v == 0 || span_of(by_span[v]) != span_of(by_span[v - 1])) span_start.push_back(v);
    }
    span_start.push_back(by_span.size());
    struct Folded {
      std::vector<FigurePair> kept;                   // pairs that may be hidden conflicts
      std::vector<std::pair<uint64_t, float>> boost;  // raised scores
    };
    constexpr size_t kFoldBlocks = 64;
    const size_t spans_here = span_start.size() - 1;
    std::vector<Folded> folded(kFoldBlocks);
    ParallelFor(kFoldBlocks, options.threads, [&](size_t block_begin, size_t block_end) {
      std::vector<FigurePair> gathered;  // the pairs of a span with several rows
      for (size_t blk = block_begin; blk < block_end; ++blk) {
        Folded& out = folded[blk];
        auto finish = [&](const FigurePair& f) {
          if (f.raises_score) out.boost.emplace_back(PairKey(f.a, f.b), FigureScore(f, options));
          // Later stages read only the pairs that may be hidden conflicts.
          if (analysis.HiddenConflict(f)) out.kept.push_back(f);
        };
        for (size_t sp = spans_here * blk / kFoldBlocks; sp < spans_here * (blk + 1) / kFoldBlocks;
             ++sp) {
          // A span with one row (most) is folded where its pairs are, already in b order.
          auto stretch = [&](size_t w) {
            return std::span<FigurePair>(all).subspan(first[w], first[w + 1] - first[w]);
          };
          std::span<FigurePair> pairs = stretch(by_span[span_start[sp]]);
          if (span_start[sp + 1] - span_start[sp] > 1) {
            gathered.clear();
            for (size_t v = span_start[sp]; v < span_start[sp + 1]; ++v) {
              const std::span<FigurePair> row = stretch(by_span[v]);
              gathered.insert(gathered.end(), row.begin(), row.end());
            }
            std::stable_sort(gathered.begin(), gathered.end(),
                             [](const FigurePair& x, const FigurePair& y) { return x.b < y.b; });
            pairs = gathered;
          }
          size_t run = 0;  // the first pair of the current run, which holds its fold
          for (size_t k = 1; k <= pairs.size(); ++k) {
            if (k == pairs.size() || pairs[run].b != pairs[k].b) {
              finish(pairs[run]);
              run = k;
              continue;
            }
            // One entry per span pair and verdict: keep the strongest evidence.
            FigurePair& q = pairs[run];
            const FigurePair& p = pairs[k];
            const bool better = (p.compatible && p.same_unit && !(q.compatible && q.same_unit)) ||
                                (p.compatible == q.compatible && p.same_unit == q.same_unit &&
                                 p.window_similarity > q.window_similarity);
            if (better) {
              q = p;
            } else {
              q.comparable_scale |= p.comparable_scale;
            }
          }
        }
      }
    });
    std::vector<FigurePair>().swap(all);
    for (Folded& f : folded) {
      for (const auto& [key, score] : f.boost) {
        auto [it, inserted] = analysis.boosted.try_emplace(key, score);
        if (!inserted) it->second = std::max(it->second, score);
      }
      analysis.figure_pairs.insert(analysis.figure_pairs.end(), f.kept.begin(), f.kept.end());
      std::vector<FigurePair>().swap(f.kept);
      std::vector<std::pair<uint64_t, float>>().swap(f.boost);
    }
  }
  analysis.figure_pairs.shrink_to_fit();
}

// Keeps a pair when it is among the `limit` strongest pairs (similarity descending, then
// partner ascending) that either of its spans has with the other's document. Order of `pairs`
// is kept. `doc_of(row)` gives a row's document.
template <typename DocOf>
void KeepStrongestPartners(int limit, const DocOf& doc_of, std::vector<ScoredPair>* pairs) {
  if (limit <= 0) return;
  const auto cap = static_cast<size_t>(limit);
  uint32_t rows = 0;
  for (const ScoredPair& p : *pairs) rows = std::max({rows, p.a + 1, p.b + 1});
  // More than `cap` pairs in all is necessary for more than `cap` with one document.
  std::vector<uint32_t> degree(rows, 0);
  bool over = false;
  for (const ScoredPair& p : *pairs) {
    over |= ++degree[p.a] > cap;
    over |= ++degree[p.b] > cap;
  }
  if (!over) return;
  struct Incident {
    uint32_t span;
    uint32_t partner_doc;
    float similarity;
    uint32_t partner;
    uint32_t pair;
  };
  std::vector<Incident> incident;
  for (size_t k = 0; k < pairs->size(); ++k) {
    const ScoredPair& p = (*pairs)[k];
    const auto index = static_cast<uint32_t>(k);
    if (degree[p.a] > cap) incident.push_back({p.a, doc_of(p.b), p.similarity, p.b, index});
    if (degree[p.b] > cap) incident.push_back({p.b, doc_of(p.a), p.similarity, p.a, index});
  }
  std::sort(incident.begin(), incident.end(), [](const Incident& x, const Incident& y) {
    if (x.span != y.span) return x.span < y.span;
    if (x.partner_doc != y.partner_doc) return x.partner_doc < y.partner_doc;
    if (x.similarity != y.similarity) return x.similarity > y.similarity;
    return x.partner < y.partner;
  });
  // A pair goes when one of its spans ranks it below `cap` among its pairs with the other's
  // document and the other span does not keep it.
  std::vector<uint8_t> kept_by_one(pairs->size(), 0);
  std::vector<uint8_t> listed(pairs->size(), 0);
  for (size_t start = 0; start < incident.size();) {
    size_t stop = start;
    while (stop < incident.size() && incident[stop].span == incident[start].span &&
           incident[stop].partner_doc == incident[start].partner_doc) {
      ++stop;
    }
    for (size_t k = start; k < stop; ++k) {
      const uint32_t pair = incident[k].pair;
      ++listed[pair];
      if (k - start < cap) kept_by_one[pair] = 1;
    }
    start = stop;
  }
  // A pair listed by both spans needs one of them to keep it; listed by one span or none (a
  // span under the cap keeps all its pairs), it stays.
  size_t out = 0;
  for (size_t k = 0; k < pairs->size(); ++k) {
    if (listed[k] < 2 || kept_by_one[k]) (*pairs)[out++] = (*pairs)[k];
  }
  pairs->resize(out);
}

}  // namespace

uint64_t PairKey(uint32_t a, uint32_t b) {
  if (a > b) std::swap(a, b);
  return (static_cast<uint64_t>(a) << 32) | b;
}

std::vector<ScoredPair> ClaimPairs(const Analysis& analysis,
                                   const std::function<void(ColumnsRead)>& columns_read) {
  const Report& report = analysis.report;
  const CompareOptions& options = report.options;
  const TfidfMatrix& tfidf = analysis.tfidf;
  const size_t comparable = static_cast<size_t>(
      std::count(analysis.eligible.begin(), analysis.eligible.end(), uint8_t{1}));
  std::optional<std::vector<ScoredPair>> exact;
  if (options.candidates == CandidateMode::kExact) {
    if (columns_read) columns_read(ColumnsRead::kAll);
    exact = AllPairsCandidates().Generate(tfidf.rows, analysis.eligible, options.threshold);
  } else if (options.candidates == CandidateMode::kAuto && comparable <= options.lsh_from_spans &&
             ExactPairWork(tfidf.rows, analysis.eligible) <= options.exact_work_limit) {
    if (columns_read) columns_read(ColumnsRead::kAll);
    exact = AllPairsCandidates().GenerateAtMost(tfidf.rows, analysis.eligible, options.threshold,
                                                options.exact_max_pairs);
  }
  if (exact.has_value()) return FinishClaimPairs(analysis, *std::move(exact));
  MinHashLshCandidates lsh(tfidf, options.minhash, options.threads,
                           tfidf.df_own ? &tfidf.df : nullptr);
  lsh.OnColumnsRead(columns_read);
  return FinishClaimPairs(analysis, lsh.Generate(tfidf.rows, analysis.eligible, options.threshold));
}

std::vector<ScoredPair> FinishClaimPairs(const Analysis& analysis, std::vector<ScoredPair> pairs) {
  const Report& report = analysis.report;
  const CompareOptions& options = report.options;
  std::erase_if(pairs, [&](const ScoredPair& p) {
    return report.spans[p.a].doc == report.spans[p.b].doc &&
           p.similarity < options.threshold + options.same_document_margin;
  });
  // Boosted pairs (a shared figure) join the candidates, or raise their score. In key order,
  // so the result does not depend on the hash map's layout.
  absl::flat_hash_map<uint64_t, size_t> index;
  for (size_t k = 0; k < pairs.size(); ++k) index[PairKey(pairs[k].a, pairs[k].b)] = k;
  std::vector<std::pair<uint64_t, float>> boosted(analysis.boosted.begin(), analysis.boosted.end());
  std::sort(boosted.begin(), boosted.end());
  for (const auto& [key, score] : boosted) {
    if (auto it = index.find(key); it != index.end()) {
      pairs[it->second].similarity = score;
    } else {
      pairs.push_back(
          {static_cast<uint32_t>(key >> 32), static_cast<uint32_t>(key & 0xFFFFFFFFu), score});
    }
  }
  std::sort(pairs.begin(), pairs.end(), [](const ScoredPair& x, const ScoredPair& y) {
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  KeepStrongestPartners(
      options.max_partners, [&](uint32_t row) { return report.spans[row].doc; }, &pairs);
  return pairs;
}

float Analysis::Score(uint32_t a, uint32_t b) const {
  const float cosine = Cosine(tfidf.rows, a, b);
  auto it = boosted.find(PairKey(a, b));
  return it == boosted.end() ? cosine : std::max(cosine, it->second);
}

bool Analysis::HiddenConflict(const FigurePair& f) const {
  if (f.compatible) return false;
  const CompareOptions& o = report.options;
  return f.window_similarity >= o.conflict_window_similarity ||
         ((f.same_unit || f.comparable_scale) && f.spans_near);
}

bool Analysis::Compatible(uint32_t a, uint32_t b) const {
  const ContentView x = ContentOf(a);
  const ContentView y = ContentOf(b);
  const size_t words = std::min(x.keys.size(), y.keys.size());
  if (words > static_cast<size_t>(report.options.substitution_check_words)) return true;
  return !HasEnclosedSubstitution(x, y);
}

namespace {

absl::Status CheckOptions(const CompareOptions& options) {
  if (!(options.threshold > 0.0f && options.threshold <= 1.0f)) {
    return absl::InvalidArgumentError(
        absl::StrCat("threshold must be in (0, 1], got ", options.threshold));
  }
  if (!(options.min_link > 0.0f && options.min_link <= 1.0f)) {
    return absl::InvalidArgumentError(
        absl::StrCat("min_link must be in (0, 1], got ", options.min_link));
  }
  return absl::OkStatus();
}

// The spans of every document of `report` (spans, first_span; a title from the title span
// when the document has none).
void SegmentInto(const Segmenter& segmenter, const CompareOptions& options, Report& report) {
  auto stage = [&](std::string_view name) {
    if (options.progress) options.progress(name, report.documents.size(), report.spans.size());
  };
  stage("segmenting");
  // Spans, one document per task; joined in document order.
  const size_t num_docs = report.documents.size();
  std::vector<std::vector<Span>> per_doc(num_docs);
  {
    internal::StepProgress step(options, "segmenting", num_docs);
    ParallelFor(num_docs, options.threads, [&](size_t begin, size_t end) {
      for (size_t d = begin; d < end; ++d) {
        Document& doc = report.documents[d];
        per_doc[d] = segmenter.Segment(doc, static_cast<uint32_t>(d));
        if (doc.title.empty()) {
          for (const Span& s : per_doc[d]) {
            if (s.kind == SpanKind::kTitle) doc.title = std::string(SpanText(doc, s));
          }
        }
        step.Add(1);
      }
    });
    step.Finish();
  }
  for (size_t d = 0; d < num_docs; ++d) {
    report.first_span.push_back(static_cast<uint32_t>(report.spans.size()));
    report.spans.insert(report.spans.end(), per_doc[d].begin(), per_doc[d].end());
    std::vector<Span>().swap(per_doc[d]);
  }
  report.first_span.push_back(static_cast<uint32_t>(report.spans.size()));
}

}  // namespace

absl::StatusOr<Report> SegmentDocuments(std::vector<Document> documents,
                                        const CompareOptions& options) {
  if (absl::Status s = CheckOptions(options); !s.ok()) return s;
  absl::StatusOr<Segmenter> segmenter = Segmenter::Create(options.segment);
  if (!segmenter.ok()) return segmenter.status();
  Report report;
  report.options = options;
  report.documents = std::move(documents);
  SegmentInto(*segmenter, options, report);
  return report;
}

absl::StatusOr<Analysis> AnalyzeSpans(std::vector<Document> documents,
                                      const CompareOptions& options, std::vector<InputError> errors,
                                      const PriorFrequencies* prior, const CorpusCounts& corpus) {
  if (absl::Status s = CheckOptions(options); !s.ok()) return s;
  if (corpus.frequencies != nullptr && prior != nullptr) {
    return absl::InvalidArgumentError("corpus frequencies replace prior ones: give one");
  }
  absl::StatusOr<Segmenter> segmenter = Segmenter::Create(options.segment);
  if (!segmenter.ok()) return segmenter.status();
  const Normalizer& normalizer = segmenter->normalizer();

  Analysis analysis;
  Report& report = analysis.report;
  report.options = options;
  report.documents = std::move(documents);
  report.errors = std::move(errors);

  auto stage = [&](std::string_view name) {
    if (options.progress) options.progress(name, report.documents.size(), report.spans.size());
  };
  const size_t num_docs = report.documents.size();
  SegmentInto(*segmenter, options, report);

  // Matching form, shingles, facts and the form print that finds repeated lines, in one pass
  // that normalizes, tokenizes and reads the quantities of each span once. Facts go in text
  // order within a document so a quotation can inherit the previous span's speaker; documents
  // in parallel. Repeated lines are flagged after, from the prints, and then eligibility.
  stage("shingling");
  const size_t n = report.spans.size();
  std::vector<uint8_t>& eligible = analysis.eligible;
  std::vector<ContentRun>& content = analysis.content;
  analysis.forms.resize(num_docs);
  analysis.form_at.assign(n, {0, 0});
  eligible.assign(n, 0);
  content.resize(report.documents.size());
  std::vector<SpanFormPrint> prints(n);
  std::vector<uint32_t> words_of(n, 0);
  // Eligible but for repeated lines, found after: a span that is not furniture nor a dateline
  // and has enough content words.
  auto may_be_eligible = [&](const Span& s, size_t i) {
    return !s.boilerplate && s.kind != SpanKind::kDateline &&
           analysis.ContentOf(static_cast<uint32_t>(i)).keys.size() >=
               static_cast<size_t>(options.min_content_words);
  };
  // Each span's shingles go straight into the TF-IDF builder (4 bytes per shingle until the
  // matrix is built) rather than being kept as vectors.
  TfidfBuilder tfidf_builder(n);
  const FactExtractor extractor(normalizer);
  report.facts.resize(n);
  {
    internal::StepProgress step(options, "shingling", num_docs);
    ParallelFor(num_docs, options.threads, [&](size_t begin, size_t end) {
      TfidfBuilder::RowWriter row_writer = tfidf_builder.Writer();
      std::string key;
      for (size_t d = begin; d < end; ++d) {
        const Document& doc = report.documents[d];
        const SpanFacts* previous = nullptr;
        for (uint32_t i = report.first_span[d]; i < report.first_span[d + 1]; ++i) {
          const Span& s = report.spans[i];
          NormalizedText norm = normalizer.Normalize(SpanText(doc, s));
          const std::vector<Token> tokens = Tokenize(norm.text);
          const std::vector<NumberMention> numbers = FindNumbers(norm.text, tokens);
          const ContentWordForms words = ContentWordFormsOf(norm.text, tokens);
          const std::vector<Shingle> shingles =
              ShingleText(norm.text, tokens, numbers, words, options.shingle);
          row_writer.Set(i, shingles);
          content[d].Append(ContentWords(tokens, numbers, words));
          prints[i] = SpanFormPrintOf(norm.text, tokens, &key);
          words_of[i] = static_cast<uint32_t>(tokens.size());
          if (options.span_features && may_be_eligible(s, i)) {
            options.span_features(i, shingles, numbers);
          }
          const SpanFacts* facts = &SpanFactsTable::None();
          if (corpus.facts) {
            facts = &report.facts.Set(
                i, extractor.Extract(doc, s, previous, norm, tokens, numbers, &words));
            previous = facts;
          }
          // Only figure windows read the matching form later: kept for spans with a number.
          if (!facts->numbers.empty()) {
            std::string& forms = analysis.forms[d];
            analysis.form_at[i] = {static_cast<uint32_t>(forms.size()),
                                   static_cast<uint32_t>(norm.text.size())};
            forms += norm.text;
          }
        }
        analysis.forms[d].shrink_to_fit();
        content[d].ShrinkToFit();
        step.Add(1);
      }
    });
    step.Finish();
  }
  // The vocabularies' tables go before repeated lines are counted (a table and an array of
  // every span's print): side by side they were the shingling stage's peak at 100,000
  // documents.
  tfidf_builder.Freeze(options.threads);
  FlagRepeatedSpans(report.documents, &report.spans, prints, words_of, normalizer,
                    options.boilerplate, corpus.repeats);
  std::vector<SpanFormPrint>().swap(prints);
  std::vector<uint32_t>().swap(words_of);
  ParallelFor(n, options.threads, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      const Span& s = report.spans[i];
      eligible[i] = may_be_eligible(s, i) && !s.IsRepeat();
    }
  });

  stage("vectors");
  // Frequencies counted elsewhere, for the matrix's columns (read from an index, they may fail).
  const PriorFrequencies* counted = corpus.frequencies != nullptr ? corpus.frequencies : prior;
  std::optional<TfidfBuilder::PriorCounts> prior_counts;
  if (counted != nullptr) {
    absl::StatusOr<std::vector<uint32_t>> counts =
        counted->Counts(tfidf_builder.FrozenColumns(options.threads));
    if (!counts.ok()) return counts.status();
    prior_counts = TfidfBuilder::PriorCounts{counted->rows(), *std::move(counts)};
  }
  analysis.tfidf = tfidf_builder.Build(eligible, options.tfidf, options.threads,
                                       prior_counts ? &*prior_counts : nullptr,
                                       /*count_own=*/corpus.frequencies == nullptr);
  return analysis;
}

absl::StatusOr<Analysis> Analyze(std::vector<Document> documents, const CompareOptions& options,
                                 std::vector<InputError> errors, const PriorFrequencies* prior) {
  absl::StatusOr<Analysis> analyzed =
      AnalyzeSpans(std::move(documents), options, std::move(errors), prior, CorpusCounts{});
  if (!analyzed.ok()) return analyzed.status();
  Analysis& analysis = *analyzed;
  const Report& report = analysis.report;
  auto stage = [&](std::string_view name) {
    if (options.progress) options.progress(name, report.documents.size(), report.spans.size());
  };

  // Figures stated by two documents: compare the words around them too.
  stage("figures");
  PairFigures(analysis);
  return analyzed;
}

}  // namespace claimdiff
