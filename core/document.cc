#include "core/document.h"

namespace claimdiff {

std::string_view SpanKindName(SpanKind kind) {
  switch (kind) {
    case SpanKind::kTitle:
      return "title";
    case SpanKind::kHeading:
      return "heading";
    case SpanKind::kDateline:
      return "dateline";
    case SpanKind::kSentence:
      return "sentence";
    case SpanKind::kClause:
      return "clause";
  }
  return "sentence";
}

}  // namespace claimdiff
