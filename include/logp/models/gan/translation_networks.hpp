#pragma once
// The networks of the image-to-image translation GANs (CycleGAN, StarGAN), built from
// nn::LayerStack layers like the DCGAN players (models/gan/gan_networks.hpp), for H x W images
// with H, W multiples of 4 and C = channels:
//   generator (an encoder-decoder, no normalization): conv 4x4 /2 -> C, relu -> conv 4x4 /2 -> 2C,
//     relu -> conv-transpose 4x4 /2 -> C, relu -> conv-transpose 4x4 /2 -> out_channels (tanh for
//     bounded data): [H W in_channels, n] -> [H W out_channels, n]
//   PatchGAN discriminator (fully convolutional, Isola et al. 2017 in small): conv 4x4 /2 -> C,
//     leaky relu 0.2 -> conv 4x4 /2 -> 2C, leaky relu 0.2 -> conv 3x3 /1 -> outputs:
//     [H W in_channels, n] -> [(H/4)(W/4) outputs, n], a grid of outputs per image, each judging
//     an 18 x 18 patch of the image (its receptive field).
// Batch norm is left out: a shard's images of one domain vary in number (even one or none).
#include <string>

#include "logp/data/data_spec.hpp"
#include "logp/nn/layer_stack.hpp"

namespace logp {

inline constexpr float kTranslationWeightStd = 0.02f;  // N(0, 0.02^2) weights (Zhu et al. 2017)

// Appends the generator above to g (g reads H W in_channels rows).
void add_translation_generator(nn::LayerStack& g, ParameterStore& store, Index height, Index width,
                               Index channels, Index out_channels, bool tanh_output);
// The generator after its first conv: relu, conv 4x4 /2 -> 2C, ... (body reads (H/2)(W/2) C rows).
void add_translation_generator_body(nn::LayerStack& body, ParameterStore& store, Index height, Index width,
                                    Index channels, Index out_channels, bool tanh_output);
// The PatchGAN's trunk, conv 4x4 /2 -> C, leaky relu, conv 4x4 /2 -> 2C, leaky relu
// ([(H/4)(W/4) 2C, n] features), then its patch head, conv 3x3 /1 -> outputs.
void add_patch_trunk(nn::LayerStack& d, ParameterStore& store, Index height, Index width, Index channels);
void add_patch_head(nn::LayerStack& head, ParameterStore& store, Index height, Index width, Index outputs);
// Appends the PatchGAN discriminator above to d (d reads H W in_channels rows).
void add_patch_discriminator(nn::LayerStack& d, ParameterStore& store, Index height, Index width, Index channels,
                             Index outputs);
// Requires H, W multiples of 4 (at least 4); names the model in the error.
void check_translation_image(const DataSpec& spec, const std::string& model);

}  // namespace logp
