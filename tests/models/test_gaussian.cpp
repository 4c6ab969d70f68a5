#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>

#include "logp/core/error.hpp"
#include "logp/models/classic/gaussian.hpp"
#include "support/real_data.hpp"

using namespace logp;
using namespace logp::testing;

TEST_CASE("gaussian: log_prob matches the closed form of a 2-D normal", "[gaussian]") {
  // Covariance [[4, 1.2], [1.2, 1]]: det = 2.56, inverse = [[1, -1.2], [-1.2, 4]] / 2.56.
  Vector mean(2);
  mean << 1.0, -2.0;
  MatrixD cov(2, 2);
  cov << 4.0, 1.2, 1.2, 1.0;
  const GaussianModel model(real_spec(2), GaussianFactor(mean, cov, "test"), 0.0);
  Matrix x(2, 2);
  x << 1.0f, 2.5f,
       -2.0f, 0.5f;
  const Vector lp = model.log_prob(x);
  const double normalizer = -std::log(2.0 * std::numbers::pi) - 0.5 * std::log(2.56);
  CHECK(lp(0) == Approx(normalizer).epsilon(1e-14));
  const double a = 1.5, b = 2.5;  // x - mean
  const double quadratic = (a * a * 1.0 - 2.0 * 1.2 * a * b + 4.0 * b * b) / 2.56;
  CHECK(lp(1) == Approx(normalizer - 0.5 * quadratic).epsilon(1e-12));
}

TEST_CASE("gaussian: fit is the sample mean and the 1/N covariance, plus the ridge", "[gaussian]") {
  Matrix x(2, 4);
  x << 0, 2, 0, 2,
       0, 0, 4, 4;
  const GaussianModel model = GaussianModel::fit(x, real_spec(2), 0.5);
  CHECK(model.factor().mean()(0) == Approx(1.0));
  CHECK(model.factor().mean()(1) == Approx(2.0));
  const MatrixD cov = model.factor().covariance();
  CHECK(cov(0, 0) == Approx(1.0 + 0.5));
  CHECK(cov(1, 1) == Approx(4.0 + 0.5));
  CHECK(cov(0, 1) == Approx(0.0).margin(1e-12));
}

TEST_CASE("gaussian: a constant dimension is an error without a ridge", "[gaussian]") {
  Matrix x = random_real(3, 20, 1);
  x.row(1).setConstant(2.0f);
  CHECK_THROWS_WITH(GaussianModel::fit(x, real_spec(3), 0.0), Catch::Contains("not positive definite") &&
                                                                  Catch::Contains("--ridge"));
  CHECK_NOTHROW(GaussianModel::fit(x, real_spec(3), 1e-6));
  CHECK_THROWS_WITH(GaussianModel::fit(x, real_spec(3), -1.0), Catch::Contains("--ridge must be >= 0"));
}

TEST_CASE("gaussian: samples have its moments", "[gaussian]") {
  Matrix x = random_real(3, 200, 2, -1.0, 1.0);
  x.row(2) += 2.0f * x.row(0);
  const GaussianModel model = GaussianModel::fit(x, real_spec(3), 0.0);
  Rng rng(5);
  const MatrixD samples = model.sample(20000, rng).cast<double>();
  const Vector mean = samples.rowwise().mean();
  CHECK((mean - model.factor().mean()).cwiseAbs().maxCoeff() < 0.03);
}
