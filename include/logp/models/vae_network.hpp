#pragma once
// The multilayer perceptrons of the VAE and the autoencoder: dense layers y = W x + b with an
// activation between layers and none after the last. Activations are features x examples.
//
// Two forward paths over the same ParameterStore blocks: on a tape, templated on the scalar so
// the gradient checks run the whole model in double, and a plain float forward (no tape) for
// evaluation. (nn/mlp.hpp offers a float-only Mlp; the double checks need the template, so the
// VAE keeps this small helper of its own.)
#include <span>
#include <string>
#include <vector>

#include "logp/autodiff/ops.hpp"
#include "logp/core/rng.hpp"
#include "logp/train/parameter_store.hpp"

namespace logp {

enum class VaeActivation { relu, tanh, softplus };
VaeActivation parse_vae_activation(const std::string& text);  // "relu" | "tanh" | "softplus"
std::string_view to_string(VaeActivation activation);

struct DenseLayer {
  std::size_t weight = 0, bias = 0;  // blocks: W [out, in], b [out, 1]
  Index in = 0, out = 0;
};

class DenseStack {
 public:
  DenseStack() = default;
  // Adds blocks "<prefix>W<k>", "<prefix>b<k>" for sizes[0] -> sizes[1] -> ... -> sizes.back().
  DenseStack(ParameterStore& store, const std::string& prefix, const std::vector<Index>& sizes,
             VaeActivation activation);

  Index in() const { return layers_.front().in; }
  Index out() const { return layers_.back().out; }
  const std::vector<DenseLayer>& layers() const { return layers_; }

  // Glorot-uniform weights (fan_in = in, fan_out = out), zero biases.
  void initialize(ParameterStore& store, Rng& rng) const;

  // x: [in, N] -> [out, N], float, no tape.
  Matrix forward(const ParameterStore& store, ConstMatrixRef x) const;

  // The same on a tape. values/grad: the flat parameter vector and gradient buffer (layout of
  // `blocks`); backward() adds into grad.
  template <class T>
  ad::BasicVar<T> forward(ad::BasicTape<T>& tape, ad::BasicVar<T> x, const std::vector<ParameterBlock>& blocks,
                          std::span<const T> values, std::span<T> grad) const;

 private:
  std::vector<DenseLayer> layers_;
  VaeActivation activation_ = VaeActivation::relu;
};

template <class T>
ad::BasicVar<T> DenseStack::forward(ad::BasicTape<T>& tape, ad::BasicVar<T> x, const std::vector<ParameterBlock>& blocks,
                                    std::span<const T> values, std::span<T> grad) const {
  using MatrixT = ad::MatrixOf<T>;
  const auto param = [&](std::size_t index) {
    const ParameterBlock& b = blocks[index];
    return tape.parameter(Eigen::Map<const MatrixT>(values.data() + b.offset, b.rows, b.cols),
                          Eigen::Map<MatrixT>(grad.data() + b.offset, b.rows, b.cols));
  };
  ad::BasicVar<T> h = x;
  for (std::size_t k = 0; k < layers_.size(); ++k) {
    h = ad::add_bias(ad::matmul(param(layers_[k].weight), h), param(layers_[k].bias));  // [out, N]
    if (k + 1 == layers_.size()) break;
    switch (activation_) {
      case VaeActivation::relu: h = ad::relu(h); break;
      case VaeActivation::tanh: h = ad::tanh(h); break;
      case VaeActivation::softplus: h = ad::softplus(h); break;
    }
  }
  return h;
}

}  // namespace logp
