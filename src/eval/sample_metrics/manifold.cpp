#include "logp/eval/sample_metrics/manifold.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "logp/core/error.hpp"
#include "logp/eval/sample_metrics/distances.hpp"

namespace logp {
namespace {

// A mean of per-example values with its standard error (sample std / sqrt(n)).
void mean_with_se(const Vector& values, double& mean, double& se) {
  const double n = static_cast<double>(values.size());
  mean = values.mean();
  se = values.size() > 1 ? std::sqrt((values.array() - mean).square().sum() / (n - 1.0) / n) : 0.0;
}

MetricValue make(const char* name, const Vector& per_example, Index n_real, Index n_samples, const std::string& over,
                 const std::string& details) {
  MetricValue v;
  v.name = name;
  mean_with_se(per_example, v.value, v.spread);
  v.spread_kind = "s.e. over the " + over;
  v.n_real = n_real;
  v.n_samples = n_samples;
  v.details = details;
  return v;
}

}  // namespace

ManifoldMetrics manifold_metrics(MatrixDRef real, MatrixDRef samples, const ManifoldOptions& options) {
  const Index n = real.cols(), m = samples.cols();
  require(real.rows() == samples.rows(), "manifold metrics: real and sample features differ in dimension, " +
                                             std::to_string(real.rows()) + " vs " + std::to_string(samples.rows()));
  const Index k_max = std::max(options.pr_k, options.dc_k);
  require(options.pr_k >= 1 && options.dc_k >= 1, "manifold metrics: k must be at least 1");
  require(n > k_max && m > options.pr_k, "manifold metrics: needs more than k=" + std::to_string(k_max) +
                                             " examples in each set, got " + std::to_string(n) + " real and " +
                                             std::to_string(m) + " samples");
  // Squared radii: the k-th nearest other point of the same set.
  const Neighbours real_nn = nearest_neighbours(real, real, k_max, true);
  const Vector real_pr = real_nn.squared_distances.row(options.pr_k - 1).transpose();  // N
  const Vector real_dc = real_nn.squared_distances.row(options.dc_k - 1).transpose();  // N
  const Vector sample_pr =
      nearest_neighbours(samples, samples, options.pr_k, true).squared_distances.row(options.pr_k - 1).transpose();

  // Samples against real: precision membership (<=) and density counts (<).
  Vector in_real(m), density_counts(m);
  in_real.setZero();
  density_counts.setZero();
  for_each_distance_block(samples, real, [&](Index qf, Index rf, const MatrixD& d2) {
    for (Index j = 0; j < d2.cols(); ++j) {
      double inside = in_real(qf + j), count = 0.0;
      for (Index i = 0; i < d2.rows(); ++i) {
        if (d2(i, j) <= real_pr(rf + i)) inside = 1.0;
        if (d2(i, j) < real_dc(rf + i)) count += 1.0;
      }
      in_real(qf + j) = inside;
      density_counts(qf + j) += count;
    }
  });
  // Real against samples: recall membership (<=) and the nearest sample (coverage, <).
  Vector in_samples = Vector::Zero(n), nearest = Vector::Constant(n, std::numeric_limits<double>::infinity());
  for_each_distance_block(real, samples, [&](Index qf, Index rf, const MatrixD& d2) {
    for (Index j = 0; j < d2.cols(); ++j) {
      double inside = in_samples(qf + j);
      for (Index i = 0; i < d2.rows(); ++i)
        if (d2(i, j) <= sample_pr(rf + i)) inside = 1.0;
      in_samples(qf + j) = inside;
      nearest(qf + j) = std::min(nearest(qf + j), d2.col(j).minCoeff());
    }
  });
  Vector covered(n);
  for (Index i = 0; i < n; ++i) covered(i) = nearest(i) < real_dc(i) ? 1.0 : 0.0;

  const std::string pr = "k=" + std::to_string(options.pr_k) + ", membership d <= radius (NVlabs)";
  const std::string dc = "k=" + std::to_string(options.dc_k) + ", membership d < radius (clovaai prdc)";
  ManifoldMetrics result;
  result.precision = make("precision", in_real, n, m, "samples", pr);
  result.recall = make("recall", in_samples, n, m, "real examples", pr);
  result.density = make("density", density_counts / static_cast<double>(options.dc_k), n, m, "samples", dc);
  result.coverage = make("coverage", covered, n, m, "real examples", dc);
  return result;
}

}  // namespace logp
