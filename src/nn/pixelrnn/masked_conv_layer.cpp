// A masked convolution layer (include/logp/nn/pixelrnn/masked_conv_layer.hpp).
#include "logp/nn/pixelrnn/masked_conv_layer.hpp"

#include "logp/nn/pixelrnn/lstm_init.hpp"
#include "logp/nn/pixelrnn/tape_parameter.hpp"

namespace logp::nn {

MaskedConvLayer MaskedConvLayer::add_to(ParameterStore& store, const std::string& name, Index height, Index width,
                                        Index in_channels, Index out_channels, Index kernel, ad::MaskType type,
                                        Index groups) {
  require(kernel % 2 == 1 && height > 0 && width > 0 && in_channels > 0 && out_channels > 0,
          "masked conv " + name + ": needs an odd kernel and a non-empty map, got kernel " + std::to_string(kernel));
  MaskedConvLayer layer;
  layer.shape = ad::Conv2dShape{height, width, in_channels, out_channels, kernel, 1, kernel / 2, 0};
  layer.type = type;
  layer.groups = groups;
  layer.weight = store.add(name + ".weight", out_channels, kernel * kernel * in_channels);
  layer.bias = store.add(name + ".bias", out_channels, 1);
  return layer;
}

template <class T>
ad::BasicVar<T> MaskedConvLayer::forward(ad::BasicTape<T>& tape, ad::BasicVar<T> x,
                                         const std::vector<ParameterBlock>& blocks, std::span<const T> values,
                                         std::span<T> grad) const {
  return ad::masked_conv2d(x, tape_parameter(tape, blocks[weight], values, grad),
                           tape_parameter(tape, blocks[bias], values, grad), shape, type, groups);
}

MatrixD MaskedConvLayer::mask() const {
  const Index centre = shape.kernel / 2;
  return ad::causal_mask(shape.kernel, shape.kernel, centre, centre, shape.in_channels, shape.out_channels, groups,
                         type);
}

Index MaskedConvLayer::free_parameters() const {
  return static_cast<Index>(mask().sum()) + shape.out_channels;
}

void MaskedConvLayer::initialize(ParameterStore& params, Rng& rng) const {
  masked_uniform(params.matrix(weight), mask(), rng);
  params.matrix(bias).setZero();
}

template ad::BasicVar<float> MaskedConvLayer::forward(ad::BasicTape<float>&, ad::BasicVar<float>,
                                                      const std::vector<ParameterBlock>&, std::span<const float>,
                                                      std::span<float>) const;
template ad::BasicVar<double> MaskedConvLayer::forward(ad::BasicTape<double>&, ad::BasicVar<double>,
                                                       const std::vector<ParameterBlock>&, std::span<const double>,
                                                       std::span<double>) const;

}  // namespace logp::nn
