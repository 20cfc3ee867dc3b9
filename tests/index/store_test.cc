// The index: what a drop stores, what matching a new drop finds, and that it finds what
// `compare` over the archive and the drop together would score.
#include "index/store.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/ingest.h"
#include "gtest/gtest.h"
#include "report/analysis.h"

namespace claimdiff {
namespace {

const std::string& FixturesDir() {
  static const std::string dir = std::string(CLAIMDIFF_SOURCE_DIR) + "/fixtures/exchange-hack";
  return dir;
}

std::vector<Document> Fixtures() {
  LocalFileSystem fs;
  LoadedInputs in = LoadInputs({FixturesDir()}, fs);
  EXPECT_TRUE(in.errors.empty());
  EXPECT_EQ(in.documents.size(), 5u);
  return std::move(in.documents);
}

// Splits the fixtures: the one whose id starts with `prefix`, and the others.
std::pair<std::vector<Document>, std::vector<Document>> Split(const std::string& prefix) {
  std::vector<Document> one;
  std::vector<Document> rest;
  for (Document& d : Fixtures()) {
    (d.id.rfind(prefix, 0) == 0 ? one : rest).push_back(std::move(d));
  }
  return {std::move(one), std::move(rest)};
}

class TempDb {
 public:
  TempDb() {
    path_ = (std::filesystem::temp_directory_path() /
             ("claimdiff-index-test-" +
              std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
                .string();
    Remove();
  }
  ~TempDb() { Remove(); }
  const std::string& path() const { return path_; }

 private:
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path_ + suffix).c_str());
  }
  std::string path_;
};

std::string Text(const std::vector<Document>& docs, const std::string& id, uint32_t start,
                 uint32_t end) {
  for (const Document& d : docs) {
    if (d.id == id) return d.text.substr(start, end - start);
  }
  return {};
}

// The match of a new span containing `needle` with an earlier span containing `other`.
const SpanMatch::Earlier* FindMatch(const MatchResult& r, const std::vector<Document>& docs,
                                    const std::string& needle, const std::string& other) {
  for (const SpanMatch& m : r.spans) {
    if (Text(docs, m.doc, m.start, m.end).find(needle) == std::string::npos) continue;
    for (const SpanMatch::Earlier& e : m.matches) {
      if (Text(docs, e.doc, e.start, e.end).find(other) != std::string::npos) return &e;
    }
  }
  return nullptr;
}

// Every fixture but one in an index; the one kept apart is the new drop.
class IndexedFixtures : public ::testing::Test {
 protected:
  void IndexAllBut(const std::string& prefix) {
    std::tie(one, rest) = Split(prefix);
    all = one;
    all.insert(all.end(), rest.begin(), rest.end());
    absl::StatusOr<Store> opened = Store::Open(db.path());
    ASSERT_TRUE(opened.ok()) << opened.status();
    store.emplace(*std::move(opened));
    absl::StatusOr<AddResult> added = store->AddDrop(rest, CompareOptions());
    ASSERT_TRUE(added.ok()) << added.status();
    first = *std::move(added);
  }
  // Closes the index, runs `sql` on its file, opens it again and matches `one` against it.
  absl::StatusOr<MatchResult> MatchAfterSql(const char* sql);
  TempDb db;
  std::optional<Store> store;
  std::vector<Document> one, rest, all;
  AddResult first;
};

TEST_F(IndexedFixtures, AddStoresSpansBucketsAndFrequencies) {
  ASSERT_NO_FATAL_FAILURE(IndexAllBut("002"));
  const AddResult* added = &first;
  EXPECT_EQ(added->drop, 1);
  EXPECT_EQ(added->added, 4u);
  EXPECT_GT(added->spans, 80u);
  EXPECT_GT(added->comparable, 60u);
  EXPECT_LE(added->comparable, added->spans);
  absl::StatusOr<IndexStats> stats = store->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->documents, 4);
  EXPECT_EQ(stats->spans, static_cast<int64_t>(added->spans));
  EXPECT_EQ(stats->comparable, static_cast<int64_t>(added->comparable));
  EXPECT_GT(stats->claims, 3);  // the four articles share several statements
  // 64 band keys of 12 bytes per comparable span, plus figure keys.
  EXPECT_GE(stats->bucket_bytes, static_cast<int64_t>(added->comparable) * 64 * 12);
  EXPECT_GT(stats->df_bytes, 0);
  // Each comparable span's shingles, about 10 bytes each, a few dozen at least.
  EXPECT_GE(stats->feature_bytes, static_cast<int64_t>(added->comparable) * 10 * 20);
  EXPECT_EQ(stats->without_features, 0);
  EXPECT_EQ(stats->bands, 64);
  EXPECT_EQ(stats->rows_per_band, 1);
}

