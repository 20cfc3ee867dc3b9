#include "report/syndication.h"

#include <algorithm>
#include <string>
#include <vector>

#include <fstream>
#include <sstream>

#include "core/ingest.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "rapidjson/schema.h"
#include "report/report.h"

namespace claimdiff {
namespace {

TEST(ComparePublished, OrdersDatesAndTimesAndNeverGuesses) {
  using S = std::optional<std::string>;
  EXPECT_EQ(ComparePublished(S("2021-07-01"), S("2021-07-02")), -1);
  EXPECT_EQ(ComparePublished(S("2021-07-02"), S("2021-07-01")), 1);
  EXPECT_EQ(ComparePublished(S("2021-07-01T10:00:00Z"), S("2021-07-01T09:00:00Z")), 1);
  // Zones: 10:00+03:00 is 07:00 UTC.
  EXPECT_EQ(ComparePublished(S("2021-07-01T10:00:00+03:00"), S("2021-07-01T08:00:00Z")), -1);
  EXPECT_EQ(ComparePublished(S("2020-12-31 23:59"), S("2021-01-01 00:01")), -1);
  // Equal, missing, unreadable, or a date against a time that day: unknown.
  EXPECT_EQ(ComparePublished(S("2021-07-01"), S("2021-07-01")), std::nullopt);
  EXPECT_EQ(ComparePublished(S("2021-07-01"), S("2021-07-01T10:00:00Z")), std::nullopt);
  EXPECT_EQ(ComparePublished(std::nullopt, S("2021-07-01")), std::nullopt);
  EXPECT_EQ(ComparePublished(S("yesterday"), S("2021-07-01")), std::nullopt);
  EXPECT_EQ(ComparePublished(S("2021-13-01"), S("2021-07-01")), std::nullopt);
  EXPECT_EQ(ComparePublished(S("2021-07-01T10:00:00 junk"), S("2021-07-01")), std::nullopt);
}

const std::vector<std::string> kWire = {
    "The ministry said on Tuesday that hackers had reached the servers of the exchange and "
    "copied the records of several hundred thousand customers before the breach was found.",
    "Officials at the exchange refused to say how long the attackers had been inside the "
    "network, but an internal memo seen by reporters put the first intrusion in early March.",
    "Regulators in three countries opened inquiries into how customer funds were protected "
    "and whether the exchange had warned its users quickly enough about the stolen data.",
    "The company promised to compensate every affected customer and said trading would "
    "resume next week once an outside firm had finished checking its systems for malware.",
    "Analysts said the breach was likely to slow the plans of several banks that had been "
    "preparing to offer their clients access to digital assets through the same platform.",
};

Document Doc(std::string id, std::vector<std::string> paragraphs,
             std::optional<std::string> published) {
  Document d;
  d.id = std::move(id);
  d.title = "";
  d.published = std::move(published);
  for (size_t i = 0; i < paragraphs.size(); ++i) {
    if (i) d.text += "\n\n";
    d.text += paragraphs[i];
  }
  return d;
}

std::vector<Document> Corpus() {
  std::vector<Document> docs;
  docs.push_back(Doc("wire", kWire, "2021-07-01T08:00:00Z"));
  // A copy with a new first paragraph and a word changed.
  std::vector<std::string> copy1 = {
      "Our correspondent adds that the opposition demanded on Wednesday that the finance "
      "minister appear before parliament to explain the failures of oversight."};
  copy1.insert(copy1.end(), kWire.begin(), kWire.end());
  copy1[2].replace(copy1[2].find("refused"), 7, "declined");
  docs.push_back(Doc("outlet-b", copy1, "2021-07-01T11:30:00+02:00"));
  // A second copy, paragraphs reordered and the last one cut, published the same hour.
  // Each copy has an edit the other lacks, so they are closer to the wire than to each other.
  std::vector<std::string> copy2 = {kWire[1], kWire[0], kWire[2], kWire[3]};
  copy2[0].replace(copy2[0].find("internal"), 8, "leaked");
  docs.push_back(Doc("outlet-c", copy2, "2021-07-01T12:00:00Z"));
  // An article that quotes one sentence of the wire.
  docs.push_back(Doc("outlet-d",
                     {"Markets fell sharply after the announcement and analysts warned of more "
                      "volatility in the coming weeks as investors weighed the damage.",
                      kWire[2],
                      "Several smaller platforms reported a surge in new accounts from customers "
                      "leaving the exchange, according to figures shared with journalists."},
                     std::nullopt));
  docs.push_back(Doc("unrelated",
                     {"The national football team won its qualifying match on Saturday night "
                      "with two late goals from the captain in front of a sold out stadium."},
                     "2021-06-30"));
  return docs;
}

const SyndicationPair* FindPair(const SyndicationReport& r, std::string_view x,
                                std::string_view y) {
  for (const SyndicationPair& p : r.pairs) {
    const std::string_view a = r.documents[p.a].id, b = r.documents[p.b].id;
    if ((a == x && b == y) || (a == y && b == x)) return &p;
  }
  return nullptr;
}

TEST(BuildSyndication, LabelsCopiesSharedSourceAndPartialReuse) {
  SyndicationOptions options;
  options.threads = 1;
  const SyndicationReport r = *BuildSyndication(Corpus(), options);
  const SyndicationPair* wb = FindPair(r, "wire", "outlet-b");
  const SyndicationPair* wc = FindPair(r, "wire", "outlet-c");
  const SyndicationPair* bc = FindPair(r, "outlet-b", "outlet-c");
  const SyndicationPair* wd = FindPair(r, "wire", "outlet-d");
  ASSERT_NE(wb, nullptr);
  ASSERT_NE(wc, nullptr);
  ASSERT_NE(bc, nullptr);
  ASSERT_NE(wd, nullptr);
  EXPECT_EQ(wb->label, ReuseLabel::kCopy);
  EXPECT_EQ(wc->label, ReuseLabel::kCopy);
  // b and c each keep more of the wire than of each other.
  EXPECT_EQ(bc->label, ReuseLabel::kSharedSource);
  EXPECT_EQ(wd->label, ReuseLabel::kPartialReuse);
  EXPECT_EQ(FindPair(r, "wire", "unrelated"), nullptr);
  // Direction from `published` only: 11:30+02:00 is 09:30 UTC, after the wire's 08:00.
  EXPECT_EQ(r.documents[*wb->first].id, "wire");
  EXPECT_EQ(r.documents[*wc->first].id, "wire");
  EXPECT_EQ(r.documents[*bc->first].id, "outlet-b");
  EXPECT_FALSE(wd->first.has_value());  // outlet-d has no date
  // The family: the wire and its two copies, the wire named earliest.
  ASSERT_EQ(r.families.size(), 1u);
  std::vector<std::string> members;
  for (uint32_t d : r.families[0].members) members.push_back(r.documents[d].id);
  EXPECT_EQ(members, (std::vector<std::string>{"outlet-b", "outlet-c", "wire"}));
  ASSERT_TRUE(r.families[0].earliest.has_value());
  EXPECT_EQ(r.documents[*r.families[0].earliest].id, "wire");
  // Ranked: copies first.
  EXPECT_EQ(r.pairs.front().label, ReuseLabel::kCopy);
  EXPECT_EQ(r.pairs.back().label, ReuseLabel::kPartialReuse);
}

TEST(BuildSyndication, EarliestIsUnknownWhenDatesTie) {
  std::vector<Document> docs;
  docs.push_back(Doc("x", kWire, "2021-07-01"));
  docs.push_back(Doc("y", kWire, "2021-07-01"));
  const SyndicationReport r = *BuildSyndication(std::move(docs));
  ASSERT_EQ(r.pairs.size(), 1u);
  EXPECT_EQ(r.pairs[0].label, ReuseLabel::kCopy);
  EXPECT_FALSE(r.pairs[0].first.has_value());
  ASSERT_EQ(r.families.size(), 1u);
  EXPECT_FALSE(r.families[0].earliest.has_value());
}

TEST(BuildSyndication, BoilerplateIsNotReuse) {
  // Three unrelated articles that end with the same page-furniture line (eight words
  // repeated verbatim: six phrases, enough for a passage if it were not excluded).
  const std::string furniture = "Subscribe to our newsletter for daily morning updates";
  std::vector<Document> docs;
  docs.push_back(Doc("p", {kWire[0], furniture}, std::nullopt));
  docs.push_back(Doc("q",
                     {"The national football team won its qualifying match on Saturday night "
                      "with two late goals from the captain in front of a sold out stadium.",
                      furniture},
                     std::nullopt));
  docs.push_back(Doc("r",
                     {"Heavy rain flooded several roads in the capital overnight and the "
                      "weather service warned of more storms moving in from the coast.",
                      furniture},
                     std::nullopt));
  const SyndicationReport r = *BuildSyndication(std::move(docs));
  EXPECT_TRUE(r.pairs.empty());
}

TEST(BuildSyndication, SameJsonForAnyThreadCountAndInputOrder) {
  SyndicationOptions one;
  one.threads = 1;
  SyndicationOptions four;
  four.threads = 4;
  four.candidates.force_lsh = true;
  one.candidates.force_lsh = true;
  std::vector<Document> reversed = Corpus();
  std::reverse(reversed.begin(), reversed.end());
  const std::string a = RenderSyndicationJson(*BuildSyndication(Corpus(), one));
  const std::string b = RenderSyndicationJson(*BuildSyndication(std::move(reversed), four));
  EXPECT_EQ(a, b);
  rapidjson::Document json;
  json.Parse(a.c_str());
  ASSERT_FALSE(json.HasParseError());
  EXPECT_STREQ(json["schema"].GetString(), "claimdiff/syndication-v1");
  ASSERT_TRUE(json["pairs"].IsArray());
  const auto& p = json["pairs"][0];
  for (const char* key : {"a", "b", "a_in_b", "b_in_a", "label", "first", "passages"}) {
    EXPECT_TRUE(p.HasMember(key)) << key;
  }
  const auto& s = p["passages"][0];
  for (const char* key : {"a_start", "a_end", "b_start", "b_end", "similarity"}) {
    EXPECT_TRUE(s.HasMember(key)) << key;
  }
  EXPECT_TRUE(json["families"][0]["members"].IsArray());
  EXPECT_STREQ(json["families"][0]["earliest"].GetString(), "wire");
}

TEST(BuildReport, DocumentPairsCarryReuseLabelsAndPassages) {
  const Report r = *BuildReport(Corpus());
  bool found = false;
  for (const DocumentPair& p : r.document_pairs) {
    const std::string_view a = r.documents[p.a].id, b = r.documents[p.b].id;
    if ((a == "outlet-b" && b == "wire") || (a == "wire" && b == "outlet-b")) {
      found = true;
      ASSERT_TRUE(p.label.has_value());
      EXPECT_EQ(*p.label, ReuseLabel::kCopy);
      EXPECT_FALSE(p.passages.empty());
      ASSERT_TRUE(p.first.has_value());
      EXPECT_EQ(r.documents[*p.first].id, "wire");
    }
    if (a == "unrelated" || b == "unrelated") {
      EXPECT_FALSE(p.label.has_value());
    }
  }
  EXPECT_TRUE(found);
}

// The JSON view against report/syndication-v1.schema.json, on the synthetic corpus (every
// label, dates, an undated document) and on the fixtures read from disk; a mutated document
// must not validate, so the schema constrains what it claims to.
TEST(SyndicationSchema, ReportsValidateAndMutationsDoNot) {
  std::ifstream in(std::string(CLAIMDIFF_SOURCE_DIR) + "/report/syndication-v1.schema.json");
  std::stringstream text;
  text << in.rdbuf();
  rapidjson::Document schema_json;
  schema_json.Parse(text.str().c_str());
  ASSERT_FALSE(schema_json.HasParseError());
  const rapidjson::SchemaDocument schema(schema_json);
  auto valid = [&](const std::string& json) {
    rapidjson::Document d;
    d.Parse(json.c_str());
    if (d.HasParseError()) return false;
    rapidjson::SchemaValidator v(schema);
    return d.Accept(v);
  };
  const std::string corpus = RenderSyndicationJson(*BuildSyndication(Corpus()));
  EXPECT_TRUE(valid(corpus));
  LocalFileSystem fs;
  LoadedInputs loaded =
      LoadInputs({std::string(CLAIMDIFF_SOURCE_DIR) + "/fixtures/exchange-hack"}, fs);
  ASSERT_FALSE(loaded.documents.empty());
  const SyndicationReport fixtures = *BuildSyndication(std::move(loaded.documents));
  EXPECT_TRUE(valid(RenderSyndicationJson(fixtures)));
  // Five independent outlets quoting the same statements: none is a copy of another.
  for (const SyndicationPair& p : fixtures.pairs) {
    EXPECT_EQ(p.label, ReuseLabel::kPartialReuse)
        << fixtures.documents[p.a].id << " / " << fixtures.documents[p.b].id;
  }
  EXPECT_TRUE(fixtures.families.empty());
  std::string bad = corpus;
  bad.replace(bad.find("\"copy\""), 6, "\"same\"");
  EXPECT_FALSE(valid(bad));
  bad = corpus;
  bad.replace(bad.find("\"a_start\""), 9, "\"start\"");
  EXPECT_FALSE(valid(bad));
}

}  // namespace
}  // namespace claimdiff
