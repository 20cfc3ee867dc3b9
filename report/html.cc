// RenderHtml: the report as one self-contained page (inline CSS and JS, no network requests).
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "report/internal/view.h"
#include "report/render.h"

namespace claimdiff {
namespace {

using internal::Segment;
using internal::SegmentKind;

// Untrusted text, safe in element content and in quoted attribute values.
std::string H(std::string_view text) { return internal::HtmlEscape(internal::Inert(text)); }

std::string Percent(double x) { return absl::StrFormat("%.0f%%", x * 100.0); }

constexpr std::string_view kStyle = R"CSS(
:root{--bg:#fff;--fg:#1d1f23;--muted:#5f6570;--card:#f6f7f9;--line:#d8dbe0;--agree:#1b7f3b;
--conflict:#b42318;--single:#8a6100;--add:#d7f5dd;--addfg:#0f5a25;--del:#fde2e0;--delfg:#8f1d14;
--mark:#fff1b8;--heat:180,35,24}
@media (prefers-color-scheme:dark){:root{--bg:#15171a;--fg:#e6e8eb;--muted:#9aa1ab;--card:#1f2226;
--line:#343840;--agree:#5fd07f;--conflict:#ff7b6e;--single:#f2c14e;--add:#17391f;--addfg:#9be6ae;
--del:#46201c;--delfg:#ffb4aa;--mark:#4a3f12;--heat:255,123,110}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:72rem;padding:1rem;background:var(--bg);color:var(--fg);
font:16px/1.6 system-ui,-apple-system,"Segoe UI","Noto Sans Arabic","Noto Naskh Arabic",Tahoma,sans-serif}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid var(--line)}
h3{font-size:1.05rem;margin:.2rem 0 .5rem}
.reuse{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:.6rem 1rem;margin:.8rem 0}
.summary{color:var(--muted)}.summary b{color:var(--fg)}
.controls{position:sticky;top:0;background:var(--bg);padding:.5rem 0;display:flex;flex-wrap:wrap;
gap:.5rem;align-items:center;border-bottom:1px solid var(--line);z-index:1}
.controls button{border:1px solid var(--line);background:var(--card);color:var(--fg);border-radius:1rem;
padding:.2rem .8rem;cursor:pointer;font:inherit}
.controls button[aria-pressed=true]{background:var(--fg);color:var(--bg)}
.controls input{flex:1;min-width:12rem;padding:.3rem .6rem;border:1px solid var(--line);border-radius:.4rem;
background:var(--bg);color:var(--fg);font:inherit}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:start;vertical-align:top}
.scroll{overflow-x:auto}
.heatmap td{text-align:center;min-width:4.5rem}
.heatmap td.self{color:var(--muted)}
.claim{background:var(--card);border:1px solid var(--line);border-radius:.6rem;padding:.8rem 1rem;margin:1rem 0}
.badge{display:inline-block;border-radius:.3rem;padding:0 .45rem;color:#fff;font-size:.85rem;
text-transform:uppercase;letter-spacing:.03em;vertical-align:middle}
.badge.agree{background:var(--agree)}.badge.conflict{background:var(--conflict)}.badge.single{background:var(--single)}
.conflicts{margin:.3rem 0 .6rem;padding-inline-start:1.2rem;color:var(--conflict)}
.members{list-style:none;padding:0;margin:0}
.member{border-top:1px solid var(--line);padding:.5rem 0}
.member .meta{font-size:.85rem;color:var(--muted)}
.member.reference .meta b{color:var(--fg)}
.text{margin:.2rem 0;font-size:1.05rem}
ins{background:var(--add);color:var(--addfg);text-decoration:none;border-radius:.2rem}
del{background:var(--del);color:var(--delfg);border-radius:.2rem}
mark{background:var(--mark);color:inherit;border-radius:.2rem}
.figures,.quote{font-size:.88rem;color:var(--muted);margin:.1rem 0}
.note{font-size:.85rem;color:var(--muted)}
a{color:inherit}
details{margin:.4rem 0}
footer{margin-top:2rem;color:var(--muted);font-size:.85rem}
@media (max-width:40rem){body{padding:.5rem}.heatmap td{min-width:3rem}}
@media print{.controls{display:none}.claim[hidden]{display:block}.claim{break-inside:avoid}
body{max-width:none}}
)CSS";

constexpr std::string_view kScript = R"JS(
(function () {
  var cards = Array.prototype.slice.call(document.querySelectorAll('article.claim'));
  var buttons = Array.prototype.slice.call(document.querySelectorAll('button[data-filter]'));
  var search = document.getElementById('search');
  var shown = document.getElementById('shown');
  var filter = 'all';
  function apply() {
    var q = search.value.trim().toLowerCase();
    var n = 0;
    cards.forEach(function (card) {
      var ok = (filter === 'all' || card.getAttribute('data-verdict') === filter) &&
               (q === '' || card.textContent.toLowerCase().indexOf(q) >= 0);
      card.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = String(n);
  }
  buttons.forEach(function (b) {
    b.addEventListener('click', function () {
      filter = b.getAttribute('data-filter');
      buttons.forEach(function (x) { x.setAttribute('aria-pressed', String(x === b)); });
      apply();
    });
  });
  search.addEventListener('input', apply);
  apply();
})();
)JS";

std::string MemberText(const Report& r, const Cluster& c, size_t m, std::string* figures) {
  bool truncated = false;
  std::string out;
  for (const Segment& s : internal::MemberSegments(r, c, m, &truncated)) {
    std::string text = H(s.text);
    if (s.number != nullptr) {
      const std::string value = H(DescribeNumber(s.number->mention));
      text = absl::StrCat("<mark title=\"", value, "\">", text, "</mark>");
      absl::StrAppend(figures, figures->empty() ? "" : " · ", "“<bdi>", H(s.text),
                      "</bdi>” = <bdi>", value, "</bdi>");
    }
    switch (s.kind) {
      case SegmentKind::kSame:
      case SegmentKind::kGap:
        out += text;
        break;
      case SegmentKind::kAdded:
        absl::StrAppend(&out, "<ins>", text, "</ins>");
        break;
      case SegmentKind::kDropped:
        absl::StrAppend(&out, "<del>", text, "</del>");
        break;
    }
  }
  if (truncated) out += " <span class=\"note\">(diff cut short: span too long)</span>";
  return out;
}

void AppendClaim(const Report& r, const Cluster& c, std::string* out) {
  const std::string verdict(VerdictName(c.verdict));
  absl::StrAppend(out, "<article class=\"claim\" id=\"", c.id, "\" data-verdict=\"", verdict,
                  "\">\n<h3><a href=\"#", c.id, "\">", c.id, "</a> <span class=\"badge ", verdict,
                  "\">", verdict, "</span> ", c.documents,
                  c.documents == 1 ? " source" : " sources", ", ", c.members.size(),
                  " spans</h3>\n");
  if (!c.conflicts.empty()) {
    *out += "<ul class=\"conflicts\">";
    for (const Conflict& k : c.conflicts) {
      absl::StrAppend(out, "<li dir=\"auto\"><b>", std::string(ConflictKindName(k.kind)),
                      "</b>: ", H(k.detail), "</li>");
    }
    *out += "</ul>\n";
  }
  *out += "<ol class=\"members\">\n";
  for (size_t m = 0; m < c.members.size(); ++m) {
    const ClusterMember& member = c.members[m];
    const Span& s = r.spans[member.span];
    const Document& doc = r.documents[s.doc];
    const bool reference = member.span == c.reference;
    std::string figures;
    const std::string text = MemberText(r, c, m, &figures);
    absl::StrAppend(out, "<li class=\"member", reference ? " reference" : "",
                    "\"><div class=\"meta\"><b>", H(doc.id), "</b> #", s.index,
                    absl::StrFormat(" · %.2f", member.similarity),
                    reference ? " · reference wording" : "",
                    "</div>\n<p class=\"text\" dir=\"auto\">", text, "</p>\n");
    if (!figures.empty()) {
      absl::StrAppend(out, "<p class=\"figures\" dir=\"auto\">figures: ", figures, "</p>\n");
    }
    for (const QuoteFact& q : r.facts[member.span].quotes) {
      if (q.speaker.empty()) continue;
      absl::StrAppend(out, "<p class=\"quote\" dir=\"auto\">quote by <b><bdi>", H(q.speaker),
                      "</bdi></b>: “<bdi>",
                      H(std::string_view(doc.text).substr(q.begin, q.end - q.begin)),
                      "</bdi>”</p>\n");
    }
    *out += "</li>\n";
  }
  *out += "</ol>\n</article>\n";
}

void WriteHtml(const Report& r, const RenderOptions& options, internal::Output& o) {
  const ReportSummary& sum = r.summary;
  const std::vector<uint32_t> selected = internal::SelectClusters(r, options);
  size_t counts[3] = {0, 0, 0};
  for (uint32_t c : selected) ++counts[static_cast<int>(r.clusters[c].verdict)];

  std::string& out = o.text;
  out += "<!doctype html>\n<html lang=\"ar\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n";
  out +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n";
  out += "<title>claimdiff report</title>\n<style>";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n<header>\n<h1>claimdiff report</h1>\n";
  absl::StrAppend(&out, "<p class=\"summary\" id=\"summary\">", r.documents.size(),
                  " sources · <b>", sum.corroborated,
                  "</b> claims corroborated by two or more "
                  "sources · <b>",
                  sum.conflicting, "</b> in conflict · <b>", sum.single_source,
                  "</b> statements from a single source · ", r.conflicts.size(),
                  " conflicting figures outside the claims · ", sum.furniture,
                  " spans of page furniture</p>\n</header>\n");

  absl::StrAppend(
      &out,
      "<nav class=\"controls\" aria-label=\"filters\">"
      "<button type=\"button\" data-filter=\"all\" aria-pressed=\"true\">all (",
      selected.size(),
      ")</button><button type=\"button\" data-filter=\"conflict\" "
      "aria-pressed=\"false\">conflict (",
      counts[static_cast<int>(Verdict::kConflict)],
      ")</button><button type=\"button\" data-filter=\"agree\" aria-pressed=\"false\">"
      "agree (",
      counts[static_cast<int>(Verdict::kAgree)],
      ")</button><button type=\"button\" data-filter=\"single\" "
      "aria-pressed=\"false\">single source (",
      counts[static_cast<int>(Verdict::kSingle)],
      ")</button><input type=\"search\" id=\"search\" placeholder=\"search claims\" "
      "aria-label=\"search claims\" dir=\"auto\"><span class=\"note\"><span id=\"shown\">",
      selected.size(), "</span> shown</span></nav>\n");

  // Sources and the heatmap.
  out +=
      "<section id=\"sources\"><h2>Sources</h2><div class=\"scroll\"><table>\n"
      "<tr><th>id</th><th>title</th><th>outlet</th><th>published</th><th>spans</th>"
      "<th>shared claims</th><th>says alone</th></tr>\n";
  for (uint32_t d = 0; d < r.documents.size(); ++d) {
    const Document& doc = r.documents[d];
    absl::StrAppend(&out, "<tr><td><a href=\"#source-", d, "\">", H(doc.id),
                    "</a></td><td dir=\"auto\">", H(doc.title), "</td><td dir=\"auto\">",
                    doc.outlet ? H(*doc.outlet) : "", "</td><td>",
                    doc.published ? H(*doc.published) : "", "</td><td>",
                    r.first_span[d + 1] - r.first_span[d], "</td><td>", r.coverage[d].shared,
                    "</td><td>", r.coverage[d].only_here.size(), "</td></tr>\n");
    o.Spill();
  }
  out += "</table></div></section>\n";

  const size_t n = r.documents.size();
  absl::flat_hash_map<uint64_t, const DocumentPair*> pair_of;
  for (const DocumentPair& p : r.document_pairs) {
    pair_of[static_cast<uint64_t>(p.a) << 32 | p.b] = &p;
    pair_of[static_cast<uint64_t>(p.b) << 32 | p.a] = &p;
  }
  const std::vector<uint32_t> matrix = internal::MatrixSources(r, internal::kMaxMatrixSources);
  out +=
      "<section id=\"matrix\"><h2>Sources side by side</h2><p class=\"note\">Each cell: "
      "claims the two sources share, and how much of the row source's wording is found in the "
      "column source. Darker cells share more.</p>";
  if (matrix.size() < n) {
    absl::StrAppend(&out, "<p class=\"note\">The ", matrix.size(),
                    " sources in the most shared claims, of ", n,
                    "; the JSON report has every pair.</p>");
  }
  out += "<div class=\"scroll\"><table class=\"heatmap\">\n<tr><th></th>";
  for (uint32_t d : matrix) absl::StrAppend(&out, "<th>", H(r.documents[d].id), "</th>");
  out += "</tr>\n";
  size_t max_shared = 1;
  for (const DocumentPair& p : r.document_pairs)
    max_shared = std::max<size_t>(max_shared, p.shared_spans);
  for (uint32_t a : matrix) {
    absl::StrAppend(&out, "<tr><th>", H(r.documents[a].id), "</th>");
    for (uint32_t b : matrix) {
      if (a == b) {
        out += "<td class=\"self\">–</td>";
        continue;
      }
      const auto it = pair_of.find(static_cast<uint64_t>(a) << 32 | b);
      const DocumentPair* p = it == pair_of.end() ? nullptr : it->second;
      const uint32_t shared = p ? p->shared_spans : 0;
      const double contained = p ? (p->a == a ? p->a_in_b : p->b_in_a) : 0.0;
      const double heat =
          std::min(1.0, 0.6 * static_cast<double>(shared) / static_cast<double>(max_shared) +
                            0.4 * std::min(1.0, contained * 2.0));
      absl::StrAppend(&out, "<td class=\"cell\" data-shared=\"", shared,
                      absl::StrFormat("\" style=\"background:rgba(var(--heat),%.2f)\"", heat),
                      " title=\"", H(r.documents[a].id), " / ", H(r.documents[b].id), ": ", shared,
                      " shared claims, ", Percent(contained), " of the wording\">");
      const std::string label = absl::StrCat(shared, " · ", Percent(contained));
      if (p && !p->passages.empty()) {
        absl::StrAppend(&out, "<a href=\"#pair-", p->a, "-", p->b, "\">", label, "</a></td>");
      } else {
        absl::StrAppend(&out, label, "</td>");
      }
    }
    out += "</tr>\n";
  }
  out += "</table></div></section>\n";

  // Reused passages: every pair that shares text, linked from the heatmap.
  bool any_reuse = false;
  for (const DocumentPair& p : r.document_pairs) any_reuse = any_reuse || p.label.has_value();
  if (any_reuse) {
    out +=
        "<section id=\"reuse\"><h2>Reused passages</h2><p class=\"note\">Pairs of sources "
        "that share text: copy, shared source (both reuse a third) or partial reuse, who "
        "published first, and the passages of the first source found in the second.</p>\n";
    for (const DocumentPair& p : r.document_pairs) {
      if (!p.label) continue;
      const Document& a = r.documents[p.a];
      absl::StrAppend(&out, "<div class=\"reuse\" id=\"pair-", p.a, "-", p.b, "\"><h3>",
                      std::string(ReuseLabelName(*p.label)), ": ", H(a.id), " / ",
                      H(r.documents[p.b].id), "</h3><p class=\"note\">", Percent(p.a_in_b), " of ",
                      H(a.id), " is in ", H(r.documents[p.b].id), ", ", Percent(p.b_in_a),
                      " the other way; first: ",
                      p.first ? H(r.documents[*p.first].id) : std::string("unknown"), "</p>\n");
      for (const Passage& q : p.passages) {
        absl::StrAppend(
            &out, "<blockquote dir=\"auto\">",
            H(std::string_view(a.text).substr(q.a_start, q.a_end - q.a_start)),
            absl::StrFormat(" <span class=\"note\">(bytes %u-%u / %u-%u, similarity %.2f)</span>",
                            q.a_start, q.a_end, q.b_start, q.b_end, q.similarity),
            "</blockquote>\n");
      }
      out += "</div>\n";
    }
    out += "</section>\n";
  }

  // Claims.
  out +=
      "<section id=\"claims\"><h2>Claims</h2><p class=\"note\">Every source's wording is "
      "aligned word by word with the claim's reference wording: <del>dropped</del>, "
      "<ins>added</ins>, <mark>figures</mark> (hover for the value read).</p>\n";
  if (selected.size() < r.clusters.size()) {
    absl::StrAppend(&out, "<p class=\"note\">Showing ", selected.size(), " of ", r.clusters.size(),
                    " claims.</p>\n");
  }
  for (uint32_t c : selected) {
    AppendClaim(r, r.clusters[c], &out);
    o.Spill();
  }
  out += "</section>\n";

  if (!r.conflicts.empty() && (!options.only || *options.only == Verdict::kConflict)) {
    out +=
        "<section id=\"hidden-conflicts\"><h2>Conflicting figures outside the claims</h2>"
        "<ul>\n";
    for (const Conflict& k : r.conflicts) {
      absl::StrAppend(
          &out, "<li dir=\"auto\">", H(k.detail),
          absl::StrFormat(" <span class=\"note\">(similarity %.2f)</span><ul>", k.similarity));
      for (uint32_t sp : k.spans) {
        const Span& span = r.spans[sp];
        absl::StrAppend(&out, "<li dir=\"auto\"><b>", H(r.documents[span.doc].id), "</b> #",
                        span.index, ": ", H(SpanText(r.documents[span.doc], span)), "</li>");
      }
      out += "</ul></li>\n";
      o.Spill();
    }
    out += "</ul></section>\n";
  }

  out += "<section id=\"coverage\"><h2>Coverage per source</h2>\n";
  for (uint32_t d = 0; d < n; ++d) {
    const DocumentCoverage& cov = r.coverage[d];
    absl::StrAppend(&out, "<h3 id=\"source-", d, "\">", H(r.documents[d].id), "</h3><p>In ",
                    cov.shared, " shared claims. Lacks ", cov.lacks, " shared claims");
    for (size_t k = 0; k < cov.missing.size(); ++k) {
      const std::string& id = r.clusters[cov.missing[k]].id;
      absl::StrAppend(&out, k ? ", " : ": ", "<a href=\"#", id, "\">", id, "</a>");
    }
    absl::StrAppend(&out, ".</p><details><summary>says alone (", cov.only_here.size(),
                    ")</summary><ul>");
    for (uint32_t sp : cov.only_here) {
      const Span& span = r.spans[sp];
      absl::StrAppend(&out, "<li dir=\"auto\">#", span.index, ": ",
                      H(SpanText(r.documents[span.doc], span)), "</li>");
    }
    out += "</ul></details>\n";
    o.Spill();
  }
  out += "</section>\n";

  if (!r.errors.empty()) {
    absl::StrAppend(&out, "<section id=\"errors\"><h2>Input problems (", r.errors.size(),
                    ")</h2><ul>");
    for (const InputError& e : r.errors)
      absl::StrAppend(&out, "<li>", H(FormatInputError(e)), "</li>");
    out += "</ul></section>\n";
  }
  absl::StrAppend(&out, "<footer>claimdiff ", std::string(kVersion), " · ",
                  std::string(kReportSchema), "</footer>\n<script>");
  out += kScript;
  out += "</script>\n</body>\n</html>\n";
  o.Finish();
}

}  // namespace

std::string RenderHtml(const Report& report, const RenderOptions& options) {
  internal::Output o;
  WriteHtml(report, options, o);
  return std::move(o.text);
}

void RenderHtml(const Report& report, const RenderOptions& options, std::ostream& out) {
  internal::Output o(&out);
  WriteHtml(report, options, o);
}

}  // namespace claimdiff
