#pragma once
// Percentile bootstrap intervals, seeded and independent of the thread count: replicate b draws
// from rng.split(b), and replicates run in parallel.
#include <functional>
#include <vector>

#include "logp/core/rng.hpp"
#include "logp/core/types.hpp"

namespace logp {

struct Interval {
  double low = 0.0;
  double high = 0.0;
};

// replicate(r) computes the statistic on one resample drawn with r. Returns the (1 - confidence)/2
// and (1 + confidence)/2 quantiles (linear interpolation) of `resamples` replicates.
Interval bootstrap_interval(Index resamples, double confidence, const Rng& rng,
                            const std::function<double(Rng& r)>& replicate);

// The same for several statistics computed on each resample: replicate(r, out) fills out[0..k-1].
std::vector<Interval> bootstrap_intervals(Index resamples, double confidence, const Rng& rng, Index statistics,
                                          const std::function<void(Rng& r, double* out)>& replicate);

// The percentile interval of the mean of `values` (n draws with replacement per replicate).
Interval bootstrap_mean_interval(ConstVectorRef values, Index resamples, double confidence, const Rng& rng);

// The q-quantile (0 <= q <= 1) of sorted values, linear interpolation between order statistics.
double sorted_quantile(const std::vector<double>& sorted, double q);

}  // namespace logp
