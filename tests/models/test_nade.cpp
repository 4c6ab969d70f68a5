#include <catch2/catch.hpp>
#include <cmath>

#include "logp/core/error.hpp"
#include "logp/models/nade/nade.hpp"
#include "support/orderings.hpp"
#include "support/binary_data.hpp"
#include "support/enumerate.hpp"
#include "support/gradient_check.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

// Double-precision NADE weights laid out as in NadeModel's flat vector: W, V, b, c.
struct DoubleNade {
  Index dim, hidden;
  Eigen::VectorXd theta;
  DoubleNade(Index d, Index h, std::uint64_t seed, double scale) : dim(d), hidden(h), theta(2 * h * d + d + h) {
    Rng rng(seed);
    for (Index k = 0; k < theta.size(); ++k) theta(k) = scale * rng.normal();
  }
  static NadeWeights<double> weights(const Eigen::VectorXd& t, Index d, Index h) {
    const double* p = t.data();
    return {Eigen::Map<const MatrixX<double>>(p, h, d), Eigen::Map<const MatrixX<double>>(p + h * d, h, d),
            Eigen::Map<const VectorX<double>>(p + 2 * h * d, d), Eigen::Map<const VectorX<double>>(p + 2 * h * d + d, h)};
  }
  static NadeGradients<double> gradients(Eigen::Ref<Eigen::VectorXd> g, Index d, Index h) {
    double* p = g.data();
    return {Eigen::Map<MatrixX<double>>(p, h, d), Eigen::Map<MatrixX<double>>(p + h * d, h, d),
            Eigen::Map<VectorX<double>>(p + 2 * h * d, d), Eigen::Map<VectorX<double>>(p + 2 * h * d + d, h)};
  }
};

}  // namespace

TEST_CASE("nade: the hand-derived gradient matches central differences", "[nade][gradient]") {
  const Index d = 7, h = 5;
  const MatrixX<double> x = random_discrete(d, 6, 2, 17).cast<double>();
  for (Activation activation : {Activation::sigmoid, Activation::relu}) {
    for (const std::vector<Index>& order : {random_ordering(d, 0), random_ordering(d, 3)}) {
      const DoubleNade nade(d, h, 5, 0.7);
      const Objective f = [&](const Eigen::VectorXd& theta, Eigen::Ref<Eigen::VectorXd> grad) {
        NadeGradients<double> g = DoubleNade::gradients(grad, d, h);
        return nade_nll_and_grad<double>(DoubleNade::weights(theta, d, h), order, activation, x, g);
      };
      const GradientCheck check = check_gradient(f, nade.theta);
      INFO("activation " << static_cast<int>(activation) << ", worst entry " << check.worst);
      CHECK(check.max_abs_error < 1e-6 * std::max(1.0, check.max_scale));
    }
  }
}

TEST_CASE("nade: objective_and_grad's value equals -sum log_prob", "[nade]") {
  const Index d = 9, h = 6;
  const MatrixX<double> x = random_discrete(d, 11, 2, 2).cast<double>();
  const DoubleNade nade(d, h, 8, 1.0);
  const std::vector<Index> order = random_ordering(d, 1);
  Vector lp(x.cols());
  nade_log_prob<double>(DoubleNade::weights(nade.theta, d, h), order, Activation::sigmoid, x, lp);
  Eigen::VectorXd grad = Eigen::VectorXd::Zero(nade.theta.size());
  NadeGradients<double> g = DoubleNade::gradients(grad, d, h);
  const double nll = nade_nll_and_grad<double>(DoubleNade::weights(nade.theta, d, h), order, Activation::sigmoid, x, g);
  CHECK(nll == Approx(-lp.sum()).epsilon(1e-12));
}

TEST_CASE("nade: exp(log_prob) sums to 1 over all 2^D vectors", "[nade][normalization]") {
  const Index d = 10, h = 6;
  const Matrix all = all_examples(d, 2);
  for (Activation activation : {Activation::sigmoid, Activation::relu}) {
    for (std::uint64_t ordering_seed : {0, 1, 2}) {
      const DoubleNade nade(d, h, 40 + ordering_seed, 1.5);
      Vector lp(all.cols());
      nade_log_prob<double>(DoubleNade::weights(nade.theta, d, h), random_ordering(d, ordering_seed), activation,
                            all.cast<double>(), lp);
      CHECK(std::abs(lp.array().exp().sum() - 1.0) < 1e-9);  // double kernel: exact to rounding
    }
  }
  // The float model's normalization is the model checker's (test_model_checker.cpp).
}

TEST_CASE("nade: the float model's gradient agrees with the double kernel", "[nade][gradient]") {
  const Index d = 12, h = 8;
  NadeOptions options;
  options.hidden = h;
  NadeModel model(discrete_spec(d, 2), options);
  Rng rng(9);
  model.initialize(rng);
  const Matrix x = random_discrete(d, 20, 2, 4);
  std::vector<float> grad(static_cast<size_t>(model.parameters().size()), 0.0f);
  const double nll = model.objective_and_grad(x, rng, grad);
  CHECK(nll == Approx(-model.log_prob(x).sum()).epsilon(1e-5));

  const std::span<const float> values = std::as_const(model).parameters().values();
  const Eigen::VectorXd theta = Eigen::Map<const VectorF>(values.data(), static_cast<Index>(values.size())).cast<double>();
  Eigen::VectorXd expected = Eigen::VectorXd::Zero(theta.size());
  NadeGradients<double> g = DoubleNade::gradients(expected, d, h);
  nade_nll_and_grad<double>(DoubleNade::weights(theta, d, h), model.ordering(), Activation::sigmoid,
                            x.cast<double>(), g);
  const Eigen::VectorXd got = Eigen::Map<const VectorF>(grad.data(), static_cast<Index>(grad.size())).cast<double>();
  CHECK((got - expected).cwiseAbs().maxCoeff() < 1e-4 * std::max(1.0, expected.cwiseAbs().maxCoeff()));
}

TEST_CASE("nade: bad options are refused with a clear message", "[nade][errors]") {
  NadeOptions options;
  options.ordering = "0,1,1";
  CHECK_THROWS_WITH(NadeModel(discrete_spec(3, 2), options), Catch::Contains("not a permutation"));
  options.ordering = "0,1";
  CHECK_THROWS_WITH(NadeModel(discrete_spec(3, 2), options), Catch::Contains("2 entries") && Catch::Contains("D=3"));
  options.ordering = "raster";
  CHECK_THROWS_WITH(NadeModel(discrete_spec(3, 4), options), Catch::Contains("needs binary data"));
  options.hidden = 0;
  CHECK_THROWS_WITH(NadeModel(discrete_spec(3, 2), options), Catch::Contains("--hidden"));
}
