#pragma once
// The Parzen-window log-likelihood (Breuleux et al. 2011; the GAN papers' table): a Gaussian
// kernel density on the samples, bandwidth chosen on validation data, test data scored.
// LEGACY AND UNRELIABLE (Theis et al. 2016): it ranks models poorly even with many samples;
// it is printed for comparison with old papers only, and labelled so.
//
//   log p(x) = log sum_j exp(-||x - y_j||^2 / (2 s^2)) - log M - (F/2) log(2 pi s^2)   (nats)
#include <vector>

#include "logp/eval/sample_metrics/metric_value.hpp"

namespace logp {

struct ParzenOptions {
  // Candidate bandwidths; empty: 10 values log-spaced over [s/20, 2 s], s = the root mean
  // per-feature variance of the samples.
  std::vector<double> bandwidths;
};

// samples: F x M (kernel centres), valid: F x V (chooses the bandwidth), test: F x T (scored).
// value: mean test log-likelihood in nats per example; spread: its s.e.; n_real: T.
MetricValue parzen_log_likelihood(MatrixDRef samples, MatrixDRef valid, MatrixDRef test,
                                  const ParzenOptions& options = {});

// Per-column log p for each bandwidth: bandwidths.size() x Q (nats). Blocked, TBB-parallel.
MatrixD parzen_log_prob(MatrixDRef samples, MatrixDRef queries, const std::vector<double>& bandwidths);

}  // namespace logp
