#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "logp/core/error.hpp"
#include "logp/models/rnade/rnade.hpp"
#include "support/binary_data.hpp"
#include "support/gradient_check.hpp"
#include "support/orderings.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

DataSpec real_spec(Index dim) {
  DataSpec spec;
  spec.kind = DataKind::real;
  spec.levels = 0;
  spec.dim = dim;
  return spec;
}

// Double-precision RNADE weights laid out as in RnadeModel's flat vector: W, V, b, c, rho.
struct DoubleRnade {
  Index dim, hidden, components;
  Eigen::VectorXd theta;
  DoubleRnade(Index d, Index h, Index k, std::uint64_t seed, double scale)
      : dim(d), hidden(h), components(k), theta(size(d, h, k)) {
    Rng rng(seed);
    for (Index j = 0; j < theta.size(); ++j) theta(j) = scale * rng.normal();
  }
  static Index size(Index d, Index h, Index k) { return h * d + h * 3 * k * d + 3 * k * d + h + d; }
  RnadeWeights<double> weights(const Eigen::VectorXd& t) const {
    const double* p = t.data();
    const Index K3 = 3 * components;
    return {Eigen::Map<const MatrixX<double>>(p, hidden, dim),
            Eigen::Map<const MatrixX<double>>(p + hidden * dim, hidden, K3 * dim),
            Eigen::Map<const MatrixX<double>>(p + hidden * dim * (1 + K3), K3, dim),
            Eigen::Map<const VectorX<double>>(p + hidden * dim * (1 + K3) + K3 * dim, hidden),
            Eigen::Map<const VectorX<double>>(p + hidden * dim * (1 + K3) + K3 * dim + hidden, dim)};
  }
  RnadeGradients<double> gradients(Eigen::Ref<Eigen::VectorXd> g) const {
    double* p = g.data();
    const Index K3 = 3 * components;
    return {Eigen::Map<MatrixX<double>>(p, hidden, dim), Eigen::Map<MatrixX<double>>(p + hidden * dim, hidden, K3 * dim),
            Eigen::Map<MatrixX<double>>(p + hidden * dim * (1 + K3), K3, dim),
            Eigen::Map<VectorX<double>>(p + hidden * dim * (1 + K3) + K3 * dim, hidden),
            Eigen::Map<VectorX<double>>(p + hidden * dim * (1 + K3) + K3 * dim + hidden, dim)};
  }
  double log_prob(const std::vector<Index>& order, const RnadeShape& shape, const Eigen::VectorXd& x) const {
    Vector out(1);
    rnade_log_prob<double>(weights(theta), order, shape, x, out);
    return out(0);
  }
};

MatrixX<double> random_real(Index d, Index n, std::uint64_t seed) {
  Rng rng(seed);
  MatrixX<double> x(d, n);
  for (Index k = 0; k < x.size(); ++k) x.data()[k] = 1.5 * rng.normal();
  return x;
}

// The integral of f over the real line; tolerance: relative error asked of the adaptive rule.
double integrate_line(const std::function<double(double)>& f, double tolerance) {
  const double inf = std::numeric_limits<double>::infinity();
  return boost::math::quadrature::gauss_kronrod<double, 15>::integrate(f, -inf, inf, 10, tolerance);
}

}  // namespace

TEST_CASE("rnade: the hand-derived gradient matches central differences", "[rnade][gradient]") {
  const Index d = 5, h = 4, k = 3;
  const MatrixX<double> x = random_real(d, 6, 17);
  for (Activation activation : {Activation::sigmoid, Activation::relu}) {
    // min_scale 0.6 puts some log-scales below the floor (their gradient is 0), 1e-3 none.
    for (double min_scale : {1e-3, 0.6}) {
      for (const std::vector<Index>& order : {random_ordering(d, 0), random_ordering(d, 3)}) {
        const DoubleRnade rnade(d, h, k, 5, 0.6);
        const RnadeShape shape{k, activation, min_scale};
        const Objective f = [&](const Eigen::VectorXd& theta, Eigen::Ref<Eigen::VectorXd> grad) {
          RnadeGradients<double> g = rnade.gradients(grad);
          return rnade_nll_and_grad<double>(rnade.weights(theta), order, shape, x, g);
        };
        const GradientCheck check = check_gradient(f, rnade.theta);
        INFO("activation " << static_cast<int>(activation) << ", min_scale " << min_scale << ", worst entry "
                           << check.worst);
        CHECK(check.max_abs_error < 1e-6 * std::max(1.0, check.max_scale));
      }
    }
  }
}

TEST_CASE("rnade: objective_and_grad's value equals -sum log_prob, over several blocks", "[rnade]") {
  const Index d = 6, h = 5, k = 2;
  const MatrixX<double> x = random_real(d, 150, 2);  // more columns than one kernel block
  const DoubleRnade rnade(d, h, k, 8, 0.8);
  const std::vector<Index> order = random_ordering(d, 1);
  const RnadeShape shape{k, Activation::relu, 1e-2};
  Vector lp(x.cols());
  rnade_log_prob<double>(rnade.weights(rnade.theta), order, shape, x, lp);
  Eigen::VectorXd grad = Eigen::VectorXd::Zero(rnade.theta.size());
  RnadeGradients<double> g = rnade.gradients(grad);
  const double nll = rnade_nll_and_grad<double>(rnade.weights(rnade.theta), order, shape, x, g);
  CHECK(nll == Approx(-lp.sum()).epsilon(1e-12));
  // Each column alone gives the value it has in the batch.
  Vector one(1);
  rnade_log_prob<double>(rnade.weights(rnade.theta), order, shape, x.col(137), one);
  CHECK(one(0) == Approx(lp(137)).epsilon(1e-13));
}

