// The JSON report against its published schema, report/report-v1.schema.json.
//
// Reports are built in-process from the fixtures and from a folder with bad inputs and must
// validate; mutated reports must not, so the schema is known to constrain what it claims to.
#include <fstream>
#include <functional>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/ingest.h"
#include "rapidjson/document.h"
#include "rapidjson/error/en.h"
#include "rapidjson/pointer.h"
#include "rapidjson/schema.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "report/render.h"
#include "report/report.h"

namespace claimdiff {
namespace {

constexpr char kSourceDir[] = CLAIMDIFF_SOURCE_DIR;

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Parses JSON text; on a syntax error the returned document has HasParseError() set and
// `*error` says where.
rapidjson::Document ParseJson(const std::string& text, std::string* error) {
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  if (doc.HasParseError()) {
    *error = std::string(rapidjson::GetParseError_En(doc.GetParseError())) + " at byte " +
             std::to_string(doc.GetErrorOffset());
  }
  return doc;
}

std::string ToJson(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string UriFragment(const rapidjson::Pointer& pointer) {
  rapidjson::StringBuffer buffer;
  pointer.StringifyUriFragment(buffer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// The schema, loaded and compiled once.
class Schema {
 public:
  static const Schema& Get() {
    static const Schema* const schema = new Schema();
    return *schema;
  }

  const std::string& load_error() const { return load_error_; }
  const rapidjson::Document& json() const { return json_; }

  // "" if `doc` is valid, else which schema rule failed and where in the document.
  std::string Check(const rapidjson::Value& doc) const {
    if (compiled_ == nullptr) return "schema not loaded: " + load_error_;
    rapidjson::SchemaValidator validator(*compiled_);
    if (doc.Accept(validator)) return "";
    std::string out = "schema rule " + UriFragment(validator.GetInvalidSchemaPointer()) +
                      " (keyword \"" + validator.GetInvalidSchemaKeyword() +
                      "\") rejects document location " +
                      UriFragment(validator.GetInvalidDocumentPointer());
    if (const rapidjson::Value* at = validator.GetInvalidDocumentPointer().Get(doc)) {
      std::string value = ToJson(*at);
      if (value.size() > 300) {
        size_t cut = 300;  // not inside a UTF-8 sequence
        while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
        value = value.substr(0, cut) + "...";
      }
      out += ": " + value;
    }
    return out;
  }

 private:
  Schema() {
    const std::string path = std::string(kSourceDir) + "/report/report-v1.schema.json";
    const std::string text = ReadWholeFile(path);
    if (text.empty()) {
      load_error_ = "cannot read " + path;
      return;
    }
    json_ = ParseJson(text, &load_error_);
    if (json_.HasParseError()) {
      load_error_ = path + ": " + load_error_;
      return;
    }
    compiled_ = std::make_unique<rapidjson::SchemaDocument>(json_);
  }

  std::string load_error_;
  rapidjson::Document json_;
  std::unique_ptr<rapidjson::SchemaDocument> compiled_;
};

// The JSON report of `paths` read through `fs`, or "" if the report could not be built.
std::string ReportJson(const std::vector<std::string>& paths, const FileSystem& fs,
                       size_t* num_errors = nullptr) {
  LoadedInputs in = LoadInputs(paths, fs);
  if (num_errors != nullptr) *num_errors = in.errors.size();
  absl::StatusOr<Report> r = BuildReport(std::move(in.documents), {}, std::move(in.errors));
  if (!r.ok()) return "";
  return RenderJson(*r);
}

const std::string& FixtureReportJson() {
  static const std::string* const json = [] {
    LocalFileSystem fs;
    return new std::string(ReportJson({std::string(kSourceDir) + "/fixtures/exchange-hack"}, fs));
  }();
  return *json;
}

constexpr char kClaim[] =
    "The foreign minister said on Monday that state-backed hackers breached about 250,000 "
    "email servers around the world earlier this year.";

// One good text file, one text file with invalid UTF-8, and a JSON Lines file with a good line,
// a malformed line and a line without text: every way an error can carry (or not) a line and an
// offset, next to documents from both kinds of input.
MemoryFileSystem BadInputs() {
  MemoryFileSystem fs;
  fs.AddFile("in/a.txt", std::string("Hackers breached email servers\n\n") + kClaim + "\n");
  fs.AddFile("in/b.txt", "A headline\n\nSome text \xff\xfe that is not UTF-8.\n");
  fs.AddFile("in/c.jsonl",
             std::string("{\"id\": \"c-good\", \"title\": \"Servers hacked\", \"outlet\": "
                         "\"Example News\", \"url\": \"https://example.com/a\", \"published\": "
                         "\"2021-07-19\", \"text\": \"Servers hacked\\n\\n") +
                 kClaim +
                 "\"}\n"
                 "{\"id\": \"broken\", \"text\": \n"
                 "{\"id\": \"no-text\"}\n");
  return fs;
}

const std::string& ErrorsReportJson() {
  static const std::string* const json = [] {
    const MemoryFileSystem fs = BadInputs();
    return new std::string(ReportJson({"in"}, fs));
  }();
  return *json;
}

// ---- the schema itself ----

// Every object schema is closed and documented, so a field json.cc starts writing without a
// schema update fails validation, and every field says what it means.
void CheckClosedAndDescribed(const rapidjson::Value& s, const std::string& where,
                             std::vector<std::string>* problems) {
  if (!s.IsObject()) return;
  if (!s.HasMember("$ref")) {
    if (!s.HasMember("description") || !s["description"].IsString() ||
        s["description"].GetStringLength() == 0) {
      problems->push_back(where + ": no description");
    }
  }
  const bool is_object =
      s.HasMember("type") && s["type"].IsString() && std::string(s["type"].GetString()) == "object";
  if (is_object || s.HasMember("properties")) {
    if (!s.HasMember("properties") || !s["properties"].IsObject()) {
      problems->push_back(where + ": object without properties");
    }
    if (!s.HasMember("additionalProperties") || !s["additionalProperties"].IsBool() ||
        s["additionalProperties"].GetBool()) {
      problems->push_back(where + ": additionalProperties is not false");
    }
    if (!s.HasMember("required") || !s["required"].IsArray() || s["required"].Empty()) {
      problems->push_back(where + ": no required list");
    }
  }
  for (const char* group : {"properties", "definitions"}) {
    if (!s.HasMember(group) || !s[group].IsObject()) continue;
    for (const auto& m : s[group].GetObject()) {
      CheckClosedAndDescribed(m.value, where + "/" + group + "/" + m.name.GetString(), problems);
    }
  }
  if (s.HasMember("items")) CheckClosedAndDescribed(s["items"], where + "/items", problems);
}

TEST(ReportSchemaTest, SchemaIsDraft04ClosedAndDescribed) {
  const Schema& schema = Schema::Get();
  ASSERT_EQ(schema.load_error(), "");
  const rapidjson::Document& s = schema.json();
  ASSERT_TRUE(s.IsObject());
  ASSERT_TRUE(s.HasMember("$schema"));
  EXPECT_STREQ(s["$schema"].GetString(), "http://json-schema.org/draft-04/schema#");
  ASSERT_TRUE(s.HasMember("description"));
  const std::string description = s["description"].GetString();
  EXPECT_NE(description.find("versioned"), std::string::npos) << description;
  EXPECT_NE(description.find("claimdiff/report-v2"), std::string::npos) << description;

  // The name written by json.cc is the only one the schema accepts.
  const rapidjson::Value* names = rapidjson::Pointer("/properties/schema/enum").Get(s);
  ASSERT_NE(names, nullptr);
  ASSERT_TRUE(names->IsArray());
  ASSERT_EQ(names->Size(), 1u);
  EXPECT_EQ(std::string((*names)[0].GetString()), std::string(kReportSchema));

  std::vector<std::string> problems;
  CheckClosedAndDescribed(s, "#", &problems);
  for (const std::string& p : problems) ADD_FAILURE() << p;
}

// ---- valid reports ----

TEST(ReportSchemaTest, FixtureReportValidates) {
  const std::string& json = FixtureReportJson();
  ASSERT_FALSE(json.empty()) << "BuildReport failed";
  std::string error;
  const rapidjson::Document doc = ParseJson(json, &error);
  ASSERT_FALSE(doc.HasParseError()) << error;
  // The fixtures exercise every part of the report.
  ASSERT_TRUE(doc.IsObject());
  EXPECT_EQ(doc["documents"].Size(), 5u);
  EXPECT_GT(doc["clusters"].Size(), 0u);
  EXPECT_GT(doc["document_pairs"].Size(), 0u);
  EXPECT_EQ(Schema::Get().Check(doc), "");
}

TEST(ReportSchemaTest, ReportWithInputErrorsValidates) {
  const MemoryFileSystem fs = BadInputs();
  size_t num_errors = 0;
  ReportJson({"in"}, fs, &num_errors);
  EXPECT_EQ(num_errors, 3u);

  const std::string& json = ErrorsReportJson();
  ASSERT_FALSE(json.empty()) << "BuildReport failed";
  std::string error;
  const rapidjson::Document doc = ParseJson(json, &error);
  ASSERT_FALSE(doc.HasParseError()) << error;
  ASSERT_TRUE(doc.IsObject());
  EXPECT_EQ(doc["documents"].Size(), 2u) << json;
  ASSERT_EQ(doc["errors"].Size(), 3u) << json;
  // Between them the errors use both optional fields and leave each out at least once.
  int with_line = 0;
  int with_offset = 0;
  for (const auto& e : doc["errors"].GetArray()) {
    with_line += e.HasMember("line") ? 1 : 0;
    with_offset += e.HasMember("offset") ? 1 : 0;
  }
  EXPECT_EQ(with_line, 2) << json;
  EXPECT_EQ(with_offset, 2) << json;
  // The good documents (one per kind of input) state the same claim.
  EXPECT_EQ(doc["clusters"].Size(), 1u) << json;
  EXPECT_EQ(doc["document_pairs"].Size(), 1u) << json;
  EXPECT_TRUE(doc["documents"][1].HasMember("line")) << json;
  EXPECT_EQ(Schema::Get().Check(doc), "");
}

TEST(ReportSchemaTest, ReportWithoutDocumentsValidates) {
  MemoryFileSystem fs;
  const std::string json = ReportJson({"missing"}, fs);
  ASSERT_FALSE(json.empty()) << "BuildReport failed";
  std::string error;
  const rapidjson::Document doc = ParseJson(json, &error);
  ASSERT_FALSE(doc.HasParseError()) << error;
  ASSERT_TRUE(doc.IsObject());
  EXPECT_EQ(doc["documents"].Size(), 0u);
  EXPECT_EQ(doc["errors"].Size(), 1u);
  EXPECT_EQ(Schema::Get().Check(doc), "");
}

// ---- invalid reports: the schema is not vacuous ----

// Replaces the value at `path`, which must exist.
bool Replace(rapidjson::Document& doc, const char* path, rapidjson::Value value) {
  rapidjson::Value* at = rapidjson::Pointer(path).Get(doc);
  if (at == nullptr) return false;
  *at = value.Move();
  return true;
}

// Adds member `key` to the object at `path`, which must exist.
bool AddMember(rapidjson::Document& doc, const char* path, const char* key,
               rapidjson::Value value) {
  rapidjson::Value* at = rapidjson::Pointer(path).Get(doc);
  if (at == nullptr || !at->IsObject()) return false;
  at->AddMember(rapidjson::StringRef(key), value.Move(), doc.GetAllocator());
  return true;
}

bool Remove(rapidjson::Document& doc, const char* path) {
  return rapidjson::Pointer(path).Erase(doc);
}

struct Mutation {
  const char* name;
  bool with_errors;  // mutate the report with input errors instead of the fixture report
  std::function<bool(rapidjson::Document&)> apply;  // false: the report lacks the target
};

void PrintTo(const Mutation& m, std::ostream* os) { *os << m.name; }

using rapidjson::Value;

const std::vector<Mutation>& Mutations() {
  static const std::vector<Mutation>* const mutations = new std::vector<Mutation>{
      {"remove_schema", false, [](auto& d) { return Remove(d, "/schema"); }},
      {"schema_v2", false,
       [](auto& d) { return Replace(d, "/schema", Value("claimdiff/report-v2")); }},
      {"unknown_top_level_field", false,
       [](auto& d) { return AddMember(d, "", "extra", Value(1)); }},
      {"remove_errors", false, [](auto& d) { return Remove(d, "/errors"); }},
      {"errors_not_array", false,
       [](auto& d) { return Replace(d, "/errors", Value(rapidjson::kObjectType)); }},
      {"generator_name", false,
       [](auto& d) { return Replace(d, "/generator/name", Value("other")); }},
      {"threshold_above_one", false,
       [](auto& d) { return Replace(d, "/options/threshold", Value(1.5)); }},
      {"max_sentence_words_fraction", false,
       [](auto& d) { return Replace(d, "/options/max_sentence_words", Value(2.5)); }},
      {"document_id_empty", false,
       [](auto& d) { return Replace(d, "/documents/0/id", Value("")); }},
      {"document_outlet_number", false,
       [](auto& d) { return Replace(d, "/documents/0/outlet", Value(7)); }},
      {"document_outlet_missing", false, [](auto& d) { return Remove(d, "/documents/0/outlet"); }},
      {"document_line_zero", false,
       [](auto& d) { return AddMember(d, "/documents/0", "line", Value(0)); }},
      {"span_kind_paragraph", false,
       [](auto& d) { return Replace(d, "/documents/0/spans/0/kind", Value("paragraph")); }},
      {"span_start_negative", false,
       [](auto& d) { return Replace(d, "/documents/0/spans/0/start", Value(-1)); }},
      {"span_end_fraction", false,
       [](auto& d) { return Replace(d, "/documents/0/spans/0/end", Value(10.5)); }},
      {"span_text_missing", false, [](auto& d) { return Remove(d, "/documents/0/spans/0/text"); }},
      {"span_text_empty", false,
       [](auto& d) { return Replace(d, "/documents/0/spans/0/text", Value("")); }},
      {"span_boilerplate_string", false,
       [](auto& d) { return Replace(d, "/documents/0/spans/0/boilerplate", Value("no")); }},
      {"span_unknown_field", false,
       [](auto& d) { return AddMember(d, "/documents/0/spans/0", "lang", Value("ar")); }},
      {"span_cluster_bad_id", false,
       [](auto& d) { return AddMember(d, "/documents/0/spans/0", "cluster", Value("x1")); }},
      {"cluster_id_bad", false,
       [](auto& d) { return Replace(d, "/clusters/0/id", Value("cluster-1")); }},
      {"cluster_documents_zero", false,
       [](auto& d) { return Replace(d, "/clusters/0/documents", Value(0)); }},
      {"cluster_reference_missing", false,
       [](auto& d) { return Remove(d, "/clusters/0/reference"); }},
      {"cluster_single_member", false,
       [](auto& d) {
         Value* members = rapidjson::Pointer("/clusters/0/members").Get(d);
         if (members == nullptr || !members->IsArray() || members->Size() < 2) return false;
         while (members->Size() > 1) members->PopBack();
         return true;
       }},
      {"member_similarity_above_one", false,
       [](auto& d) { return Replace(d, "/clusters/0/members/0/similarity", Value(1.5)); }},
      {"member_similarity_negative", false,
       [](auto& d) { return Replace(d, "/clusters/0/members/0/similarity", Value(-0.25)); }},
      {"pair_containment_negative", false,
       [](auto& d) { return Replace(d, "/document_pairs/0/a_in_b", Value(-0.1)); }},
      {"pair_containment_above_one", false,
       [](auto& d) { return Replace(d, "/document_pairs/0/b_in_a", Value(1.01)); }},
      {"pair_shared_spans_negative", false,
       [](auto& d) { return Replace(d, "/document_pairs/0/shared_spans", Value(-1)); }},
      {"error_message_missing", true, [](auto& d) { return Remove(d, "/errors/0/message"); }},
      {"error_offset_negative", true,
       [](auto& d) { return Replace(d, "/errors/0/offset", Value(-1)); }},
      {"error_line_zero", true, [](auto& d) { return Replace(d, "/errors/1/line", Value(0)); }},
      {"error_unknown_field", true,
       [](auto& d) { return AddMember(d, "/errors/0", "code", Value("E1")); }},
  };
  return *mutations;
}

class ReportSchemaRejectsTest : public testing::TestWithParam<Mutation> {};

TEST_P(ReportSchemaRejectsTest, MutatedReport) {
  const Mutation& m = GetParam();
  const std::string& json = m.with_errors ? ErrorsReportJson() : FixtureReportJson();
  ASSERT_FALSE(json.empty()) << "BuildReport failed";
  std::string error;
  rapidjson::Document doc = ParseJson(json, &error);
  ASSERT_FALSE(doc.HasParseError()) << error;
  ASSERT_EQ(Schema::Get().Check(doc), "") << "the unmutated report must be valid";
  ASSERT_TRUE(m.apply(doc)) << "the report has nothing for mutation " << m.name;
  const std::string rejection = Schema::Get().Check(doc);
  EXPECT_NE(rejection, "") << "mutation " << m.name << " was accepted";
  RecordProperty("rejection", rejection);
}

INSTANTIATE_TEST_SUITE_P(Mutations, ReportSchemaRejectsTest, testing::ValuesIn(Mutations()),
                         [](const testing::TestParamInfo<Mutation>& param) {
                           return std::string(param.param.name);
                         });

}  // namespace
}  // namespace claimdiff
