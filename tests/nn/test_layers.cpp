// Layers built from tape ops pass the layer checker (tests/support/op_check.hpp); the
// initialization schemes have the stated spread.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "logp/autodiff/ops.hpp"
#include "logp/nn/conv_stack.hpp"
#include "logp/nn/init.hpp"
#include "logp/nn/mlp.hpp"
#include "support/op_check.hpp"

using namespace logp;
using logp::testing::check_layer;

namespace {
void randomize(ParameterStore& params, Rng& rng, float scale) {
  for (float& v : params.values()) v = scale * static_cast<float>(rng.normal());
}

// The smallest |pre-activation| of the hidden layers of mlp on x: central differences are only
// valid for relu-like activations when no pre-activation lies within a step of the kink at 0.
float closest_to_kink(const nn::Mlp& mlp, const ParameterStore& params, const Matrix& x) {
  Matrix h = x;
  float closest = std::numeric_limits<float>::infinity();
  for (std::size_t k = 0; k + 1 < mlp.layers.size(); ++k) {
    const Matrix pre = (params.matrix(mlp.layers[k].weight) * h).colwise() + params.matrix(mlp.layers[k].bias).col(0);
    closest = std::min(closest, pre.cwiseAbs().minCoeff());
    h = pre.cwiseMax(0.01f * pre);  // the leaky relu; relu gives the same kink
  }
  return closest;
}
}  // namespace

TEST_CASE("nn: Linear and Mlp pass the layer checker", "[nn]") {
  Rng rng(21);
  const Matrix x = testing::random_matrix(4, 3, rng).cast<float>();
  {
    ParameterStore params;
    const nn::Linear linear = nn::Linear::add_to(params, "fc", 4, 2);
    randomize(params, rng, 0.5f);
    check_layer("linear", params,
                [&](ad::Tape& tape, ad::Var in, const ParameterStore& p, std::span<float> g) {
                  return linear.forward(tape, in, p, g);
                },
                x);
    CHECK(params.block(linear.weight).name == "fc.weight");
    CHECK(params.block(linear.bias).rows == 2);
  }
  for (const nn::Activation act : {nn::Activation::tanh, nn::Activation::sigmoid, nn::Activation::softplus,
                                   nn::Activation::relu, nn::Activation::leaky_relu, nn::Activation::identity}) {
    ParameterStore params;
    const nn::Mlp mlp = nn::Mlp::add_to(params, "mlp", {4, 5, 3, 2}, act);
    do {
      mlp.initialize(params, rng);
      for (float& v : params.values()) v += 0.1f * static_cast<float>(rng.normal());  // nonzero biases
    } while (closest_to_kink(mlp, params, x) < 0.05f);
    check_layer("mlp " + activation_name(act), params,
                [&](ad::Tape& tape, ad::Var in, const ParameterStore& p, std::span<float> g) {
                  return mlp.forward(tape, in, p, g);
                },
                x);
  }
  ParameterStore params;
  CHECK_THROWS_WITH(nn::Mlp::add_to(params, "bad", {4}, nn::Activation::relu), Catch::Contains("at least"));
  CHECK_THROWS_WITH(parse_activation("gelu"), Catch::Contains("unknown activation 'gelu'"));
}

TEST_CASE("nn: a conv stack (down, then up) passes the layer checker", "[nn][conv]") {
  Rng rng(22);
  ParameterStore params;
  // 6x6x1 -> conv stride 2 -> 3x3x2 -> transposed stride 2 (output_padding 1) -> 6x6x1.
  const nn::ConvStack stack = nn::ConvStack::add_to(
      params, "conv", 6, 6, 1, {{2, 3, 2, 1, false, 0}, {1, 3, 2, 1, true, 1}}, nn::Activation::tanh);
  CHECK(stack.layers[0].out_height == 3);
  CHECK(stack.out_height() == 6);
  CHECK(stack.out_size() == 36);
  stack.initialize(params, rng);
  for (float& v : params.values()) v += 0.1f * static_cast<float>(rng.normal());
  const Matrix x = testing::random_matrix(36, 2, rng).cast<float>();
  check_layer("conv stack", params,
              [&](ad::Tape& tape, ad::Var in, const ParameterStore& p, std::span<float> g) {
                return stack.forward(tape, in, p, g);
              },
              x);
}

