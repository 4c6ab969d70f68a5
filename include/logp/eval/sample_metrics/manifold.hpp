#pragma once
// k-NN manifold metrics: precision and recall (Kynkaanniemi et al. 2019, the NVlabs reference:
// k = 3, membership d <= radius) and density and coverage (Naeem et al. 2020, the clovaai prdc
// reference: k = 5, membership d < radius). The radius of a point is the Euclidean distance to
// its k-th nearest other point of its own set.
//
//   precision = fraction of samples inside the real manifold (some real x_i with d(y, x_i) <= r_i)
//   recall    = fraction of real examples inside the sample manifold
//   density   = 1/(k M) sum_j #{i : d(y_j, x_i) < r_i}   (about 1 when the sets match)
//   coverage  = fraction of real x_i whose nearest sample is closer than r_i  (about 1 - 2^-k)
#include "logp/eval/sample_metrics/metric_value.hpp"

namespace logp {

struct ManifoldOptions {
  Index pr_k = 3;  // precision and recall
  Index dc_k = 5;  // density and coverage
};

struct ManifoldMetrics {
  MetricValue precision, recall, density, coverage;
};

// real: F x N, samples: F x M (N, M > k). Spreads are the standard errors of each mean over the
// examples it averages (samples for precision and density, real for recall and coverage),
// conditional on the other set.
ManifoldMetrics manifold_metrics(MatrixDRef real, MatrixDRef samples, const ManifoldOptions& options = {});

}  // namespace logp
