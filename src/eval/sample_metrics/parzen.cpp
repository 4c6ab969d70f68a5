#include "logp/eval/sample_metrics/parzen.hpp"

#include <cmath>
#include <numbers>
#include <sstream>
#include <string>

#include "logp/core/error.hpp"
#include "logp/eval/sample_metrics/distances.hpp"

namespace logp {

MatrixD parzen_log_prob(MatrixDRef samples, MatrixDRef queries, const std::vector<double>& bandwidths) {
  require(samples.rows() == queries.rows(), "parzen: sample and query features differ in dimension");
  require(samples.cols() >= 1 && !bandwidths.empty(), "parzen: needs samples and at least one bandwidth");
  const Index g = static_cast<Index>(bandwidths.size()), q = queries.cols();
  const double f = static_cast<double>(samples.rows()), m = static_cast<double>(samples.cols());
  // Pass 1: the nearest sample of each query, the shift that keeps exp() from underflowing.
  const Vector nearest = nearest_neighbours(queries, samples, 1, false).squared_distances.row(0).transpose();  // Q
  // Pass 2: sum_j exp(-(d_j^2 - d_min^2) / (2 s^2)) for every bandwidth s, per query.
  MatrixD sums = MatrixD::Zero(g, q);  // G x Q
  Vector scale(g);
  for (Index h = 0; h < g; ++h) {
    require(bandwidths[static_cast<size_t>(h)] > 0.0, "parzen: bandwidths must be positive");
    scale(h) = -0.5 / (bandwidths[static_cast<size_t>(h)] * bandwidths[static_cast<size_t>(h)]);
  }
  for_each_distance_block(queries, samples, [&](Index qf, Index, const MatrixD& d2) {
    for (Index j = 0; j < d2.cols(); ++j) {
      const Eigen::ArrayXd shifted = d2.col(j).array() - nearest(qf + j);  // >= 0
      for (Index h = 0; h < g; ++h) sums(h, qf + j) += (shifted * scale(h)).exp().sum();
    }
  });
  MatrixD result(g, q);
  for (Index h = 0; h < g; ++h) {
    const double s = bandwidths[static_cast<size_t>(h)];
    const double normalizer = -std::log(m) - 0.5 * f * std::log(2.0 * std::numbers::pi * s * s);
    for (Index j = 0; j < q; ++j) result(h, j) = scale(h) * nearest(j) + std::log(sums(h, j)) + normalizer;
  }
  return result;
}

MetricValue parzen_log_likelihood(MatrixDRef samples, MatrixDRef valid, MatrixDRef test, const ParzenOptions& options) {
  require(valid.cols() >= 1 && test.cols() >= 2, "parzen: needs validation examples and at least 2 test examples");
  std::vector<double> grid = options.bandwidths;
  if (grid.empty()) {
    const Eigen::VectorXd mean = samples.rowwise().mean();
    const double s = std::sqrt((samples.colwise() - mean).squaredNorm() / static_cast<double>(samples.size()));
    require(s > 0.0, "parzen: the samples are all equal; give bandwidths");
    for (int i = 0; i < 10; ++i) grid.push_back(s / 20.0 * std::pow(40.0, i / 9.0));  // s/20 .. 2 s
  }
  const MatrixD valid_lp = parzen_log_prob(samples, valid, grid);
  Index best = 0;
  for (Index h = 1; h < valid_lp.rows(); ++h)
    if (valid_lp.row(h).mean() > valid_lp.row(best).mean()) best = h;
  const double sigma = grid[static_cast<size_t>(best)];
  const Eigen::RowVectorXd test_lp = parzen_log_prob(samples, test, {sigma}).row(0);
  MetricValue result;
  result.name = "parzen_ll";
  result.value = test_lp.mean();
  const double t = static_cast<double>(test_lp.size());
  result.spread = std::sqrt((test_lp.array() - result.value).square().sum() / (t - 1.0) / t);
  result.spread_kind = "s.e. over the test examples";
  result.n_real = test.cols();
  result.n_samples = samples.cols();
  std::ostringstream details;
  details << "nats/example; sigma=" << sigma << " chosen among " << grid.size() << " on " << valid.cols()
          << " validation examples; legacy, unreliable (Theis et al. 2016)";
  result.details = details.str();
  if (best == 0 || best + 1 == static_cast<Index>(grid.size()))
    result.warning = "the chosen bandwidth is at the edge of the grid";
  return result;
}

}  // namespace logp
