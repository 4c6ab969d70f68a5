#include "logp/eval/sample_metrics/fid.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>

#include <Eigen/Eigenvalues>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "logp/core/error.hpp"
#include "logp/core/rng.hpp"

namespace logp {
namespace {

// Symmetric eigendecomposition with its status checked; `what` names the matrix in errors.
Eigen::SelfAdjointEigenSolver<MatrixD> eigen_of(const MatrixD& m, const char* what) {
  Eigen::SelfAdjointEigenSolver<MatrixD> solver(m);
  require(solver.info() == Eigen::Success, std::string("fid: eigendecomposition of ") + what + " failed");
  return solver;
}

// Mean (F) and covariance (F x F, divisor sum(w) - 1) of x's columns with integer weights w
// (multiplicities of a bootstrap resample; all ones for the plain estimate).
void weighted_moments(MatrixDRef x, const Vector& weights, Vector& mean, MatrixD& cov) {
  const double total = weights.sum();
  mean = x * weights / total;
  MatrixD centred = x.colwise() - mean;                      // F x N
  centred = centred * weights.cwiseSqrt().asDiagonal();      // each column times sqrt(w)
  cov = MatrixD::Zero(x.rows(), x.rows());
  cov.selfadjointView<Eigen::Lower>().rankUpdate(centred, 1.0 / (total - 1.0));  // F x F, lower half
  cov.triangularView<Eigen::StrictlyUpper>() = cov.transpose();
}

double fid_of(MatrixDRef real, const Vector& wr, MatrixDRef samples, const Vector& ws) {
  Vector mean_r, mean_s;
  MatrixD cov_r, cov_s;
  weighted_moments(real, wr, mean_r, cov_r);
  weighted_moments(samples, ws, mean_s, cov_s);
  return frechet_distance_gaussians(mean_r, cov_r, mean_s, cov_s);
}

}  // namespace

double trace_sqrt_product(const MatrixD& a, const MatrixD& b) {
  require(a.rows() == a.cols() && b.rows() == b.cols() && a.rows() == b.rows(),
          "fid: covariances must be square and of one size");
  const Eigen::SelfAdjointEigenSolver<MatrixD> ea = eigen_of(a, "the real covariance");
  const Vector root_values = ea.eigenvalues().cwiseMax(0.0).cwiseSqrt();
  const MatrixD root_a = ea.eigenvectors() * root_values.asDiagonal() * ea.eigenvectors().transpose();  // A^1/2
  MatrixD middle = root_a * b * root_a;                     // A^1/2 B A^1/2, symmetric PSD
  middle = 0.5 * (middle + middle.transpose()).eval();     // exact symmetry for the solver
  const Eigen::SelfAdjointEigenSolver<MatrixD> em(middle, Eigen::EigenvaluesOnly);
  require(em.info() == Eigen::Success, "fid: eigendecomposition of A^1/2 B A^1/2 failed");
  return em.eigenvalues().cwiseMax(0.0).cwiseSqrt().sum();
}

double frechet_distance_gaussians(const Vector& mean1, const MatrixD& cov1, const Vector& mean2, const MatrixD& cov2) {
  require(mean1.size() == mean2.size() && cov1.rows() == mean1.size() && cov2.rows() == mean2.size(),
          "fid: means and covariances have different feature dimensions");
  const double value = (mean1 - mean2).squaredNorm() + cov1.trace() + cov2.trace() - 2.0 * trace_sqrt_product(cov1, cov2);
  return std::max(value, 0.0);  // rounding can leave -1e-12 for identical Gaussians
}

MetricValue frechet_distance(MatrixDRef real, MatrixDRef samples, const FidOptions& options) {
  const Index f = real.rows(), n = real.cols(), m = samples.cols();
  require(samples.rows() == f, "fid: real and sample features differ in dimension, " + std::to_string(f) + " vs " +
                                   std::to_string(samples.rows()));
  require(n >= 2 && m >= 2, "fid: needs at least 2 real and 2 sample examples, got " + std::to_string(n) + " and " +
                                std::to_string(m));
  require(options.bootstrap >= 0, "fid: the bootstrap count must be >= 0");
  MetricValue result;
  result.name = "fid";
  result.n_real = n;
  result.n_samples = m;
  result.value = fid_of(real, Vector::Ones(n), samples, Vector::Ones(m));
  std::ostringstream details;
  details << "covariances with divisor N-1, F=" << f;
  if (options.bootstrap >= 2) {
    std::vector<double> values(static_cast<size_t>(options.bootstrap));
    const Rng base(options.seed);
    tbb::parallel_for(tbb::blocked_range<Index>(0, options.bootstrap, 1), [&](const tbb::blocked_range<Index>& range) {
      for (Index b = range.begin(); b < range.end(); ++b) {
        Rng rng = base.split(static_cast<std::uint64_t>(b));
        Vector wr = Vector::Zero(n), ws = Vector::Zero(m);  // multiplicities of the resample
        for (Index i = 0; i < n; ++i) wr(static_cast<Index>(rng.uniform_index(static_cast<std::uint64_t>(n)))) += 1.0;
        for (Index j = 0; j < m; ++j) ws(static_cast<Index>(rng.uniform_index(static_cast<std::uint64_t>(m)))) += 1.0;
        values[static_cast<size_t>(b)] = fid_of(real, wr, samples, ws);
      }
    }, tbb::simple_partitioner());
    double mean = 0.0, m2 = 0.0;
    for (size_t b = 0; b < values.size(); ++b) {
      const double delta = values[b] - mean;
      mean += delta / static_cast<double>(b + 1);
      m2 += delta * (values[b] - mean);
    }
    result.spread = std::sqrt(m2 / static_cast<double>(values.size() - 1));
    result.spread_kind = "std over " + std::to_string(options.bootstrap) + " bootstrap resamples";
    details << ", bootstrap seed " << options.seed;
  } else {
    result.spread_kind = "not computed (no bootstrap)";
  }
  result.details = details.str();
  if (n < f || m < f)
    result.warning = "fewer examples (" + std::to_string(std::min(n, m)) + ") than features (" + std::to_string(f) +
                     "): the covariance is singular and FID is biased upward";
  return result;
}

}  // namespace logp
