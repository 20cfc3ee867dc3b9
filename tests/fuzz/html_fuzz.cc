// The HTML renderer on hostile article text. Input: up to four documents' texts separated by
// NUL bytes; the first document's outlet, URL and title come from the second part too.
// Property: article text never acts in the page. Every '<' in the output opens a tag the
// renderer itself writes, and there is exactly one <script> and one <style> element, so no
// tag, script or style from the input survives unescaped.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/ingest.h"
#include "core/utf8.h"
#include "report/render.h"
#include "report/report.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

// The tags report/html.cc writes.
bool KnownTag(std::string_view name) {
  static constexpr std::array<std::string_view, 36> kTags = {
      "!doctype", "html", "head", "meta", "title", "style", "script", "body",    "header",
      "main",     "nav",  "div",  "span", "p",     "b",     "i",      "a",       "h1",
      "h2",       "h3",   "ul",   "li",   "table", "tr",    "td",     "th",      "section",
      "button",   "bdi",  "del",  "ins",  "mark",  "input", "label",  "details", "summary"};
  for (std::string_view t : kTags) {
    if (t == name) return true;
  }
  return name == "!--" || name == "article" || name == "blockquote" || name == "footer" ||
         name == "thead" || name == "tbody" || name == "small" || name == "em" ||
         name == "strong" || name == "code" || name == "br" || name == "ol" || name == "dl" ||
         name == "dt" || name == "dd" || name == "select" || name == "option" || name == "form" ||
         name == "time" || name == "abbr" || name == "sup";
}

size_t Count(std::string_view haystack, std::string_view needle) {
  size_t n = 0;
  for (size_t p = haystack.find(needle); p != std::string_view::npos;
       p = haystack.find(needle, p + 1)) {
    ++n;
  }
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> parts;
  while (parts.size() < 4) {
    const size_t cut = input.find('\0');
    parts.push_back(input.substr(0, cut));
    if (cut == std::string_view::npos) break;
    input.remove_prefix(cut + 1);
  }
  std::vector<claimdiff::Document> docs;
  for (size_t i = 0; i < parts.size(); ++i) {
    absl::StatusOr<claimdiff::Document> doc =
        claimdiff::ParseTextDocument("doc" + std::to_string(i), "fuzz", std::string(parts[i]));
    if (!doc.ok()) continue;
    if (docs.empty() && parts.size() > 1 && !claimdiff::FindInvalidUtf8(parts[1])) {
      doc->outlet = std::string(parts[1]);
      doc->url = std::string(parts[1]);
      doc->id = std::string(parts[1].substr(0, 40));
      if (claimdiff::FindInvalidUtf8(doc->id) || doc->id.empty()) doc->id = "doc0";
    }
    docs.push_back(*std::move(doc));
  }
  if (docs.empty()) return 0;
  std::sort(docs.begin(), docs.end(),
            [](const claimdiff::Document& a, const claimdiff::Document& b) { return a.id < b.id; });
  for (size_t i = 1; i < docs.size(); ++i) {
    if (docs[i].id == docs[i - 1].id) return 0;
  }
  claimdiff::CompareOptions options;
  options.threads = 1;
  std::vector<claimdiff::InputError> errors;
  errors.push_back({std::string(parts[0].substr(0, 64)), 1, 0, "<b>bad</b>"});
  if (claimdiff::FindInvalidUtf8(errors[0].source)) errors[0].source = "fuzz";
  absl::StatusOr<claimdiff::Report> report =
      claimdiff::BuildReport(std::move(docs), options, std::move(errors));
  FUZZ_CHECK(report.ok());
  const std::string html = claimdiff::RenderHtml(*report);
  FUZZ_CHECK(!claimdiff::FindInvalidUtf8(html).has_value());
  FUZZ_CHECK(Count(html, "<script") == 1 && Count(html, "</script") == 1);
  FUZZ_CHECK(Count(html, "<style") == 1 && Count(html, "</style") == 1);
  // Outside the renderer's own script and style, every '<' opens a known tag.
  const size_t script = html.find("<script");
  const size_t script_end = html.find("</script");
  const size_t style = html.find("<style");
  const size_t style_end = html.find("</style");
  for (size_t p = html.find('<'); p != std::string::npos; p = html.find('<', p + 1)) {
    if ((p > script && p < script_end) || (p > style && p < style_end)) continue;
    size_t b = p + 1;
    if (b < html.size() && html[b] == '/') ++b;
    size_t e = b;
    while (e < html.size() && (std::isalnum(static_cast<unsigned char>(html[e])) ||
                               html[e] == '!' || html[e] == '-')) {
      ++e;
    }
    if (!KnownTag(std::string_view(html).substr(b, e - b))) {
      std::fprintf(stderr, "unknown tag at %zu: %s\n", p, html.substr(p, 40).c_str());
      FUZZ_CHECK(false);
    }
  }
  return 0;
}
