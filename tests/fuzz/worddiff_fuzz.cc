// The word diff. Input: two texts separated by a NUL byte; the first byte picks small limits.
// Properties: tokens lie inside their text; chunks are non-empty, alternate between equal and
// edit, tile both (truncated) sequences in order, and equal chunks hold equal keys.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/normalize.h"
#include "core/utf8.h"
#include "report/worddiff.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const size_t cut = std::min(input.find('\0'), input.size());
  const std::string_view a = input.substr(0, cut);
  const std::string_view b = cut < input.size() ? input.substr(cut + 1) : std::string_view();
  if (claimdiff::FindInvalidUtf8(a) || claimdiff::FindInvalidUtf8(b)) return 0;
  static const claimdiff::Normalizer normalizer = *claimdiff::Normalizer::Create();
  const std::vector<claimdiff::DiffToken> ref = claimdiff::DiffTokens(normalizer, a, 100);
  const std::vector<claimdiff::DiffToken> mem = claimdiff::DiffTokens(normalizer, b, 0);
  for (const claimdiff::DiffToken& t : ref)
    FUZZ_CHECK(t.begin >= 100 && t.begin < t.end && t.end <= 100 + a.size());
  for (const claimdiff::DiffToken& t : mem) FUZZ_CHECK(t.begin < t.end && t.end <= b.size());

  claimdiff::WordDiffOptions options;
  if (data[0] & 0x80) {
    options.max_tokens = 1 + (data[0] & 0x0F);
    options.max_edit_distance = (data[0] >> 4) & 0x07;
  }
  const claimdiff::WordDiff diff = claimdiff::DiffWords(ref, mem, options);
  const size_t n = std::min(ref.size(), options.max_tokens);
  const size_t m = std::min(mem.size(), options.max_tokens);
  FUZZ_CHECK(diff.truncated == (n < ref.size() || m < mem.size()));
  uint32_t r = 0, k = 0;
  for (size_t i = 0; i < diff.chunks.size(); ++i) {
    const claimdiff::DiffChunk& c = diff.chunks[i];
    FUZZ_CHECK(c.ref_begin == r && c.mem_begin == k);
    FUZZ_CHECK(c.ref_begin <= c.ref_end && c.mem_begin <= c.mem_end);
    FUZZ_CHECK(c.ref_end > c.ref_begin || c.mem_end > c.mem_begin);
    switch (c.op) {
      case claimdiff::DiffOp::kEqual:
        FUZZ_CHECK(c.ref_end - c.ref_begin == c.mem_end - c.mem_begin);
        for (uint32_t j = 0; j < c.ref_end - c.ref_begin; ++j) {
          FUZZ_CHECK(ref[c.ref_begin + j].key == mem[c.mem_begin + j].key);
        }
        break;
      case claimdiff::DiffOp::kDelete:
        FUZZ_CHECK(c.mem_begin == c.mem_end);
        break;
      case claimdiff::DiffOp::kInsert:
        FUZZ_CHECK(c.ref_begin == c.ref_end);
        break;
      case claimdiff::DiffOp::kReplace:
        FUZZ_CHECK(c.ref_begin < c.ref_end && c.mem_begin < c.mem_end);
        break;
    }
    if (i > 0) {
      FUZZ_CHECK((c.op == claimdiff::DiffOp::kEqual) !=
                 (diff.chunks[i - 1].op == claimdiff::DiffOp::kEqual));
    }
    r = c.ref_end;
    k = c.mem_end;
  }
  FUZZ_CHECK(r == n && k == m);
  return 0;
}
