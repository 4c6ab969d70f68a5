#include "logp/eval/sample_metrics/kernel_mmd.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "logp/core/error.hpp"
#include "logp/core/rng.hpp"
#include "logp/eval/sample_metrics/distances.hpp"
#include "logp/eval/sample_metrics/exact_products.hpp"
#include "subsets.hpp"

namespace logp {
namespace {

// sum over query columns of sum over references of exp(-d^2 * inv_two_sigma2), skipping i == j
// when `same_set`. Per-query sums are kept and added in query order: thread-count independent.
double gaussian_kernel_sum(MatrixDRef queries, MatrixDRef references, double inv_two_sigma2, bool same_set) {
  Vector per_query = Vector::Zero(queries.cols());
  for_each_distance_block(queries, references, [&](Index qf, Index rf, const MatrixD& d2) {
    for (Index j = 0; j < d2.cols(); ++j) {
      double sum = 0.0;
      for (Index i = 0; i < d2.rows(); ++i)
        if (!same_set || rf + i != qf + j) sum += std::exp(-d2(i, j) * inv_two_sigma2);
      per_query(qf + j) += sum;
    }
  });
  return per_query.sum();
}

// sum_{i != j} (g_ij / F + 1)^3 from the lower triangle of the Gram matrix g (symmetric).
double cubic_offdiagonal_sum(const MatrixD& gram, double inv_f) {
  double sum = 0.0;
  for (Index j = 0; j < gram.cols(); ++j)
    for (Index i = j + 1; i < gram.rows(); ++i) {
      const double v = gram(i, j) * inv_f + 1.0;
      sum += v * v * v;
    }
  return 2.0 * sum;
}

// Unbiased MMD^2 of x and y (F x n each) under (x^T y / F + 1)^3. The within-set Gram matrices
// are symmetric rank-F updates (SYRK, half a GEMM each); the cross one is a GEMM; all three in
// float32 when that is exact (exact_products.hpp).
double cubic_kernel_mmd2(const MatrixD& x, const MatrixD& y, double inv_f) {
  const Index n = x.cols();
  const MatrixD gxx = lower_gram(x), gyy = lower_gram(y), gxy = cross_gram(x, y);  // n x n inner products
  const double xy = ((gxy.array() * inv_f + 1.0).cube()).sum();
  const double nn = static_cast<double>(n);
  return (cubic_offdiagonal_sum(gxx, inv_f) + cubic_offdiagonal_sum(gyy, inv_f)) / (nn * (nn - 1.0)) -
         2.0 * xy / (nn * nn);
}

void check_pair(MatrixDRef real, MatrixDRef samples, const char* metric, Index minimum) {
  require(real.rows() == samples.rows(), std::string(metric) + ": real and sample features differ in dimension, " +
                                             std::to_string(real.rows()) + " vs " + std::to_string(samples.rows()));
  require(real.cols() >= minimum && samples.cols() >= minimum,
          std::string(metric) + ": needs at least " + std::to_string(minimum) + " real and sample examples, got " +
              std::to_string(real.cols()) + " and " + std::to_string(samples.cols()));
}

}  // namespace

double unbiased_mmd2(const MatrixD& k, Index n) {
  const Index p = k.rows(), m = p - n;
  require(k.cols() == p && n >= 2 && m >= 2, "mmd: the pooled kernel matrix needs at least 2 points of each set");
  const double xx = k.topLeftCorner(n, n).sum() - k.diagonal().head(n).sum();
  const double yy = k.bottomRightCorner(m, m).sum() - k.diagonal().tail(m).sum();
  const double xy = k.topRightCorner(n, m).sum();
  const double nn = static_cast<double>(n), mm = static_cast<double>(m);
  return xx / (nn * (nn - 1.0)) + yy / (mm * (mm - 1.0)) - 2.0 * xy / (nn * mm);
}

MetricValue mmd2_gaussian(MatrixDRef real, MatrixDRef samples, const MmdOptions& options) {
  check_pair(real, samples, "mmd", 2);
  require(options.permutations >= 1 && options.test_subset >= 2, "mmd: needs >= 1 permutation and a subset of >= 2");
  const Index n = real.cols(), m = samples.cols();
  Rng rng(options.seed);
  const Index ns = std::min(n, options.test_subset), ms = std::min(m, options.test_subset), p = ns + ms;
  MatrixD pooled(real.rows(), p);  // F x (ns + ms): the test subset, real first
  pooled.leftCols(ns) = detail::gather_columns(real, detail::draw_without_replacement(n, ns, rng));
  pooled.rightCols(ms) = detail::gather_columns(samples, detail::draw_without_replacement(m, ms, rng));
  MatrixD d2(p, p);
  for_each_distance_block(pooled, pooled, [&](Index qf, Index rf, const MatrixD& block) {
    d2.block(rf, qf, block.rows(), block.cols()) = block;
  });
  d2.diagonal().setZero();

  double sigma = options.bandwidth;
  std::ostringstream details;
  if (sigma <= 0.0) {
    std::vector<double> upper;  // d^2 over pairs i < j
    upper.reserve(static_cast<size_t>(p * (p - 1) / 2));
    for (Index j = 1; j < p; ++j)
      for (Index i = 0; i < j; ++i) upper.push_back(d2(i, j));
    const auto middle = upper.begin() + static_cast<std::ptrdiff_t>((upper.size() - 1) / 2);
    std::nth_element(upper.begin(), middle, upper.end());
    sigma = std::sqrt(*middle);
    require(sigma > 0.0, "mmd: the median pairwise distance of the pooled subset is 0; give a bandwidth");
    details << "sigma=" << sigma << " (median pairwise distance over the pooled subset of " << ns << "+" << ms << ")";
  } else {
    details << "sigma=" << sigma << " (given)";
  }
  const double inv = 1.0 / (2.0 * sigma * sigma);

  MetricValue result;
  result.name = "mmd2";
  result.n_real = n;
  result.n_samples = m;
  const double nn = static_cast<double>(n), mm = static_cast<double>(m);
  result.value = gaussian_kernel_sum(real, real, inv, true) / (nn * (nn - 1.0)) +
                 gaussian_kernel_sum(samples, samples, inv, true) / (mm * (mm - 1.0)) -
                 2.0 * gaussian_kernel_sum(samples, real, inv, false) / (nn * mm);

  // Permutation test on the pooled subset. With a the 0/1 indicator of the points labelled
  // "real": s_xx = a^T K a, s_xy = a^T K 1 - s_xx, s_yy = 1^T K 1 - 2 a^T K 1 + s_xx, all B
  // permutations at once through one P x P by P x B product.
  const MatrixD kernel = (-d2.array() * inv).exp().matrix();  // P x P, unit diagonal
  const double statistic = unbiased_mmd2(kernel, ns);
  const Index b_count = options.permutations;
  MatrixD labels = MatrixD::Zero(p, b_count);  // P x B indicators
  for (Index b = 0; b < b_count; ++b)
    for (Index i : detail::draw_without_replacement(p, ns, rng)) labels(i, b) = 1.0;
  const MatrixD kernel_labels = kernel * labels;  // P x B
  const Vector row_sums = kernel.rowwise().sum();
  const double total = row_sums.sum();
  const double dns = static_cast<double>(ns), dms = static_cast<double>(ms);
  std::vector<double> null(static_cast<size_t>(b_count));
  Index at_least = 0;
  for (Index b = 0; b < b_count; ++b) {
    const double sxx = labels.col(b).dot(kernel_labels.col(b));
    const double ax = labels.col(b).dot(row_sums);
    const double sxy = ax - sxx, syy = total - 2.0 * ax + sxx;
    const double t = (sxx - dns) / (dns * (dns - 1.0)) + (syy - dms) / (dms * (dms - 1.0)) - 2.0 * sxy / (dns * dms);
    null[static_cast<size_t>(b)] = t;
    if (t >= statistic) ++at_least;
  }
  result.p_value = (1.0 + static_cast<double>(at_least)) / (1.0 + static_cast<double>(b_count));
  double null_mean = 0.0;
  detail::mean_and_std(null, 1, null_mean, result.spread);
  result.spread_kind = "std of the permutation null (" + std::to_string(ns) + "+" + std::to_string(ms) + ")";
  details << "; permutation test: B=" << b_count << " on " << ns << "+" << ms << " (subset statistic " << statistic
          << ")";
  result.details = details.str();
  return result;
}

MetricValue kid(MatrixDRef real, MatrixDRef samples, const KidOptions& options) {
  check_pair(real, samples, "kid", 2);
  require(options.subsets >= 1 && options.subset_size >= 2, "kid: needs >= 1 subset of >= 2 examples");
  const Index n = real.cols(), m = samples.cols(), f = real.rows();
  const Index size = std::min({options.subset_size, n, m});
  std::vector<double> values(static_cast<size_t>(options.subsets));
  const Rng base(options.seed);
  const double inv_f = 1.0 / static_cast<double>(f);
  tbb::parallel_for(tbb::blocked_range<Index>(0, options.subsets, 1), [&](const tbb::blocked_range<Index>& range) {
    for (Index s = range.begin(); s < range.end(); ++s) {
      Rng rng = base.split(static_cast<std::uint64_t>(s));
      const MatrixD xs = detail::gather_columns(real, detail::draw_without_replacement(n, size, rng));     // F x size
      const MatrixD ys = detail::gather_columns(samples, detail::draw_without_replacement(m, size, rng));  // F x size
      values[static_cast<size_t>(s)] = cubic_kernel_mmd2(xs, ys, inv_f);
    }
  }, tbb::simple_partitioner());
  MetricValue result;
  result.name = "kid";
  result.n_real = n;
  result.n_samples = m;
  detail::mean_and_std(values, 0, result.value, result.spread);
  result.spread_kind = "std over " + std::to_string(options.subsets) + " subsets of " + std::to_string(size);
  result.details = "kernel (x^T y / F + 1)^3, F=" + std::to_string(f) + ", " + std::to_string(options.subsets) +
                   " subsets of " + std::to_string(size) + " of each set";
  if (size < options.subset_size)
    result.warning = "subsets of " + std::to_string(size) + ", fewer than the requested " +
                     std::to_string(options.subset_size) + " (the data is smaller)";
  return result;
}

}  // namespace logp
