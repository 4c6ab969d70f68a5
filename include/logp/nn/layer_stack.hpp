#pragma once
// A feed-forward network as a list of layers, each one of: linear, 2-D convolution, transposed
// convolution, batch normalization, activation, and the training-time regularizers Gaussian noise
// and dropout (the identity when not training). The GAN family builds its generators and
// discriminators (MLP and DCGAN) from it.
//
// Images are columns in the layout of autodiff/conv.hpp (index (y*W + x)*C + c), so a linear
// layer's output of H*W*C rows is already an H x W x C image: no reshape layer is needed.
// Batch-norm layers keep their running statistics outside the stack (one BatchNormState per
// batch-norm layer, in layer order), so that each training shard can use its own copies and the
// trainer merges them in a fixed order (autodiff/batch_norm.hpp).
#include <span>
#include <string>
#include <vector>

#include "logp/autodiff/batch_norm.hpp"
#include "logp/autodiff/conv.hpp"
#include "logp/core/rng.hpp"
#include "logp/nn/activation.hpp"
#include "logp/nn/linear.hpp"

namespace logp::nn {

enum class LayerKind { linear, conv, conv_transpose, batch_norm, activation, gaussian_noise, dropout };

struct StackLayer {
  LayerKind kind = LayerKind::linear;
  Linear linear;                      // linear
  ad::Conv2dShape conv;               // conv, conv_transpose: input geometry and kernel
  std::size_t weight = 0, bias = 0;   // conv: [C_out, k*k*C_in]; transposed: [C_in, k*k*C_out]; bias [C_out, 1]
  std::size_t gamma = 0, beta = 0;    // batch_norm: [C, 1] each
  Index channels = 0;                 // batch_norm: C
  Activation activation = Activation::identity;  // activation
  float slope = 0.2f;                 // activation leaky_relu: slope for negative inputs
  double noise = 0.0;                 // gaussian_noise: the standard deviation; dropout: the drop probability
  Index out_size = 0;                 // rows of this layer's output
};

class LayerStack {
 public:
  // Starts an empty stack reading `in_size` rows; parameter blocks are named "<prefix>.<k>.*".
  LayerStack(std::string prefix, Index in_size) : prefix_(std::move(prefix)), in_size_(in_size) {}

  // Each add appends one layer after the last one (its input is the previous output).
  void add_linear(ParameterStore& store, Index out);
  // The previous output read as an image height x width x (out_size / (height*width)).
  void add_conv(ParameterStore& store, Index height, Index width, Index out_channels, Index kernel, Index stride,
                Index padding);
  void add_conv_transpose(ParameterStore& store, Index height, Index width, Index out_channels, Index kernel,
                          Index stride, Index padding);
  // Normalizes each of `channels` channels (the output is P*channels rows); gamma 1, beta 0.
  void add_batch_norm(ParameterStore& store, Index channels);
  void add_activation(Activation activation, float leaky_slope = 0.2f);
  // Training only: adds N(0, std^2) to every entry (std > 0), or inverted dropout with drop
  // probability p in (0, 1) (autodiff/dropout.hpp). Not training: the identity. No parameters.
  void add_gaussian_noise(double std);
  void add_dropout(double p);

  // x: [in_size, N] -> [out_size, N]. norms: one state per batch-norm layer, in order
  // (batch_norm_channels()); training: batch statistics (added to norms' pending statistics),
  // otherwise the running ones. Gradients are ADDED into grad (the store's layout); an empty grad
  // freezes the stack (its parameters enter the tape as constants: no gradient is computed for
  // them, while one still flows back to x when x needs one). rng: the draws of the noise and
  // dropout layers, in layer order, each layer's entries column by column (a noise layer: two
  // normals per pair of uniforms, Box-Muller);
  // needed when training a stack that has such layers, ignored otherwise. The noise enters the
  // tape as a constant, so the gradient through a noise layer is the identity.
  Var forward(Tape& tape, Var x, const ParameterStore& params, std::span<float> grad,
              std::span<ad::BatchNormState> norms, bool training, Rng* rng = nullptr) const;
  // The first layer_count layers only (0 <= layer_count <= layers().size()), as forward() runs
  // them: x: [in_size, N] -> [layers()[layer_count - 1].out_size, N] (x itself for 0). E.g. a
  // discriminator's penultimate features: layer_count = layers().size() - 1. norms: as
  // forward()'s, one state per batch-norm layer of the WHOLE stack; the layers run use (and
  // train) their own, the rest are untouched.
  Var forward_prefix(Tape& tape, Var x, const ParameterStore& params, std::span<float> grad,
                     std::span<ad::BatchNormState> norms, bool training, Index layer_count,
                     Rng* rng = nullptr) const;
  // The layers from first_layer on: h: the output of the first first_layer layers (as
  // forward_prefix gives it) -> [out_size, N]. forward_suffix(forward_prefix(x, k), k) is
  // forward(x). norms: as forward_prefix's.
  Var forward_suffix(Tape& tape, Var h, const ParameterStore& params, std::span<float> grad,
                     std::span<ad::BatchNormState> norms, bool training, Index first_layer,
                     Rng* rng = nullptr) const;
  // The number of layers before the last weight layer and the regularizers right before it: the
  // prefix whose output is the penultimate features (e.g. layers().size() - 1 without them).
  Index penultimate_layers() const;

  // Fresh running statistics, one per batch-norm layer.
  std::vector<ad::BatchNormState> make_norm_states() const;

  // weight_std > 0: DCGAN's initialization (Radford et al. 2016, weight_std 0.02): linear and
  // conv weights N(0, weight_std^2), batch-norm gamma N(1, weight_std^2). weight_std 0: He-normal
  // weights before a relu-like activation, Glorot-uniform otherwise, gamma 1. Biases and beta 0.
  void initialize(ParameterStore& params, Rng& rng, float weight_std) const;

  // The running statistics as datasets "<i>.mean" and "<i>.var" of g, one pair per state.
  static void save_norm_states(const H5Group& g, std::span<const ad::BatchNormState> states);
  // Reads them back into states (made by make_norm_states); checks their number and sizes.
  static void load_norm_states(const H5Group& g, std::span<ad::BatchNormState> states);

  Index in_size() const { return in_size_; }
  Index out_size() const { return layers_.empty() ? in_size_ : layers_.back().out_size; }
  const std::vector<StackLayer>& layers() const { return layers_; }

 private:
  std::string next_name() const { return prefix_ + "." + std::to_string(layers_.size()); }
  // Layers [first, last) on h (the output of layer first - 1, or the input for 0).
  Var forward_range(Tape& tape, Var h, const ParameterStore& params, std::span<float> grad,
                    std::span<ad::BatchNormState> norms, bool training, Index first, Index last, Rng* rng) const;
  void add_regularizer(LayerKind kind, double noise);
  void add_conv_layer(ParameterStore& store, Index height, Index width, Index out_channels, Index kernel,
                      Index stride, Index padding, bool transposed);
  std::string prefix_;
  Index in_size_ = 0;
  std::vector<StackLayer> layers_;
};

}  // namespace logp::nn
