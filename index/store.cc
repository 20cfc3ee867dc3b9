#include "index/store.h"

#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "report/analysis.h"
#include "report/verdict.h"

namespace claimdiff {
namespace {

constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS drops (
  id INTEGER PRIMARY KEY,
  added_at TEXT NOT NULL DEFAULT (datetime('now')),
  documents INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY,
  drop_id INTEGER NOT NULL REFERENCES drops(id),
  title TEXT, outlet TEXT, url TEXT, published TEXT,
  source TEXT, line INTEGER, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS documents_by_drop ON documents(drop_id);
)SQL";

absl::Status SqlError(sqlite3* db, std::string_view what) {
  return absl::InternalError(absl::StrCat("index: ", std::string(what), ": ", sqlite3_errmsg(db)));
}

// A prepared statement that finalizes itself.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  sqlite3_stmt* get() const { return stmt_; }
  bool ok() const { return stmt_ != nullptr; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

void BindText(sqlite3_stmt* s, int i, const std::optional<std::string>& v) {
  if (v) {
    sqlite3_bind_text(s, i, v->data(), static_cast<int>(v->size()), SQLITE_TRANSIENT);
  } else {
    sqlite3_bind_null(s, i);
  }
}

std::optional<std::string> ColumnText(sqlite3_stmt* s, int i) {
  if (sqlite3_column_type(s, i) == SQLITE_NULL) return std::nullopt;
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
  return std::string(p, static_cast<size_t>(sqlite3_column_bytes(s, i)));
}

}  // namespace

absl::StatusOr<Store> Store::Open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    absl::Status s = absl::UnavailableError(
        absl::StrCat("index: cannot open ", path, ": ", db ? sqlite3_errmsg(db) : "out of memory"));
    sqlite3_close(db);
    return s;
  }
  Store store(db);
  sqlite3_busy_timeout(db, 10000);
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL;", "PRAGMA synchronous=FULL;", "PRAGMA foreign_keys=ON;"}) {
    if (absl::Status s = store.Exec(pragma); !s.ok()) return s;
  }
  if (absl::Status s = store.Exec(kSchema); !s.ok()) return s;
  return store;
}

