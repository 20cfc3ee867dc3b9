// Views of a Report: JSON for machines; terminal text, Markdown and a self-contained HTML page
// for people.
//
//   RenderOptions view;                       // view.only = Verdict::kConflict; view.limit = 20;
//   std::string json = RenderJson(report, view);  // report/report-v1.schema.json
//   std::string text = RenderText(report, view);  // view.color for a terminal
//   std::string md = RenderMarkdown(report, view);
//   std::string html = RenderHtml(report, view);  // one file: inline CSS and JS, no requests
//
// Renderers only draw the Report (its clusters, verdicts, word diffs, coverage and summary);
// the same Report and options always give the same bytes. Article text is untrusted: every
// renderer neutralizes bidirectional and other invisible format controls (shown as ⟦U+202E⟧),
// and the HTML renderer escapes every character that could open markup.
#ifndef CLAIMDIFF_REPORT_RENDER_H_
#define CLAIMDIFF_REPORT_RENDER_H_

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>

#include "report/report.h"

namespace claimdiff {

struct RenderOptions {
  // Only claims with this verdict (single, agree or conflict); every claim when unset.
  std::optional<Verdict> only;
  // At most this many claims, in report order (0: all). The summary always counts them all.
  size_t limit = 0;
  // ANSI colours in RenderText (the CLI turns them on for a terminal unless NO_COLOR is set).
  bool color = false;
};

// The report as JSON (`claimdiff/report-v1`), pretty-printed, ending with a newline. With a
// filter, `clusters` holds the selected claims only and spans name only those.
std::string RenderJson(const Report& report, const RenderOptions& options = {});

// For a terminal: the summary, then each claim (verdict, conflicts, every source's wording as
// a word diff against the reference: [-dropped-] {+added+}), hidden conflicts, coverage per
// source, the source matrix and input problems.
std::string RenderText(const Report& report, const RenderOptions& options = {});

// The same content as Markdown (word diffs as ~~dropped~~ and **added**).
std::string RenderMarkdown(const Report& report, const RenderOptions& options = {});

// The same content as one self-contained HTML page: a heatmap of the sources, claim cards with
// verdict badges and word diffs, filters by verdict, a search box, an anchor per claim,
// right-to-left where the text is, light and dark themes, printable.
std::string RenderHtml(const Report& report, const RenderOptions& options = {});

// The same bytes as the functions above, written to `out` as they are produced (in pieces of
// 64 KiB for JSON, about 1 MiB for the other views), so a large report is never held whole in
// memory. Write errors are left in `out`'s state for the caller to check.
void RenderJson(const Report& report, const RenderOptions& options, std::ostream& out);
void RenderText(const Report& report, const RenderOptions& options, std::ostream& out);
void RenderMarkdown(const Report& report, const RenderOptions& options, std::ostream& out);
void RenderHtml(const Report& report, const RenderOptions& options, std::ostream& out);

}  // namespace claimdiff

#endif  // CLAIMDIFF_REPORT_RENDER_H_
