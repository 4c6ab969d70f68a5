// A multilayer perceptron (include/logp/nn/mlp.hpp).
#include "logp/nn/mlp.hpp"

#include "logp/core/gemm.hpp"
#include "logp/nn/init.hpp"

namespace logp::nn {
namespace {

void require_sizes(const std::string& prefix, const std::vector<Index>& sizes) {
  require(sizes.size() >= 2, "Mlp " + prefix + ": needs at least an input and an output size, got " +
                                 std::to_string(sizes.size()) + " sizes");
}

// a applied in place to plain float values, as activate() does on the tape.
void activate_values(Matrix& h, Activation a) {
  switch (a) {
    case Activation::relu: h = h.array().max(0.0f); break;
    case Activation::tanh: h = h.array().tanh(); break;
    case Activation::sigmoid: h = h.array().logistic(); break;
    case Activation::softplus: h = h.array().max(0.0f) + (-h.array().abs()).exp().log1p(); break;
    case Activation::leaky_relu: h = h.cwiseMax(0.01f * h); break;
    case Activation::identity: break;
  }
}

}  // namespace

Var activate(Var x, Activation a) { return activate<float>(x, a); }

Mlp Mlp::add_to(ParameterStore& store, const std::string& prefix, const std::vector<Index>& sizes,
                Activation activation) {
  require_sizes(prefix, sizes);
  Mlp mlp;
  mlp.activation = activation;
  for (std::size_t k = 0; k + 1 < sizes.size(); ++k)
    mlp.layers.push_back(Linear::add_to(store, prefix + "." + std::to_string(k), sizes[k], sizes[k + 1]));
  return mlp;
}

Mlp Mlp::add_compact(ParameterStore& store, const std::string& prefix, const std::vector<Index>& sizes,
                     Activation activation) {
  require_sizes(prefix, sizes);
  Mlp mlp;
  mlp.activation = activation;
  for (std::size_t k = 0; k + 1 < sizes.size(); ++k) {
    const Index in = sizes[k], out = sizes[k + 1];
    require(in > 0 && out > 0, "Mlp " + prefix + ": layer sizes must be positive");
    const std::string index = std::to_string(k);
    mlp.layers.push_back({store.add(prefix + "W" + index, out, in), store.add(prefix + "b" + index, out, 1), in, out});
  }
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

Matrix Mlp::forward(const ParameterStore& params, ConstMatrixRef x, ColumnPlaces places) const {
  Matrix h = x;
  Matrix next;
  for (std::size_t k = 0; k < layers.size(); ++k) {
    next.resize(layers[k].out, h.cols());
    next.colwise() = Eigen::Map<const VectorF>(params.matrix(layers[k].bias).data(), layers[k].out);
    // next += [out, in] x [in, N]
    gemm_for<float>(places, params.matrix(layers[k].weight), Op::none, h, Op::none, next, 1.0f);
    if (k + 1 < layers.size()) activate_values(next, activation);
    h.swap(next);
  }
  return h;
}

void Mlp::initialize(ParameterStore& params, Rng& rng) const {
  const bool relu_like = activation == Activation::relu || activation == Activation::leaky_relu;
  for (std::size_t k = 0; k < layers.size(); ++k) layers[k].initialize(params, rng, relu_like && k + 1 < layers.size());
}

void Mlp::initialize_glorot(ParameterStore& params, Rng& rng) const {
  for (const Linear& layer : layers) layer.initialize(params, rng, false);
}

}  // namespace logp::nn
