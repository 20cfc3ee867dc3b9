// Views of a Report: JSON for machines, plain text for people.
//
//   std::string json = RenderJson(report);  // report/report-v1.schema.json
//   std::string text = RenderText(report);  // cross-source claims first
//
// Renderers only draw the Report; the same Report always gives the same bytes.
#ifndef CLAIMDIFF_REPORT_RENDER_H_
#define CLAIMDIFF_REPORT_RENDER_H_

#include <string>

#include "report/report.h"

namespace claimdiff {

// The report as JSON (`claimdiff/report-v1`), pretty-printed, ending with a newline.
std::string RenderJson(const Report& report);

// A summary for people: sources, then claims stated by two or more sources (each member with
// its document and wording), then repeats within one source, document pairs and input problems.
std::string RenderText(const Report& report);

}  // namespace claimdiff

#endif  // CLAIMDIFF_REPORT_RENDER_H_
