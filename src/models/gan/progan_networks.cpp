// The progressive GAN's networks (include/logp/models/gan/progan_networks.hpp).
#include "logp/models/gan/progan_networks.hpp"

#include <cmath>
#include <cstdio>

#include "logp/autodiff/conv.hpp"
#include "logp/autodiff/feature_norm.hpp"
#include "logp/autodiff/ops.hpp"
#include "logp/autodiff/reshape.hpp"
#include "logp/autodiff/resample.hpp"
#include "logp/core/error.hpp"

namespace logp {
namespace {

constexpr float kLeakySlope = 0.2f;
const double kReluGain = std::sqrt(2.0);

// Pixel norm of stage images [H*W*C, n]: each pixel's C features.
ad::Var pixel_norm_images(ad::Var x, Index channels) {
  return ad::reshape(ad::pixel_norm(ad::reshape(x, channels, x.rows() * x.cols() / channels)), x.rows(), x.cols());
}

}  // namespace

ProganPhase ProganSchedule::at(Index step) const {
  if (step < stage_steps) return {0, 1.0};
  Index t = step - stage_steps;
  for (int stage = 1; stage < kProganLevels; ++stage) {
    if (t < fade_steps) return {stage, static_cast<double>(t + 1) / static_cast<double>(fade_steps)};
    t -= fade_steps;
    if (t < stage_steps || stage == kProganLevels - 1) return {stage, 1.0};
    t -= stage_steps;
  }
  return {kProganLevels - 1, 1.0};
}

std::string ProganSchedule::describe(ProganPhase phase, Index height, Index width) {
  const int shift = kProganLevels - 1 - phase.stage;
  char text[64];
  std::snprintf(text, sizeof text, "resolution %lldx%lld, alpha %.2f", static_cast<long long>(height >> shift),
                static_cast<long long>(width >> shift), phase.alpha);
  return text;
}

template <class T>
ad::BasicVar<T> fade_in(ad::BasicVar<T> low, ad::BasicVar<T> high, double alpha) {
  return ad::add(ad::scale(low, static_cast<T>(1.0 - alpha)), ad::scale(high, static_cast<T>(alpha)));
}
template ad::BasicVar<float> fade_in(ad::BasicVar<float>, ad::BasicVar<float>, double);
template ad::BasicVar<double> fade_in(ad::BasicVar<double>, ad::BasicVar<double>, double);

ProganNetworks::ProganNetworks(const DataSpec& spec, Index latent, Index channels)
    : latent_(latent), channels_(channels) {
  require(spec.is_image(), "progan: needs image data (H, W, C), got " + spec.describe());
  const Index height = spec.shape[0], width = spec.shape[1];
  require(height % 4 == 0 && width % 4 == 0 && height >= 4 && width >= 4,
          "progan: image height and width must be multiples of 4, got " + std::to_string(height) + "x" +
              std::to_string(width));
  require(latent >= 1 && channels >= 1, "progan: latent and channels must be positive");
  colors_ = spec.shape[2];
  base_height_ = height / 4;
  base_width_ = width / 4;
  const Index c = channels, base = base_height_ * base_width_;
  g_dense_w_ = generator_.add("dense.weight", base * c, latent);
  g_dense_b_ = generator_.add("dense.bias", base * c, 1);
  for (int k = 0; k < kProganLevels; ++k) {
    const std::string level = std::to_string(k);
    g_conv_[k] = add_conv(generator_, "conv" + level, c, c, 3);
    g_rgb_[k] = add_conv(generator_, "to_rgb" + level, c, colors_, 1);
    d_rgb_[k] = add_conv(discriminator_, "from_rgb" + level, colors_, c, 1);
    d_conv_[k] = add_conv(discriminator_, "conv" + level, k == 0 ? c + 1 : c, c, 3);
  }
  d_dense_w_ = discriminator_.add("dense.weight", 1, base * c);
  d_dense_b_ = discriminator_.add("dense.bias", 1, 1);
}

ProganNetworks::Conv ProganNetworks::add_conv(ParameterStore& store, const std::string& name, Index in, Index out,
                                              Index kernel) {
  Conv c;
  c.weight = store.add(name + ".weight", out, kernel * kernel * in);
  c.bias = store.add(name + ".bias", out, 1);
  c.in = in;
  c.out = out;
  c.kernel = kernel;
  return c;
}

void ProganNetworks::initialize(Rng& rng) {
  for (ParameterStore* store : {&generator_, &discriminator_})
    for (std::size_t b = 0; b < store->blocks().size(); ++b) {
      auto m = store->matrix(b);
      const bool bias = store->block(b).name.ends_with(".bias");
      for (Index j = 0; j < m.cols(); ++j)
        for (Index i = 0; i < m.rows(); ++i) m(i, j) = bias ? 0.0f : static_cast<float>(rng.normal());
    }
}

namespace {

// A block of store on the tape: a parameter when grad is non-empty, else a constant.
ad::Var block_var(ad::Tape& tape, const ParameterStore& store, std::span<float> grad, std::size_t block) {
  return grad.empty() ? tape.constant(store.matrix(block)) : tape.parameter(store.matrix(block), store.block(block).in(grad));
}

// Equalized learning rate: the stored N(0, 1) weight times gain / sqrt(fan_in).
ad::Var equalized(ad::Tape& tape, const ParameterStore& store, std::span<float> grad, std::size_t block, double gain) {
  const ad::Var w = block_var(tape, store, grad, block);
  return ad::scale(w, static_cast<float>(gain / std::sqrt(static_cast<double>(w.cols()))));
}

}  // namespace

ad::Var ProganNetworks::conv(ad::Tape& tape, const ParameterStore& store, std::span<float> grad, const Conv& c,
                             ad::Var x, int stage, double gain) const {
  ad::Conv2dShape shape;
  shape.in_height = height(stage);
  shape.in_width = width(stage);
  shape.in_channels = c.in;
  shape.out_channels = c.out;
  shape.kernel = c.kernel;
  shape.padding = c.kernel / 2;
  return ad::conv2d(x, equalized(tape, store, grad, c.weight, gain), block_var(tape, store, grad, c.bias), shape);
}

ad::Var ProganNetworks::generate(ad::Tape& tape, ad::Var z, ProganPhase phase, bool bounded,
                                 std::span<float> grad) const {
  const Index c = channels_;
  const auto act = [&](ad::Var h) { return pixel_norm_images(ad::leaky_relu(h, kLeakySlope), c); };
  ad::Var h = ad::matmul(equalized(tape, generator_, grad, g_dense_w_, kReluGain), ad::pixel_norm(z));
  h = act(ad::add_bias(h, block_var(tape, generator_, grad, g_dense_b_)));  // [base*C, n]
  h = act(conv(tape, generator_, grad, g_conv_[0], h, 0, kReluGain));
  ad::Var previous = h;
  for (int k = 1; k <= phase.stage; ++k) {
    previous = h;
    h = ad::upsample2x(h, height(k - 1), width(k - 1), c);
    h = act(conv(tape, generator_, grad, g_conv_[k], h, k, kReluGain));
  }
  ad::Var image = conv(tape, generator_, grad, g_rgb_[phase.stage], h, phase.stage, 1.0);
  if (phase.stage > 0 && phase.alpha < 1.0) {
    const int low = phase.stage - 1;
    const ad::Var coarse = conv(tape, generator_, grad, g_rgb_[low], previous, low, 1.0);
    image = fade_in(ad::upsample2x(coarse, height(low), width(low), colors_), image, phase.alpha);
  }
  return bounded ? ad::tanh(image) : image;
}

ad::Var ProganNetworks::discriminate(ad::Tape& tape, ad::Var x, ProganPhase phase, std::span<float> grad) const {
  const Index c = channels_;
  const auto lrelu = [](ad::Var h) { return ad::leaky_relu(h, kLeakySlope); };
  ad::Var h = lrelu(conv(tape, discriminator_, grad, d_rgb_[phase.stage], x, phase.stage, kReluGain));
  for (int k = phase.stage; k >= 1; --k) {
    h = lrelu(conv(tape, discriminator_, grad, d_conv_[k], h, k, kReluGain));
    h = ad::avg_pool2x(h, height(k), width(k), c);
    if (k == phase.stage && phase.alpha < 1.0) {
      const ad::Var coarse = ad::avg_pool2x(x, height(k), width(k), colors_);
      const ad::Var low = lrelu(conv(tape, discriminator_, grad, d_rgb_[k - 1], coarse, k - 1, kReluGain));
      h = fade_in(low, h, phase.alpha);
    }
  }
  // [base*C, n] -> [base*(C+1), n]: every pixel gets the minibatch stddev as one more feature.
  const Index n = x.cols(), pixels = base_height_ * base_width_ * n;
  const ad::Var stddev = ad::matmul(ad::minibatch_stddev(h), tape.constant(Matrix::Ones(1, pixels)));
  h = ad::reshape(ad::concat_rows(std::vector<ad::Var>{ad::reshape(h, c, pixels), stddev}),
                  base_height_ * base_width_ * (c + 1), n);
  h = lrelu(conv(tape, discriminator_, grad, d_conv_[0], h, 0, kReluGain));
  return ad::add_bias(ad::matmul(equalized(tape, discriminator_, grad, d_dense_w_, 1.0), h),
                      block_var(tape, discriminator_, grad, d_dense_b_));
}

ad::Var ProganNetworks::real_at(ad::Var x, ProganPhase phase) const {
  ad::Var image = x;
  for (int k = kProganLevels - 1; k > phase.stage; --k) image = ad::avg_pool2x(image, height(k), width(k), colors_);
  if (phase.stage > 0 && phase.alpha < 1.0) {
    const int low = phase.stage - 1;
    const ad::Var coarse = ad::avg_pool2x(image, height(phase.stage), width(phase.stage), colors_);
    image = fade_in(ad::upsample2x(coarse, height(low), width(low), colors_), image, phase.alpha);
  }
  return image;
}

ad::Var ProganNetworks::to_full_resolution(ad::Var x, int stage) const {
  for (int k = stage; k < kProganLevels - 1; ++k) x = ad::upsample2x(x, height(k), width(k), colors_);
  return x;
}

}  // namespace logp
