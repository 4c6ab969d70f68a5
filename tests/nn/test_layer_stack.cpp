// nn::LayerStack's partial passes: forward_prefix (the first k layers, e.g. a discriminator's
// penultimate features) and forward_suffix (the rest) compose to forward(), use the batch-norm
// states of the layers they run, and pass the layer checker.
#include <catch2/catch.hpp>

#include "logp/nn/layer_stack.hpp"
#include "support/op_check.hpp"

using namespace logp;

namespace {
// 5 -> linear 6 -> batch norm -> leaky relu -> linear 4 -> batch norm -> tanh -> linear 3.
nn::LayerStack make_stack(ParameterStore& params) {
  nn::LayerStack stack("s", 5);
  stack.add_linear(params, 6);
  stack.add_batch_norm(params, 6);
  stack.add_activation(Activation::leaky_relu, 0.2f);
  stack.add_linear(params, 4);
  stack.add_batch_norm(params, 4);
  stack.add_activation(Activation::tanh);
  stack.add_linear(params, 3);
  return stack;
}
}  // namespace

TEST_CASE("nn: LayerStack forward_prefix then forward_suffix is forward", "[nn]") {
  Rng rng(23);
  ParameterStore params;
  const nn::LayerStack stack = make_stack(params);
  stack.initialize(params, rng, 0.0f);
  for (float& v : params.values()) v += 0.1f * static_cast<float>(rng.normal());  // nonzero biases, beta
  const Matrix x = testing::random_matrix(5, 7, rng).cast<float>();
  const auto layers = static_cast<Index>(stack.layers().size());
  for (const bool training : {true, false}) {
    ad::Tape tape;
    std::vector<ad::BatchNormState> whole_norms = stack.make_norm_states();
    const Matrix whole = stack.forward(tape, tape.constant(x), params, {}, whole_norms, training).value();
    for (Index k = 0; k <= layers; ++k) {
      INFO("training " << training << ", prefix of " << k << " layers");
      std::vector<ad::BatchNormState> norms = stack.make_norm_states();
      const ad::Var h = stack.forward_prefix(tape, tape.constant(x), params, {}, norms, training, k);
      CHECK(h.rows() == (k == 0 ? 5 : stack.layers()[static_cast<std::size_t>(k - 1)].out_size));
      // Only the batch-norm layers run so far (layers 1 and 4) have pending statistics.
      if (training) {
        CHECK(norms[0].batch_count == (k > 1 ? 7.0f : 0.0f));
        CHECK(norms[1].batch_count == (k > 4 ? 7.0f : 0.0f));
      }
      const Matrix out = stack.forward_suffix(tape, h, params, {}, norms, training, k).value();
      CHECK(out == whole);  // the same ops in the same order: bit-identical
      if (training) {
        CHECK(norms[0].batch_count == whole_norms[0].batch_count);
        CHECK(norms[1].batch_mean == whole_norms[1].batch_mean);
      }
    }
  }
  ad::Tape tape;
  std::vector<ad::BatchNormState> norms = stack.make_norm_states();
  CHECK_THROWS_WITH(stack.forward_prefix(tape, tape.constant(x), params, {}, norms, false, layers + 1),
                    Catch::Contains("a prefix of 8 layers, the network has 7"));
  CHECK_THROWS_WITH(stack.forward_suffix(tape, tape.constant(x), params, {}, norms, false, 3),
                    Catch::Contains("input has 5 rows, layer 3 takes 6"));
}

TEST_CASE("nn: LayerStack forward_prefix passes the layer checker", "[nn]") {
  Rng rng(24);
  ParameterStore params;
  const nn::LayerStack stack = make_stack(params);
  stack.initialize(params, rng, 0.0f);
  for (float& v : params.values()) v += 0.1f * static_cast<float>(rng.normal());
  std::vector<ad::BatchNormState> norms = stack.make_norm_states();
  for (ad::BatchNormState& s : norms) s.running_var.setConstant(2.0f);  // running statistics, away from 1
  const Matrix x = testing::random_matrix(5, 3, rng).cast<float>();
  // Up to the tanh (6 layers): the penultimate features of this stack; running statistics, so
  // the check's repeated passes see the same function.
  testing::check_layer("layer stack prefix", params,
                       [&](ad::Tape& tape, ad::Var in, const ParameterStore& p, std::span<float> g) {
                         return stack.forward_prefix(tape, in, p, g, norms, false, 6);
                       },
                       x);
}

