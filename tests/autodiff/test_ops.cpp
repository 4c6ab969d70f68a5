// Every autodiff op against central differences in double (tests/support/op_check.hpp), plus
// closed-form values and refused shapes.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <numbers>

#include "logp/autodiff/ops.hpp"
#include "logp/core/math.hpp"
#include "support/op_check.hpp"

using namespace logp;
using logp::testing::check_op;
using logp::testing::random_matrix;

namespace {
MatrixD positive(Index rows, Index cols, Rng& rng) {
  return (random_matrix(rows, cols, rng).array().abs() + 0.5).matrix();
}
}  // namespace

TEST_CASE("autodiff: products and sums pass the op checker", "[autodiff]") {
  Rng rng(1);
  check_op("matmul", [](auto&, const auto& v) { return ad::matmul(v[0], v[1]); },
           {random_matrix(3, 4, rng), random_matrix(4, 5, rng)});
  check_op("add", [](auto&, const auto& v) { return ad::add(v[0], v[1]); },
           {random_matrix(3, 4, rng), random_matrix(3, 4, rng)});
  check_op("sub", [](auto&, const auto& v) { return ad::sub(v[0], v[1]); },
           {random_matrix(3, 4, rng), random_matrix(3, 4, rng)});
  check_op("mul", [](auto&, const auto& v) { return ad::mul(v[0], v[1]); },
           {random_matrix(3, 4, rng), random_matrix(3, 4, rng)});
  check_op("scale", [](auto&, const auto& v) { return ad::scale(v[0], -1.5); }, {random_matrix(3, 4, rng)});
  check_op("add_scalar", [](auto&, const auto& v) { return ad::add_scalar(v[0], 2.0); }, {random_matrix(2, 3, rng)});
  check_op("add_bias", [](auto&, const auto& v) { return ad::add_bias(v[0], v[1]); },
           {random_matrix(3, 4, rng), random_matrix(3, 1, rng)});
  check_op("scale_columns", [](auto&, const auto& v) { return ad::scale_columns(v[0], v[1]); },
           {random_matrix(3, 4, rng), random_matrix(1, 4, rng)});
  // The same node used twice: both paths add into its gradient.
  check_op("mul(a, a) + a", [](auto&, const auto& v) { return ad::add(ad::mul(v[0], v[0]), v[0]); },
           {random_matrix(2, 3, rng)});
}

TEST_CASE("autodiff: elementwise functions pass the op checker", "[autodiff]") {
  Rng rng(2);
  const MatrixD x = random_matrix(4, 3, rng, 2.0);
  check_op("sigmoid", [](auto&, const auto& v) { return ad::sigmoid(v[0]); }, {x});
  check_op("tanh", [](auto&, const auto& v) { return ad::tanh(v[0]); }, {x});
  check_op("relu", [](auto&, const auto& v) { return ad::relu(v[0]); }, {x});
  check_op("leaky_relu", [](auto&, const auto& v) { return ad::leaky_relu(v[0], 0.1); }, {x});
  check_op("softplus", [](auto&, const auto& v) { return ad::softplus(v[0]); }, {x});
  check_op("exp", [](auto&, const auto& v) { return ad::exp(v[0]); }, {x});
  check_op("log", [](auto&, const auto& v) { return ad::log(v[0]); }, {positive(4, 3, rng)});
  check_op("square", [](auto&, const auto& v) { return ad::square(v[0]); }, {x});
}

TEST_CASE("autodiff: relu and leaky_relu gradients are exact in whole and partial packets", "[autodiff]") {
  // 37 x 3 = 111 entries: whole packets of 16 or 8 floats and a partial last one, with a zero,
  // both signs and an infinite g where a < 0 (relu's term is exactly 0 there, leaky's infinite).
  // a feeds both ops: its gradient is assigned by the first backward and added by the second.
  Rng rng(41);
  Matrix a = random_matrix(37, 3, rng).cast<float>(), r = random_matrix(37, 3, rng).cast<float>();
  a(5) = 0.0f;
  a(100) = -1.0f;
  r(100) = std::numeric_limits<float>::infinity();
  ad::Tape tape;
  const ad::Var va = tape.input(a);
  const ad::Var g = tape.constant(r);
  const ad::Var loss = ad::sum(ad::add(ad::mul(ad::relu(va), g), ad::mul(ad::leaky_relu(va, 0.2f), g)));
  tape.backward(loss);
  const Matrix& da = tape.grad(va);
  for (Index i = 0; i < a.size(); ++i) {
    INFO("entry " << i);
    const float relu = a(i) > 0.0f ? r(i) : 0.0f, leaky = a(i) > 0.0f ? r(i) : 0.2f * r(i);
    CHECK(da(i) == relu + leaky);  // one sum of two floats: the same in either order
  }
  CHECK(std::isinf(da(100)));
}

TEST_CASE("autodiff: reductions and log-space normalizations pass the op checker", "[autodiff]") {
  Rng rng(3);
  const MatrixD x = random_matrix(5, 3, rng, 2.0);
  check_op("sum", [](auto&, const auto& v) { return ad::sum(v[0]); }, {x});
  check_op("mean", [](auto&, const auto& v) { return ad::mean(v[0]); }, {x});
  check_op("sum_rows", [](auto&, const auto& v) { return ad::sum_rows(v[0]); }, {x});
  check_op("log_sum_exp", [](auto&, const auto& v) { return ad::log_sum_exp(v[0]); }, {x});
  check_op("log_softmax", [](auto&, const auto& v) { return ad::log_softmax(v[0]); }, {x});
  check_op("log_mean_exp_groups", [](auto&, const auto& v) { return ad::log_mean_exp_groups(v[0], 3); },
           {random_matrix(1, 6, rng, 3.0)});
}

