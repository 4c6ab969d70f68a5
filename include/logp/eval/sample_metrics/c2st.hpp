#pragma once
// Classifier two-sample test (Lopez-Paz and Oquab 2017) with a k-nearest-neighbour classifier.
//
// n = min(N, M) examples of each set are drawn with the seed and cut in two: floor(n/2) of each
// (balanced, labelled real/sample) train, the other n - floor(n/2) of each are held out and
// classified by majority vote of their k nearest training points. With n_test held-out examples
// in all, the null accuracy is ~ N(1/2, 1/(4 n_test)); the p-value is one-sided, P(acc' >= acc).
#include <cstdint>

#include "logp/eval/sample_metrics/metric_value.hpp"

namespace logp {

struct C2stOptions {
  Index k = 5;             // odd: no tied votes
  std::uint64_t seed = 0;  // which examples train and which test
};

// real: F x N, samples: F x M. value: held-out accuracy (0.5: indistinguishable, 1: always told
// apart); spread: its binomial s.e. sqrt(acc (1 - acc) / n_test); n_real and n_samples count the
// held-out examples of each kind.
MetricValue classifier_two_sample_test(MatrixDRef real, MatrixDRef samples, const C2stOptions& options = {});

}  // namespace logp