// Runs `sql` on the index file at `path` through a connection of its own.
void ExecSql(const std::string& path, const char* sql) {
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &handle), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(handle, sql, nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(handle);
  sqlite3_close(handle);
}

absl::StatusOr<MatchResult> IndexedFixtures::MatchAfterSql(const char* sql) {
  store.reset();
  ExecSql(db.path(), sql);
  absl::StatusOr<Store> opened = Store::Open(db.path());
  if (!opened.ok()) return opened.status();
  store.emplace(*std::move(opened));
  return store->Match(one, CompareOptions());
}

int64_t CountSql(const std::string& path, const char* sql) {
  sqlite3* handle = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &handle), SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(handle, sql, -1, &q, nullptr), SQLITE_OK) << sqlite3_errmsg(handle);
  const int64_t n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
  sqlite3_finalize(q);
  sqlite3_close(handle);
  return n;
}

std::vector<std::string> MatchLines(Store& store, const std::vector<Document>& drop) {
  absl::StatusOr<MatchResult> matched = store.Match(drop, CompareOptions());
  EXPECT_TRUE(matched.ok()) << matched.status();
  std::vector<std::string> lines;
  if (matched.ok()) {
    for (const SpanMatch& m : matched->spans) lines.push_back(RenderMatchJson(m));
  }
  return lines;
}

TEST_F(IndexedFixtures, AddStoresTheFeaturesOfEveryComparableSpan) {
  ASSERT_NO_FATAL_FAILURE(IndexAllBut("002"));
  EXPECT_EQ(CountSql(db.path(), "SELECT COUNT(*) FROM span_features;"),
            static_cast<int64_t>(first.comparable));
  EXPECT_EQ(CountSql(db.path(),
                     "SELECT COUNT(*) FROM span_features f JOIN spans s ON s.id = f.id "
                     "WHERE s.comparable = 1;"),
            static_cast<int64_t>(first.comparable));
}

// The stored features are what `index match` would derive from the text: an index that lacks
// them (written by a claimdiff that stored none), all or some, matches the same. Each fixture
// in turn is the new drop.
TEST(Store, MatchIsTheSameWithStoredFeaturesOrWithout) {
  for (const char* prefix : {"000", "001", "002", "003", "004"}) {
    SCOPED_TRACE(prefix);
    TempDb db;
    auto [one, rest] = Split(prefix);
    std::vector<std::string> stored;
    {
      absl::StatusOr<Store> store = Store::Open(db.path());
      ASSERT_TRUE(store.ok());
      ASSERT_TRUE(store->AddDrop(rest, CompareOptions()).ok());
      stored = MatchLines(*store, one);
    }
    ASSERT_FALSE(stored.empty());
    // Each deletion, and the comparable spans then left without features.
    const std::pair<const char*, const char*> deletions[] = {
        {"DELETE FROM span_features WHERE id % 2 = 0;",
         "SELECT COUNT(*) FROM spans WHERE comparable = 1 AND id % 2 = 0;"},
        {"DELETE FROM span_features;", "SELECT COUNT(*) FROM spans WHERE comparable = 1;"}};
    for (const auto& [sql, without] : deletions) {
      ExecSql(db.path(), sql);
      absl::StatusOr<Store> store = Store::Open(db.path());
      ASSERT_TRUE(store.ok());
      EXPECT_EQ(MatchLines(*store, one), stored) << sql;
      absl::StatusOr<IndexStats> stats = store->Stats();
      ASSERT_TRUE(stats.ok());
      EXPECT_EQ(stats->without_features, CountSql(db.path(), without)) << sql;
    }
  }
}

