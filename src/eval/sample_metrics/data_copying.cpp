#include "logp/eval/sample_metrics/data_copying.hpp"

#include <cmath>
#include <map>
#include <string>

#include "logp/core/error.hpp"
#include "logp/eval/hypothesis_tests.hpp"
#include "logp/eval/sample_metrics/distances.hpp"

namespace logp {

double mann_whitney_z(const Vector& a, const Vector& b) {
  const Index na = a.size(), nb = b.size();
  require(na >= 1 && nb >= 1, "mann-whitney: both samples need at least one value");
  Vector pooled(na + nb);
  pooled << a, b;
  const Vector ranks = mid_ranks(pooled);
  const double n1 = static_cast<double>(na), n2 = static_cast<double>(nb), total = n1 + n2;
  const double u = ranks.head(na).sum() - n1 * (n1 + 1.0) / 2.0;  // #{a_j > b_i} + ties / 2
  // Tie correction: sum over tied groups of t^3 - t.
  std::map<double, Index> groups;
  for (Index i = 0; i < pooled.size(); ++i) ++groups[pooled(i)];
  double ties = 0.0;
  for (const auto& [value, count] : groups) {
    const double t = static_cast<double>(count);
    ties += t * t * t - t;
  }
  const double variance = n1 * n2 / 12.0 * ((total + 1.0) - ties / (total * (total - 1.0)));
  if (variance <= 0.0) return 0.0;  // every value equal: no evidence either way
  return (u - n1 * n2 / 2.0) / std::sqrt(variance);
}

MetricValue data_copying_test(MatrixDRef train, MatrixDRef samples, MatrixDRef test) {
  require(train.rows() == samples.rows() && train.rows() == test.rows(),
          "data copying: train, sample and test features differ in dimension");
  require(train.cols() >= 1 && samples.cols() >= 1 && test.cols() >= 1,
          "data copying: needs training, sample and test examples");
  const Vector a = nearest_neighbours(samples, train, 1, false).squared_distances.row(0).transpose().cwiseSqrt();
  const Vector b = nearest_neighbours(test, train, 1, false).squared_distances.row(0).transpose().cwiseSqrt();
  MetricValue result;
  result.name = "copying_z";
  result.value = mann_whitney_z(a, b);
  result.spread = 1.0;
  result.spread_kind = "z is in standard errors";
  result.n_real = test.cols();
  result.n_samples = samples.cols();
  result.p_value = 0.5 * std::erfc(-result.value / std::sqrt(2.0));  // P(Z <= z)
  result.details = "Mann-Whitney z of nearest-training-point distances, samples vs " + std::to_string(test.cols()) +
                   " test examples, " + std::to_string(train.cols()) + " training examples; z << 0: copying";
  return result;
}

}  // namespace logp
