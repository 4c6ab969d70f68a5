#include "logp/models/classic/gaussian_factor.hpp"

#include <Eigen/Cholesky>
#include <cmath>
#include <limits>
#include <numbers>

#include "logp/core/error.hpp"

namespace logp {

const double kMaxInverseScale = 1e200;
const double kFloat32Max = std::numeric_limits<float>::max();

double gaussian_log_normalizer(Index dim) { return -0.5 * static_cast<double>(dim) * std::log(2.0 * std::numbers::pi); }

GaussianFactor::GaussianFactor(Vector mean, const MatrixD& covariance, const std::string& where)
    : mean_(std::move(mean)) {
  const Index d = mean_.size();
  require(covariance.rows() == d && covariance.cols() == d,
          where + ": covariance is " + std::to_string(covariance.rows()) + "x" + std::to_string(covariance.cols()) +
              " for D=" + std::to_string(d));
  require(mean_.allFinite() && covariance.allFinite(), where + ": mean or covariance is not finite");
  const Eigen::LLT<MatrixD> llt(covariance);
  if (llt.info() != Eigen::Success)
    throw Error(where + ": the covariance is not positive definite (a constant or collinear dimension?); "
                        "add a ridge (--ridge, e.g. 1e-6) or drop the column");
  set_cholesky(llt.matrixL(), where);
}

GaussianFactor GaussianFactor::from_cholesky(Vector mean, MatrixD chol, const std::string& where) {
  GaussianFactor factor;
  factor.mean_ = std::move(mean);
  require(chol.rows() == factor.dim() && chol.cols() == factor.dim() && chol.allFinite() && factor.mean_.allFinite(),
          where + ": a Cholesky factor of D=" + std::to_string(factor.dim()) + " finite values is needed, got " +
              std::to_string(chol.rows()) + "x" + std::to_string(chol.cols()));
  for (Index col = 1; col < chol.cols(); ++col)
    for (Index row = 0; row < col; ++row)
      if (chol(row, col) != 0.0)
        throw Error(where + ": the Cholesky factor is not lower triangular (entry " + std::to_string(row) + "," +
                    std::to_string(col) + " above the diagonal is nonzero)");
  factor.set_cholesky(std::move(chol), where);
  return factor;
}

void GaussianFactor::set_cholesky(MatrixD chol, const std::string& where) {
  const Index d = chol.rows();
  chol_ = std::move(chol);
  const Vector diagonal = chol_.diagonal();
  if (!(diagonal.array() > 0).all())
    throw Error(where + ": the covariance is numerically singular; add a ridge (--ridge)");
  inverse_chol_ = chol_.triangularView<Eigen::Lower>().solve(MatrixD::Identity(d, d));
  // Bounds that keep every score of float32 data finite or -inf: a whitened coordinate sums D
  // products |L^-1_ij| |x_j - mean_j| <= 1e200 * 6.8e38, so it never overflows into inf - inf.
  if (!(inverse_chol_.cwiseAbs().maxCoeff() <= kMaxInverseScale))
    throw Error(where + ": the covariance is numerically singular (its inverse Cholesky factor exceeds 1e200); "
                        "add a ridge (--ridge)");
  if (!(mean_.cwiseAbs().maxCoeff() <= kFloat32Max))
    throw Error(where + ": a mean is beyond float32's range, |mean| <= 3.4e38 (corrupt model file?)");
  log_normalizer_ = gaussian_log_normalizer(d) - diagonal.array().log().sum();
}

Vector GaussianFactor::log_density(const MatrixD& x, ColumnPlaces places) const {
  MatrixD whitened = x.colwise() - mean_;          // D x B: centered, then
  trmm_lower_for(places, inverse_chol_, whitened);  // L^-1 (x - mean)
  return (log_normalizer_ - 0.5 * whitened.colwise().squaredNorm().array()).matrix().transpose();
}

MatrixD GaussianFactor::sample(Index n, Rng& rng) const {
  MatrixD noise(dim(), n);
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i < dim(); ++i) noise(i, j) = rng.normal();
  const MatrixD scaled = chol_.triangularView<Eigen::Lower>() * noise;
  return scaled.colwise() + mean_;
}

MatrixD GaussianFactor::covariance() const { return chol_ * chol_.transpose(); }

}  // namespace logp