TEST_CASE("rnade: a 1-D and a 2-D RNADE integrate to 1 (Gauss-Kronrod quadrature)", "[rnade][normalization]") {
  for (Activation activation : {Activation::sigmoid, Activation::relu}) {
    const RnadeShape shape{3, activation, 0.05};
    const DoubleRnade one(1, 4, 3, 11, 0.5);
    const std::vector<Index> order1{0};
    const double total1 = integrate_line([&](double t) { return std::exp(one.log_prob(order1, shape, Eigen::VectorXd::Constant(1, t))); }, 1e-11);
    CHECK(std::abs(total1 - 1.0) < 1e-8);

    const DoubleRnade two(2, 4, 3, 12, 0.5);
    {
      // Outer over x_0, inner over x_1, whatever the model's ordering (Fubini).
      const std::vector<Index> order2 =
          activation == Activation::relu ? std::vector<Index>{1, 0} : std::vector<Index>{0, 1};
      const double total2 = integrate_line([&](double u) {
        return integrate_line([&](double t) {
          Eigen::VectorXd x(2);
          x << u, t;
          return std::exp(two.log_prob(order2, shape, x));
        }, 1e-8);
      }, 1e-7);
      CHECK(std::abs(total2 - 1.0) < 1e-5);
    }
  }
}

TEST_CASE("rnade: the float model agrees with the double kernel", "[rnade][gradient]") {
  const Index d = 12;
  RnadeOptions options;
  options.hidden = 8;
  options.components = 4;
  options.ordering = "random";
  RnadeModel model(real_spec(d), options);
  Rng rng(9);
  model.initialize(rng);
  const Matrix x = random_real(d, 20, 4).cast<float>();
  std::vector<float> grad(static_cast<size_t>(model.parameters().size()), 0.0f);
  const double nll = model.objective_and_grad(x, rng, grad);
  CHECK(nll == Approx(-model.log_prob(x).sum()).epsilon(1e-5));

  const std::span<const float> values = std::as_const(model).parameters().values();
  const Eigen::VectorXd theta = Eigen::Map<const VectorF>(values.data(), static_cast<Index>(values.size())).cast<double>();
  DoubleRnade layout(d, options.hidden, options.components, 0, 0.0);
  Eigen::VectorXd expected = Eigen::VectorXd::Zero(theta.size());
  RnadeGradients<double> g = layout.gradients(expected);
  const double nll_double = rnade_nll_and_grad<double>(
      layout.weights(theta), model.ordering(), {options.components, options.activation, options.min_scale},
      x.cast<double>(), g);
  CHECK(nll == Approx(nll_double).epsilon(1e-5));
  const Eigen::VectorXd got = Eigen::Map<const VectorF>(grad.data(), static_cast<Index>(grad.size())).cast<double>();
  CHECK((got - expected).cwiseAbs().maxCoeff() < 1e-4 * std::max(1.0, expected.cwiseAbs().maxCoeff()));
}

TEST_CASE("rnade: ancestral samples have the mean and log-density the model implies", "[rnade][sampling]") {
  // 1-D: the sample mean against the quadrature mean; 3-D: the mean log_prob of samples is
  // -entropy, so it must match the model's own Monte Carlo estimate within its error.
  RnadeOptions options;
  options.hidden = 4;
  options.components = 3;
  RnadeModel model(real_spec(1), options);
  Rng init(21);
  model.initialize(init);
  const double mean = integrate_line([&](double t) {
    const Matrix x = Matrix::Constant(1, 1, static_cast<float>(t));
    return t * std::exp(model.log_prob(x)(0));
  }, 1e-9);
  Rng rng(5);
  const Index n = 40000;
  const Matrix s = model.sample(n, rng);
  const double sample_mean = s.cast<double>().mean();
  const double sd = std::sqrt((s.cast<double>().array() - sample_mean).square().sum() / (n - 1));
  CHECK(std::abs(sample_mean - mean) < 4.0 * sd / std::sqrt(static_cast<double>(n)));
}

TEST_CASE("rnade: bad options are refused with a clear message", "[rnade][errors]") {
  RnadeOptions options;
  CHECK_THROWS_WITH(RnadeModel(discrete_spec(3, 2), options), Catch::Contains("needs real data"));
  options.ordering = "0,1,1";
  CHECK_THROWS_WITH(RnadeModel(real_spec(3), options), Catch::Contains("not a permutation"));
  options.ordering = "raster";
  options.components = 0;
  CHECK_THROWS_WITH(RnadeModel(real_spec(3), options), Catch::Contains("--components"));
  options.components = 2;
  options.min_scale = 0.0;
  CHECK_THROWS_WITH(RnadeModel(real_spec(3), options), Catch::Contains("--min-scale"));
}
