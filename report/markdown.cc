// RenderMarkdown: the report as Markdown, for issues, wikis and chat.
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

// Article text as literal Markdown: markup characters escaped, HTML made inert.
std::string Md(std::string_view text) {
  std::string out;
  for (char c : Inert(text)) {
    switch (c) {
      case '\\':
      case '`':
      case '*':
      case '_':
      case '~':
      case '[':
      case ']':
      case '#':
      case '|':
      case '!':
        out.push_back('\\');
        out.push_back(c);
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string Percent(double x) { return absl::StrFormat("%.0f%%", x * 100.0); }

std::string MemberLine(const Report& r, const Cluster& c, size_t m, std::string* figures) {
  bool truncated = false;
  std::string out;
  for (const Segment& s : internal::MemberSegments(r, c, m, &truncated)) {
    const std::string text = Md(s.text);
    switch (s.kind) {
      case SegmentKind::kSame:
      case SegmentKind::kGap:
        out += s.number != nullptr ? absl::StrCat("<mark>", text, "</mark>") : text;
        break;
      case SegmentKind::kAdded:
        out += absl::StrCat("<ins>", text, "</ins>");
        break;
      case SegmentKind::kDropped:
        out += absl::StrCat("<del>", text, "</del>");
        break;
    }
    if (s.number != nullptr) {
      absl::StrAppend(figures, figures->empty() ? "" : "; ", "“", text,
                      "” = ", Md(DescribeNumber(s.number->mention)));
    }
  }
  if (truncated) out += " *(diff cut short: span too long)*";
  return out;
}

void WriteMarkdown(const Report& r, const RenderOptions& options, internal::Output& o) {
  std::string& out = o.text;
  const ReportSummary& sum = r.summary;
  absl::StrAppend(&out, "# claimdiff report\n\n", r.documents.size(), " sources, ", r.spans.size(),
                  " spans. **", sum.corroborated,
                  "** claims corroborated by two or more sources, **", sum.conflicting,
                  "** in conflict, **", sum.single_source, "** statements from a single source, ",
                  r.conflicts.size(), " conflicting figures outside the claims, ", sum.furniture,
                  " spans of page furniture.\n\n");

  out += "## Sources\n\n| id | title | outlet | published | spans | shared claims | says alone |\n";
  out += "|---|---|---|---|---|---|---|\n";
  for (uint32_t d = 0; d < r.documents.size(); ++d) {
    const Document& doc = r.documents[d];
    absl::StrAppend(&out, "| ", Md(doc.id), " | ", Md(doc.title), " | ",
                    doc.outlet ? Md(*doc.outlet) : "", " | ",
                    doc.published ? Md(*doc.published) : "", " | ",
                    r.first_span[d + 1] - r.first_span[d], " | ", r.coverage[d].shared, " | ",
                    r.coverage[d].only_here.size(), " |\n");
    o.Spill();
  }
  out += "\n";

  if (!r.document_pairs.empty()) {
    out +=
        "## Sources side by side\n\nShared claims, and the share of each source's wording "
        "found in the other.\n\n| A | B | shared claims | A in B | B in A "
        "|\n|---|---|---|---|---|\n";
    const auto top = internal::TopPairs(r, internal::kMaxViewPairs);
    for (const DocumentPair* p : top) {
      absl::StrAppend(&out, "| ", Md(r.documents[p->a].id), " | ", Md(r.documents[p->b].id), " | ",
                      p->shared_spans, " | ", Percent(p->a_in_b), " | ", Percent(p->b_in_a),
                      " |\n");
    }
    if (top.size() < r.document_pairs.size()) {
      absl::StrAppend(&out, "\n", r.document_pairs.size() - top.size(),
                      " more pairs in the JSON report.\n");
    }
    out += "\n";
  }

  const std::vector<uint32_t> selected = internal::SelectClusters(r, options);
  absl::StrAppend(&out, "## Claims\n\n");
  if (selected.size() < r.clusters.size()) {
    absl::StrAppend(
        &out, "Showing ", selected.size(), " of ", r.clusters.size(), " claims",
        options.only ? absl::StrCat(" (", std::string(VerdictName(*options.only)), " only)") : "",
        ".\n\n");
  }
  out +=
      "Each source's wording against the reference: <del>dropped</del>, <ins>added</ins>, "
      "<mark>figures</mark>.\n\n";
  for (uint32_t ci : selected) {
    const Cluster& c = r.clusters[ci];
    absl::StrAppend(&out, "### ", c.id, ": ", std::string(VerdictName(c.verdict)), ", ",
                    c.documents, c.documents == 1 ? " source" : " sources", "\n\n");
    for (const Conflict& k : c.conflicts) {
      absl::StrAppend(&out, "> **", std::string(ConflictKindName(k.kind)), "**: ", Md(k.detail),
                      "\n");
    }
    if (!c.conflicts.empty()) out += "\n";
    for (size_t m = 0; m < c.members.size(); ++m) {
      const ClusterMember& member = c.members[m];
      const Span& s = r.spans[member.span];
      const Document& doc = r.documents[s.doc];
      std::string figures;
      const std::string line = MemberLine(r, c, m, &figures);
      absl::StrAppend(&out, "- **", Md(doc.id), "** #", s.index,
                      absl::StrFormat(" (%.2f)", member.similarity),
                      member.span == c.reference ? " *reference*" : "", ": ", line, "\n");
      if (!figures.empty()) absl::StrAppend(&out, "  - figures: ", figures, "\n");
      for (const QuoteFact& q : r.facts[member.span].quotes) {
        if (q.speaker.empty()) continue;
        absl::StrAppend(&out, "  - quote by ", Md(q.speaker), ": “",
                        Md(std::string_view(doc.text).substr(q.begin, q.end - q.begin)), "”\n");
      }
    }
    out += "\n";
    o.Spill();
  }

  if (!r.conflicts.empty() && (!options.only || *options.only == Verdict::kConflict)) {
    out += "## Conflicting figures outside the claims\n\n";
    for (const Conflict& k : r.conflicts) {
      absl::StrAppend(&out, "- ", Md(k.detail), absl::StrFormat(" (similarity %.2f)", k.similarity),
                      "\n");
      for (uint32_t sp : k.spans) {
        const Span& span = r.spans[sp];
        absl::StrAppend(&out, "  - ", Md(r.documents[span.doc].id), " #", span.index, ": ",
                        Md(SpanText(r.documents[span.doc], span)), "\n");
      }
      o.Spill();
    }
    out += "\n";
  }

  out += "## Coverage per source\n\n";
  for (uint32_t d = 0; d < r.documents.size(); ++d) {
    const DocumentCoverage& cov = r.coverage[d];
    absl::StrAppend(&out, "### ", Md(r.documents[d].id), "\n\nIn ", cov.shared,
                    " shared claims. Lacks ", cov.lacks, " shared claims");
    for (size_t k = 0; k < cov.missing.size(); ++k) {
      absl::StrAppend(&out, k ? ", " : ": ", r.clusters[cov.missing[k]].id);
    }
    absl::StrAppend(&out, ". Says alone (", cov.only_here.size(), "):\n\n");
    for (uint32_t sp : cov.only_here) {
      const Span& span = r.spans[sp];
      absl::StrAppend(&out, "- #", span.index, ": ", Md(SpanText(r.documents[span.doc], span)),
                      "\n");
    }
    out += "\n";
    o.Spill();
  }
  if (!r.errors.empty()) {
    absl::StrAppend(&out, "## Input problems\n\n");
    for (const InputError& e : r.errors) absl::StrAppend(&out, "- ", Md(FormatInputError(e)), "\n");
  }
  o.Finish();
}

}  // namespace

std::string RenderMarkdown(const Report& report, const RenderOptions& options) {
  internal::Output o;
  WriteMarkdown(report, options, o);
  return std::move(o.text);
}

void RenderMarkdown(const Report& report, const RenderOptions& options, std::ostream& out) {
  internal::Output o(&out);
  WriteMarkdown(report, options, o);
}

}  // namespace claimdiff
