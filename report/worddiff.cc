#include "report/worddiff.h"

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "core/tokenize.h"

namespace claimdiff {
namespace {

// Token counts are kept below this so that diagonals and trace entries fit in int32_t.
constexpr size_t kMaxSide = size_t{1} << 30;

// Collects the edit script as runs, in order, and merges them into chunks: consecutive equal
// runs into one kEqual, consecutive deletions and insertions into one edit chunk.
class ChunkBuilder {
 public:
  void Equal(size_t n) {
    if (n == 0) return;
    const auto len = static_cast<uint32_t>(n);
    if (!chunks_.empty() && chunks_.back().op == DiffOp::kEqual) {
      chunks_.back().ref_end += len;
      chunks_.back().mem_end += len;
    } else {
      chunks_.push_back({DiffOp::kEqual, ref_, ref_ + len, mem_, mem_ + len});
    }
    ref_ += len;
    mem_ += len;
  }

  void Edit(size_t deleted, size_t inserted) {
    if (deleted == 0 && inserted == 0) return;
    if (chunks_.empty() || chunks_.back().op == DiffOp::kEqual) {
      chunks_.push_back({DiffOp::kEqual, ref_, ref_, mem_, mem_});
    }
    DiffChunk& c = chunks_.back();
    c.ref_end += static_cast<uint32_t>(deleted);
    c.mem_end += static_cast<uint32_t>(inserted);
    ref_ = c.ref_end;
    mem_ = c.mem_end;
    const bool del = c.ref_end > c.ref_begin;
    const bool ins = c.mem_end > c.mem_begin;
    c.op = del && ins ? DiffOp::kReplace : (del ? DiffOp::kDelete : DiffOp::kInsert);
  }

  std::vector<DiffChunk> Take() && { return std::move(chunks_); }

 private:
  uint32_t ref_ = 0;
  uint32_t mem_ = 0;
  std::vector<DiffChunk> chunks_;
};

// Myers' greedy algorithm on the edit graph of a (x, along the reference) and b (y, along the
// member). Step d holds, for each diagonal k = x - y in -d, -d+2, ..., d, the furthest x that a
// path with d edits reaches on k, or -1 when no such path stays inside the graph. Every step is
// kept so that the path can be traced back.
class Myers {
 public:
  Myers(std::span<const uint32_t> a, std::span<const uint32_t> b)
      : a_(a), b_(b), n_(static_cast<int64_t>(a.size())), m_(static_cast<int64_t>(b.size())) {}

  // Appends the shortest script to `out`, or, when it needs more than max_d edits, the best
  // path of max_d edits followed by one edit chunk for the rest of both sequences.
  void Run(size_t max_d, ChunkBuilder* out) {
    const int64_t limit =
        std::min<int64_t>(static_cast<int64_t>(std::min(max_d, kMaxSide)), n_ + m_);
    int64_t end_d = -1;
    int64_t end_k = 0;
    for (int64_t d = 0; d <= limit && end_d < 0; ++d) {
      trace_.resize(trace_.size() + static_cast<size_t>(d) + 1, -1);
      for (int64_t k = -d; k <= d; k += 2) {
        const Start s = StartOf(d, k);
        if (s.x < 0) continue;
        int64_t x = s.x;
        int64_t y = x - k;
        while (x < n_ && y < m_ && a_[static_cast<size_t>(x)] == b_[static_cast<size_t>(y)]) {
          ++x;
          ++y;
        }
        At(d, k) = static_cast<int32_t>(x);
        if (x == n_ && y == m_) {
          end_d = d;
          end_k = k;
          break;
        }
      }
    }
    if (end_d < 0) {  // Gave up: the path of `limit` edits that got furthest along both.
      end_d = limit;
      int64_t best = -1;
      for (int64_t k = -limit; k <= limit; k += 2) {
        const int64_t x = At(limit, k);
        if (x >= 0 && 2 * x - k > best) {
          best = 2 * x - k;
          end_k = k;
        }
      }
    }
    const int64_t end_x = At(end_d, end_k);
    TraceBack(end_d, end_k, out);
    out->Edit(static_cast<size_t>(n_ - end_x), static_cast<size_t>(m_ - (end_x - end_k)));
  }

