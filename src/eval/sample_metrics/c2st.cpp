#include "logp/eval/sample_metrics/c2st.hpp"

#include <cmath>
#include <string>
#include <vector>

#include "logp/core/error.hpp"
#include "logp/core/rng.hpp"
#include "logp/eval/sample_metrics/distances.hpp"
#include "subsets.hpp"

namespace logp {

MetricValue classifier_two_sample_test(MatrixDRef real, MatrixDRef samples, const C2stOptions& options) {
  require(real.rows() == samples.rows(), "c2st: real and sample features differ in dimension, " +
                                             std::to_string(real.rows()) + " vs " + std::to_string(samples.rows()));
  require(options.k >= 1 && options.k % 2 == 1, "c2st: k must be odd, got " + std::to_string(options.k));
  const Index n = std::min(real.cols(), samples.cols()), n_train = n / 2, n_test = n - n_train;
  require(n_train >= options.k, "c2st: needs at least " + std::to_string(2 * options.k) +
                                    " examples of each set for k=" + std::to_string(options.k) + ", got " +
                                    std::to_string(n));
  Rng rng(options.seed);
  const std::vector<Index> real_order = detail::draw_without_replacement(real.cols(), n, rng);
  const std::vector<Index> sample_order = detail::draw_without_replacement(samples.cols(), n, rng);
  const auto part = [](const std::vector<Index>& order, Index first, Index count) {
    return std::vector<Index>(order.begin() + first, order.begin() + first + count);
  };
  MatrixD train(real.rows(), 2 * n_train), test(real.rows(), 2 * n_test);  // real first, then samples
  train.leftCols(n_train) = detail::gather_columns(real, part(real_order, 0, n_train));
  train.rightCols(n_train) = detail::gather_columns(samples, part(sample_order, 0, n_train));
  test.leftCols(n_test) = detail::gather_columns(real, part(real_order, n_train, n_test));
  test.rightCols(n_test) = detail::gather_columns(samples, part(sample_order, n_train, n_test));

  const Neighbours nn = nearest_neighbours(test, train, options.k, false);
  Index correct = 0;
  for (Index j = 0; j < 2 * n_test; ++j) {
    Index sample_votes = 0;
    for (Index r = 0; r < options.k; ++r) sample_votes += nn.indices(r, j) >= n_train ? 1 : 0;
    const bool says_sample = 2 * sample_votes > options.k;
    const bool is_sample = j >= n_test;
    correct += says_sample == is_sample ? 1 : 0;
  }
  const double total = static_cast<double>(2 * n_test);
  MetricValue result;
  result.name = "c2st";
  result.value = static_cast<double>(correct) / total;
  result.spread = std::sqrt(result.value * (1.0 - result.value) / total);
  result.spread_kind = "binomial s.e. over the " + std::to_string(2 * n_test) + " held-out examples";
  result.n_real = n_test;
  result.n_samples = n_test;
  const double z = (result.value - 0.5) / std::sqrt(0.25 / total);
  result.p_value = 0.5 * std::erfc(z / std::sqrt(2.0));  // P(N(1/2, 1/(4 n_test)) >= accuracy)
  result.details = std::to_string(options.k) + "-NN classifier trained on " + std::to_string(n_train) + "+" +
                   std::to_string(n_train) + ", accuracy on " + std::to_string(n_test) + "+" +
                   std::to_string(n_test) + " held out";
  return result;
}

}  // namespace logp
