#include "report/verdict.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/tokenize.h"
#include "report/report.h"

namespace claimdiff {
namespace {

// Cues that negate a predicate; "غير", "عدم", "no" and "without" mostly negate a word
// ("غير المسؤول", irresponsible) and do not decide a negation conflict on their own.
bool NegatesPredicate(std::string_view cue) {
  return cue != "غير" && cue != "عدم" && cue != "no" && cue != "without";
}

size_t PredicateNegations(const SpanFacts& f) {
  return static_cast<size_t>(
      std::count_if(f.negations.begin(), f.negations.end(),
                    [](const std::string& c) { return NegatesPredicate(c); }));
}

std::string Figure(double x) {
  if (std::fabs(x - std::round(x)) > 1e-9) return absl::StrFormat("%.6g", x);
  std::string digits = absl::StrFormat("%.0f", x);
  std::string out;
  const size_t n = digits.size();
  for (size_t i = 0; i < n; ++i) {
    out.push_back(digits[i]);
    if (i + 1 < n && (n - i - 1) % 3 == 0 && digits[0] != '-') out.push_back(',');
  }
  return out;
}

}  // namespace

std::string DescribeNumber(const NumberMention& m) {
  if (m.kind == NumberKind::kYear) return absl::StrFormat("%.0f", m.low);
  if (m.kind == NumberKind::kDate) {
    const auto v = static_cast<int64_t>(m.low);
    return absl::StrFormat("%04d-%02d-%02d", v / 10000, (v / 100) % 100, v % 100);
  }
  std::string q;
  switch (m.qualifier) {
    case Qualifier::kAbout:
      q = "about ";
      break;
    case Qualifier::kOver:
      q = "more than ";
      break;
    case Qualifier::kUnder:
      q = "fewer than ";
      break;
    case Qualifier::kUpTo:
      q = "up to ";
      break;
    default:
      break;
  }
  std::string value =
      m.is_range() ? absl::StrCat(Figure(m.low), "–", Figure(m.high)) : Figure(m.low);
  if (m.kind == NumberKind::kPercent) value += "%";
  std::string out = q + value;
  if (!m.unit.empty()) absl::StrAppend(&out, " ", m.unit);
  return out;
}

namespace {

bool SameUnit(const NumberMention& a, const NumberMention& b) {
  if (a.kind == NumberKind::kYear || a.kind == NumberKind::kDate) return true;
  if (a.unit.empty() || b.unit.empty()) return a.unit.empty() && b.unit.empty();
  if (a.unit == b.unit) return true;
  const std::string sa = ConsonantSkeleton(a.unit);
  return !sa.empty() && sa == ConsonantSkeleton(b.unit);
}

std::string_view DocId(const Report& r, uint32_t span) { return r.documents[r.spans[span].doc].id; }

std::string Quoted(const Report& r, uint32_t span, uint32_t begin, uint32_t end) {
  const Document& d = r.documents[r.spans[span].doc];
  return absl::StrCat("“", std::string(std::string_view(d.text).substr(begin, end - begin)), "”");
}

}  // namespace

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kSingle:
      return "single";
    case Verdict::kAgree:
      return "agree";
    case Verdict::kConflict:
      return "conflict";
  }
  return "single";
}

std::string_view ConflictKindName(ConflictKind k) {
  switch (k) {
    case ConflictKind::kNumber:
      return "number";
    case ConflictKind::kNegation:
      return "negation";
    case ConflictKind::kSpeaker:
      return "speaker";
    case ConflictKind::kDirection:
      return "direction";
  }
  return "number";
}

std::vector<Conflict> NumberConflicts(const Report& r, uint32_t a, uint32_t b, bool any_unit) {
  std::vector<Conflict> out;
  const std::vector<NumberFact>& na = r.facts[a].numbers;
  const std::vector<NumberFact>& nb = r.facts[b].numbers;
  auto has_partner = [](const NumberFact& x, const std::vector<NumberFact>& others) {
    return std::any_of(others.begin(), others.end(), [&](const NumberFact& y) {
      return SameUnit(x.mention, y.mention) && Compatible(x.mention, y.mention);
    });
  };
  for (const NumberFact& x : na) {
    if (x.mention.kind == NumberKind::kOrdinal || has_partner(x, nb)) continue;
    for (const NumberFact& y : nb) {
      if (y.mention.kind != x.mention.kind) continue;
      if (!any_unit && !SameUnit(x.mention, y.mention)) continue;
      if (has_partner(y, na)) continue;
      Conflict c;
      c.kind = ConflictKind::kNumber;
      c.spans = {std::min(a, b), std::max(a, b)};
      c.detail =
          absl::StrCat(std::string(DocId(r, a)), " says ", Quoted(r, a, x.begin, x.end), " (",
                       DescribeNumber(x.mention), ") but ", std::string(DocId(r, b)), " says ",
                       Quoted(r, b, y.begin, y.end), " (", DescribeNumber(y.mention), ")");
      out.push_back(std::move(c));
      break;
    }
  }
  return out;
}