TEST_CASE("nn: Glorot and He initializations have the stated spread", "[nn]") {
  Rng rng(23);
  Matrix w(200, 300);
  nn::glorot_uniform(Eigen::Map<Matrix>(w.data(), 200, 300), rng);
  const double limit = std::sqrt(6.0 / 500.0);
  CHECK(w.cwiseAbs().maxCoeff() <= limit);
  // Uniform on [-a, a] has variance a^2 / 3; 60000 draws give it to about 1%.
  const double var = w.cast<double>().squaredNorm() / static_cast<double>(w.size());
  CHECK(var == Approx(limit * limit / 3.0).epsilon(0.02));
  nn::he_normal(Eigen::Map<Matrix>(w.data(), 200, 300), rng);
  CHECK(w.cast<double>().squaredNorm() / static_cast<double>(w.size()) == Approx(2.0 / 300.0).epsilon(0.02));
  CHECK(std::abs(w.cast<double>().mean()) < 4.0 * std::sqrt(2.0 / 300.0 / 60000.0));
}

TEST_CASE("nn: Mlp's three forward paths agree, and add_compact names blocks as VAE files do", "[nn]") {
  Rng rng(23);
  const Matrix x = testing::random_matrix(4, 5, rng).cast<float>();
  for (const nn::Activation act : {nn::Activation::tanh, nn::Activation::sigmoid, nn::Activation::softplus,
                                   nn::Activation::relu, nn::Activation::leaky_relu, nn::Activation::identity}) {
    INFO(activation_name(act));
    ParameterStore params;
    const nn::Mlp mlp = nn::Mlp::add_compact(params, "net.", {4, 6, 3}, act);
    CHECK(params.block(mlp.layers[1].weight).name == "net.W1");
    CHECK(params.block(mlp.layers[0].bias).name == "net.b0");
    mlp.initialize_glorot(params, rng);
    for (float& v : params.values()) v += 0.1f * static_cast<float>(rng.normal());
    std::vector<float> grad(static_cast<size_t>(params.size()), 0.0f);
    ad::Tape tape;
    const Matrix on_tape = mlp.forward(tape, tape.constant(x), params, grad).value();
    ad::Tape fused_tape;
    const Matrix fused =
        mlp.forward<float>(fused_tape, fused_tape.constant(x), params.blocks(), params.values(), grad).value();
    const Matrix plain = mlp.forward(params, x);
    CHECK((on_tape - plain).cwiseAbs().maxCoeff() < 1e-5f);
    CHECK((fused - plain).cwiseAbs().maxCoeff() < 1e-5f);
  }
}

TEST_CASE("nn: an evaluation tape's dense layers give a column the same value alone and in a batch, and a "
          "training tape (fixed column places) agrees to float rounding", "[nn][gemm]") {
  Rng rng(5);
  ParameterStore params;
  const nn::Mlp mlp = nn::Mlp::add_compact(params, "net.", {300, 200, 70}, nn::Activation::relu);
  mlp.initialize_glorot(params, rng);
  const Matrix x = testing::random_matrix(300, 32, rng).cast<float>();
  std::vector<float> grad(static_cast<size_t>(params.size()), 0.0f);
  const auto forward = [&](ColumnPlaces places, const Matrix& input) {
    ad::Tape tape;
    CHECK(tape.column_places() == ColumnPlaces::vary);  // the default: evaluation
    tape.set_column_places(places);
    tape.clear();  // keeps the setting
    CHECK(tape.column_places() == places);
    return Matrix(mlp.forward<float>(tape, tape.constant(input), params.blocks(), params.values(), grad).value());
  };
  const Matrix batch = forward(ColumnPlaces::vary, x), plain_batch = mlp.forward(params, x);
  for (const Index j : {Index{0}, Index{6}, Index{7}, Index{31}}) {
    INFO("column " << j);
    Matrix alone = x.col(0).replicate(1, 32);  // the column at place 0 of a block of copies
    alone.col(0) = x.col(j);
    CHECK(forward(ColumnPlaces::vary, alone).col(0) == batch.col(j));
    CHECK(mlp.forward(params, alone).col(0) == plain_batch.col(j));  // the tape-free path alike
  }
  const Matrix fixed = forward(ColumnPlaces::fixed, x);
  CHECK((fixed - batch).cwiseAbs().maxCoeff() < 1e-4f * batch.cwiseAbs().maxCoeff());
}