 private:
  struct Start {
    int64_t x = -1;     // where step d enters diagonal k, before its snake; -1 if it cannot
    bool down = false;  // entered from diagonal k+1 (an insertion), else from k-1 (a deletion)
  };

  int32_t& At(int64_t d, int64_t k) {
    return trace_[static_cast<size_t>(d * (d + 1) / 2 + (k + d) / 2)];
  }

  int64_t Previous(int64_t d, int64_t k) {
    if (d == 0 || k < -(d - 1) || k > d - 1) return -1;
    return At(d - 1, k);
  }

  // The furthest entry onto diagonal k at step d; a deletion wins a tie.
  Start StartOf(int64_t d, int64_t k) {
    if (d == 0) return {0, false};
    Start s;
    const int64_t from_left = Previous(d, k - 1);
    if (from_left >= 0 && from_left + 1 <= n_) s = {from_left + 1, false};
    const int64_t from_above = Previous(d, k + 1);
    if (from_above >= 0 && from_above - k <= m_ && from_above > s.x) s = {from_above, true};
    return s;
  }

  void TraceBack(int64_t d, int64_t k, ChunkBuilder* out) {
    struct Step {
      int64_t snake;
      bool down;
    };
    std::vector<Step> steps;  // last step first
    steps.reserve(static_cast<size_t>(d) + 1);
    int64_t x = At(d, k);
    for (;; --d) {
      const Start s = StartOf(d, k);
      steps.push_back({x - s.x, s.down});
      if (d == 0) break;
      k += s.down ? 1 : -1;
      x = At(d - 1, k);
    }
    for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
      if (it != steps.rbegin()) out->Edit(it->down ? 0 : 1, it->down ? 1 : 0);
      out->Equal(static_cast<size_t>(it->snake));
    }
  }

  std::span<const uint32_t> a_;
  std::span<const uint32_t> b_;
  int64_t n_;
  int64_t m_;
  std::vector<int32_t> trace_;  // step d at d*(d+1)/2, diagonal k at (k+d)/2 within it
};

}  // namespace

std::vector<DiffToken> DiffTokens(const Normalizer& normalizer, std::string_view text,
                                  uint32_t base) {
  const NormalizedText m = normalizer.Normalize(text);
  const std::vector<Token> tokens = Tokenize(m.text);
  std::vector<DiffToken> out;
  out.reserve(tokens.size());
  for (const Token& t : tokens) {
    const auto [begin, end] = m.ToOriginal(t.begin, t.end);
    out.push_back({base + begin, base + end, std::string(TokenText(m.text, t))});
  }
  return out;
}

WordDiff DiffWords(const std::vector<DiffToken>& reference, const std::vector<DiffToken>& member,
                   const WordDiffOptions& options) {
  WordDiff out;
  const size_t limit = std::min(options.max_tokens, kMaxSide);
  const size_t n = std::min(reference.size(), limit);
  const size_t m = std::min(member.size(), limit);
  out.truncated = n < reference.size() || m < member.size();

  // Keys become small integers so that the inner loop compares words in constant time.
  absl::flat_hash_map<std::string_view, uint32_t> ids;
  auto id = [&ids](const DiffToken& t) {
    return ids.try_emplace(t.key, static_cast<uint32_t>(ids.size())).first->second;
  };
  std::vector<uint32_t> a(n);
  std::vector<uint32_t> b(m);
  for (size_t i = 0; i < n; ++i) a[i] = id(reference[i]);
  for (size_t i = 0; i < m; ++i) b[i] = id(member[i]);

  // A common prefix and suffix are part of every shortest script; setting them aside keeps D
  // and the trace to the part that differs.
  size_t prefix = 0;
  while (prefix < n && prefix < m && a[prefix] == b[prefix]) ++prefix;
  size_t suffix = 0;
  while (suffix < n - prefix && suffix < m - prefix && a[n - 1 - suffix] == b[m - 1 - suffix]) {
    ++suffix;
  }

  ChunkBuilder builder;
  builder.Equal(prefix);
  Myers(std::span<const uint32_t>(a).subspan(prefix, n - prefix - suffix),
        std::span<const uint32_t>(b).subspan(prefix, m - prefix - suffix))
      .Run(options.max_edit_distance, &builder);
  builder.Equal(suffix);
  out.chunks = std::move(builder).Take();
  return out;
}

}  // namespace claimdiff
