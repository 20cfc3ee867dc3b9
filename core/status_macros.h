// Early-return helpers for absl::Status and absl::StatusOr.
//
// Debian 12's Abseil (20220623) ships Status and StatusOr but not the status macros, so the
// project carries these two. They evaluate their argument exactly once.
//
//   CLAIMDIFF_RETURN_IF_ERROR(WriteHeader(out));
//   CLAIMDIFF_ASSIGN_OR_RETURN(Document doc, ParseTextDocument(name, bytes));
#ifndef CLAIMDIFF_CORE_STATUS_MACROS_H_
#define CLAIMDIFF_CORE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define CLAIMDIFF_RETURN_IF_ERROR(expr)                    \
  do {                                                     \
    const ::absl::Status claimdiff_status_ = (expr);       \
    if (!claimdiff_status_.ok()) return claimdiff_status_; \
  } while (false)

#define CLAIMDIFF_STATUS_CONCAT_INNER_(a, b) a##b
#define CLAIMDIFF_STATUS_CONCAT_(a, b) CLAIMDIFF_STATUS_CONCAT_INNER_(a, b)

#define CLAIMDIFF_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                     \
  if (!tmp.ok()) return tmp.status();                    \
  lhs = std::move(tmp).value()

#define CLAIMDIFF_ASSIGN_OR_RETURN(lhs, expr)                                                    \
  CLAIMDIFF_ASSIGN_OR_RETURN_IMPL_(CLAIMDIFF_STATUS_CONCAT_(claimdiff_statusor_, __LINE__), lhs, \
                                   expr)

#endif  // CLAIMDIFF_CORE_STATUS_MACROS_H_
