#include "similarity/tfidf.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <map>
#include <random>
#include <vector>

#include "core/parallel.h"
#include "gtest/gtest.h"
#include "similarity/candidates.h"

namespace claimdiff {
namespace {

// Random shingle bags over a small vocabulary, so rows overlap.
std::vector<std::vector<Shingle>> RandomRows(int rows, int vocab, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::vector<Shingle>> out(static_cast<size_t>(rows));
  for (auto& row : out) {
    std::map<uint64_t, Shingle> bag;
    const int len = 1 + static_cast<int>(rng() % 8);
    for (int k = 0; k < len; ++k) {
      const uint64_t h = 1000 + rng() % static_cast<uint32_t>(vocab);
      Shingle& s = bag[h];
      s.hash = h;
      s.type = static_cast<ShingleType>(h % kShingleTypes);
      ++s.count;
    }
    for (auto& [h, s] : bag) row.push_back(s);
  }
  return out;
}

// RandomRows with each hash mixed over the whole 64-bit range, rows re-sorted by hash.
std::vector<std::vector<Shingle>> SpreadRows(int rows, int vocab, uint32_t seed) {
  auto out = RandomRows(rows, vocab, seed);
  for (auto& row : out) {
    for (Shingle& s : row) s.hash = Mix64(s.hash);
    std::sort(row.begin(), row.end(),
              [](const Shingle& a, const Shingle& b) { return a.hash < b.hash; });
  }
  return out;
}

// The TF-IDF formula written out densely, as the oracle for the sparse implementation.
std::vector<std::vector<double>> DenseTfidf(const std::vector<std::vector<Shingle>>& rows,
                                            const std::vector<uint8_t>& in_df,
                                            const TfidfOptions& o, std::vector<uint64_t>* cols) {
  std::map<uint64_t, size_t> index;
  for (const auto& r : rows) {
    for (const Shingle& s : r) index.emplace(s.hash, 0);
  }
  size_t j = 0;
  for (auto& [h, col] : index) {
    col = j++;
    cols->push_back(h);
  }
  std::vector<double> df(index.size(), 0);
  double n = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!in_df[i]) continue;
    ++n;
    for (const Shingle& s : rows[i]) df[index[s.hash]] += 1;
  }
  const double weight[] = {o.word_weight, o.bigram_weight, o.char_weight, o.skeleton_weight,
                           o.number_weight};
  std::vector<std::vector<double>> out(rows.size(), std::vector<double>(index.size(), 0.0));
  for (size_t i = 0; i < rows.size(); ++i) {
    double norm = 0;
    for (const Shingle& s : rows[i]) {
      const size_t c = index[s.hash];
      const double idf = std::log((1 + n) / (1 + df[c])) + 1;
      const double w = weight[static_cast<int>(s.type)] * (1 + std::log(double(s.count))) * idf;
      out[i][c] = w;
      norm += w * w;
    }
    for (double& v : out[i]) v /= std::sqrt(norm);
  }
  return out;
}

// Two matrices' rows hold the same entries: the same columns and the same floats.
void ExpectSameRows(const SparseRows& x, const SparseRows& y) {
  const SparseRows::EigenRows a = x.ToEigen();
  const SparseRows::EigenRows b = y.ToEigen();
  ASSERT_EQ(a.rows(), b.rows());
  ASSERT_EQ(a.nonZeros(), b.nonZeros());
  EXPECT_TRUE(std::equal(a.valuePtr(), a.valuePtr() + a.nonZeros(), b.valuePtr()));
  EXPECT_TRUE(std::equal(a.innerIndexPtr(), a.innerIndexPtr() + a.nonZeros(), b.innerIndexPtr()));
  EXPECT_TRUE(std::equal(a.outerIndexPtr(), a.outerIndexPtr() + a.rows() + 1, b.outerIndexPtr()));
}

