#pragma once
// A multilayer perceptron: dense layers y = W x + b with one activation between them (none after
// the last). Activations are features x examples. The one dense stack of logp: the VAE, the
// autoencoder and the tape-built networks use it.
//
// Three forward paths over the same ParameterStore blocks: on a float tape through Linear (a
// matmul and an add_bias node per layer), on a tape of any scalar through the fused dense node
// of nn/dense.hpp (the VAE's and autoencoder's training, and their double gradient checks), and
// plain float arithmetic without a tape (their evaluation). The first and second give the same
// values up to float rounding; each model keeps the path its numbers were made with.
#include <span>
#include <string>
#include <vector>

#include "logp/autodiff/elementwise.hpp"
#include "logp/nn/activation.hpp"
#include "logp/nn/dense.hpp"
#include "logp/nn/linear.hpp"

namespace logp::nn {

using logp::Activation;
// a applied elementwise on the tape (leaky_relu with slope 0.01).
template <class T>
ad::BasicVar<T> activate(ad::BasicVar<T> x, Activation a) {
  switch (a) {
    case Activation::relu: return ad::relu(x);
    case Activation::tanh: return ad::tanh(x);
    case Activation::sigmoid: return ad::sigmoid(x);
    case Activation::softplus: return ad::softplus(x);
    case Activation::leaky_relu: return ad::leaky_relu(x, T(0.01));
    case Activation::identity: return x;
  }
  return x;
}
Var activate(Var x, Activation a);

struct Mlp {
  std::vector<Linear> layers;
  Activation activation = Activation::relu;

  // sizes = {in, hidden..., out}: layers "<prefix>.0", "<prefix>.1", ... in the store.
  static Mlp add_to(ParameterStore& store, const std::string& prefix, const std::vector<Index>& sizes,
                    Activation activation);
  // The same with blocks "<prefix>W<k>" and "<prefix>b<k>": the names in the VAE's and the
  // autoencoder's model files.
  static Mlp add_compact(ParameterStore& store, const std::string& prefix, const std::vector<Index>& sizes,
                         Activation activation);

  Index in() const { return layers.front().in; }
  Index out() const { return layers.back().out; }

  // x: [sizes.front(), N] -> [sizes.back(), N], no activation after the last layer.
  Var forward(Tape& tape, Var x, const ParameterStore& params, std::span<float> grad) const;
  // The same on a tape of any scalar. values/grad: the flat parameter vector and gradient buffer
  // (layout of `blocks`); backward() adds into grad.
  template <class T>
  ad::BasicVar<T> forward(ad::BasicTape<T>& tape, ad::BasicVar<T> x, const std::vector<ParameterBlock>& blocks,
                          std::span<const T> values, std::span<T> grad) const;
  // The same values in float without a tape. With ColumnPlaces::fixed (the caller fixes where each
  // column of x sits: one example's draws) the products may round a column by its place
  // (core/gemm.hpp).
  Matrix forward(const ParameterStore& params, ConstMatrixRef x, ColumnPlaces places = ColumnPlaces::vary) const;

  // He-normal weights for relu-like activations, Glorot-uniform otherwise; zero biases.
  void initialize(ParameterStore& params, Rng& rng) const;
  // Glorot-uniform weights for every layer whatever the activation, zero biases (the VAE's and
  // the autoencoder's rule).
  void initialize_glorot(ParameterStore& params, Rng& rng) const;
};

template <class T>
ad::BasicVar<T> Mlp::forward(ad::BasicTape<T>& tape, ad::BasicVar<T> x, const std::vector<ParameterBlock>& blocks,
                             std::span<const T> values, std::span<T> grad) const {
  require(x.tape == &tape, "Mlp::forward: the input is on another tape");
  ad::BasicVar<T> h = x;
  for (std::size_t k = 0; k < layers.size(); ++k) {
    h = detail::dense(h, blocks[layers[k].weight], blocks[layers[k].bias], values, grad);  // [out, N]
    if (k + 1 < layers.size()) h = activate(h, activation);
  }
  return h;
}

}  // namespace logp::nn
