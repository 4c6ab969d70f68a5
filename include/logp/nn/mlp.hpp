#pragma once
// A multilayer perceptron: Linear layers with one activation between them (none after the last).
#include <string>
#include <vector>

#include "logp/nn/activation.hpp"
#include "logp/nn/linear.hpp"

namespace logp::nn {

using logp::Activation;
// a applied elementwise on the tape (leaky_relu with slope 0.01).
Var activate(Var x, Activation a);

struct Mlp {
  std::vector<Linear> layers;
  Activation activation = Activation::relu;

  // sizes = {in, hidden..., out}: layers "<prefix>.0", "<prefix>.1", ... in the store.
  static Mlp add_to(ParameterStore& store, const std::string& prefix, const std::vector<Index>& sizes,
                    Activation activation);
  // x: [sizes.front(), N] -> [sizes.back(), N], no activation after the last layer.
  Var forward(Tape& tape, Var x, const ParameterStore& params, std::span<float> grad) const;
  // He-normal weights for relu-like activations, Glorot-uniform otherwise; zero biases.
  void initialize(ParameterStore& params, Rng& rng) const;
};

}  // namespace logp::nn
