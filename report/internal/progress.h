// Progress within one stage of the pipeline: counts work done from any thread and hands
// CompareOptions::step a (done, total) about every percent, never concurrently.
//
//   StepProgress step(options, "vectors", n);
//   ParallelFor(n, threads, [&](size_t begin, size_t end) {
//     for (size_t i = begin; i < end; ++i) { Work(i); step.Add(1); }
//   });
//   step.Finish();
//
// Internal to the report module. Costs one relaxed atomic add per Add when a callback is set,
// nothing otherwise.
#ifndef CLAIMDIFF_REPORT_INTERNAL_PROGRESS_H_
#define CLAIMDIFF_REPORT_INTERNAL_PROGRESS_H_

#include <atomic>
#include <cstddef>
#include <mutex>
#include <string_view>

#include "report/report.h"

namespace claimdiff::internal {

class StepProgress {
 public:
  StepProgress(const CompareOptions& options, std::string_view stage, size_t total)
      : options_(options), stage_(stage), total_(total), every_(total / 100 + 1) {
    if (options_.step) options_.step(stage_, 0, total_);
  }
  StepProgress(const StepProgress&) = delete;
  StepProgress& operator=(const StepProgress&) = delete;

  // Records `k` more units done; thread-safe.
  void Add(size_t k) {
    if (!options_.step) return;
    const size_t before = done_.fetch_add(k, std::memory_order_relaxed);
    const size_t after = before + k;
    if (before / every_ == after / every_) return;
    std::scoped_lock lock(mu_);
    // Reports never go backwards, whatever order threads get the lock in.
    const size_t now = done_.load(std::memory_order_relaxed);
    if (now <= reported_) return;
    reported_ = now;
    options_.step(stage_, now, total_);
  }

  // Reports the stage complete (done = total).
  void Finish() {
    if (!options_.step) return;
    std::scoped_lock lock(mu_);
    reported_ = total_;
    options_.step(stage_, total_, total_);
  }

 private:
  const CompareOptions& options_;
  std::string_view stage_;
  size_t total_;
  size_t every_;
  std::atomic<size_t> done_{0};
  std::mutex mu_;
  size_t reported_ = 0;
};

}  // namespace claimdiff::internal

#endif  // CLAIMDIFF_REPORT_INTERNAL_PROGRESS_H_
