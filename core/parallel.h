// Running independent work on several threads, with results that do not depend on how many.
//
//   ParallelFor(items.size(), threads, [&](size_t begin, size_t end) {
//     for (size_t i = begin; i < end; ++i) out[i] = Work(items[i]);  // each i written once
//   });
//
// The range [0, n) is cut into contiguous blocks handed to at most `threads` threads (0: all
// cores); the call returns when every block is done. Callers write results by index, so the
// output is the same for any thread count. `fn` must be safe to run concurrently on disjoint
// blocks.
#ifndef CLAIMDIFF_CORE_PARALLEL_H_
#define CLAIMDIFF_CORE_PARALLEL_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace claimdiff {

// The number of threads to use for `requested` (0: all cores, at least 1).
inline int ThreadCount(int requested) {
  if (requested > 0) return requested;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

template <typename Fn>
void ParallelFor(size_t n, int threads, const Fn& fn) {
  const size_t t =
      std::min<size_t>(static_cast<size_t>(ThreadCount(threads)), std::max<size_t>(n, 1));
  if (t <= 1 || n < 2) {
    if (n > 0) fn(size_t{0}, n);
    return;
  }
  // More blocks than threads balances uneven items; blocks are claimed in order.
  const size_t blocks = std::min(n, t * 8);
  // `next` is declared before `pool`: the threads are joined when `pool` is destroyed, and they
  // use `next` until then (declared after, it was destroyed first: a use after scope).
  std::atomic<size_t> next{0};
  std::vector<std::jthread> pool;
  for (size_t k = 0; k < t; ++k) {
    pool.emplace_back([&] {
      for (size_t b = next++; b < blocks; b = next++) {
        fn(n * b / blocks, n * (b + 1) / blocks);
      }
    });
  }
}

}  // namespace claimdiff

#endif  // CLAIMDIFF_CORE_PARALLEL_H_
