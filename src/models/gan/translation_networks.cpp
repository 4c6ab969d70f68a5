// The image-to-image translation networks (include/logp/models/gan/translation_networks.hpp).
#include "logp/models/gan/translation_networks.hpp"

#include "logp/core/error.hpp"
#include "logp/data/data_spec.hpp"

namespace logp {

void check_translation_image(const DataSpec& spec, const std::string& model) {
  require(spec.is_image(), model + ": needs image data (H, W, C), got " + spec.describe());
  const Index height = spec.shape[0], width = spec.shape[1];
  require(height % 4 == 0 && width % 4 == 0 && height >= 4 && width >= 4,
          model + ": image height and width must be multiples of 4, got " + std::to_string(height) + "x" +
              std::to_string(width));
}

void add_translation_generator(nn::LayerStack& g, ParameterStore& store, Index height, Index width,
                               Index channels, Index out_channels, bool tanh_output) {
  g.add_conv(store, height, width, channels, 4, 2, 1);  // -> (H/2, W/2, C)
  add_translation_generator_body(g, store, height, width, channels, out_channels, tanh_output);
}

void add_translation_generator_body(nn::LayerStack& body, ParameterStore& store, Index height, Index width,
                                    Index channels, Index out_channels, bool tanh_output) {
  const Index c = channels;
  body.add_activation(Activation::relu);
  body.add_conv(store, height / 2, width / 2, 2 * c, 4, 2, 1);  // -> (H/4, W/4, 2C)
  body.add_activation(Activation::relu);
  body.add_conv_transpose(store, height / 4, width / 4, c, 4, 2, 1);  // -> (H/2, W/2, C)
  body.add_activation(Activation::relu);
  body.add_conv_transpose(store, height / 2, width / 2, out_channels, 4, 2, 1);  // -> (H, W, out)
  if (tanh_output) body.add_activation(Activation::tanh);
}

void add_patch_discriminator(nn::LayerStack& d, ParameterStore& store, Index height, Index width, Index channels,
                             Index outputs) {
  add_patch_trunk(d, store, height, width, channels);
  add_patch_head(d, store, height, width, outputs);
}

void add_patch_trunk(nn::LayerStack& d, ParameterStore& store, Index height, Index width, Index channels) {
  const Index c = channels;
  d.add_conv(store, height, width, c, 4, 2, 1);  // -> (H/2, W/2, C)
  d.add_activation(Activation::leaky_relu, 0.2f);
  d.add_conv(store, height / 2, width / 2, 2 * c, 4, 2, 1);  // -> (H/4, W/4, 2C)
  d.add_activation(Activation::leaky_relu, 0.2f);
}

void add_patch_head(nn::LayerStack& head, ParameterStore& store, Index height, Index width, Index outputs) {
  head.add_conv(store, height / 4, width / 4, outputs, 3, 1, 1);  // -> (H/4, W/4, outputs)
}

}  // namespace logp
