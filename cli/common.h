// What every claimdiff subcommand shares: exit codes, whole-string number parsing, and how
// input problems are reported.
#ifndef CLAIMDIFF_CLI_COMMON_H_
#define CLAIMDIFF_CLI_COMMON_H_

#include <charconv>
#include <iostream>
#include <string_view>
#include <system_error>
#include <vector>

#include "core/ingest.h"

namespace claimdiff::cli {

constexpr int kOk = 0;           // every input read, output written
constexpr int kInputErrors = 1;  // some inputs could not be read; the output covers the rest
constexpr int kUsage = 2;        // bad command line
constexpr int kFatal = 3;        // nothing to work on, --strict stop, or output not writable

// `s` whole as a number of type T (no sign, space or suffix left over).
template <typename T>
bool ParseNumber(std::string_view s, T* out) {
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, *out);
  return ec == std::errc() && ptr == end;
}

// "--name=value" splits into *name and *value (true); any other argument is left whole (false).
inline bool SplitInlineValue(std::string_view* name, std::string_view* value) {
  const std::string_view a = *name;
  const size_t eq = a.find('=');
  if (a.size() <= 2 || a.substr(0, 2) != "--" || eq == std::string_view::npos) return false;
  *value = a.substr(eq + 1);
  *name = a.substr(0, eq);
  return true;
}

// Prints each input problem on stderr. kFatal when --strict met one, or when nothing could be
// read (`nothing_read`, said with `nothing_message`); kOk otherwise (the caller turns remaining
// problems into kInputErrors once the output is written).
inline int CheckInputs(const std::vector<InputError>& errors, bool strict, bool nothing_read,
                       std::string_view nothing_message) {
  for (const InputError& e : errors) std::cerr << "claimdiff: " << FormatInputError(e) << "\n";
  if (strict && !errors.empty()) {
    std::cerr << "claimdiff: stopped (--strict): " << errors.size() << " input problem"
              << (errors.size() == 1 ? "" : "s") << "\n";
    return kFatal;
  }
  if (nothing_read) {
    std::cerr << "claimdiff: " << nothing_message << "\n";
    return kFatal;
  }
  return kOk;
}

}  // namespace claimdiff::cli

#endif  // CLAIMDIFF_CLI_COMMON_H_