Store::Store(Store&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
Store& Store::operator=(Store&& other) noexcept {
  if (this != &other) {
    sqlite3_close(db_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}
Store::~Store() { sqlite3_close(db_); }

absl::Status Store::Exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    absl::Status s = absl::InternalError(absl::StrCat("index: ", error ? error : "error"));
    sqlite3_free(error);
    return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<AddResult> Store::AddDrop(const std::vector<Document>& documents) {
  AddResult result;
  if (absl::Status s = Exec("BEGIN IMMEDIATE;"); !s.ok()) return s;
  auto fail = [this](absl::Status s) {
    Exec("ROLLBACK;").IgnoreError();
    return s;
  };
  {
    Statement drop(db_, "INSERT INTO drops(documents) VALUES (0);");
    if (!drop.ok() || sqlite3_step(drop.get()) != SQLITE_DONE) {
      return fail(SqlError(db_, "new drop"));
    }
    result.drop = sqlite3_last_insert_rowid(db_);
  }
  Statement exists(db_, "SELECT 1 FROM documents WHERE id = ?;");
  Statement insert(db_,
                   "INSERT INTO documents(id, drop_id, title, outlet, url, published, source, "
                   "line, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);");
  if (!exists.ok() || !insert.ok()) return fail(SqlError(db_, "prepare"));
  for (const Document& d : documents) {
    sqlite3_reset(exists.get());
    sqlite3_bind_text(exists.get(), 1, d.id.data(), static_cast<int>(d.id.size()),
                      SQLITE_TRANSIENT);
    if (sqlite3_step(exists.get()) == SQLITE_ROW) {
      result.existing.push_back(d.id);
      continue;
    }
    sqlite3_stmt* s = insert.get();
    sqlite3_reset(s);
    sqlite3_bind_text(s, 1, d.id.data(), static_cast<int>(d.id.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, result.drop);
    BindText(s, 3, d.title);
    BindText(s, 4, d.outlet);
    BindText(s, 5, d.url);
    BindText(s, 6, d.published);
    BindText(s, 7, d.source);
    sqlite3_bind_int64(s, 8, d.line);
    sqlite3_bind_text(s, 9, d.text.data(), static_cast<int>(d.text.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(s) != SQLITE_DONE) return fail(SqlError(db_, "insert document"));
    ++result.added;
  }
  {
    Statement count(db_, "UPDATE drops SET documents = ? WHERE id = ?;");
    sqlite3_bind_int64(count.get(), 1, static_cast<int64_t>(result.added));
    sqlite3_bind_int64(count.get(), 2, result.drop);
    if (sqlite3_step(count.get()) != SQLITE_DONE) return fail(SqlError(db_, "drop size"));
  }
  if (absl::Status s = Exec("COMMIT;"); !s.ok()) return fail(s);
  return result;
}

absl::StatusOr<IndexStats> Store::Stats() {
  IndexStats stats;
  Statement q(db_,
              "SELECT (SELECT COUNT(*) FROM drops), (SELECT COUNT(*) FROM documents), "
              "(SELECT COALESCE(SUM(LENGTH(CAST(text AS BLOB))), 0) FROM documents);");
  if (!q.ok() || sqlite3_step(q.get()) != SQLITE_ROW) return SqlError(db_, "stats");
  stats.drops = sqlite3_column_int64(q.get(), 0);
  stats.documents = sqlite3_column_int64(q.get(), 1);
  stats.bytes = sqlite3_column_int64(q.get(), 2);
  return stats;
}

absl::StatusOr<std::vector<Document>> Store::Documents() {
  std::vector<Document> out;
  Statement q(db_,
              "SELECT id, title, outlet, url, published, source, line, text FROM documents "
              "ORDER BY id;");
  if (!q.ok()) return SqlError(db_, "read documents");
  int rc;
  while ((rc = sqlite3_step(q.get())) == SQLITE_ROW) {
    Document d;
    d.id = *ColumnText(q.get(), 0);
    d.title = ColumnText(q.get(), 1).value_or("");
    d.outlet = ColumnText(q.get(), 2);
    d.url = ColumnText(q.get(), 3);
    d.published = ColumnText(q.get(), 4);
    d.source = ColumnText(q.get(), 5).value_or("");
    d.line = sqlite3_column_int64(q.get(), 6);
    d.text = *ColumnText(q.get(), 7);
    out.push_back(std::move(d));
  }
  if (rc != SQLITE_DONE) return SqlError(db_, "read documents");
  return out;
}

absl::StatusOr<std::vector<SpanMatch>> Store::Match(std::vector<Document> documents,
                                                    const CompareOptions& options) {
  absl::StatusOr<std::vector<Document>> stored = Documents();
  if (!stored.ok()) return stored.status();
  std::set<std::string> earlier;
  for (const Document& d : *stored) earlier.insert(d.id);
  std::vector<Document> all = *std::move(stored);
  for (Document& d : documents) {
    if (!earlier.count(d.id)) all.push_back(std::move(d));
  }
  std::sort(all.begin(), all.end(),
            [](const Document& a, const Document& b) { return a.id < b.id; });
  // The scores come from the same analysis the clustering uses.
  absl::StatusOr<Analysis> analysis = Analyze(all, options, {});
  if (!analysis.ok()) return analysis.status();
  absl::StatusOr<Report> report = BuildReport(std::move(all), options);
  if (!report.ok()) return report.status();
  absl::StatusOr<Normalizer> normalizer = Normalizer::Create();
  if (!normalizer.ok()) return normalizer.status();
  const Report& r = *report;

  std::vector<SpanMatch> out;
  for (uint32_t i = 0; i < r.spans.size(); ++i) {
    const Span& s = r.spans[i];
    const Document& doc = r.documents[s.doc];
    if (earlier.count(doc.id) || r.cluster_of[i] < 0) continue;
    const Cluster& c = r.clusters[static_cast<size_t>(r.cluster_of[i])];
    SpanMatch m{doc.id, s.index, s.begin, s.end, {}};
    for (const ClusterMember& member : c.members) {
      const Span& e = r.spans[member.span];
      if (!earlier.count(r.documents[e.doc].id)) continue;
      const std::vector<Conflict> conflicts = CompareSpans(r, i, member.span, *normalizer);
      m.matches.push_back({r.documents[e.doc].id, e.index, e.begin, e.end,
                           analysis->Score(i, member.span),
                           conflicts.empty() ? "agree" : "conflict"});
    }
    if (!m.matches.empty()) out.push_back(std::move(m));
  }
  return out;
}

std::string RenderMatchJson(const SpanMatch& m) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto str = [&w](std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  };
  w.StartObject();
  w.Key("doc");
  str(m.doc);
  w.Key("span");
  w.Uint(m.span);
  w.Key("start");
  w.Uint(m.start);
  w.Key("end");
  w.Uint(m.end);
  w.Key("matches");
  w.StartArray();
  for (const SpanMatch::Earlier& e : m.matches) {
    w.StartObject();
    w.Key("doc");
    str(e.doc);
    w.Key("span");
    w.Uint(e.span);
    w.Key("start");
    w.Uint(e.start);
    w.Key("end");
    w.Uint(e.end);
    w.Key("similarity");
    w.Double(std::round(e.similarity * 10000.0) / 10000.0);
    w.Key("verdict");
    str(e.verdict);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace claimdiff
