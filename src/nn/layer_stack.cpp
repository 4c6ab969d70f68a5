// A feed-forward stack of layers (include/logp/nn/layer_stack.hpp).
#include "logp/nn/layer_stack.hpp"

#include <cmath>
#include <numbers>

#include "logp/autodiff/arithmetic.hpp"
#include "logp/autodiff/dropout.hpp"
#include "logp/autodiff/elementwise.hpp"
#include "logp/core/error.hpp"
#include "logp/io/h5.hpp"
#include "logp/nn/init.hpp"
#include "logp/nn/mlp.hpp"

namespace logp::nn {
namespace {

// N(0, std^2) entries in storage order (column by column, each in row order), two per pair of
// uniforms (Box-Muller's cosine and sine outputs: the noise layers draw millions per step, and
// Rng::normal uses only one).
void fill_gaussian(Matrix& out, double std, Rng& rng) {
  float* values = out.data();
  const Index size = out.size();
  for (Index k = 0; k < size; k += 2) {
    const double u1 = 1.0 - rng.uniform(), u2 = rng.uniform();  // u1 in (0, 1]: a finite log
    const double radius = std * std::sqrt(-2.0 * std::log(u1)), angle = 2.0 * std::numbers::pi * u2;
    values[k] = static_cast<float>(radius * std::cos(angle));
    if (k + 1 < size) values[k + 1] = static_cast<float>(radius * std::sin(angle));
  }
}

}  // namespace

void LayerStack::add_linear(ParameterStore& store, Index out) {
  StackLayer layer;
  layer.kind = LayerKind::linear;
  layer.linear = Linear::add_to(store, next_name(), out_size(), out);
  layer.out_size = out;
  layers_.push_back(layer);
}

void LayerStack::add_conv(ParameterStore& store, Index height, Index width, Index out_channels, Index kernel,
                          Index stride, Index padding) {
  add_conv_layer(store, height, width, out_channels, kernel, stride, padding, false);
}

void LayerStack::add_conv_transpose(ParameterStore& store, Index height, Index width, Index out_channels,
                                    Index kernel, Index stride, Index padding) {
  add_conv_layer(store, height, width, out_channels, kernel, stride, padding, true);
}

void LayerStack::add_conv_layer(ParameterStore& store, Index height, Index width, Index out_channels, Index kernel,
                                Index stride, Index padding, bool transposed) {
  const std::string name = next_name();
  const Index in = out_size();
  require(height > 0 && width > 0 && in % (height * width) == 0,
          "layer " + name + ": an input of " + std::to_string(in) + " rows is not a " + std::to_string(height) + "x" +
              std::to_string(width) + " image");
  StackLayer layer;
  layer.kind = transposed ? LayerKind::conv_transpose : LayerKind::conv;
  layer.conv = ad::Conv2dShape{height, width, in / (height * width), out_channels, kernel, stride, padding, 0};
  const Index out_height = transposed ? layer.conv.transposed_height() : layer.conv.conv_height();
  const Index out_width = transposed ? layer.conv.transposed_width() : layer.conv.conv_width();
  require(out_channels > 0 && out_height > 0 && out_width > 0,
          "layer " + name + ": kernel " + std::to_string(kernel) + ", stride " + std::to_string(stride) +
              " and padding " + std::to_string(padding) + " give no output for a " + std::to_string(height) + "x" +
              std::to_string(width) + " input");
  const Index in_channels = layer.conv.in_channels;
  const Index patch = kernel * kernel * (transposed ? out_channels : in_channels);
  layer.weight = store.add(name + ".weight", transposed ? in_channels : out_channels, patch);
  layer.bias = store.add(name + ".bias", out_channels, 1);
  layer.out_size = out_height * out_width * out_channels;
  layers_.push_back(layer);
}

void LayerStack::add_batch_norm(ParameterStore& store, Index channels) {
  const std::string name = next_name();
  require(channels > 0 && out_size() % channels == 0, "layer " + name + ": " + std::to_string(out_size()) +
                                                          " rows are not a whole number of " +
                                                          std::to_string(channels) + "-channel positions");
  StackLayer layer;
  layer.kind = LayerKind::batch_norm;
  layer.channels = channels;
  layer.gamma = store.add(name + ".gamma", channels, 1);
  layer.beta = store.add(name + ".beta", channels, 1);
  store.matrix(layer.gamma).setOnes();
  layer.out_size = out_size();
  layers_.push_back(layer);
}

void LayerStack::add_activation(Activation activation, float leaky_slope) {
  StackLayer layer;
  layer.kind = LayerKind::activation;
  layer.activation = activation;
  layer.slope = leaky_slope;
  layer.out_size = out_size();
  layers_.push_back(layer);
}

void LayerStack::add_gaussian_noise(double std) {
  require(std > 0.0, "layer " + next_name() + ": Gaussian noise needs a positive standard deviation, got " +
                         std::to_string(std));
  add_regularizer(LayerKind::gaussian_noise, std);
}

void LayerStack::add_dropout(double p) {
  require(p > 0.0 && p < 1.0, "layer " + next_name() + ": dropout probability must be in (0, 1), got " +
                                  std::to_string(p));
  add_regularizer(LayerKind::dropout, p);
}

void LayerStack::add_regularizer(LayerKind kind, double noise) {
  StackLayer layer;
  layer.kind = kind;
  layer.noise = noise;
  layer.out_size = out_size();
  layers_.push_back(layer);
}

Index LayerStack::penultimate_layers() const {
  auto k = static_cast<Index>(layers_.size()) - 1;
  while (k > 0 && (layers_[static_cast<std::size_t>(k - 1)].kind == LayerKind::gaussian_noise ||
                   layers_[static_cast<std::size_t>(k - 1)].kind == LayerKind::dropout))
    --k;
  return std::max<Index>(k, 0);
}

Var LayerStack::forward(Tape& tape, Var x, const ParameterStore& params, std::span<float> grad,
                        std::span<ad::BatchNormState> norms, bool training, Rng* rng) const {
  return forward_range(tape, x, params, grad, norms, training, 0, static_cast<Index>(layers_.size()), rng);
}

Var LayerStack::forward_prefix(Tape& tape, Var x, const ParameterStore& params, std::span<float> grad,
                               std::span<ad::BatchNormState> norms, bool training, Index layer_count,
                               Rng* rng) const {
  require(layer_count >= 0 && layer_count <= static_cast<Index>(layers_.size()),
          "network " + prefix_ + ": a prefix of " + std::to_string(layer_count) + " layers, the network has " +
              std::to_string(layers_.size()));
  return forward_range(tape, x, params, grad, norms, training, 0, layer_count, rng);
}

Var LayerStack::forward_suffix(Tape& tape, Var h, const ParameterStore& params, std::span<float> grad,
                               std::span<ad::BatchNormState> norms, bool training, Index first_layer,
                               Rng* rng) const {
  require(first_layer >= 0 && first_layer <= static_cast<Index>(layers_.size()),
          "network " + prefix_ + ": layers from " + std::to_string(first_layer) + " on, the network has " +
              std::to_string(layers_.size()));
  return forward_range(tape, h, params, grad, norms, training, first_layer, static_cast<Index>(layers_.size()), rng);
}

Var LayerStack::forward_range(Tape& tape, Var h, const ParameterStore& params, std::span<float> grad,
                              std::span<ad::BatchNormState> norms, bool training, Index first, Index last,
                              Rng* rng) const {
  const Index expected = first == 0 ? in_size_ : layers_[static_cast<std::size_t>(first - 1)].out_size;
  require(h.rows() == expected, "network " + prefix_ + ": input has " + std::to_string(h.rows()) + " rows, " +
                                    (first == 0 ? std::string("the network takes ")
                                                : "layer " + std::to_string(first) + " takes ") +
                                    std::to_string(expected));
  require(grad.empty() || static_cast<Index>(grad.size()) == params.size(),
          "network " + prefix_ + ": gradient buffer has " + std::to_string(grad.size()) + " entries, the store " +
              std::to_string(params.size()));
  const auto parameter = [&](std::size_t block) {
    return grad.empty() ? tape.constant(params.matrix(block))
                        : tape.parameter(params.matrix(block), params.block(block).in(grad));
  };
  std::size_t norm = 0;  // the state of the next batch-norm layer: one per batch-norm layer before `first`
  for (Index k = 0; k < first; ++k)
    if (layers_[static_cast<std::size_t>(k)].kind == LayerKind::batch_norm) ++norm;
  for (Index k = first; k < last; ++k) {
    const StackLayer& layer = layers_[static_cast<std::size_t>(k)];
    switch (layer.kind) {
      case LayerKind::linear:  // [out, in] x [in, N] + [out, 1]
        h = ad::add_bias(ad::matmul(parameter(layer.linear.weight), h), parameter(layer.linear.bias));
        break;
      case LayerKind::conv: h = ad::conv2d(h, parameter(layer.weight), parameter(layer.bias), layer.conv); break;
      case LayerKind::conv_transpose:
        h = ad::conv_transpose2d(h, parameter(layer.weight), parameter(layer.bias), layer.conv);
        break;
      case LayerKind::batch_norm:
        require(norm < norms.size(), "network " + prefix_ + ": fewer batch-norm states than batch-norm layers");
        h = ad::batch_norm(h, parameter(layer.gamma), parameter(layer.beta), norms[norm++], training);
        break;
      case LayerKind::activation:
        h = layer.activation == Activation::leaky_relu ? ad::leaky_relu(h, layer.slope) : activate(h, layer.activation);
        break;
      case LayerKind::gaussian_noise:
      case LayerKind::dropout: {
        if (!training) break;
        require(rng != nullptr, "network " + prefix_ + ": layer " + std::to_string(k) +
                                    " draws noise in training, and no random stream was given");
        if (layer.kind == LayerKind::dropout) {
          h = ad::dropout(h, layer.noise, *rng, true);
          break;
        }
        Matrix noise(h.rows(), h.cols());
        fill_gaussian(noise, layer.noise, *rng);
        h = ad::add(h, tape.constant(noise));
        break;
      }
    }
  }
  return h;
}

std::vector<ad::BatchNormState> LayerStack::make_norm_states() const {
  std::vector<ad::BatchNormState> states;
  for (const StackLayer& layer : layers_)
    if (layer.kind == LayerKind::batch_norm) states.emplace_back(layer.channels);
  return states;
}

void LayerStack::initialize(ParameterStore& params, Rng& rng, float weight_std) const {
  for (std::size_t k = 0; k < layers_.size(); ++k) {
    const StackLayer& layer = layers_[k];
    // Relu-like: the next activation after this layer (past any batch norm) is relu or leaky relu.
    bool relu_like = false;
    for (std::size_t j = k + 1; j < layers_.size(); ++j) {
      if (layers_[j].kind == LayerKind::batch_norm || layers_[j].kind == LayerKind::gaussian_noise ||
          layers_[j].kind == LayerKind::dropout)
        continue;
      relu_like = layers_[j].kind == LayerKind::activation &&
                  (layers_[j].activation == Activation::relu || layers_[j].activation == Activation::leaky_relu);
      break;
    }
    switch (layer.kind) {
      case LayerKind::linear:
      case LayerKind::conv:
      case LayerKind::conv_transpose: {
        const std::size_t weight = layer.kind == LayerKind::linear ? layer.linear.weight : layer.weight;
        const std::size_t bias = layer.kind == LayerKind::linear ? layer.linear.bias : layer.bias;
        if (weight_std > 0.0f) {
          fill_normal(params.matrix(weight), weight_std, rng);
        } else if (relu_like) {
          he_normal(params.matrix(weight), rng);
        } else {
          glorot_uniform(params.matrix(weight), rng);
        }
        params.matrix(bias).setZero();
        break;
      }
      case LayerKind::batch_norm:
        if (weight_std > 0.0f) {
          fill_normal(params.matrix(layer.gamma), weight_std, rng);
          params.matrix(layer.gamma).array() += 1.0f;
        } else {
          params.matrix(layer.gamma).setOnes();
        }
        params.matrix(layer.beta).setZero();
        break;
      case LayerKind::activation:
      case LayerKind::gaussian_noise:
      case LayerKind::dropout: break;
    }
  }
}

void LayerStack::save_norm_states(const H5Group& g, std::span<const ad::BatchNormState> states) {
  g.set_attr("count", static_cast<std::int64_t>(states.size()));
  for (std::size_t i = 0; i < states.size(); ++i) {
    g.write_vector(std::to_string(i) + ".mean", states[i].running_mean.cast<double>());
    g.write_vector(std::to_string(i) + ".var", states[i].running_var.cast<double>());
  }
}

void LayerStack::load_norm_states(const H5Group& g, std::span<ad::BatchNormState> states) {
  const std::int64_t count = g.attr_int("count");
  require(count == static_cast<std::int64_t>(states.size()),
          g.where("count") + ": " + std::to_string(count) + " batch-norm states, the network has " +
              std::to_string(states.size()));
  for (std::size_t i = 0; i < states.size(); ++i) {
    const std::string name = std::to_string(i);
    const Vector mean = g.read_vector(name + ".mean"), var = g.read_vector(name + ".var");
    require(mean.size() == states[i].channels() && var.size() == states[i].channels(),
            g.where(name + ".mean") + ": " + std::to_string(mean.size()) + " channels, the layer has " +
                std::to_string(states[i].channels()));
    require(var.minCoeff() >= 0.0f && mean.allFinite() && var.allFinite(),
            g.where(name + ".var") + ": running statistics must be finite, variances non-negative");
    states[i].running_mean = mean.cast<float>();
    states[i].running_var = var.cast<float>();
  }
}

}  // namespace logp::nn
