// RenderText: the report in a terminal.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "report/internal/view.h"
#include "report/render.h"

namespace claimdiff {
namespace {

using internal::Inert;
using internal::Segment;
using internal::SegmentKind;

// ANSI styles, or nothing without colour.
struct Style {
  bool on = false;
  std::string Wrap(std::string_view code, const std::string& text) const {
    if (!on) return text;
    return absl::StrCat("\x1b[", std::string(code), "m", text, "\x1b[0m");
  }
};

std::string VerdictLabel(const Style& st, Verdict v) {
  switch (v) {
    case Verdict::kAgree:
      return st.Wrap("1;32", "AGREE");
    case Verdict::kConflict:
      return st.Wrap("1;31", "CONFLICT");
    case Verdict::kSingle:
      return st.Wrap("1;33", "SINGLE SOURCE");
  }
  return "";
}

std::string Percent(double x) { return absl::StrFormat("%.0f%%", x * 100.0); }

// A member's wording against the reference: [-dropped-] {+added+}, as git's word diff.
std::string DiffLine(const Report& r, const Cluster& c, size_t m, const Style& st,
                     std::string* figures) {
  bool truncated = false;
  std::string out;
  for (const Segment& s : internal::MemberSegments(r, c, m, &truncated)) {
    const std::string text = Inert(s.text);
    switch (s.kind) {
      case SegmentKind::kSame:
      case SegmentKind::kGap:
        out += s.number != nullptr ? st.Wrap("36", text) : text;
        break;
      case SegmentKind::kAdded:
        out += st.Wrap("32", absl::StrCat("{+", text, "+}"));
        break;
      case SegmentKind::kDropped:
        out += st.Wrap("31", absl::StrCat("[-", text, "-]"));
        break;
    }
    if (s.number != nullptr) {
      absl::StrAppend(figures, figures->empty() ? "" : "; ", "“", text,
                      "” = ", DescribeNumber(s.number->mention));
    }
  }
  if (truncated) out += st.Wrap("2", " [diff cut short: span too long]");
  return out;
}

void AppendCluster(const Report& r, const Cluster& c, const Style& st, std::string* out) {
  absl::StrAppend(out, st.Wrap("1", absl::StrCat("[", c.id, "]")), " ", VerdictLabel(st, c.verdict),
                  ": ", c.documents, c.documents == 1 ? " source, " : " sources, ",
                  c.members.size(), " spans\n");
  for (const Conflict& k : c.conflicts) {
    absl::StrAppend(out, "  ",
                    st.Wrap("1;31", absl::StrCat("! ", std::string(ConflictKindName(k.kind)))),
                    ": ", Inert(k.detail), "\n");
  }
  for (size_t m = 0; m < c.members.size(); ++m) {
    const ClusterMember& member = c.members[m];
    const Span& s = r.spans[member.span];
    const Document& doc = r.documents[s.doc];
    std::string figures;
    const std::string line = DiffLine(r, c, m, st, &figures);
    absl::StrAppend(out, member.span == c.reference ? "  * " : "  - ", doc.id, " #", s.index,
                    absl::StrFormat(" (%.2f)", member.similarity),
                    member.span == c.reference ? " reference" : "", "\n      ", line, "\n");
    if (!figures.empty()) absl::StrAppend(out, "      figures: ", figures, "\n");
    for (const QuoteFact& q : r.facts[member.span].quotes) {
      if (q.speaker.empty()) continue;
      absl::StrAppend(out, "      quote by ", Inert(q.speaker), ": “",
                      Inert(std::string_view(doc.text).substr(q.begin, q.end - q.begin)), "”\n");
    }
  }
  out->push_back('\n');
}

void WriteText(const Report& r, const RenderOptions& options, internal::Output& o) {
  const Style st{options.color};
  std::string& out = o.text;
  const ReportSummary& sum = r.summary;
  size_t across = 0;
  for (const Cluster& c : r.clusters) across += c.documents > 1;
  absl::StrAppend(&out, st.Wrap("1", absl::StrCat("claimdiff ", std::string(kVersion))), ": ",
                  r.documents.size(), " documents, ", r.spans.size(), " spans (", sum.furniture,
                  " page furniture), ", across, " claims stated by two or more sources (",
                  sum.conflicting, " in conflict), ", r.clusters.size() - across,
                  " repeated within one source, ", r.conflicts.size(),
                  " conflicting figures outside the clusters\n");
  absl::StrAppend(&out, "  corroborated by several sources: ", sum.corroborated,
                  "  in conflict: ", sum.conflicting,
                  "  stated by one source only: ", sum.single_source, "\n\n");

  out += st.Wrap("1", "Sources") + "\n";
  for (uint32_t d = 0; d < r.documents.size(); ++d) {
    const Document& doc = r.documents[d];
    absl::StrAppend(&out, "  ", doc.id, "  ", r.first_span[d + 1] - r.first_span[d], " spans",
                    doc.outlet ? absl::StrCat("  ", Inert(*doc.outlet)) : "",
                    doc.published ? absl::StrCat("  ", Inert(*doc.published)) : "", "  ",
                    Inert(doc.title), "\n");
    o.Spill();
  }
  out += "\n";

  const std::vector<uint32_t> selected = internal::SelectClusters(r, options);
  size_t shown_across = 0;
  for (uint32_t c : selected) shown_across += r.clusters[c].documents > 1;
  if (selected.size() < r.clusters.size()) {
    absl::StrAppend(
        &out, "Showing ", selected.size(), " of ", r.clusters.size(), " claims",
        options.only ? absl::StrCat(" (", std::string(VerdictName(*options.only)), " only)") : "",
        "\n\n");
  }
  if (shown_across > 0) {
    out += st.Wrap("1", "Claims stated by two or more sources") +
           " (* = reference wording; [-dropped-] {+added+} against it)\n\n";
    for (uint32_t c : selected) {
      if (r.clusters[c].documents > 1) AppendCluster(r, r.clusters[c], st, &out);
      o.Spill();
    }
  } else if (across == 0) {
    out += "No claim is stated by two or more sources at this threshold.\n\n";
  }
  if (shown_across < selected.size()) {
    out += st.Wrap("1", "Repeated within one source") + "\n\n";
    for (uint32_t c : selected) {
      if (r.clusters[c].documents == 1) AppendCluster(r, r.clusters[c], st, &out);
      o.Spill();
    }
  }
  if (!r.conflicts.empty() && (!options.only || *options.only == Verdict::kConflict)) {
    out += st.Wrap("1", "Conflicting figures outside the clusters") +
           " (the sentences differ too much to be one claim)\n";
    for (const Conflict& k : r.conflicts) {
      absl::StrAppend(&out, "  ", st.Wrap("1;31", "!"), " ", Inert(k.detail),
                      absl::StrFormat(" (similarity %.2f)", k.similarity), "\n");
      for (uint32_t s : k.spans) {
        const Span& span = r.spans[s];
        absl::StrAppend(&out, "      ", r.documents[span.doc].id, " #", span.index, ": ",
                        Inert(SpanText(r.documents[span.doc], span)), "\n");
      }
      o.Spill();
    }
    out += "\n";
  }

  out += st.Wrap("1", "Coverage per source") + "\n";
  for (uint32_t d = 0; d < r.documents.size(); ++d) {
    const DocumentCoverage& cov = r.coverage[d];
    absl::StrAppend(&out, "  ", r.documents[d].id, ": in ", cov.shared,
                    " shared claims; says alone ", cov.only_here.size(), " statements; lacks ",
                    cov.lacks, " shared claims");
    if (!cov.missing.empty()) {
      out += " (";
      for (size_t k = 0; k < cov.missing.size(); ++k) {
        absl::StrAppend(&out, k ? " " : "", r.clusters[cov.missing[k]].id);
      }
      out += ")";
    }
    out += "\n";
    o.Spill();
  }
  out += "\n";

  if (!r.document_pairs.empty()) {
    out += st.Wrap("1", "Document pairs") +
           " (shared claims; share of A's wording found in B, and of B's in A)\n";
    const auto top = internal::TopPairs(r, internal::kMaxViewPairs);
    for (const DocumentPair* p : top) {
      absl::StrAppend(&out, "  ", r.documents[p->a].id, "  ", r.documents[p->b].id, "  shared ",
                      p->shared_spans, "  A in B ", Percent(p->a_in_b), "  B in A ",
                      Percent(p->b_in_a), "\n");
    }
    if (top.size() < r.document_pairs.size()) {
      absl::StrAppend(&out, "  (", r.document_pairs.size() - top.size(),
                      " more pairs in the JSON report)\n");
    }
    out += "\n";
  }
  if (!r.errors.empty()) {
    absl::StrAppend(&out, st.Wrap("1", "Input problems"), " (", r.errors.size(), ")\n");
    for (const InputError& e : r.errors) {
      absl::StrAppend(&out, "  ", Inert(FormatInputError(e)), "\n");
      o.Spill();
    }
  }
  o.Finish();
}

}  // namespace

std::string RenderText(const Report& report, const RenderOptions& options) {
  internal::Output o;
  WriteText(report, options, o);
  return std::move(o.text);
}

void RenderText(const Report& report, const RenderOptions& options, std::ostream& out) {
  internal::Output o(&out);
  WriteText(report, options, o);
}

}  // namespace claimdiff
