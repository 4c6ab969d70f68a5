#include "logp/eval/bootstrap.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "logp/core/error.hpp"
#include "logp/core/progress.hpp"
#include "logp/parallel/communicator.hpp"

namespace logp {

double sorted_quantile(const std::vector<double>& sorted, double q) {
  require(!sorted.empty(), "quantile of an empty sample");
  const double position = q * static_cast<double>(sorted.size() - 1);
  const size_t below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, sorted.size() - 1);
  const double fraction = position - static_cast<double>(below);
  return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

std::vector<Interval> bootstrap_intervals(Index resamples, double confidence, const Rng& rng, Index statistics,
                                          const std::function<void(Rng& r, double* out)>& replicate) {
  require(resamples >= 2, "bootstrap: need at least 2 resamples, got " + std::to_string(resamples));
  require(confidence > 0.0 && confidence < 1.0, "bootstrap: confidence must be in (0, 1), got " + std::to_string(confidence));
  // values: statistics x resamples, column b from replicate b (drawn from rng.split(b) alone). In a
  // parallel run rank r computes the columns rank_range(resamples, r, R) and every rank gathers all.
  MatrixD values(statistics, resamples);
  const Communicator& ranks = world();
  const RankRange mine = rank_range(resamples, ranks.rank(), ranks.size());
  Progress progress("bootstrap", mine.size(), "resamples");
  tbb::parallel_for(tbb::blocked_range<Index>(mine.begin, mine.end), [&](const tbb::blocked_range<Index>& range) {
    for (Index b = range.begin(); b < range.end(); ++b) {
      Rng r = rng.split(static_cast<std::uint64_t>(b));
      replicate(r, values.col(b).data());
    }
    progress.advance(range.size());  // thread-safe
  });
  if (ranks.size() > 1) {
    const std::vector<double> own(values.data() + mine.begin * statistics, values.data() + mine.end * statistics);
    std::vector<int> counts = rank_counts(resamples, ranks.size());
    for (int& count : counts) count *= static_cast<int>(statistics);
    ranks.all_gather(own, std::span<double>(values.data(), static_cast<std::size_t>(values.size())), counts);
  }
  std::vector<Interval> intervals;
  for (Index k = 0; k < statistics; ++k) {
    std::vector<double> sorted(static_cast<size_t>(resamples));
    for (Index b = 0; b < resamples; ++b) sorted[static_cast<size_t>(b)] = values(k, b);
    std::sort(sorted.begin(), sorted.end());
    intervals.push_back({sorted_quantile(sorted, (1.0 - confidence) / 2.0), sorted_quantile(sorted, (1.0 + confidence) / 2.0)});
  }
  return intervals;
}

Interval bootstrap_interval(Index resamples, double confidence, const Rng& rng,
                            const std::function<double(Rng& r)>& replicate) {
  return bootstrap_intervals(resamples, confidence, rng, 1, [&](Rng& r, double* out) { out[0] = replicate(r); }).front();
}

Interval bootstrap_mean_interval(ConstVectorRef values, Index resamples, double confidence, const Rng& rng) {
  const Index n = values.size();
  require(n >= 1, "bootstrap of a mean: no values");
  return bootstrap_interval(resamples, confidence, rng, [&](Rng& r) {
    double sum = 0.0;
    for (Index i = 0; i < n; ++i) sum += values(static_cast<Index>(r.uniform_index(static_cast<std::uint64_t>(n))));
    return sum / static_cast<double>(n);
  });
}

}  // namespace logp
