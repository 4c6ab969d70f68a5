#pragma once
// Fréchet distance between Gaussians fitted to two feature sets (FID when the features are
// Inception's; here, whatever feature space the caller states).
//
//   FID = ||mu_r - mu_s||^2 + tr(S_r) + tr(S_s) - 2 tr((S_r^1/2 S_s S_r^1/2)^1/2)
//
// with means and covariances (divisor N - 1, as numpy.cov) in double. The trace of the matrix
// square root comes from two symmetric eigendecompositions: S_r^1/2 = U sqrt(L) U^T, then the
// eigenvalues of the symmetric PSD matrix S_r^1/2 S_s S_r^1/2; negative eigenvalues (rounding)
// are clamped to 0.
#include <cstdint>

#include "logp/eval/sample_metrics/metric_value.hpp"

namespace logp {

struct FidOptions {
  int bootstrap = 10;      // resamples (both sets, with replacement) for the spread; 0: none
  std::uint64_t seed = 0;  // of the resampling
};

// real: F x N, samples: F x M, N, M >= 2. spread: std of FID over the bootstrap resamples.
// warning: set when N or M is below F (the covariance is then singular: FID is biased upward).
MetricValue frechet_distance(MatrixDRef real, MatrixDRef samples, const FidOptions& options = {});

// The closed form for two Gaussians N(mean1, cov1), N(mean2, cov2) (cov: F x F symmetric PSD).
double frechet_distance_gaussians(const Vector& mean1, const MatrixD& cov1, const Vector& mean2, const MatrixD& cov2);

// tr((A^1/2 B A^1/2)^1/2) = tr((A B)^1/2) for symmetric PSD A, B (F x F).
double trace_sqrt_product(const MatrixD& a, const MatrixD& b);

}  // namespace logp