std::vector<Conflict> CompareSpans(const Report& r, uint32_t a, uint32_t b,
                                   const Normalizer& normalizer) {
  std::vector<Conflict> out = NumberConflicts(r, a, b);
  const SpanFacts& fa = r.facts[a];
  const SpanFacts& fb = r.facts[b];
  const size_t neg_a = PredicateNegations(fa);
  const size_t neg_b = PredicateNegations(fb);
  if ((neg_a % 2) != (neg_b % 2)) {
    const uint32_t negating = neg_a % 2 ? a : b;
    const uint32_t other = negating == a ? b : a;
    const SpanFacts& f = negating == a ? fa : fb;
    std::string cue;
    for (const std::string& c : f.negations) {
      if (NegatesPredicate(c)) cue = c;
    }
    Conflict c;
    c.kind = ConflictKind::kNegation;
    c.key = "negation";
    c.spans = {std::min(a, b), std::max(a, b)};
    c.detail = absl::StrCat(std::string(DocId(r, negating)), " negates (“", cue, "”) what ",
                            std::string(DocId(r, other)), " states without negation");
    out.push_back(std::move(c));
  }
  if (fa.direction * fb.direction < 0) {
    Conflict c;
    c.kind = ConflictKind::kDirection;
    c.key = "direction";
    c.spans = {std::min(a, b), std::max(a, b)};
    c.detail =
        absl::StrCat(std::string(DocId(r, a)), " reports a ", fa.direction > 0 ? "rise" : "fall",
                     " (“", fa.direction_cue, "”) but ", std::string(DocId(r, b)), " a ",
                     fb.direction > 0 ? "rise" : "fall", " (“", fb.direction_cue, "”)");
    out.push_back(std::move(c));
  }
  for (const QuoteFact& qa : fa.quotes) {
    bool reported = false;
    for (const QuoteFact& qb : fb.quotes) {
      if (qa.speaker.empty() || qb.speaker.empty() ||
          SameSpeaker(normalizer, qa.speaker, qb.speaker)) {
        continue;
      }
      Conflict c;
      c.kind = ConflictKind::kSpeaker;
      c.key = absl::StrCat("speaker:", std::min(qa.speaker, qb.speaker), "|",
                           std::max(qa.speaker, qb.speaker));
      c.spans = {std::min(a, b), std::max(a, b)};
      c.detail = absl::StrCat("the quotation is attributed to “", qa.speaker, "” in ",
                              std::string(DocId(r, a)), " but to “", qb.speaker, "” in ",
                              std::string(DocId(r, b)));
      out.push_back(std::move(c));
      reported = true;
      break;
    }
    if (reported) break;
  }
  return out;
}

Verdict ClusterVerdict(const Report& r, const Cluster& cluster, const Normalizer& normalizer,
                       std::vector<Conflict>* conflicts) {
  if (cluster.documents < 2) return Verdict::kSingle;
  const size_t before = conflicts->size();
  std::map<std::string, size_t> by_key;  // key -> index into *conflicts
  const auto& m = cluster.members;
  for (size_t i = 0; i < m.size(); ++i) {
    for (size_t j = i + 1; j < m.size(); ++j) {
      if (r.spans[m[i].span].doc == r.spans[m[j].span].doc) continue;
      for (Conflict& c : CompareSpans(r, m[i].span, m[j].span, normalizer)) {
        auto [it, inserted] = by_key.try_emplace(c.key, conflicts->size());
        if (inserted) {
          conflicts->push_back(std::move(c));
          continue;
        }
        std::vector<uint32_t>& spans = (*conflicts)[it->second].spans;
        for (uint32_t s : c.spans) {
          auto pos = std::lower_bound(spans.begin(), spans.end(), s);
          if (pos == spans.end() || *pos != s) spans.insert(pos, s);
        }
      }
    }
  }
  return conflicts->size() > before ? Verdict::kConflict : Verdict::kAgree;
}

}  // namespace claimdiff
