#pragma once
// A stack of 2-D convolutions (or transposed convolutions, for decoders) with one activation
// between layers and none after the last. Images are columns in the layout of
// autodiff/conv.hpp: index (y*W + x)*C + c.
#include <string>
#include <vector>

#include "logp/autodiff/conv.hpp"
#include "logp/nn/mlp.hpp"

namespace logp::nn {

struct ConvLayerSpec {
  Index out_channels = 0;
  Index kernel = 3;
  Index stride = 1;
  Index padding = 1;
  bool transposed = false;    // conv_transpose2d (upsampling by stride) instead of conv2d
  Index output_padding = 0;   // transposed only
};

struct ConvStack {
  struct Layer {
    ad::Conv2dShape shape;   // input geometry and kernel
    bool transposed = false;
    std::size_t weight = 0, bias = 0;  // conv2d: [C_out, k*k*C_in]; transposed: [C_in, k*k*C_out]; bias [C_out,1]
    Index out_height = 0, out_width = 0;
  };
  std::vector<Layer> layers;
  Activation activation = Activation::relu;

  // Layers "<prefix>.0", "<prefix>.1", ... for an input image height x width x channels.
  static ConvStack add_to(ParameterStore& store, const std::string& prefix, Index height, Index width,
                          Index channels, const std::vector<ConvLayerSpec>& specs, Activation activation);
  // x: [H*W*C, N] -> [Ho*Wo*Co, N] of the last layer.
  Var forward(Tape& tape, Var x, const ParameterStore& params, std::span<float> grad) const;
  // He-normal (relu-like) or Glorot-uniform weights with fan_in = k*k*C_in; zero biases.
  void initialize(ParameterStore& params, Rng& rng) const;

  Index out_height() const { return layers.back().out_height; }
  Index out_width() const { return layers.back().out_width; }
  Index out_channels() const { return layers.back().shape.out_channels; }
  Index out_size() const { return out_height() * out_width() * out_channels(); }
};

}  // namespace logp::nn