// A pair whose words differ but for the figure and the words around it ("250 ألف خادم حول
// العالم", "أكثر من ربع مليون خادم حول العالم") scores by the figure, above its cosine: the
// earlier span's stored figures must say it states one, as its text does.
TEST(Store, AFigureInOtherWordsMatchesWithStoredFeaturesOrWithout) {
  auto doc = [](std::string id, std::string text) {
    Document d;
    d.id = std::move(id);
    d.title = d.id;
    d.text = std::move(text);
    return d;
  };
  const std::vector<Document> earlier = {
      doc("a",
          "أعلنت وزارة الزراعة اليوم خطة جديدة لدعم المزارعين في المناطق الريفية. وقال "
          "الباحثون إن الهجوم طال 250 ألف خادم حول العالم خلال أيام قليلة. وتستمر الأمطار "
          "الغزيرة في الهطول على المدن الساحلية."),
      doc("b",
          "افتتح المتحف الوطني معرضا للفنون الحديثة في العاصمة. ويضم المعرض أعمالا لفنانين "
          "من عدة دول عربية وأجنبية.")};
  const std::vector<Document> drop = {
      doc("n",
          "أكدت الشركة في بيانها الرسمي أمس تضرر أكثر من ربع مليون خادم حول العالم. ولم تذكر "
          "الشركة تفاصيل إضافية عن الجهة المسؤولة.")};
  TempDb db;
  std::vector<std::string> stored;
  {
    absl::StatusOr<Store> store = Store::Open(db.path());
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(store->AddDrop(earlier, CompareOptions()).ok());
    absl::StatusOr<MatchResult> matched = store->Match(drop, CompareOptions());
    ASSERT_TRUE(matched.ok()) << matched.status();
    std::vector<Document> all = earlier;
    all.push_back(drop.front());
    const SpanMatch::Earlier* servers = FindMatch(*matched, all, "ربع مليون", "250 ألف");
    ASSERT_NE(servers, nullptr);
    EXPECT_GE(servers->similarity, 0.30f);
    stored = MatchLines(*store, drop);
  }
  ExecSql(db.path(), "DELETE FROM span_features;");
  absl::StatusOr<Store> store = Store::Open(db.path());
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(MatchLines(*store, drop), stored);
}

TEST_F(IndexedFixtures, DamagedStoredFeaturesAreReported) {
  ASSERT_NO_FATAL_FAILURE(IndexAllBut("002"));
  // One shingle announced, none there.
  absl::StatusOr<MatchResult> matched = MatchAfterSql("UPDATE span_features SET features = x'01';");
  ASSERT_FALSE(matched.ok());
  EXPECT_EQ(matched.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(matched.status().message().find("stored features of span"), std::string::npos)
      << matched.status();
}

// Stored document frequencies that cannot be read (a value that is not a blob) stop the match
// with an error: no drop span is weighed as if the archive had never seen its shingles.
TEST_F(IndexedFixtures, UnreadableStoredFrequenciesAreReported) {
  ASSERT_NO_FATAL_FAILURE(IndexAllBut("002"));
  absl::StatusOr<MatchResult> matched = MatchAfterSql("UPDATE frequencies SET entries = 7;");
  ASSERT_FALSE(matched.ok());
  EXPECT_NE(matched.status().message().find("read frequencies"), std::string::npos)
      << matched.status();
}

TEST_F(IndexedFixtures, ReAddingReportsExistingIdsAndRecordsNoDrop) {
  ASSERT_NO_FATAL_FAILURE(IndexAllBut("002"));
  absl::StatusOr<AddResult> again = store->AddDrop(rest, CompareOptions());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->drop, 0);
  EXPECT_EQ(again->added, 0u);
  EXPECT_EQ(again->existing.size(), 4u);
  // Mixed: the new document is added, the known ones reported.
  std::vector<Document> mixed = one;
  mixed.push_back(rest.front());
  absl::StatusOr<AddResult> third = store->AddDrop(mixed, CompareOptions());
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->drop, 2);
  EXPECT_EQ(third->added, 1u);
  ASSERT_EQ(third->existing.size(), 1u);
  EXPECT_EQ(third->existing[0], rest.front().id);
  absl::StatusOr<IndexStats> stats = store->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->drops, 2);
  EXPECT_EQ(stats->documents, 5);
}

