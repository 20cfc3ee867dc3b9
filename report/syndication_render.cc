// The views of a SyndicationReport: JSON (claimdiff/syndication-v1), text, Markdown, HTML.
#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "rapidjson/prettywriter.h"
#include "report/internal/json_writer.h"
#include "report/internal/view.h"
#include "report/report.h"
#include "report/syndication.h"

namespace claimdiff {
namespace {

using internal::Key;
using internal::Number;
using internal::OptionalString;
using internal::String;
using internal::WriteFirstAndPassages;

constexpr size_t kPassagesShown = 5;  // per pair, in the views for people
constexpr size_t kExcerptBytes = 160;

struct StringOut {
  using Ch = char;
  std::string* out;
  void Put(char c) { out->push_back(c); }
  void Flush() {}
};
using Writer = rapidjson::PrettyWriter<StringOut>;

std::string Percent(double x) { return absl::StrFormat("%.0f%%", 100.0 * x); }

// The start of a passage's text on one line, cut at a character boundary, made inert.
std::string Excerpt(const Document& doc, uint32_t start, uint32_t end) {
  std::string_view text = std::string_view(doc.text).substr(start, end - start);
  bool cut = false;
  if (text.size() > kExcerptBytes) {
    size_t k = kExcerptBytes;
    while (k > 0 && (static_cast<unsigned char>(text[k]) & 0xC0) == 0x80) --k;
    text = text.substr(0, k);
    cut = true;
  }
  std::string out;
  for (char c : text) out.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
  out = internal::Inert(out);
  if (cut) out.append("…");
  return out;
}

std::string Dated(const Document& doc) {
  std::string out = internal::Inert(doc.id);
  if (doc.published) absl::StrAppend(&out, " (", internal::Inert(*doc.published), ")");
  return out;
}

size_t Shown(size_t total, size_t limit) { return limit == 0 ? total : std::min(total, limit); }

struct Counts {
  size_t copy = 0, shared = 0, partial = 0;
};
Counts CountLabels(const SyndicationReport& r) {
  Counts c;
  for (const SyndicationPair& p : r.pairs) {
    (p.label == ReuseLabel::kCopy           ? c.copy
     : p.label == ReuseLabel::kSharedSource ? c.shared
                                            : c.partial)++;
  }
  return c;
}

std::string Summary(const SyndicationReport& r) {
  const Counts c = CountLabels(r);
  return absl::StrCat(r.documents.size(), " documents; ", r.pairs.size(),
                      " pairs share text: ", c.copy, " copies, ", c.shared, " shared source, ",
                      c.partial, " partial reuse; ", r.families.size(), " families");
}

std::string FirstOf(const SyndicationReport& r, const SyndicationPair& p) {
  if (!p.first) return "unknown";
  return Dated(r.documents[*p.first]);
}

std::string EarliestOf(const SyndicationReport& r, const SyndicationFamily& f) {
  if (!f.earliest) return "unknown";
  return Dated(r.documents[*f.earliest]);
}

std::string MemberList(const SyndicationReport& r, const SyndicationFamily& f) {
  std::string out;
  for (size_t k = 0; k < f.members.size(); ++k) {
    if (k) out.append(", ");
    out.append(internal::Inert(r.documents[f.members[k]].id));
  }
  return out;
}

}  // namespace

std::string RenderSyndicationJson(const SyndicationReport& r, size_t limit) {
  std::string out;
  StringOut stream{&out};
  Writer w(stream);
  w.SetIndent(' ', 2);
  w.StartObject();
  Key(w, "schema");
  String(w, kSyndicationSchema);
  Key(w, "generator");
  w.StartObject();
  Key(w, "name");
  String(w, "claimdiff");
  Key(w, "version");
  String(w, kVersion);
  w.EndObject();
  Key(w, "documents");
  w.StartArray();
  for (const Document& d : r.documents) {
    w.StartObject();
    Key(w, "id");
    String(w, d.id);
    Key(w, "title");
    String(w, d.title);
    OptionalString(w, "outlet", d.outlet);
    OptionalString(w, "published", d.published);
    Key(w, "source");
    String(w, d.source);
    w.EndObject();
  }
  w.EndArray();
  Key(w, "pairs");
  w.StartArray();
  for (size_t k = 0; k < Shown(r.pairs.size(), limit); ++k) {
    const SyndicationPair& p = r.pairs[k];
    w.StartObject();
    Key(w, "a");
    String(w, r.documents[p.a].id);
    Key(w, "b");
    String(w, r.documents[p.b].id);
    Key(w, "a_in_b");
    Number(w, p.a_in_b);
    Key(w, "b_in_a");
    Number(w, p.b_in_a);
    Key(w, "shared_spans");
    w.Uint(p.shared_spans);
    Key(w, "label");
    String(w, ReuseLabelName(p.label));
    WriteFirstAndPassages(w, r.documents, p.first, p.passages);
    w.EndObject();
  }
  w.EndArray();
  Key(w, "families");
  w.StartArray();
  for (size_t k = 0; k < Shown(r.families.size(), limit); ++k) {
    const SyndicationFamily& f = r.families[k];
    w.StartObject();
    Key(w, "members");
    w.StartArray();
    for (uint32_t d : f.members) String(w, r.documents[d].id);
    w.EndArray();
    Key(w, "earliest");
    if (f.earliest) {
      String(w, r.documents[*f.earliest].id);
    } else {
      w.Null();
    }
    w.EndObject();
  }
  w.EndArray();
  Key(w, "errors");
  w.StartArray();
  for (const InputError& e : r.errors) {
    w.StartObject();
    Key(w, "source");
    String(w, e.source);
    Key(w, "line");
    w.Int64(e.line);
    Key(w, "message");
    String(w, e.message);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  out.push_back('\n');
  return out;
}

std::string RenderSyndicationText(const SyndicationReport& r, size_t limit) {
  std::string out = absl::StrCat("Syndication: ", Summary(r), "\n");
  if (!r.families.empty()) {
    out += "\nFamilies (versions of one story)\n";
    for (size_t k = 0; k < Shown(r.families.size(), limit); ++k) {
      const SyndicationFamily& f = r.families[k];
      absl::StrAppend(&out, "  ", k + 1, ". ", f.members.size(), " versions, earliest ",
                      EarliestOf(r, f), ": ", MemberList(r, f), "\n");
    }
  }
  if (!r.pairs.empty()) out += "\nPairs\n";
  for (size_t k = 0; k < Shown(r.pairs.size(), limit); ++k) {
    const SyndicationPair& p = r.pairs[k];
    const Document& a = r.documents[p.a];
    const Document& b = r.documents[p.b];
    absl::StrAppend(&out, "  ", k + 1, ". ", std::string(ReuseLabelName(p.label)), ": ",
                    internal::Inert(a.id), " / ", internal::Inert(b.id), "\n     ",
                    Percent(p.a_in_b), " of ", internal::Inert(a.id), " is in ",
                    internal::Inert(b.id), ", ", Percent(p.b_in_a), " the other way; ",
                    p.shared_spans, " shared spans; first: ", FirstOf(r, p), "\n");
    for (size_t s = 0; s < std::min(p.passages.size(), kPassagesShown); ++s) {
      const Passage& q = p.passages[s];
      absl::StrAppend(&out, "     [", q.a_start, ",", q.a_end, ") ~ [", q.b_start, ",", q.b_end,
                      absl::StrFormat(") similarity %.2f: ", q.similarity),
                      Excerpt(a, q.a_start, q.a_end), "\n");
    }
    if (p.passages.size() > kPassagesShown) {
      absl::StrAppend(&out, "     (", p.passages.size() - kPassagesShown,
                      " more passages in the JSON report)\n");
    }
  }
  if (Shown(r.pairs.size(), limit) < r.pairs.size()) {
    absl::StrAppend(&out, "\n(", r.pairs.size() - Shown(r.pairs.size(), limit),
                    " more pairs in the JSON report)\n");
  }
  for (const InputError& e : r.errors) {
    absl::StrAppend(&out, "input problem: ", internal::Inert(FormatInputError(e)), "\n");
  }
  return out;
}

std::string RenderSyndicationMarkdown(const SyndicationReport& r, size_t limit) {
  auto md = [](std::string_view s) {
    std::string out;
    for (char c : internal::Inert(s)) {
      if (std::string_view("\\`*_[]<>|#").find(c) != std::string_view::npos) out.push_back('\\');
      out.push_back(c);
    }
    return out;
  };
  std::string out = absl::StrCat("# Syndication\n\n", Summary(r), ".\n");
  if (!r.families.empty()) {
    out += "\n## Families\n\n| # | versions | earliest | members |\n|---|---|---|---|\n";
    for (size_t k = 0; k < Shown(r.families.size(), limit); ++k) {
      const SyndicationFamily& f = r.families[k];
      absl::StrAppend(&out, "| ", k + 1, " | ", f.members.size(), " | ", md(EarliestOf(r, f)),
                      " | ", md(MemberList(r, f)), " |\n");
    }
  }
  if (!r.pairs.empty()) {
    out +=
        "\n## Pairs\n\n| # | label | a | b | a in b | b in a | first | passages |\n"
        "|---|---|---|---|---|---|---|---|\n";
    for (size_t k = 0; k < Shown(r.pairs.size(), limit); ++k) {
      const SyndicationPair& p = r.pairs[k];
      absl::StrAppend(&out, "| ", k + 1, " | ", std::string(ReuseLabelName(p.label)), " | ",
                      md(r.documents[p.a].id), " | ", md(r.documents[p.b].id), " | ",
                      Percent(p.a_in_b), " | ", Percent(p.b_in_a), " | ", md(FirstOf(r, p)), " | ",
                      p.passages.size(), " |\n");
    }
    out += "\n## Passages\n";
    for (size_t k = 0; k < Shown(r.pairs.size(), limit); ++k) {
      const SyndicationPair& p = r.pairs[k];
      absl::StrAppend(&out, "\n### ", k + 1, ". ", md(r.documents[p.a].id), " / ",
                      md(r.documents[p.b].id), "\n\n");
      for (size_t s = 0; s < std::min(p.passages.size(), kPassagesShown); ++s) {
        const Passage& q = p.passages[s];
        absl::StrAppend(&out, "- bytes ", q.a_start, "-", q.a_end, " / ", q.b_start, "-", q.b_end,
                        absl::StrFormat(", similarity %.2f: ", q.similarity),
                        md(Excerpt(r.documents[p.a], q.a_start, q.a_end)), "\n");
      }
      if (p.passages.size() > kPassagesShown) {
        absl::StrAppend(&out, "- ", p.passages.size() - kPassagesShown,
                        " more passages in the JSON report\n");
      }
    }
  }
  for (const InputError& e : r.errors) {
    absl::StrAppend(&out, "\nInput problem: ", md(FormatInputError(e)), "\n");
  }
  return out;
}

std::string RenderSyndicationHtml(const SyndicationReport& r, size_t limit) {
  auto H = [](std::string_view s) { return internal::HtmlEscape(internal::Inert(s)); };
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<meta "
      "name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
      "<title>claimdiff syndication</title>\n<style>"
      ":root{--bg:#fff;--fg:#1d1f23;--muted:#5f6570;--line:#d8dbe0;--card:#f6f7f9}"
      "@media (prefers-color-scheme:dark){:root{--bg:#15171a;--fg:#e6e8eb;--muted:#9aa1ab;"
      "--line:#33373d;--card:#1f2226}}"
      "body{background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,sans-serif;"
      "max-width:70em;margin:2em auto;padding:0 1em}"
      "table{border-collapse:collapse}td,th{border:1px solid var(--line);padding:.3em .6em;"
      "text-align:start}.note{color:var(--muted)}.pair{background:var(--card);padding:.6em 1em;"
      "margin:1em 0;border-radius:6px}blockquote{margin:.3em 0 .3em 1em}"
      "</style></head><body>\n<h1>Syndication</h1>\n";
  absl::StrAppend(&out, "<p>", H(Summary(r)), ".</p>\n");
  if (!r.families.empty()) {
    out +=
        "<section id=\"families\"><h2>Families</h2><table><tr><th>#</th><th>versions</th>"
        "<th>earliest</th><th>members</th></tr>\n";
    for (size_t k = 0; k < Shown(r.families.size(), limit); ++k) {
      const SyndicationFamily& f = r.families[k];
      absl::StrAppend(&out, "<tr><td>", k + 1, "</td><td>", f.members.size(), "</td><td>",
                      H(EarliestOf(r, f)), "</td><td dir=\"auto\">", H(MemberList(r, f)),
                      "</td></tr>\n");
    }
    out += "</table></section>\n";
  }
  out += "<section id=\"pairs\"><h2>Pairs</h2>\n";
  for (size_t k = 0; k < Shown(r.pairs.size(), limit); ++k) {
    const SyndicationPair& p = r.pairs[k];
    const Document& a = r.documents[p.a];
    absl::StrAppend(&out, "<div class=\"pair\" id=\"pair-", p.a, "-", p.b, "\"><h3>", k + 1, ". ",
                    std::string(ReuseLabelName(p.label)), ": ", H(a.id), " / ",
                    H(r.documents[p.b].id), "</h3><p>", Percent(p.a_in_b), " of ", H(a.id),
                    " is in ", H(r.documents[p.b].id), ", ", Percent(p.b_in_a),
                    " the other way; first: ", H(FirstOf(r, p)), "</p>\n");
    for (size_t s = 0; s < std::min(p.passages.size(), kPassagesShown); ++s) {
      const Passage& q = p.passages[s];
      absl::StrAppend(&out, "<blockquote dir=\"auto\">", H(Excerpt(a, q.a_start, q.a_end)),
                      absl::StrFormat(" <span class=\"note\">(bytes %u-%u / %u-%u, "
                                      "similarity %.2f)</span>",
                                      q.a_start, q.a_end, q.b_start, q.b_end, q.similarity),
                      "</blockquote>\n");
    }
    out += "</div>\n";
  }
  out += "</section>\n</body></html>\n";
  return out;
}

}  // namespace claimdiff