TEST(BuildTfidf, MatchesANaiveDenseComputation) {
  const auto rows = RandomRows(60, 40, 7);
  std::vector<uint8_t> in_df(rows.size(), 1);
  for (size_t i = 0; i < in_df.size(); i += 5) in_df[i] = 0;  // some rows do not shape the idf
  const TfidfOptions options;
  const TfidfMatrix m = BuildTfidf(rows, in_df, options);
  std::vector<uint64_t> cols;
  const auto dense = DenseTfidf(rows, in_df, options, &cols);
  ASSERT_EQ(m.columns, cols);
  const SparseRows::EigenRows values = m.rows.ToEigen();
  for (size_t i = 0; i < rows.size(); ++i) {
    for (size_t c = 0; c < cols.size(); ++c) {
      EXPECT_NEAR(values.coeff(static_cast<int64_t>(i), static_cast<int64_t>(c)), dense[i][c],
                  1e-5);
    }
  }
  for (size_t a = 0; a < rows.size(); ++a) {
    for (size_t b = 0; b < rows.size(); ++b) {
      double dot = 0;
      for (size_t c = 0; c < cols.size(); ++c) dot += dense[a][c] * dense[b][c];
      EXPECT_NEAR(Cosine(m.rows, static_cast<int64_t>(a), static_cast<int64_t>(b)), dot, 1e-5);
    }
  }
}

// Rows set through three writers held at once (three vocabularies that each see some of the
// hashes, many in more than one, and grow their tables several times): the merged columns
// and the matrix are exactly those of one writer setting every row.
TEST(TfidfBuilder, WritersWithVocabulariesOfTheirOwnMergeIntoTheSameMatrix) {
  auto rows = SpreadRows(600, 2000, 23);
  std::vector<uint8_t> in_df(rows.size(), 1);
  TfidfBuilder builder(rows.size());
  {
    std::vector<TfidfBuilder::RowWriter> writers;
    for (int w = 0; w < 3; ++w) writers.push_back(builder.Writer());
    for (size_t i = 0; i < rows.size(); ++i) writers[(i * 7) % 3].Set(i, rows[i]);
  }
  const TfidfMatrix merged = builder.Build(in_df, {}, 2);
  TfidfBuilder single(rows.size());
  {
    TfidfBuilder::RowWriter writer = single.Writer();
    for (size_t i = 0; i < rows.size(); ++i) writer.Set(i, rows[i]);
  }
  const TfidfMatrix one = single.Build(in_df, {}, 1);
  ASSERT_TRUE(std::is_sorted(merged.columns.begin(), merged.columns.end()));
  ASSERT_TRUE(std::adjacent_find(merged.columns.begin(), merged.columns.end()) ==
              merged.columns.end());
  EXPECT_EQ(merged.columns, one.columns);
  EXPECT_EQ(merged.types, one.types);
  EXPECT_EQ(merged.df, one.df);
  ExpectSameRows(merged.rows, one.rows);
}

// Vocabularies capped at the smallest table (1,024 slots, 716 hashes): writers retire full ones
// and go on with new ones, many times over; the matrix is the uncapped builder's, bit for bit.
TEST(TfidfBuilder, FullVocabulariesAreRetiredWithoutChangingTheMatrix) {
  auto rows = SpreadRows(3000, 20000, 29);
  std::vector<uint8_t> in_df(rows.size(), 1);
  for (size_t i = 0; i < in_df.size(); i += 5) in_df[i] = 0;
  TfidfBuilder capped(rows.size(), 1024);
  ParallelFor(rows.size(), 2, [&](size_t begin, size_t end) {
    TfidfBuilder::RowWriter writer = capped.Writer();
    for (size_t i = begin; i < end; ++i) writer.Set(i, rows[i]);
  });
  EXPECT_GT(capped.vocabularies(), 6u);
  const TfidfMatrix merged = capped.Build(in_df, {}, 2);
  TfidfBuilder uncapped(rows.size());
  {
    TfidfBuilder::RowWriter writer = uncapped.Writer();
    for (size_t i = 0; i < rows.size(); ++i) writer.Set(i, rows[i]);
  }
  EXPECT_EQ(uncapped.vocabularies(), 1u);
  const TfidfMatrix one = uncapped.Build(in_df, {}, 1);
  EXPECT_EQ(merged.columns, one.columns);
  EXPECT_EQ(merged.types, one.types);
  EXPECT_EQ(merged.df, one.df);
  EXPECT_EQ(merged.idf, one.idf);
  ExpectSameRows(merged.rows, one.rows);
}

