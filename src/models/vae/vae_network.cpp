#include "logp/models/vae/vae_network.hpp"

#include <algorithm>
#include <cmath>

#include "logp/core/error.hpp"

namespace logp {

DenseStack::DenseStack(ParameterStore& store, const std::string& prefix, const std::vector<Index>& sizes,
                       Activation activation)
    : activation_(activation) {
  require(std::find(kDenseStackActivations.begin(), kDenseStackActivations.end(), activation) !=
              kDenseStackActivations.end(),
          prefix + ": activation " + activation_name(activation) + " is not one of relu, tanh, softplus");
  require(sizes.size() >= 2, prefix + ": a network needs at least an input and an output size");
  for (std::size_t k = 0; k + 1 < sizes.size(); ++k) {
    require(sizes[k] > 0 && sizes[k + 1] > 0, prefix + ": layer sizes must be positive");
    DenseLayer layer;
    layer.in = sizes[k];
    layer.out = sizes[k + 1];
    layer.weight = store.add(prefix + "W" + std::to_string(k), layer.out, layer.in);
    layer.bias = store.add(prefix + "b" + std::to_string(k), layer.out, 1);
    layers_.push_back(layer);
  }
}

void DenseStack::initialize(ParameterStore& store, Rng& rng) const {
  for (const DenseLayer& layer : layers_) {
    const double limit = std::sqrt(6.0 / static_cast<double>(layer.in + layer.out));
    Eigen::Map<Matrix> w = store.matrix(layer.weight);
    for (Index k = 0; k < w.size(); ++k) w.data()[k] = static_cast<float>(limit * (2.0 * rng.uniform() - 1.0));
    store.matrix(layer.bias).setZero();
  }
}

Matrix DenseStack::forward(const ParameterStore& store, ConstMatrixRef x) const {
  Matrix h = x;
  Matrix next;
  for (std::size_t k = 0; k < layers_.size(); ++k) {
    next.resize(layers_[k].out, h.cols());
    next.noalias() = store.matrix(layers_[k].weight) * h;  // [out, in] x [in, N]
    next.colwise() += Eigen::Map<const VectorF>(store.matrix(layers_[k].bias).data(), layers_[k].out);
    if (k + 1 < layers_.size()) {
      switch (activation_) {
        case Activation::relu: next = next.array().max(0.0f); break;
        case Activation::tanh: next = next.array().tanh(); break;
        case Activation::softplus:
          next = next.array().max(0.0f) + (-next.array().abs()).exp().log1p();
          break;
        default: break;  // the constructor admits only the three above
      }
    }
    h.swap(next);
  }
  return h;
}

}  // namespace logp
