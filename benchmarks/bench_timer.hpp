#pragma once
// Timing helper for benchmarks: the best of `repeats` wall-clock runs (seconds), which is the
// least noisy statistic on a shared machine.
#include <algorithm>
#include <chrono>
#include <limits>

namespace logp::bench {

template <typename Fn>
double best_seconds(int repeats, Fn&& fn) {
  double best = std::numeric_limits<double>::infinity();
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    fn();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

}  // namespace logp::bench