// Hashes spread over the whole 64-bit range, rows set in reverse order from four threads: the same
// matrix as the dense formula, and the same bytes whatever the thread count.
TEST(TfidfBuilder, MatchesTheDenseFormulaWithHashesOverTheWholeRange) {
  auto rows = SpreadRows(120, 300, 19);
  rows.push_back({});  // a row with no shingle stays empty
  std::vector<uint8_t> in_df(rows.size(), 1);
  for (size_t i = 0; i < in_df.size(); i += 4) in_df[i] = 0;
  TfidfOptions options;
  options.char_weight = 0;  // a family weighted 0 leaves no entries
  TfidfBuilder builder(rows.size());
  ParallelFor(rows.size(), 4, [&](size_t begin, size_t end) {
    TfidfBuilder::RowWriter writer = builder.Writer();
    for (size_t k = begin; k < end; ++k) writer.Set(rows.size() - 1 - k, rows[rows.size() - 1 - k]);
  });
  const TfidfMatrix m = builder.Build(in_df, options, 4);
  std::vector<uint64_t> cols;
  const auto dense = DenseTfidf(rows, in_df, options, &cols);
  ASSERT_EQ(m.columns, cols);
  ASSERT_TRUE(std::is_sorted(m.columns.begin(), m.columns.end()));
  const SparseRows::EigenRows values = m.rows.ToEigen();
  for (size_t i = 0; i < rows.size(); ++i) {
    for (size_t c = 0; c < cols.size(); ++c) {
      const double want = std::isfinite(dense[i][c]) ? dense[i][c] : 0.0;
      EXPECT_NEAR(values.coeff(static_cast<int64_t>(i), static_cast<int64_t>(c)), want, 1e-5);
    }
  }
  EXPECT_EQ(RowView(m.rows, static_cast<int64_t>(rows.size() - 1)).size, 0u);
  const TfidfMatrix one = BuildTfidf(rows, in_df, options, 1);
  ExpectSameRows(one.rows, m.rows);
  EXPECT_EQ(one.idf, m.idf);
  EXPECT_EQ(one.types, m.types);
}

TEST(BuildTfidf, RowsAreUnitLengthOrEmpty) {
  auto rows = RandomRows(20, 30, 3);
  rows.push_back({});
  const TfidfMatrix m = BuildTfidf(rows);
  const SparseRows::EigenRows values = m.rows.ToEigen();
  for (int64_t i = 0; i < m.rows.rows(); ++i) {
    const float norm = values.row(i).norm();
    if (i + 1 == m.rows.rows()) {
      EXPECT_EQ(norm, 0.0f);
    } else {
      EXPECT_NEAR(norm, 1.0f, 1e-5);
    }
  }
}

// Dot's block merge against Eigen's sparse dot product: the same float, bit for bit, over
// vectors from disjoint to identical, of lengths on and off multiples of the block of four.
TEST(Dot, EqualsEigensSparseDotProductExactly) {
  std::mt19937 rng(11);
  int overlapping = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    const int universe = 4 + static_cast<int>(rng() % 200);
    Eigen::SparseVector<float> x(universe);
    Eigen::SparseVector<float> y(universe);
    const uint32_t density_x = 1 + rng() % 100;
    const uint32_t density_y = 1 + rng() % 100;
    const bool copy = trial % 5 == 0;  // y mostly x's indices: long runs of equal blocks
    for (int c = 0; c < universe; ++c) {
      const bool in_x = rng() % 100 < density_x;
      if (in_x) x.insert(c) = std::uniform_real_distribution<float>(0.01f, 1.0f)(rng);
      if (copy ? (in_x ? rng() % 10 != 0 : rng() % 20 == 0) : rng() % 100 < density_y) {
        y.insert(c) = std::uniform_real_distribution<float>(0.01f, 1.0f)(rng);
      }
    }
    const SparseView vx{x.innerIndexPtr(), x.valuePtr(), static_cast<size_t>(x.nonZeros())};
    const SparseView vy{y.innerIndexPtr(), y.valuePtr(), static_cast<size_t>(y.nonZeros())};
    const float expected = x.dot(y);
    overlapping += expected > 0;
    ASSERT_EQ(Dot(vx, vy), expected) << "trial " << trial;
    ASSERT_EQ(Dot(vy, vx), y.dot(x)) << "trial " << trial;
  }
  EXPECT_GT(overlapping, 1000);  // the trials are not all disjoint
}

