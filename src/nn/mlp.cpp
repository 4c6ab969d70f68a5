// A multilayer perceptron (include/logp/nn/mlp.hpp).
#include "logp/nn/mlp.hpp"

#include "logp/autodiff/elementwise.hpp"

namespace logp::nn {

Var activate(Var x, Activation a) {
  switch (a) {
    case Activation::relu: return ad::relu(x);
    case Activation::tanh: return ad::tanh(x);
    case Activation::sigmoid: return ad::sigmoid(x);
    case Activation::softplus: return ad::softplus(x);
    case Activation::leaky_relu: return ad::leaky_relu(x, 0.01f);
    case Activation::identity: return x;
  }
  return x;
}

Mlp Mlp::add_to(ParameterStore& store, const std::string& prefix, const std::vector<Index>& sizes,
                Activation activation) {
  require(sizes.size() >= 2, "Mlp " + prefix + ": needs at least an input and an output size, got " +
                                 std::to_string(sizes.size()) + " sizes");
  Mlp mlp;
  mlp.activation = activation;
  for (std::size_t k = 0; k + 1 < sizes.size(); ++k)
    mlp.layers.push_back(Linear::add_to(store, prefix + "." + std::to_string(k), sizes[k], sizes[k + 1]));
  return mlp;
}

Var Mlp::forward(Tape& tape, Var x, const ParameterStore& params, std::span<float> grad) const {
  Var h = x;
  for (std::size_t k = 0; k < layers.size(); ++k) {
    h = layers[k].forward(tape, h, params, grad);
    if (k + 1 < layers.size()) h = activate(h, activation);
  }
  return h;
}

void Mlp::initialize(ParameterStore& params, Rng& rng) const {
  const bool relu_like = activation == Activation::relu || activation == Activation::leaky_relu;
  for (std::size_t k = 0; k < layers.size(); ++k) layers[k].initialize(params, rng, relu_like && k + 1 < layers.size());
}

}  // namespace logp::nn
