// A stack of convolutions (include/logp/nn/conv_stack.hpp).
#include "logp/nn/conv_stack.hpp"

#include "logp/nn/init.hpp"

namespace logp::nn {

ConvStack ConvStack::add_to(ParameterStore& store, const std::string& prefix, Index height, Index width,
                            Index channels, const std::vector<ConvLayerSpec>& specs, Activation activation) {
  require(!specs.empty(), "ConvStack " + prefix + ": no layers");
  ConvStack stack;
  stack.activation = activation;
  for (std::size_t k = 0; k < specs.size(); ++k) {
    const ConvLayerSpec& spec = specs[k];
    Layer layer;
    layer.transposed = spec.transposed;
    layer.shape = ad::Conv2dShape{height, width, channels, spec.out_channels, spec.kernel,
                                  spec.stride, spec.padding, spec.output_padding};
    layer.out_height = spec.transposed ? layer.shape.transposed_height() : layer.shape.conv_height();
    layer.out_width = spec.transposed ? layer.shape.transposed_width() : layer.shape.conv_width();
    const std::string name = prefix + "." + std::to_string(k);
    require(spec.out_channels > 0 && layer.out_height > 0 && layer.out_width > 0,
            "ConvStack " + name + ": a " + std::to_string(height) + "x" + std::to_string(width) + "x" +
                std::to_string(channels) + " input with kernel " + std::to_string(spec.kernel) + ", stride " +
                std::to_string(spec.stride) + ", padding " + std::to_string(spec.padding) + " and " +
                std::to_string(spec.out_channels) + " channels gives no output");
    const Index patch = spec.kernel * spec.kernel * (spec.transposed ? spec.out_channels : channels);
    layer.weight = store.add(name + ".weight", spec.transposed ? channels : spec.out_channels, patch);
    layer.bias = store.add(name + ".bias", spec.out_channels, 1);
    stack.layers.push_back(layer);
    height = layer.out_height;
    width = layer.out_width;
    channels = spec.out_channels;
  }
  return stack;
}

Var ConvStack::forward(Tape& tape, Var x, const ParameterStore& params, std::span<float> grad) const {
  Var h = x;
  for (std::size_t k = 0; k < layers.size(); ++k) {
    const Layer& layer = layers[k];
    const Var w = tape.parameter(params.matrix(layer.weight), params.block(layer.weight).in(grad));
    const Var b = tape.parameter(params.matrix(layer.bias), params.block(layer.bias).in(grad));
    h = layer.transposed ? ad::conv_transpose2d(h, w, b, layer.shape) : ad::conv2d(h, w, b, layer.shape);
    if (k + 1 < layers.size()) h = activate(h, activation);
  }
  return h;
}

void ConvStack::initialize(ParameterStore& params, Rng& rng) const {
  const bool relu_like = activation == Activation::relu || activation == Activation::leaky_relu;
  for (std::size_t k = 0; k < layers.size(); ++k) {
    if (relu_like && k + 1 < layers.size()) {
      he_normal(params.matrix(layers[k].weight), rng);
    } else {
      glorot_uniform(params.matrix(layers[k].weight), rng);
    }
    params.matrix(layers[k].bias).setZero();
  }
}

}  // namespace logp::nn