// A random sparse vector over [0, universe) with about universe * per_mille / 1000 entries,
// values in (0, 1].
Eigen::SparseVector<float> RandomSparse(std::mt19937& rng, int universe, uint32_t per_mille) {
  Eigen::SparseVector<float> v(universe);
  const auto entries = static_cast<int>(static_cast<int64_t>(universe) * per_mille / 1000);
  for (int k = 0; k < entries; ++k) {
    v.coeffRef(static_cast<int>(rng() % static_cast<uint32_t>(universe))) =
        std::uniform_real_distribution<float>(0.01f, 1.0f)(rng);
  }
  return v;
}

TEST(DotProbe, EqualsDotBitForBitAcrossResets) {
  std::mt19937 rng(23);
  DotProbe probe;  // one probe, reset for rows of every size: shrinking must clear the old row
  int overlapping = 0;
  for (int trial = 0; trial < 400; ++trial) {
    // Wide universes put many columns on one filter bit and one table slot chain.
    const int universe = trial % 3 == 0 ? 300 : 200000;
    const uint32_t per_mille = trial % 7 == 0 ? 0 : 1 + rng() % (trial % 3 == 0 ? 900 : 8);
    const Eigen::SparseVector<float> a = RandomSparse(rng, universe, per_mille);
    // A hint of few partners makes it merge instead: the same sums either way.
    probe.Reset(VectorView(a), trial % 4 == 3 ? 1 : 6);
    for (int partner = 0; partner < 6; ++partner) {
      Eigen::SparseVector<float> b = RandomSparse(rng, universe, 1 + rng() % 8);
      if (partner == 0) b = a;  // every column shared
      if (partner == 1) {       // a's columns, some dropped, plus others
        b = RandomSparse(rng, universe, 2);
        for (Eigen::SparseVector<float>::InnerIterator it(a); it; ++it) {
          if (rng() % 4 != 0)
            b.coeffRef(it.index()) = std::uniform_real_distribution<float>(0.01f, 1.0f)(rng);
        }
      }
      const float expected = Dot(VectorView(a), VectorView(b));
      overlapping += expected > 0;
      ASSERT_EQ(probe.Dot(VectorView(b)), expected) << "trial " << trial << " partner " << partner;
    }
  }
  EXPECT_GT(overlapping, 600);  // most trials share columns
}

TEST(Cosine, IsTheRowsDotProduct) {
  const TfidfMatrix m = BuildTfidf(RandomRows(40, 30, 5));
  const SparseRows::EigenRows values = m.rows.ToEigen();
  for (int64_t a = 0; a < m.rows.rows(); ++a) {
    for (int64_t b = 0; b < m.rows.rows(); ++b) {
      ASSERT_EQ(Cosine(m.rows, a, b), values.row(a).dot(values.row(b))) << a << " " << b;
    }
  }
}

