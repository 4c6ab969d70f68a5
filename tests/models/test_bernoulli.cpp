#include <catch2/catch.hpp>
#include <cmath>

#include "logp/core/error.hpp"
#include "logp/eval/score.hpp"
#include "logp/io/model_file.hpp"
#include "logp/models/bernoulli/bernoulli.hpp"
#include "support/binary_data.hpp"
#include "support/enumerate.hpp"
#include "support/temp_dir.hpp"

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

TEST_CASE("bernoulli: sample frequencies follow p", "[bernoulli][sampling]") {
  Matrix x(3, 10);
  x.setZero();
  x.row(0).head(2).setOnes();
  x.row(1).head(5).setOnes();
  x.row(2).head(9).setOnes();
  const BernoulliModel model = BernoulliModel::fit(x, discrete_spec(3, 2), 1.0);
  Rng rng(11);
  const Index n = 40000;
  const Matrix s = model.sample(n, rng);
  for (Index i = 0; i < 3; ++i) {
    const double p = model.probabilities()(i);
    const double freq = s.row(i).cast<double>().mean();
    CHECK(std::abs(freq - p) < 4.0 * std::sqrt(p * (1 - p) / n));  // within 4 standard errors
  }
}

TEST_CASE("bernoulli: save/load gives bit-identical log-likelihoods", "[bernoulli][io]") {
  TempDir dir;
  const Matrix data = random_discrete(12, 30, 2, 3);
  const BernoulliModel model = BernoulliModel::fit(data, discrete_spec(12, 2, {3, 4, 1}), 1.0);
  save_model(model, FitRecord{"memory", "train", 30, 0.0, "test", ""}, dir.file("b.h5"));
  const std::unique_ptr<DensityModel> loaded = load_density_model(dir.file("b.h5"));
  CHECK(loaded->type() == "bernoulli");
  CHECK(loaded->data_spec().shape == std::vector<Index>{3, 4, 1});
  const Vector a = model.log_prob(data);
  const Vector b = loaded->log_prob(data);
  CHECK(a == b);
  CHECK(parallel_log_prob(*loaded, data, 7) == a);
}

TEST_CASE("bernoulli: refuses categorical data and a wrong D", "[bernoulli][errors]") {
  const Matrix data = random_discrete(4, 10, 3, 1);
  CHECK_THROWS_WITH(BernoulliModel::fit(data, discrete_spec(4, 3), 1.0), Catch::Contains("needs binary data"));
  const BernoulliModel model = BernoulliModel::fit(random_discrete(4, 10, 2, 1), discrete_spec(4, 2), 1.0);
  CHECK_THROWS_WITH(model.log_prob(Matrix::Zero(5, 2)), Catch::Contains("D=5") && Catch::Contains("D=4"));
}