namespace {
// 5 -> dropout 0.3 -> noise 0.3 -> linear 6 -> leaky relu -> noise 0.5 -> linear 3; `regularized`
// false: the same weight layers without the regularizers (the same parameter layout).
nn::LayerStack make_noisy_stack(ParameterStore& params, bool regularized) {
  nn::LayerStack stack("s", 5);
  if (regularized) {
    stack.add_dropout(0.3);
    stack.add_gaussian_noise(0.3);
  }
  stack.add_linear(params, 6);
  stack.add_activation(Activation::leaky_relu, 0.2f);
  if (regularized) stack.add_gaussian_noise(0.5);
  stack.add_linear(params, 3);
  return stack;
}
}  // namespace

TEST_CASE("nn: LayerStack noise and dropout act in training only, drawn from the given stream", "[nn]") {
  Rng rng(25);
  ParameterStore params, plain_params;
  const nn::LayerStack stack = make_noisy_stack(params, true), plain = make_noisy_stack(plain_params, false);
  stack.initialize(params, rng, 0.0f);
  REQUIRE(plain_params.size() == params.size());  // the regularizers have no parameters
  std::copy(params.values().begin(), params.values().end(), plain_params.values().begin());
  CHECK(stack.penultimate_layers() == 4);  // the features before the last layer's noise
  CHECK(plain.penultimate_layers() == 2);
  const Matrix x = testing::random_matrix(5, 7, rng).cast<float>();
  ad::Tape tape;
  const auto run = [&](bool training, std::uint64_t seed) {
    Rng draws(seed);
    return Matrix(stack.forward(tape, tape.constant(x), params, {}, {}, training, &draws).value());
  };
  const Matrix clean = plain.forward(tape, tape.constant(x), plain_params, {}, {}, false).value();
  CHECK(stack.forward(tape, tape.constant(x), params, {}, {}, false).value() == clean);  // evaluation: clean
  CHECK(run(false, 1) == clean);
  CHECK(run(true, 1) == run(true, 1));  // a function of the stream
  CHECK(run(true, 1) != run(true, 2));
  CHECK((run(true, 1) - clean).cwiseAbs().maxCoeff() > 0.1f);
  CHECK_THROWS_WITH(stack.forward(tape, tape.constant(x), params, {}, {}, true),
                    Catch::Contains("layer 0 draws noise in training, and no random stream was given"));
  nn::LayerStack refused("r", 2);
  CHECK_THROWS_WITH(refused.add_gaussian_noise(0.0), Catch::Contains("positive standard deviation"));
  CHECK_THROWS_WITH(refused.add_dropout(1.0), Catch::Contains("dropout probability must be in (0, 1)"));
}

TEST_CASE("nn: LayerStack with noise and dropout in training passes the layer checker", "[nn][gradient]") {
  Rng rng(26);
  ParameterStore params;
  const nn::LayerStack stack = make_noisy_stack(params, true);
  stack.initialize(params, rng, 0.0f);
  for (float& v : params.values()) v += 0.1f * static_cast<float>(rng.normal());
  const Matrix x = testing::random_matrix(5, 3, rng).cast<float>();
  // The same draws on every pass (a fresh stream each time), so the check sees one function:
  // the noise is a constant shift and the dropout mask a constant scaling.
  testing::check_layer("noisy layer stack", params,
                       [&](ad::Tape& tape, ad::Var in, const ParameterStore& p, std::span<float> g) {
                         Rng draws(7);
                         return stack.forward(tape, in, p, g, {}, true, &draws);
                       },
                       x);
}