// A factored row's values are the floats the weights make when written out: type weight times
// (1 + ln count) times idf, times one over the row's norm, for entries counted once (read from
// the column) and more than once (kept apart) alike.
TEST(SparseRows, FactoredValuesAreTheWrittenOutWeightsBitForBit) {
  const auto rows = RandomRows(80, 40, 13);
  const TfidfOptions options;
  const TfidfMatrix m = BuildTfidf(rows, {}, options);
  const float type_weight[] = {options.word_weight, options.bigram_weight, options.char_weight,
                               options.skeleton_weight, options.number_weight};
  size_t counted_twice = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    std::vector<float> w;
    double norm = 0;
    for (const Shingle& s : rows[i]) {
      const size_t c = static_cast<size_t>(
          std::lower_bound(m.columns.begin(), m.columns.end(), s.hash) - m.columns.begin());
      const float count = s.count == 1 ? 1.0f : 1.0f + std::log(static_cast<float>(s.count));
      w.push_back(type_weight[static_cast<int>(s.type)] * count * m.idf[c]);
      norm += static_cast<double>(w.back()) * w.back();
      counted_twice += s.count > 1;
    }
    const auto inv = static_cast<float>(1.0 / std::sqrt(norm));
    const SparseView view = RowView(m.rows, static_cast<int64_t>(i));
    ASSERT_EQ(view.size, w.size());
    size_t k = 0;
    for (SparseRows::InnerIterator it(m.rows, static_cast<int64_t>(i)); it; ++it, ++k) {
      EXPECT_EQ(it.value(), w[k] * inv) << i << " " << k;
      EXPECT_EQ(view.Value(k), w[k] * inv) << i << " " << k;
    }
  }
  EXPECT_GT(counted_twice, 20u);  // the odd entries are exercised
}

// A vector stored factored (FactoredVectorEntries, as `compare` keeps figure windows) reads back
// VectorEntries' values bit for bit: with the matrix's column weights (most entries plain, the
// shingles counted more than once and those of another type apart) and with weights that match
// no entry (all apart); and its dots are the dots of those values.
TEST(FactoredVectorEntries, ReadsBackVectorEntriesBitForBit) {
  const auto rows = RandomRows(80, 40, 29);
  const TfidfMatrix m = BuildTfidf(rows);
  ASSERT_NE(m.rows.column_weights(), nullptr);
  const std::vector<float> none(m.columns.size(), 0.0f);
  // Windows: rows, rows with a repeated shingle, a shingle of another type, and one unknown.
  std::vector<std::vector<Shingle>> windows(rows.begin(), rows.begin() + 30);
  for (size_t x = 0; x < 30; ++x) {
    std::vector<Shingle> w = rows[x];
    w[0].count += 2;
    w.back().type = static_cast<ShingleType>((static_cast<int>(w.back().type) + 1) % kShingleTypes);
    w.push_back({~uint64_t{0}, 1, ShingleType::kWord});
    windows.push_back(std::move(w));
  }
  std::vector<std::pair<int32_t, float>> scratch;
  size_t odd_with_columns = 0;
  size_t plain = 0;
  for (const float* weights : {m.rows.column_weights(), none.data()}) {
    for (size_t x = 0; x < windows.size(); ++x) {
      std::vector<std::pair<int32_t, float>> want;
      VectorEntries(m, windows[x], {}, static_cast<int64_t>(x % 80), &want);
      std::vector<int32_t> index = {7};  // appended after what is there
      std::vector<OddWeight> odd;
      const float scale = FactoredVectorEntries(m, windows[x], {}, static_cast<int64_t>(x % 80),
                                                weights, &scratch, &index, &odd);
      ASSERT_EQ(index.size(), want.size() + 1);
      SparseView view;
      view.index = index.data() + 1;
      view.size = want.size();
      view.column_weight = weights;
      view.odd = odd.data();
      view.odd_size = static_cast<uint32_t>(odd.size());
      view.scale = scale;
      for (size_t k = 0; k < want.size(); ++k) {
        EXPECT_EQ(view.index[k], want[k].first);
        EXPECT_EQ(std::bit_cast<uint32_t>(view.Value(k)), std::bit_cast<uint32_t>(want[k].second))
            << x << " " << k;
      }
      if (weights == none.data()) {
        EXPECT_EQ(odd.size(), want.size());
      } else {
        odd_with_columns += odd.size();
        plain += want.size() - odd.size();
      }
      // Its dot with a row is the dot of the values.
      const SparseView row = RowView(m.rows, static_cast<int64_t>(x % 80));
      std::vector<int32_t> want_index;
      std::vector<float> want_value;
      for (const auto& [c, v] : want) {
        want_index.push_back(c);
        want_value.push_back(v);
      }
      const SparseView given{want_index.data(), want_value.data(), want_index.size()};
      EXPECT_EQ(Dot(view, row), Dot(given, row)) << x;
    }
  }
  EXPECT_GT(odd_with_columns, 30u);  // the repeated and retyped shingles, at least
  EXPECT_GT(plain, 100u);            // and most entries of the rows as they are plain
}

