// Shared by the libFuzzer targets: a property check that aborts (so libFuzzer records the
// input as a crash) with the property that failed.
#ifndef CLAIMDIFF_TESTS_FUZZ_FUZZ_CHECK_H_
#define CLAIMDIFF_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                               \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                    \
    }                                                                                  \
  } while (false)

#endif  // CLAIMDIFF_TESTS_FUZZ_FUZZ_CHECK_H_