TEST_CASE("autodiff: shape ops pass the op checker", "[autodiff]") {
  Rng rng(4);
  check_op("concat_rows", [](auto&, const auto& v) { return ad::concat_rows(std::vector{v[0], v[1], v[0]}); },
           {random_matrix(2, 3, rng), random_matrix(4, 3, rng)});
  check_op("slice_rows", [](auto&, const auto& v) { return ad::slice_rows(v[0], 1, 2); }, {random_matrix(4, 3, rng)});
  check_op("tile_columns", [](auto&, const auto& v) { return ad::tile_columns(v[0], 3); }, {random_matrix(2, 3, rng)});
}

TEST_CASE("autodiff: densities and the KL pass the op checker", "[autodiff]") {
  Rng rng(5);
  MatrixD bits = random_matrix(4, 3, rng);
  bits = (bits.array() > 0.0).cast<double>().matrix();
  check_op("bernoulli_log_prob", [](auto&, const auto& v) { return ad::bernoulli_log_prob(v[0], v[1]); },
           {random_matrix(4, 3, rng, 3.0), bits});
  check_op("gaussian_log_prob", [](auto&, const auto& v) { return ad::gaussian_log_prob(v[0], v[1], v[2]); },
           {random_matrix(4, 3, rng), random_matrix(4, 3, rng), random_matrix(4, 3, rng, 0.5)});
  check_op("kl_diag_gaussian_standard",
           [](auto&, const auto& v) { return ad::kl_diag_gaussian_standard(v[0], v[1]); },
           {random_matrix(3, 4, rng), random_matrix(3, 4, rng, 0.5)});
}

TEST_CASE("autodiff: log-space ops are exact and stable far from zero", "[autodiff]") {
  ad::BasicTape<double> tape;
  MatrixD x(3, 2);
  x << 1000.0, -1000.0, 1001.0, -1e300, 999.0, -999.0;
  const ad::BasicVar<double> v = tape.input(x);
  const MatrixD lse = ad::log_sum_exp(v).value();
  CHECK(lse(0, 0) == Approx(1001.0 + std::log(1.0 + std::exp(-1.0) + std::exp(-2.0))).epsilon(1e-15));
  CHECK(lse(0, 1) == Approx(-999.0 + std::log1p(std::exp(-1.0))).epsilon(1e-15));
  const MatrixD probs = ad::log_softmax(v).value().array().exp().matrix();
  CHECK(probs.colwise().sum()(0) == Approx(1.0).epsilon(1e-12));
  CHECK(probs.colwise().sum()(1) == Approx(1.0).epsilon(1e-12));

  MatrixD logits(3, 1), bits(3, 1);
  logits << 80.0, -80.0, 0.3;
  bits << 0.0, 0.0, 1.0;
  const double bern = ad::bernoulli_log_prob(tape.input(logits), tape.constant(bits)).value()(0, 0);
  CHECK(bern == Approx(-log1p_exp(80.0) - log1p_exp(-80.0) + 0.3 - log1p_exp(0.3)).epsilon(1e-14));

  // One dimension: log N(1.5; 0.5, e^{2 * 0.2}) and KL(N(0.5, e^0.4) || N(0, 1)).
  const MatrixD one = MatrixD::Constant(1, 1, 1.5), m = MatrixD::Constant(1, 1, 0.5), s = MatrixD::Constant(1, 1, 0.2);
  const double sigma = std::exp(0.2);
  const double gauss = ad::gaussian_log_prob(tape.input(one), tape.input(m), tape.input(s)).value()(0, 0);
  CHECK(gauss == Approx(-0.5 * std::log(2 * std::numbers::pi) - std::log(sigma) - 0.5 * std::pow(1.0 / sigma, 2)).epsilon(1e-14));
  const double kl = ad::kl_diag_gaussian_standard(tape.input(m), tape.input(s)).value()(0, 0);
  CHECK(kl == Approx(std::log(1.0 / sigma) + (sigma * sigma + 0.25) / 2.0 - 0.5).epsilon(1e-14));

  MatrixD group(1, 4);
  group << 0.0, std::log(3.0), -700.0, -700.0;
  const MatrixD lme = ad::log_mean_exp_groups(tape.input(group), 2).value();
  CHECK(lme(0, 0) == Approx(std::log(2.0)).epsilon(1e-15));
  CHECK(lme(0, 1) == Approx(-700.0).epsilon(1e-15));
}

TEST_CASE("autodiff: ops refuse mismatched shapes with the shapes in the message", "[autodiff]") {
  ad::Tape tape;
  const ad::Var a = tape.input(Matrix::Zero(2, 3));
  const ad::Var b = tape.input(Matrix::Zero(4, 3));
  CHECK_THROWS_WITH(ad::matmul(a, b), Catch::Contains("2x3 x 4x3"));
  CHECK_THROWS_WITH(ad::add(a, b), Catch::Contains("2x3 and 4x3"));
  CHECK_THROWS_WITH(ad::add_bias(a, b), Catch::Contains("2x1"));
  CHECK_THROWS_WITH(ad::slice_rows(a, 1, 2), Catch::Contains("outside a 2x3"));
  CHECK_THROWS_WITH(ad::log_mean_exp_groups(a, 3), Catch::Contains("1 x (N*k)"));
  CHECK_THROWS_WITH(tape.backward(a), Catch::Contains("1x1 loss"));
  ad::Tape other;
  const ad::Var c = other.input(Matrix::Zero(3, 3));
  CHECK_THROWS_WITH(ad::matmul(a, c), Catch::Contains("different tapes"));
}
