#pragma once
// The progressive GAN's networks (Karras et al. 2018, in small) for H x W x c images with H, W
// multiples of 4: three levels of resolution, (H/4, W/4), (H/2, W/2), (H, W); C = channels at
// every level; leaky relu 0.2 after every convolution.
//
//   G: z -> pixel norm -> linear (H/4)(W/4)C -> pixel norm -> conv 3x3 -> pixel norm [level 0]
//      -> (upsample 2x -> conv 3x3 -> pixel norm) per further level; toRGB (1x1 conv -> c) at
//      each level.
//   D: fromRGB (1x1 conv c -> C) at the current level -> (conv 3x3 -> average pool 2x) per level
//      above 0 -> minibatch stddev appended as one more feature map -> conv 3x3 (C+1 -> C)
//      -> linear -> 1.
// At stage s (0, 1, 2) the networks run levels 0..s at resolution (H, W) / 2^(2-s). While stage s
// fades in (alpha < 1), G's image is (1 - alpha) upsample(toRGB_{s-1}) + alpha toRGB_s and D's
// level-(s-1) features are (1 - alpha) fromRGB_{s-1}(avg pool(x)) + alpha block_s(fromRGB_s(x)).
// Equalized learning rate: every weight is stored N(0, 1) and multiplied on the tape by He's
// constant sqrt(2 / fan_in) (toRGB: sqrt(1 / fan_in)); biases start at 0. Discrete data trains
// on [-1, 1] and G's image ends in tanh (after the blend).
#include <span>
#include <string>

#include "logp/autodiff/tape.hpp"
#include "logp/core/rng.hpp"
#include "logp/data/data_spec.hpp"
#include "logp/train/parameter_store.hpp"

namespace logp {

inline constexpr int kProganLevels = 3;

// Where training is: stage (0 .. kProganLevels - 1) and the new level's weight alpha in (0, 1].
struct ProganPhase {
  int stage = 0;
  double alpha = 1.0;
};

// Stage 0 for stage_steps steps; then each further stage fades in over fade_steps steps (alpha
// = (t + 1) / fade_steps at its t-th step) and trains stable for stage_steps; the last stage
// stays to the end of training.
struct ProganSchedule {
  Index stage_steps = 1000;
  Index fade_steps = 1000;
  ProganPhase at(Index step) const;
  // "resolution 14x14, alpha 0.50" for an image of height x width at full resolution.
  static std::string describe(ProganPhase phase, Index height, Index width);
};

// (1 - alpha) low + alpha high (same shapes): the fade-in blend.
template <class T>
ad::BasicVar<T> fade_in(ad::BasicVar<T> low, ad::BasicVar<T> high, double alpha);

class ProganNetworks {
 public:
  ProganNetworks(const DataSpec& spec, Index latent, Index channels);

  Index latent() const { return latent_; }
  Index channels() const { return channels_; }
  // The image height and width at stage s.
  Index height(int stage) const { return base_height_ << stage; }
  Index width(int stage) const { return base_width_ << stage; }
  Index image_size(int stage) const { return height(stage) * width(stage) * colors_; }

  ParameterStore& generator_store() { return generator_; }
  const ParameterStore& generator_store() const { return generator_; }
  ParameterStore& discriminator_store() { return discriminator_; }
  const ParameterStore& discriminator_store() const { return discriminator_; }

  // Weights N(0, 1), biases 0, generator then discriminator.
  void initialize(Rng& rng);

  // z: [latent, n] -> [image_size(phase.stage), n] in the training scale (tanh when bounded).
  // grad: the generator's gradient buffer (added into), or empty for a frozen generator.
  ad::Var generate(ad::Tape& tape, ad::Var z, ProganPhase phase, bool bounded, std::span<float> grad) const;
  // x: [image_size(phase.stage), n], n >= 2 -> [1, n] logits. grad: as above, the discriminator's.
  ad::Var discriminate(ad::Tape& tape, ad::Var x, ProganPhase phase, std::span<float> grad) const;
  // Full-resolution images x: [image_size(2), n] -> what D sees at phase: average-pooled to the
  // stage's resolution and, while it fades in, blended with the upsampled lower resolution.
  ad::Var real_at(ad::Var x, ProganPhase phase) const;
  // Stage-s images -> full resolution by nearest-neighbour upsampling.
  ad::Var to_full_resolution(ad::Var x, int stage) const;

 private:
  struct Conv {
    std::size_t weight = 0, bias = 0;
    Index in = 0, out = 0, kernel = 1;
  };
  Conv add_conv(ParameterStore& store, const std::string& name, Index in, Index out, Index kernel);
  // conv (kernel 1 or 3, padding kernel / 2) of stage-s images with the weight scaled by gain / sqrt(fan_in).
  ad::Var conv(ad::Tape& tape, const ParameterStore& store, std::span<float> grad, const Conv& c, ad::Var x,
               int stage, double gain) const;

  Index latent_, channels_, colors_, base_height_, base_width_;
  ParameterStore generator_, discriminator_;
  std::size_t g_dense_w_ = 0, g_dense_b_ = 0, d_dense_w_ = 0, d_dense_b_ = 0;
  Conv g_conv_[kProganLevels], g_rgb_[kProganLevels];  // per level
  Conv d_rgb_[kProganLevels], d_conv_[kProganLevels];  // d_conv_[0]: the final conv (C+1 -> C)
};

}  // namespace logp
