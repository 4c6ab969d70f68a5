#pragma once
// Kernel two-sample statistics: the Gaussian-kernel MMD^2 with a permutation test, and KID
// (the cubic polynomial kernel MMD^2 averaged over subsets, Binkowski et al. 2018).
//
// Unbiased MMD^2 of X (n) and Y (m) under kernel k:
//   sum_{i!=j} k(x_i,x_j) / (n(n-1)) + sum_{i!=j} k(y_i,y_j) / (m(m-1)) - 2 sum_{i,j} k(x_i,y_j) / (nm)
#include <cstdint>

#include "logp/eval/sample_metrics/metric_value.hpp"

namespace logp {

struct MmdOptions {
  Index permutations = 500;   // B permutations of the test
  Index test_subset = 1000;   // at most this many of each set enter the permutation test
  double bandwidth = 0.0;     // sigma of exp(-d^2 / (2 sigma^2)); 0: the median heuristic
  std::uint64_t seed = 0;     // subsets and permutations
};

// Gaussian-kernel MMD^2 on all of real (F x N) and samples (F x M), kernel sums blocked through
// GEMMs in double. sigma (unless given) is the median pairwise Euclidean distance over the
// pooled test subset: min(N, test_subset) real and min(M, test_subset) samples, drawn with the
// seed. The p-value is (1 + #{T_b >= T}) / (1 + B) over B label permutations of that pooled
// subset, T its own MMD^2 (the whole sets when they fit in the subset). spread: std of T_b, the
// statistic's scale under the null at the subset's size.
MetricValue mmd2_gaussian(MatrixDRef real, MatrixDRef samples, const MmdOptions& options = {});

struct KidOptions {
  Index subsets = 100;
  Index subset_size = 1000;  // capped at min(N, M), and the result says so
  std::uint64_t seed = 0;
};

// KID: unbiased MMD^2 with k(x, y) = (x^T y / F + 1)^3, mean and std over subsets drawn without
// replacement within each subset (subset s draws from Rng(seed).split(s)).
MetricValue kid(MatrixDRef real, MatrixDRef samples, const KidOptions& options = {});

// Unbiased MMD^2 from a pooled (n + m) x (n + m) kernel matrix whose first n points are X.
double unbiased_mmd2(const MatrixD& pooled_kernel, Index n);

}  // namespace logp
