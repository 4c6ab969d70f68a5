#pragma once
// A masked k x k convolution layer (autodiff/masked_conv.hpp) whose weight and bias live in a
// ParameterStore: the 7x7 mask-A input layer of PixelRNN, the 3x3 mask-B layers of PixelCNN and
// the 1x1 mask-B output layers. Images: [H*W*C, N] in the layout of autodiff/conv.hpp.
#include <span>
#include <string>
#include <vector>

#include "logp/autodiff/masked_conv.hpp"
#include "logp/core/rng.hpp"
#include "logp/train/parameter_store.hpp"

namespace logp::nn {

struct MaskedConvLayer {
  ad::Conv2dShape shape;  // stride 1, padding k/2: the output image is H x W x C_out
  ad::MaskType type = ad::MaskType::b;
  Index groups = 1;                  // channel groups (masked_conv.hpp)
  std::size_t weight = 0, bias = 0;  // blocks: [C_out, k*k*C_in], [C_out, 1]

  // Adds "<name>.weight" and "<name>.bias" to the store.
  static MaskedConvLayer add_to(ParameterStore& store, const std::string& name, Index height, Index width,
                                Index in_channels, Index out_channels, Index kernel, ad::MaskType type,
                                Index groups = 1);
  // x: [H*W*C_in, N] -> [H*W*C_out, N].
  template <class T>
  ad::BasicVar<T> forward(ad::BasicTape<T>& tape, ad::BasicVar<T> x, const std::vector<ParameterBlock>& blocks,
                          std::span<const T> values, std::span<T> grad) const;
  // Uniform weights on +-sqrt(3 / fan_in), fan_in = the taps the mask keeps per output; zero bias.
  void initialize(ParameterStore& params, Rng& rng) const;
  // [C_out, k*k*C_in], 0 or 1: the taps the mask keeps.
  MatrixD mask() const;
  // The weights the mask keeps plus the bias (masked taps are always zero and not counted).
  Index free_parameters() const;
};

}  // namespace logp::nn