// Dots of factored rows (both of one matrix, or one of them with its values given) are the
// dots of the same rows with their values stored, bit for bit: Dot's merge and DotProbe's
// table alike.
TEST(DotProbe, FactoredRowsGiveTheDotsOfTheirValues) {
  const TfidfMatrix m = BuildTfidf(RandomRows(60, 30, 17));
  const SparseRows stored = SparseRows::FromEigen(m.rows.ToEigen());
  const auto n = m.rows.rows();
  DotProbe probe;
  int overlapping = 0;
  for (int64_t a = 0; a < n; ++a) {
    for (const size_t partners : {size_t{1}, size_t{8}}) {
      for (int form = 0; form < 3; ++form) {
        // a factored or stored; b factored or stored.
        const SparseView va = RowView(form == 1 ? stored : m.rows, a);
        probe.Reset(va, partners);
        for (int64_t b = 0; b < n; ++b) {
          const float expected = Dot(RowView(stored, a), RowView(stored, b));
          overlapping += expected > 0;
          const SparseView vb = RowView(form == 2 ? stored : m.rows, b);
          ASSERT_EQ(Dot(va, vb), expected) << a << " " << b << " form " << form;
          ASSERT_EQ(probe.Dot(vb), expected) << a << " " << b << " form " << form;
        }
      }
    }
  }
  EXPECT_GT(overlapping, 1000);
}

// Every query's dots with the run from `first` on are Dot's, bit for bit, whatever the rows
// (factored rows of one matrix, or stored values), the queries and the run share; below
// `first` they are 0. One PartnerDots, built again for runs of every size.
TEST(PartnerDots, GivesDotBitForBitFromFirstOn) {
  const TfidfMatrix m = BuildTfidf(RandomRows(80, 30, 29));
  const SparseRows stored = SparseRows::FromEigen(m.rows.ToEigen());
  const auto n = static_cast<size_t>(m.rows.rows());
  std::mt19937 rng(31);
  PartnerDots dots;
  std::vector<float> out;
  int overlapping = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const SparseRows& rows = trial % 3 == 2 ? stored : m.rows;
    std::vector<SparseView> queries, run;
    for (size_t q = 0, count = 1 + rng() % 6; q < count; ++q) {
      queries.push_back(RowView(rows, static_cast<int64_t>(rng() % n)));
    }
    for (size_t y = 0, count = rng() % 40; y < count; ++y) {
      run.push_back(RowView(rows, static_cast<int64_t>(rng() % n)));
    }
    if (!run.empty()) run[0] = queries[0];  // every column shared
    dots.Build(queries, run);
    for (const SparseView& x : queries) {
      const size_t first = run.empty() ? 0 : rng() % run.size();
      dots.Dots(x, first, &out);
      ASSERT_EQ(out.size(), run.size());
      for (size_t y = 0; y < run.size(); ++y) {
        const float expected = y < first ? 0.0f : Dot(x, run[y]);
        overlapping += expected > 0;
        ASSERT_EQ(out[y], expected) << "trial " << trial << " partner " << y;
      }
    }
  }
  EXPECT_GT(overlapping, 300);  // most queries share columns with most of the run
}