// The two claims every version must get right, matched against the index only.
TEST_F(IndexedFixtures, MatchFindsTheServersFigureAndTheRaabQuote) {
  ASSERT_NO_FATAL_FAILURE(IndexAllBut("002"));
  absl::StatusOr<MatchResult> matched = store->Match(one, CompareOptions());
  ASSERT_TRUE(matched.ok()) << matched.status();
  // "250 ألف خادم" (002) and "أكثر من ربع مليون من الخوادم" (004): one figure, in other words.
  const SpanMatch::Earlier* servers = FindMatch(*matched, all, "250 ألف", "ربع مليون");
  ASSERT_NE(servers, nullptr);
  EXPECT_EQ(servers->verdict, "agree");
  EXPECT_GE(servers->similarity, 0.30f);
  // Raab's words, translated differently.
  const SpanMatch::Earlier* raab = FindMatch(*matched, all, "التخريب السيبراني", "التخريب");
  ASSERT_NE(raab, nullptr);
  EXPECT_GE(raab->similarity, 0.30f);
  // Matches are ordered, most similar first, and point into the earlier documents.
  for (const SpanMatch& m : matched->spans) {
    EXPECT_EQ(m.doc, one.front().id);
    for (size_t k = 1; k < m.matches.size(); ++k) {
      EXPECT_GE(m.matches[k - 1].similarity, m.matches[k].similarity);
    }
    for (const SpanMatch::Earlier& e : m.matches) {
      EXPECT_NE(e.doc, one.front().id);
      EXPECT_FALSE(Text(all, e.doc, e.start, e.end).empty());
    }
  }
}

// --min-bands: more shared bands asked, fewer candidates; the default is two. Figure keys
// still propose their pairs, so the servers figure told in other words is found at any m.
TEST_F(IndexedFixtures, MoreSharedBandsMeanFewerCandidates) {
  ASSERT_NO_FATAL_FAILURE(IndexAllBut("002"));
  std::map<int, size_t> candidates;
  for (int m : {0, 1, 2, 16, 64}) {
    CompareOptions options;
    options.minhash.min_shared_bands = m;
    absl::StatusOr<MatchResult> matched = store->Match(one, options);
    ASSERT_TRUE(matched.ok()) << matched.status();
    candidates[m] = matched->candidates;
    EXPECT_NE(FindMatch(*matched, all, "250 ألف", "ربع مليون"), nullptr) << "m = " << m;
  }
  EXPECT_EQ(candidates[0], candidates[2]);
  EXPECT_GT(candidates[1], candidates[2]);
  EXPECT_GT(candidates[2], candidates[16]);
  EXPECT_GT(candidates[16], candidates[64]);
}

// Every reported similarity is the cosine `compare` computes over the archive and the drop
// together (the idf comes from the stored frequencies), and every pair `compare`'s exact
// candidates find across the two is reported.
TEST_F(IndexedFixtures, MatchScoresAreThoseOfTheWholeCorpus) {
  ASSERT_NO_FATAL_FAILURE(IndexAllBut("003"));
  absl::StatusOr<MatchResult> matched = store->Match(one, CompareOptions());
  ASSERT_TRUE(matched.ok());

  CompareOptions exact;
  exact.candidates = CandidateMode::kExact;
  absl::StatusOr<Analysis> whole = Analyze(Fixtures(), exact, {});
  ASSERT_TRUE(whole.ok());
  const Report& r = whole->report;
  std::map<std::tuple<std::string, uint32_t>, uint32_t> span_of;
  for (uint32_t i = 0; i < r.spans.size(); ++i) {
    span_of[{r.documents[r.spans[i].doc].id, r.spans[i].index}] = i;
  }
  size_t reported = 0;
  size_t boosted = 0;
  std::map<std::pair<uint32_t, uint32_t>, float> index_pairs;
  for (const SpanMatch& m : matched->spans) {
    for (const SpanMatch::Earlier& e : m.matches) {
      const uint32_t a = span_of.at({m.doc, m.span});
      const uint32_t b = span_of.at({e.doc, e.span});
      index_pairs[{a, b}] = e.similarity;
      // The index's score is the cosine, or more for a shared figure (as Score gives).
      const float cosine = Cosine(whole->tfidf.rows, a, b);
      EXPECT_GE(e.similarity + 1e-4f, cosine) << m.doc << "#" << m.span << " " << e.doc;
      if (auto boost = whole->boosted.find(PairKey(a, b)); boost == whole->boosted.end()) {
        // The same float: the same weights, summed in the same order.
        EXPECT_EQ(e.similarity, cosine) << m.doc << "#" << m.span << " " << e.doc;
      } else {
        // A shared figure: the words around it weighed with the whole corpus's counts, those
        // the new drop alone states included.
        EXPECT_NEAR(e.similarity, std::max(cosine, boost->second), 1e-4f)
            << m.doc << "#" << m.span << " " << e.doc << " (figure)";
        ++boosted;
      }
      ++reported;
    }
  }
  EXPECT_GT(reported, 5u);
  EXPECT_GT(boosted, 0u);
  // Recall against the exact pairs across archive and drop that pass the same checks.
  size_t expected = 0;
  size_t found = 0;
  for (const ScoredPair& p : ClaimPairs(*whole)) {
    const bool a_new = r.documents[r.spans[p.a].doc].id == one.front().id;
    const bool b_new = r.documents[r.spans[p.b].doc].id == one.front().id;
    if (a_new == b_new || !whole->Compatible(p.a, p.b)) continue;
    const uint32_t n = a_new ? p.a : p.b;
    const uint32_t o = a_new ? p.b : p.a;
    ++expected;
    found += index_pairs.count({n, o});
  }
  ASSERT_GT(expected, 5u);
  EXPECT_GE(static_cast<double>(found) / static_cast<double>(expected), 0.9)
      << found << " of " << expected;
}

