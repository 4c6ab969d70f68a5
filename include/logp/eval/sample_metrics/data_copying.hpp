#pragma once
// The nearest-neighbour data-copying test (Meehan, Chaudhuri and Dasgupta 2020, global form):
// a model that copies its training data puts its samples closer to the training set than
// held-out test data is.
//
// a_j = distance from sample j to its nearest training point (M values), b_i = the same for test
// example i (T values). Mann-Whitney U = #{(j, i) : a_j > b_i} + ties/2 (mid-ranks), and
// z = (U - M T / 2) / sd(U) with the tie-corrected variance. z << 0: samples are closer to the
// training data than test data is (copying); z >> 0: samples are farther (underfitting).
#include "logp/eval/sample_metrics/metric_value.hpp"

namespace logp {

// train: F x N, samples: F x M, test: F x T. value: z; p_value: one-sided P(Z <= z) (small means
// copying); spread: 1 (z is in standard-error units); n_real: T, n_samples: M.
MetricValue data_copying_test(MatrixDRef train, MatrixDRef samples, MatrixDRef test);

// The z of the Mann-Whitney U of a against b, as above (tie-corrected, no continuity correction).
double mann_whitney_z(const Vector& a, const Vector& b);

}  // namespace logp