// Columns far apart that share a filter bit and a table chain are told apart.
TEST(PartnerDots, TellsApartColumnsThatShareAFilterBit) {
  std::mt19937 rng(37);
  PartnerDots dots;
  std::vector<float> out;
  for (int trial = 0; trial < 200; ++trial) {
    const Eigen::SparseVector<float> a = RandomSparse(rng, 1 << 20, 1 + rng() % 4);
    std::vector<Eigen::SparseVector<float>> partners;
    for (int k = 0; k < 5; ++k) partners.push_back(RandomSparse(rng, 1 << 20, 1 + rng() % 4));
    // Partner 0: a's columns moved by 2^16, a multiple of the filter's size (a power of two up
    // to 2^16 for queries this size), so every one passes the filter and only the table tells
    // them apart.
    partners[0].setZero();
    for (Eigen::SparseVector<float>::InnerIterator it(a); it; ++it) {
      partners[0].coeffRef((it.index() + (1 << 16)) % (1 << 20)) = 0.5f;
    }
    std::vector<SparseView> run;
    for (const auto& b : partners) run.push_back(VectorView(b));
    const SparseView query = VectorView(a);
    dots.Build(std::span<const SparseView>(&query, 1), run);
    dots.Dots(query, 0, &out);
    for (size_t y = 0; y < run.size(); ++y) {
      ASSERT_EQ(out[y], Dot(query, run[y])) << "trial " << trial << " partner " << y;
    }
  }
}

TEST(Vectorize, ARowHintGivesTheSameVector) {
  const auto rows = RandomRows(40, 60, 5);
  const TfidfMatrix m = BuildTfidf(rows);
  std::mt19937 rng(9);
  for (int64_t i = 0; i < m.rows.rows(); ++i) {
    // Part of the row's shingles, plus shingles of other rows and hashes of no row at all.
    std::map<uint64_t, Shingle> bag;
    for (const Shingle& s : rows[static_cast<size_t>(i)]) {
      if (rng() % 3 != 0) bag[s.hash] = s;
    }
    for (int k = 0; k < 4; ++k) {
      const uint64_t h = rng() % 2 == 0 ? 1000 + rng() % 60 : 5000 + rng() % 100;
      bag[h] = {h, 1 + static_cast<uint32_t>(rng() % 3), static_cast<ShingleType>(h % 5)};
    }
    std::vector<Shingle> window;
    for (const auto& [h, s] : bag) window.push_back(s);
    const Eigen::SparseVector<float> plain = Vectorize(m, window);
    const Eigen::SparseVector<float> hinted = Vectorize(m, window, {}, i);
    ASSERT_EQ(plain.nonZeros(), hinted.nonZeros()) << i;
    for (int64_t k = 0; k < plain.nonZeros(); ++k) {
      EXPECT_EQ(plain.innerIndexPtr()[k], hinted.innerIndexPtr()[k]);
      EXPECT_EQ(plain.valuePtr()[k], hinted.valuePtr()[k]);
    }
    // A window of no row's shingles is empty either way.
    EXPECT_EQ(Vectorize(m, {{1, 1, ShingleType::kWord}}, {}, i).nonZeros(), 0);
  }
}

TEST(AllPairsCandidates, FindsExactlyThePairsABruteForceFinds) {
  const auto rows = RandomRows(80, 50, 11);
  const TfidfMatrix m = BuildTfidf(rows);
  std::vector<uint8_t> eligible(rows.size(), 1);
  eligible[3] = eligible[10] = 0;
  for (float min : {0.0001f, 0.2f, 0.5f, 0.9f}) {
    const std::vector<ScoredPair> got = AllPairsCandidates().Generate(m.rows, eligible, min);
    std::vector<ScoredPair> want;
    for (uint32_t a = 0; a < rows.size(); ++a) {
      for (uint32_t b = a + 1; b < rows.size(); ++b) {
        if (!eligible[a] || !eligible[b]) continue;
        const float c = Cosine(m.rows, a, b);
        if (c >= min) want.push_back({a, b, c});
      }
    }
    ASSERT_EQ(got.size(), want.size()) << "min " << min;
    for (size_t k = 0; k < got.size(); ++k) {
      EXPECT_EQ(got[k].a, want[k].a);
      EXPECT_EQ(got[k].b, want[k].b);
      EXPECT_FLOAT_EQ(got[k].similarity, want[k].similarity);
    }
  }
}

}  // namespace
}  // namespace claimdiff
