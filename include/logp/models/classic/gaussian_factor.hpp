#pragma once
// One multivariate normal N(mean, covariance), factored once for fast batched evaluation:
// covariance = L L^T (Cholesky), and
//   log N(x) = -D/2 ln(2 pi) - sum_i ln L_ii - 1/2 ||L^-1 (x - mean)||^2     (nats).
// Shared by the Gaussian model and the full-covariance mixture components.
#include <string>

#include "logp/core/gemm.hpp"
#include "logp/core/rng.hpp"
#include "logp/core/types.hpp"

namespace logp {

class GaussianFactor {
 public:
  GaussianFactor() = default;
  // mean: D, covariance: D x D symmetric. Throws (naming `where`) unless positive definite.
  GaussianFactor(Vector mean, const MatrixD& covariance, const std::string& where);
  // From the Cholesky factor L itself (as saved): evaluation is then bit-identical to the saved model's.
  static GaussianFactor from_cholesky(Vector mean, MatrixD chol, const std::string& where);

  // x: D x B in double. Returns B log densities in nats. places: fixed where the caller fixes
  // where each column sits (an EM fit's blocks), which allows the faster product (core/gemm.hpp).
  Vector log_density(const MatrixD& x, ColumnPlaces places = ColumnPlaces::vary) const;
  // n draws, D x n.
  MatrixD sample(Index n, Rng& rng) const;

  Index dim() const { return mean_.size(); }
  const Vector& mean() const { return mean_; }
  MatrixD covariance() const;  // L L^T
  const MatrixD& cholesky() const { return chol_; }
  const MatrixD& inverse_cholesky() const { return inverse_chol_; }  // L^-1
  double log_normalizer() const { return log_normalizer_; }          // -D/2 ln(2 pi) - sum_i ln L_ii

 private:
  void set_cholesky(MatrixD chol, const std::string& where);

  Vector mean_;            // D
  MatrixD chol_;           // L, D x D lower triangular
  MatrixD inverse_chol_;   // L^-1, D x D lower triangular
  double log_normalizer_ = 0.0;  // -D/2 ln(2 pi) - sum_i ln L_ii
};

// Limits that keep scores of float32 data finite (or -inf): a factor's |L^-1| entries, a diagonal
// mixture's precisions 1/variance, at most kMaxInverseScale; means within float32's range.
extern const double kMaxInverseScale;  // 1e200
extern const double kFloat32Max;       // 3.4e38

// -D/2 ln(2 pi).
double gaussian_log_normalizer(Index dim);

}  // namespace logp
