#include "report/pairs.h"

#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "rapidjson/document.h"
#include "rapidjson/error/en.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "report/analysis.h"
#include "report/verdict.h"

namespace claimdiff {

void ParsePairs(std::string_view source, std::string_view bytes, std::vector<PairInput>* pairs,
                std::vector<InputError>* errors) {
  ForEachJsonLine(bytes, [&](int64_t line_no, std::string_view line) {
    auto fail = [&](std::string message) {
      errors->push_back({std::string(source), line_no, -1, std::move(message)});
    };
    if (std::optional<size_t> deep = FindTooDeepJson(line)) {
      fail(absl::StrCat("malformed JSON at byte ", *deep, ": nested more than ", kMaxJsonDepth,
                        " levels deep"));
      return;
    }
    rapidjson::Document json;
    json.Parse<rapidjson::kParseValidateEncodingFlag>(line.data(), line.size());
    if (json.HasParseError()) {
      fail(absl::StrCat("malformed JSON at byte ", json.GetErrorOffset(), ": ",
                        rapidjson::GetParseError_En(json.GetParseError())));
      return;
    }
    if (!json.IsObject()) {
      fail("a JSON line must be an object");
      return;
    }
    PairInput p;
    p.line = line_no;
    bool ok = true;
    for (auto [name, field] :
         {std::pair{"id", &p.id}, std::pair{"a", &p.a}, std::pair{"b", &p.b}}) {
      // Const iterators: == on mutable ones is ambiguous in C++20 (clang).
      auto it = std::as_const(json).FindMember(name);
      if (it == std::as_const(json).MemberEnd()) {
        fail(absl::StrCat("missing required field \"", name, "\""));
        ok = false;
        break;
      }
      if (it->value.IsString()) {
        field->assign(it->value.GetString(), it->value.GetStringLength());
      } else if (std::string_view(name) == "id" && it->value.IsInt64()) {
        *field = absl::StrCat(it->value.GetInt64());
      } else {
        fail(absl::StrCat("field \"", name, "\" must be a string"));
        ok = false;
        break;
      }
    }
    if (ok) pairs->push_back(std::move(p));
  });
}

absl::StatusOr<std::vector<PairJudgment>> JudgePairs(const std::vector<PairInput>& pairs,
                                                     const CompareOptions& options) {
  std::vector<Document> docs;
  docs.reserve(pairs.size() * 2);
  for (size_t i = 0; i < pairs.size(); ++i) {
    for (int side = 0; side < 2; ++side) {
      Document d;
      // Conflict details name the sides "a" and "b".
      d.id.assign(1, side == 0 ? 'a' : 'b');
      d.source = "pairs";
      d.line = pairs[i].line > 0 ? pairs[i].line : 1;  // no title guessing
      d.text = side == 0 ? pairs[i].a : pairs[i].b;
      docs.push_back(std::move(d));
    }
  }
  absl::StatusOr<Analysis> analyzed = Analyze(std::move(docs), options, {});
  if (!analyzed.ok()) return analyzed.status();
  const Analysis& an = *analyzed;
  const Report& r = an.report;
  absl::StatusOr<Normalizer> normalizer = Normalizer::Create();
  if (!normalizer.ok()) return normalizer.status();

  // Figure pairs by span pair, for the looser pass.
  absl::flat_hash_map<uint64_t, const FigurePair*> figures;
  for (const FigurePair& f : an.figure_pairs) {
    figures.emplace(PairKey(f.a, f.b), &f);
  }

  std::vector<PairJudgment> out;
  out.reserve(pairs.size());
  for (size_t i = 0; i < pairs.size(); ++i) {
    PairJudgment j;
    j.id = pairs[i].id;
    const auto da = static_cast<uint32_t>(2 * i);
    const auto db = da + 1;
    // Texts that failed ingestion checks (empty, invalid) have no spans.
    // The best span pair: one that is the same claim if any (highest score among those),
    // otherwise the highest score.
    uint32_t best_a = 0, best_b = 0;
    bool found = false;
    bool best_same = false;
    float best = 0;
    for (uint32_t x = r.first_span[da]; x < r.first_span[da + 1]; ++x) {
      if (!an.eligible[x]) continue;
      for (uint32_t y = r.first_span[db]; y < r.first_span[db + 1]; ++y) {
        if (!an.eligible[y]) continue;
        const float s = an.Score(x, y);
        const bool same = s >= options.threshold && an.Compatible(x, y);
        if (!found || (same && !best_same) || (same == best_same && s > best)) {
          found = true, best = s, best_a = x, best_b = y, best_same = same;
        }
      }
    }
    if (found) {
      j.similarity = std::max(0.0f, best);
      j.same_claim = best_same;
      if (j.same_claim) {
        j.conflicts = CompareSpans(r, best_a, best_b, *normalizer);
      } else {
        for (uint32_t x = r.first_span[da]; x < r.first_span[da + 1] && j.conflicts.empty(); ++x) {
          for (uint32_t y = r.first_span[db]; y < r.first_span[db + 1]; ++y) {
            auto it = figures.find(PairKey(x, y));
            if (it == figures.end() || !an.HiddenConflict(*it->second)) continue;
            j.conflicts = NumberConflicts(r, x, y, /*any_unit=*/!it->second->same_unit);
            if (!j.conflicts.empty()) break;
          }
        }
      }
    }
    j.verdict = !j.conflicts.empty() ? "conflict" : j.same_claim ? "agree" : "different";
    out.push_back(std::move(j));
  }
  return out;
}

std::string RenderPairJson(const PairJudgment& j) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto str = [&w](std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  };
  w.StartObject();
  w.Key("id");
  str(j.id);
  w.Key("similarity");
  w.Double(std::isfinite(j.similarity) ? std::round(j.similarity * 10000.0) / 10000.0 : 0.0);
  w.Key("same_claim");
  w.Bool(j.same_claim);
  w.Key("verdict");
  str(j.verdict);
  w.Key("conflicts");
  w.StartArray();
  for (const Conflict& c : j.conflicts) {
    w.StartObject();
    w.Key("kind");
    str(ConflictKindName(c.kind));
    w.Key("detail");
    str(c.detail);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace claimdiff
