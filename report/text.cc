// RenderText: the summary a person reads in a terminal.
#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "report/render.h"

namespace claimdiff {
namespace {

std::string Percent(double x) { return absl::StrFormat("%.0f%%", x * 100.0); }

void AppendCluster(const Report& r, const Cluster& c, std::string* out) {
  absl::StrAppend(out, "[", c.id, "] ", std::string(VerdictName(c.verdict)), ": ", c.documents,
                  c.documents == 1 ? " source, " : " sources, ", c.members.size(), " spans\n");
  for (const Conflict& k : c.conflicts) {
    absl::StrAppend(out, "  ! ", std::string(ConflictKindName(k.kind)), ": ", k.detail, "\n");
  }
  for (const ClusterMember& m : c.members) {
    const Span& s = r.spans[m.span];
    const Document& doc = r.documents[s.doc];
    absl::StrAppend(out, m.span == c.reference ? "  * " : "  - ", doc.id, " #", s.index,
                    absl::StrFormat(" (%.2f)", m.similarity), "\n      ",
                    std::string(SpanText(doc, s)), "\n");
  }
  out->push_back('\n');
}

}  // namespace

std::string RenderText(const Report& r) {
  std::string out;
  size_t furniture = 0;
  for (const Span& s : r.spans) furniture += s.boilerplate;
  size_t across = 0;
  size_t conflicting = 0;
  for (const Cluster& c : r.clusters) {
    across += c.documents > 1;
    conflicting += c.verdict == Verdict::kConflict;
  }
  absl::StrAppend(&out, "claimdiff ", std::string(kVersion), ": ", r.documents.size(),
                  " documents, ", r.spans.size(), " spans (", furniture, " page furniture), ",
                  across, " claims stated by two or more sources (", conflicting, " in conflict), ",
                  r.clusters.size() - across, " repeated within one source, ", r.conflicts.size(),
                  " conflicting figures outside the clusters\n\n");

  out += "Sources\n";
  for (uint32_t d = 0; d < r.documents.size(); ++d) {
    const Document& doc = r.documents[d];
    absl::StrAppend(&out, "  ", doc.id, "  ", r.first_span[d + 1] - r.first_span[d], " spans  ",
                    doc.title, "\n");
  }
  out += "\n";

  if (across > 0) {
    out += "Claims stated by two or more sources (* = reference wording)\n\n";
    for (const Cluster& c : r.clusters) {
      if (c.documents > 1) AppendCluster(r, c, &out);
    }
  } else {
    out += "No claim is stated by two or more sources at this threshold.\n\n";
  }
  if (across < r.clusters.size()) {
    out += "Repeated within one source\n\n";
    for (const Cluster& c : r.clusters) {
      if (c.documents == 1) AppendCluster(r, c, &out);
    }
  }
  if (!r.conflicts.empty()) {
    out +=
        "Conflicting figures outside the clusters (the sentences differ too much to be one "
        "claim)\n";
    for (const Conflict& k : r.conflicts) {
      absl::StrAppend(&out, "  ! ", k.detail, absl::StrFormat(" (similarity %.2f)", k.similarity),
                      "\n");
      for (uint32_t s : k.spans) {
        const Span& span = r.spans[s];
        absl::StrAppend(&out, "      ", r.documents[span.doc].id, " #", span.index, ": ",
                        std::string(SpanText(r.documents[span.doc], span)), "\n");
      }
    }
    out += "\n";
  }
  if (!r.document_pairs.empty()) {
    out += "Document pairs (shared claims; share of A's wording found in B, and of B's in A)\n";
    for (const DocumentPair& p : r.document_pairs) {
      absl::StrAppend(&out, "  ", r.documents[p.a].id, "  ", r.documents[p.b].id, "  shared ",
                      p.shared_spans, "  A in B ", Percent(p.a_in_b), "  B in A ",
                      Percent(p.b_in_a), "\n");
    }
    out += "\n";
  }
  if (!r.errors.empty()) {
    absl::StrAppend(&out, "Input problems (", r.errors.size(), ")\n");
    for (const InputError& e : r.errors) absl::StrAppend(&out, "  ", FormatInputError(e), "\n");
  }
  return out;
}

}  // namespace claimdiff
