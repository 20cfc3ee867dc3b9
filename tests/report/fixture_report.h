// Test helpers: the report of the five fixture articles, built once per test binary, and
// finding a span by document and wording.
#ifndef CLAIMDIFF_TESTS_REPORT_FIXTURE_REPORT_H_
#define CLAIMDIFF_TESTS_REPORT_FIXTURE_REPORT_H_

#include <string>
#include <string_view>

#include "core/ingest.h"
#include "gtest/gtest.h"
#include "report/report.h"

namespace claimdiff::testing_util {

inline const std::string& FixturesDir() {
  static const std::string dir = std::string(CLAIMDIFF_SOURCE_DIR) + "/fixtures/exchange-hack";
  return dir;
}

// The report of fixtures/exchange-hack with default options (built on first use).
inline const Report& FixtureReport() {
  static const Report report = [] {
    LocalFileSystem fs;
    LoadedInputs in = LoadInputs({FixturesDir()}, fs);
    EXPECT_TRUE(in.errors.empty());
    EXPECT_EQ(in.documents.size(), 5u);
    return *BuildReport(std::move(in.documents));
  }();
  return report;
}

// The span of the document whose id starts with `doc_prefix` and whose text contains `needle`.
inline uint32_t SpanWith(const Report& r, const std::string& doc_prefix, std::string_view needle) {
  for (uint32_t i = 0; i < r.spans.size(); ++i) {
    const Span& s = r.spans[i];
    const Document& d = r.documents[s.doc];
    if (d.id.rfind(doc_prefix, 0) == 0 && SpanText(d, s).find(needle) != std::string_view::npos) {
      return i;
    }
  }
  ADD_FAILURE() << "no span of " << doc_prefix << " contains " << needle;
  return 0;
}

}  // namespace claimdiff::testing_util

#endif  // CLAIMDIFF_TESTS_REPORT_FIXTURE_REPORT_H_
