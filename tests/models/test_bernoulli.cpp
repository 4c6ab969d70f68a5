#include <catch2/catch.hpp>
#include <cmath>

#include "logp/core/error.hpp"
#include "logp/models/bernoulli/bernoulli.hpp"
#include "support/binary_data.hpp"
#include "support/enumerate.hpp"

using namespace logp;
using namespace logp::testing;

TEST_CASE("bernoulli: fitted probabilities are the smoothed counts", "[bernoulli]") {
  // 4 examples of D = 3: x_0 is on in 3 of them, x_1 in 1, x_2 in 0.
  Matrix x(3, 4);
  x << 1, 1, 1, 0,
       0, 1, 0, 0,
       0, 0, 0, 0;
  const DataSpec spec = discrete_spec(3, 2);
  const BernoulliModel laplace = BernoulliModel::fit(x, spec, 1.0);
  CHECK(laplace.probabilities()(0) == Approx(4.0 / 6.0).epsilon(1e-15));
  CHECK(laplace.probabilities()(1) == Approx(2.0 / 6.0).epsilon(1e-15));
  CHECK(laplace.probabilities()(2) == Approx(1.0 / 6.0).epsilon(1e-15));
  const BernoulliModel half = BernoulliModel::fit(x, spec, 0.5);
  CHECK(half.probabilities()(0) == Approx(3.5 / 5.0).epsilon(1e-15));
}

TEST_CASE("bernoulli: log_prob matches the closed form", "[bernoulli]") {
  Matrix x(2, 2);
  x << 1, 0,
       1, 1;
  const BernoulliModel model = BernoulliModel::fit(x, discrete_spec(2, 2), 1.0);  // p = (2/4, 3/4)
  Matrix query(2, 1);
  query << 0, 1;
  CHECK(model.log_prob(query)(0) == Approx(std::log(0.5) + std::log(0.75)).epsilon(1e-14));
}

TEST_CASE("bernoulli: exp(log_prob) sums to 1 over all 2^D vectors", "[bernoulli][normalization]") {
  const Matrix data = random_discrete(10, 50, 2, 7);
  for (double alpha : {0.01, 0.5, 1.0, 3.0}) {
    const BernoulliModel model = BernoulliModel::fit(data, discrete_spec(10, 2), alpha);
    CHECK(std::abs(total_probability(model) - 1.0) < 1e-9);
  }
}

TEST_CASE("bernoulli: alpha = 0 gives -inf, not NaN, to a value never seen", "[bernoulli]") {
  Matrix x(2, 2);
  x << 1, 1,
       0, 1;  // x_0 is always 1
  const BernoulliModel model = BernoulliModel::fit(x, discrete_spec(2, 2), 0.0);
  Matrix query(2, 2);
  query << 0, 1,
           0, 0;
  const Vector lp = model.log_prob(query);
  CHECK(std::isinf(lp(0)));
  CHECK(lp(0) < 0);
  CHECK(lp(1) == Approx(std::log(0.5)));
  CHECK(std::abs(total_probability(model) - 1.0) < 1e-12);
}

TEST_CASE("bernoulli: refuses categorical data and a wrong D", "[bernoulli][errors]") {
  const Matrix data = random_discrete(4, 10, 3, 1);
  CHECK_THROWS_WITH(BernoulliModel::fit(data, discrete_spec(4, 3), 1.0), Catch::Contains("needs binary data"));
  const BernoulliModel model = BernoulliModel::fit(random_discrete(4, 10, 2, 1), discrete_spec(4, 2), 1.0);
  CHECK_THROWS_WITH(model.log_prob(Matrix::Zero(5, 2)), Catch::Contains("D=5") && Catch::Contains("D=4"));
}
