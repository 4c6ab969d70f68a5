#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>

#include "logp/models/classic/kde.hpp"
#include "support/real_data.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

// log p(x) by the definition: a plain sum of kernel values over the points, skipping `skip`.
double direct_kde(const Matrix& points, const Eigen::VectorXf& x, double h, Index skip = -1) {
  const double d = static_cast<double>(points.rows());
  double sum = 0.0;
  for (Index n = 0; n < points.cols(); ++n) {
    if (n == skip) continue;
    const double sq = (points.col(n).cast<double>() - x.cast<double>()).squaredNorm();
    sum += std::exp(-sq / (2 * h * h)) / std::pow(2 * std::numbers::pi * h * h, d / 2);
  }
  return std::log(sum / static_cast<double>(points.cols() - (skip >= 0 ? 1 : 0)));
}

}  // namespace

TEST_CASE("kde: log_prob equals the direct sum over the points", "[kde]") {
  const Matrix points = random_real(3, 150, 1, -2.0, 2.0);  // 150 points: several 64-column blocks of queries too
  const Matrix queries = random_real(3, 130, 2, -2.5, 2.5);
  const KdeModel model(real_spec(3), points, 0.4, "given");
  const Vector lp = model.log_prob(queries);
  for (Index j = 0; j < queries.cols(); j += 7) CHECK(lp(j) == Approx(direct_kde(points, queries.col(j), 0.4)).epsilon(1e-9));
}

TEST_CASE("kde: leave-one-out and several bandwidths at once equal their direct sums", "[kde]") {
  const Matrix points = random_real(2, 90, 3);
  const KdeModel model(real_spec(2), points, 1.0, "given");
  Vector bandwidths(3);
  bandwidths << 0.05, 0.2, 1.0;
  const MatrixD loo = model.log_prob_for_bandwidths(points, bandwidths, true);
  const MatrixD plain = model.log_prob_for_bandwidths(points, bandwidths, false);
  for (Index h = 0; h < 3; ++h) {
    for (Index j = 0; j < 90; j += 11) {
      CHECK(loo(h, j) == Approx(direct_kde(points, points.col(j), bandwidths(h), j)).epsilon(1e-9));
      CHECK(plain(h, j) == Approx(direct_kde(points, points.col(j), bandwidths(h))).epsilon(1e-9));
    }
  }
  CHECK((plain.row(2).transpose().array() == model.log_prob(points).array()).all());
}

TEST_CASE("kde: far from every point the value stays finite (log-sum-exp, no underflow)", "[kde]") {
  const Matrix points = random_real(2, 10, 4);
  const KdeModel model(real_spec(2), points, 0.01, "given");
  Matrix far(2, 1);
  far << 50.0f, -50.0f;
  const double lp = model.log_prob(far)(0);
  CHECK(std::isfinite(lp));
  CHECK(lp < -1e6);
}

TEST_CASE("kde: bandwidth rules follow scikit-learn, a bad bandwidth is refused", "[kde]") {
  CHECK(KdeModel::rule_of_thumb("scott", 100, 2) == Approx(std::pow(100.0, -1.0 / 6.0)));
  CHECK(KdeModel::rule_of_thumb("silverman", 100, 2) == Approx(std::pow(100.0, -1.0 / 6.0)));  // (n (d+2)/4) = n at d=2
  CHECK_THROWS_WITH(KdeModel::rule_of_thumb("median", 100, 2), Catch::Contains("unknown bandwidth rule"));
  const Matrix points = random_real(3, 40, 5);
  CHECK_THROWS_WITH(KdeModel(real_spec(3), points, -1.0, "given"),
                    Catch::Contains("bandwidth must be within [1e-150, 1e150], got -1"));
  CHECK_THROWS_WITH(KdeModel(real_spec(3), points, 1e-200, "given"), Catch::Contains("got 1e-200"));
}