TEST_F(IndexedFixtures, NewSpansJoinTheClustersOfEarlierDrops) {
  ASSERT_NO_FATAL_FAILURE(IndexAllBut("002"));
  absl::StatusOr<MatchResult> matched = store->Match(one, CompareOptions());
  ASSERT_TRUE(matched.ok());
  absl::StatusOr<AddResult> added = store->AddDrop(one, CompareOptions());
  ASSERT_TRUE(added.ok());
  EXPECT_GT(added->joined, 0u);
  // The new span of the servers figure now shares its earlier match's cluster.
  const SpanMatch::Earlier* servers = FindMatch(*matched, all, "250 ألف", "ربع مليون");
  ASSERT_NE(servers, nullptr);
  sqlite3* db_handle = nullptr;
  ASSERT_EQ(sqlite3_open(db.path().c_str(), &db_handle), SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db_handle,
                               "SELECT COUNT(*) FROM spans s JOIN documents d ON s.doc = d.rowid "
                               "WHERE s.cluster = ? AND d.id = ?;",
                               -1, &q, nullptr),
            SQLITE_OK);
  sqlite3_bind_int64(q, 1, servers->cluster);
  sqlite3_bind_text(q, 2, one.front().id.c_str(), -1, SQLITE_TRANSIENT);
  ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
  EXPECT_GE(sqlite3_column_int64(q, 0), 1);
  sqlite3_finalize(q);
  sqlite3_close(db_handle);
}

TEST(Store, MatchIsTheSameForAnyThreadCountAndAfterReopening) {
  TempDb db;
  auto [one, rest] = Split("000");
  {
    absl::StatusOr<Store> store = Store::Open(db.path());
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(store->AddDrop(rest, CompareOptions()).ok());
  }
  std::vector<std::string> lines[2];
  for (int t : {1, 2}) {
    absl::StatusOr<Store> store = Store::Open(db.path());
    ASSERT_TRUE(store.ok());
    CompareOptions options;
    options.threads = t;
    absl::StatusOr<MatchResult> matched = store->Match(one, options);
    ASSERT_TRUE(matched.ok());
    for (const SpanMatch& m : matched->spans) lines[t - 1].push_back(RenderMatchJson(m));
  }
  EXPECT_FALSE(lines[0].empty());
  EXPECT_EQ(lines[0], lines[1]);
}

// A figure key (kind, counted thing, order of magnitude) is weak evidence: stated by more than
// 32 spans of one stored drop, it proposes no candidates; by fewer, each is one. Every word
// the spans share is made too common for the signatures, so band keys cannot meet and only
// the figure keys propose pairs.
TEST(Store, AFigureCommonInAStoredDropProposesNoCandidates) {
  // Words of letters that light stemming leaves alone, different for every (document, place).
  const std::vector<std::string> letters = {"ث", "ج", "ح", "خ", "د", "ذ", "ر", "ز", "س",
                                            "ش", "ص", "ض", "ط", "ظ", "ع", "غ", "ق"};
  auto word = [&](size_t doc, size_t place) {
    return letters[doc % 17] + letters[(doc / 17) % 17] + letters[place % 17] +
           letters[(place / 17 + 3) % 17];
  };
  auto document = [&](size_t n, const std::string& id) {
    Document d;
    d.id = id;
    d.title = "t" + id;
    std::string first, second;
    for (size_t p = 0; p < 5; ++p) first += word(n, p) + " ";
    for (size_t p = 5; p < 12; ++p) second += word(n, p) + " ";
    d.text = first + "250 ألف خادم " + word(n, 12) + ". " + second + word(n, 13) + ".";
    return d;
  };
  CompareOptions options;
  options.minhash.common_min_rows = 4;
  for (size_t earlier : {size_t{20}, size_t{40}}) {
    TempDb db;
    absl::StatusOr<Store> store = Store::Open(db.path());
    ASSERT_TRUE(store.ok());
    std::vector<Document> drop;
    for (size_t n = 0; n < earlier; ++n) drop.push_back(document(n, absl::StrCat("e", 100 + n)));
    ASSERT_TRUE(store->AddDrop(drop, options).ok());
    absl::StatusOr<MatchResult> matched = store->Match({document(250, "new")}, options);
    ASSERT_TRUE(matched.ok()) << matched.status();
    EXPECT_EQ(matched->candidates, earlier <= 32 ? earlier : 0) << earlier << " earlier spans";
  }
}

TEST_F(IndexedFixtures, MatchSkipsDocumentsAlreadyIndexed) {
  ASSERT_NO_FATAL_FAILURE(IndexAllBut("002"));
  absl::StatusOr<MatchResult> matched = store->Match(rest, CompareOptions());
  ASSERT_TRUE(matched.ok());
  EXPECT_EQ(matched->existing.size(), 4u);
  EXPECT_TRUE(matched->spans.empty());
}

TEST(Store, RefusesAnIndexOfAnOlderFormat) {
  TempDb db;
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(db.path().c_str(), &handle), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(handle,
                         "CREATE TABLE drops (id INTEGER PRIMARY KEY, added_at TEXT, documents "
                         "INTEGER);"
                         "CREATE TABLE documents (id TEXT PRIMARY KEY, drop_id INTEGER, title "
                         "TEXT, outlet TEXT, url TEXT, published TEXT, source TEXT, line INTEGER, "
                         "text TEXT NOT NULL);"
                         "INSERT INTO drops VALUES (1, 'x', 1);"
                         "INSERT INTO documents VALUES ('a', 1, '', NULL, NULL, NULL, '', 1, 'x');",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(handle);
  absl::StatusOr<Store> store = Store::Open(db.path());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("older claimdiff"), std::string::npos);
}

}  // namespace
}  // namespace claimdiff

namespace claimdiff {
namespace {

// Syndication against the archive: a new article that is a stored one with a new first
// paragraph is reported as its copy, published after it, passage by passage; independent
// outlets quoting the same statements are not copies.
TEST_F(IndexedFixtures, MatchReportsACopyOfAStoredArticle) {
  ASSERT_NO_FATAL_FAILURE(IndexAllBut("002"));
  const Document& source = rest.front();
  Document copy;
  copy.id = "zz-copy";
  copy.published = "2031-01-01";
  const std::string lead = "سطر افتتاحي جديد أضافه المحرر عن الخبر نفسه اليوم.\n\n";
  copy.text = lead + source.text;
  std::vector<Document> drop = one;
  drop.push_back(copy);
  std::sort(drop.begin(), drop.end(),
            [](const Document& a, const Document& b) { return a.id < b.id; });
  absl::StatusOr<MatchResult> matched = store->Match(drop, CompareOptions());
  ASSERT_TRUE(matched.ok()) << matched.status();
  const DocumentReuse* found = nullptr;
  for (const DocumentReuse& r : matched->reuse) {
    if (r.doc == copy.id && r.earlier == source.id) {
      found = &r;
      EXPECT_EQ(r.label, "copy");
    } else {
      EXPECT_NE(r.label, "copy") << r.doc << " " << r.earlier;  // only the planted copy is one
    }
  }
  ASSERT_NE(found, nullptr);
  EXPECT_GT(found->doc_in_earlier, 0.9);
  EXPECT_GT(found->earlier_in_doc, 0.9);
  // The source has a date and the copy a later one, or the source has none: never guessed.
  EXPECT_EQ(found->first, source.published ? source.id : "");
  // The passages cover the source, at its offsets shifted by the new lead (a passage may also
  // pair two near-identical sentences of the source, so only most of them line up).
  ASSERT_FALSE(found->passages.empty());
  size_t aligned = 0;
  for (const Passage& p : found->passages) {
    EXPECT_GE(p.a_start, lead.size());
    if (p.a_start == p.b_start + lead.size() && p.a_end == p.b_end + lead.size()) {
      aligned += p.b_end - p.b_start;
    }
  }
  EXPECT_GT(static_cast<double>(aligned), 0.8 * static_cast<double>(source.text.size()));
  const std::string line = RenderReuseJson(*found);
  EXPECT_NE(line.find("\"label\":\"copy\""), std::string::npos);
  EXPECT_NE(line.find("\"reuses\":\"" + source.id + "\""), std::string::npos);
}

}  // namespace
}  // namespace claimdiff
