// The GAN family's networks (include/logp/models/gan/gan_networks.hpp).
#include "logp/models/gan/gan_networks.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <sstream>

#include "logp/core/error.hpp"
#include "logp/core/text.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/model_loading.hpp"
#include "logp/model.hpp"

namespace logp {
namespace {

constexpr float kLeakySlope = 0.2f;
constexpr float kDcganWeightStd = 0.02f;

// The regularizers before one of the discriminator's weight layers (the first: on the example).
void add_discriminator_regularizers(GanNetworks& n, bool first) {
  if (n.options.dropout > 0.0) n.discriminator.add_dropout(n.options.dropout);
  const double noise = first ? n.options.input_noise : n.options.hidden_noise;
  if (noise > 0.0) n.discriminator.add_gaussian_noise(noise);
}

void build_mlp(GanNetworks& n, Index outputs) {
  for (Index h : n.options.hidden) {
    n.generator.add_linear(n.generator_store, h);
    n.generator.add_activation(Activation::relu);
  }
  n.generator.add_linear(n.generator_store, n.spec.dim);
  bool first = true;
  for (Index h : n.options.discriminator_sizes()) {
    add_discriminator_regularizers(n, first);
    first = false;
    n.discriminator.add_linear(n.discriminator_store, h);
    n.discriminator.add_activation(Activation::leaky_relu, kLeakySlope);
  }
  add_discriminator_regularizers(n, first);
  n.discriminator.add_linear(n.discriminator_store, outputs);
}

void build_dcgan(GanNetworks& n, Index outputs) {
  require(n.spec.is_image(), "dcgan: needs image data (H, W, C), got " + n.spec.describe());
  const Index height = n.spec.shape[0], width = n.spec.shape[1], colors = n.spec.shape[2];
  require(height % 4 == 0 && width % 4 == 0 && height >= 4 && width >= 4,
          "dcgan: image height and width must be multiples of 4, got " + std::to_string(height) + "x" +
              std::to_string(width));
  const Index c = n.options.channels;
  // Generator: latent -> (H/4, W/4, 2C) -> (H/2, W/2, C) -> (H, W, colors).
  n.generator.add_linear(n.generator_store, (height / 4) * (width / 4) * 2 * c);
  n.generator.add_batch_norm(n.generator_store, 2 * c);
  n.generator.add_activation(Activation::relu);
  n.generator.add_conv_transpose(n.generator_store, height / 4, width / 4, c, 4, 2, 1);
  n.generator.add_batch_norm(n.generator_store, c);
  n.generator.add_activation(Activation::relu);
  n.generator.add_conv_transpose(n.generator_store, height / 2, width / 2, colors, 4, 2, 1);
  // Discriminator: (H, W, colors) -> (H/2, W/2, C) -> (H/4, W/4, 2C) -> outputs.
  add_discriminator_regularizers(n, true);
  n.discriminator.add_conv(n.discriminator_store, height, width, c, 4, 2, 1);
  n.discriminator.add_activation(Activation::leaky_relu, kLeakySlope);
  add_discriminator_regularizers(n, false);
  n.discriminator.add_conv(n.discriminator_store, height / 2, width / 2, 2 * c, 4, 2, 1);
  n.discriminator.add_batch_norm(n.discriminator_store, 2 * c);
  n.discriminator.add_activation(Activation::leaky_relu, kLeakySlope);
  add_discriminator_regularizers(n, false);
  n.discriminator.add_linear(n.discriminator_store, outputs);
}

}  // namespace

Matrix evaluate_network(const nn::LayerStack& network, const ParameterStore& store,
                        const std::vector<ad::BatchNormState>& norms, const Matrix& x) {
  Matrix out(network.out_size(), x.cols());
  const Index blocks = (x.cols() + kEvaluationBlock - 1) / kEvaluationBlock;
  tbb::parallel_for(tbb::blocked_range<Index>(0, blocks), [&](const tbb::blocked_range<Index>& range) {
    ad::Tape tape;
    std::vector<ad::BatchNormState> local = norms;
    Matrix block(x.rows(), kEvaluationBlock);
    for (Index b = range.begin(); b < range.end(); ++b) {
      const Index first = b * kEvaluationBlock, count = std::min(kEvaluationBlock, x.cols() - first);
      block.leftCols(count) = x.middleCols(first, count);
      for (Index j = count; j < kEvaluationBlock; ++j) block.col(j) = x.col(first);
      tape.clear();
      const ad::Var y = network.forward(tape, tape.constant(block), store, {}, local, false);
      out.middleCols(first, count) = y.value().leftCols(count);
    }
  });
  return out;
}

std::vector<Index> GanNetworkOptions::discriminator_sizes() const {
  if (!discriminator_hidden.empty()) return discriminator_hidden;
  return {hidden.rbegin(), hidden.rend()};
}

std::string architecture_name(GanArchitecture architecture) {
  return architecture == GanArchitecture::dcgan ? "dcgan" : "mlp";
}

GanArchitecture parse_architecture(const std::string& text) {
  if (text == "mlp") return GanArchitecture::mlp;
  if (text == "dcgan") return GanArchitecture::dcgan;
  throw Error("unknown GAN architecture '" + text + "' (mlp, dcgan)");
}

GanDataScale::GanDataScale(const DataSpec& spec) : levels_(spec.is_discrete() ? spec.levels : 0) {
  require(!spec.is_discrete() || levels_ >= 2, "GAN: discrete data needs at least 2 levels, got " + spec.describe());
}

Matrix GanDataScale::to_training(ConstMatrixRef x) const {
  if (!bounded()) return x;
  return (x.array() * (2.0f / static_cast<float>(levels_ - 1)) - 1.0f).matrix();
}

Matrix GanDataScale::to_data(const Matrix& g, Rng& rng) const {
  if (!bounded()) return g;
  Matrix out(g.rows(), g.cols());
  const float top = static_cast<float>(levels_ - 1);
  for (Index j = 0; j < g.cols(); ++j)
    for (Index i = 0; i < g.rows(); ++i) {
      const float unit = std::clamp((g(i, j) + 1.0f) * 0.5f, 0.0f, 1.0f);  // [0, 1]
      out(i, j) = levels_ == 2 ? (rng.uniform() < unit ? 1.0f : 0.0f) : std::round(unit * top);
    }
  return out;
}

GanNetworks::GanNetworks(const DataSpec& data_spec, const GanNetworkOptions& network_options, Index generator_inputs,
                         Index discriminator_outputs)
    : spec(data_spec),
      options(network_options),
      scale(data_spec),
      generator("generator", generator_inputs),
      discriminator("discriminator", data_spec.dim) {
  require(options.latent >= 1, "GAN: latent size must be positive, got " + std::to_string(options.latent));
  require(options.channels >= 1, "GAN: channels must be positive, got " + std::to_string(options.channels));
  require(options.input_noise >= 0.0 && options.hidden_noise >= 0.0,
          "GAN: discriminator noise must be non-negative, got " + std::to_string(options.input_noise) + " and " +
              std::to_string(options.hidden_noise));
  require(options.dropout >= 0.0 && options.dropout < 1.0,
          "GAN: discriminator dropout must be in [0, 1), got " + std::to_string(options.dropout));
  if (options.architecture == GanArchitecture::dcgan) {
    build_dcgan(*this, discriminator_outputs);
  } else {
    build_mlp(*this, discriminator_outputs);
  }
  if (scale.bounded()) generator.add_activation(Activation::tanh);
  norms_of(Player::generator) = generator.make_norm_states();
  norms_of(Player::discriminator) = discriminator.make_norm_states();
}

Matrix GanNetworks::draw_latent(Index n, Rng& rng) const {
  Matrix z(options.latent, n);
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i < options.latent; ++i) z(i, j) = static_cast<float>(rng.normal());
  return z;
}

Matrix GanNetworks::generate(const Matrix& inputs) const {
  return evaluate_network(generator, generator_store, norms[static_cast<std::size_t>(Player::generator)], inputs);
}

Matrix GanNetworks::discriminate(const Matrix& x) const {
  return evaluate_network(discriminator, discriminator_store, norms[static_cast<std::size_t>(Player::discriminator)], x);
}

void GanNetworks::initialize(Rng& rng) {
  const float std = options.architecture == GanArchitecture::dcgan ? kDcganWeightStd : 0.0f;
  generator.initialize(generator_store, rng, std);
  discriminator.initialize(discriminator_store, rng, std);
  norms_of(Player::generator) = generator.make_norm_states();
  norms_of(Player::discriminator) = discriminator.make_norm_states();
}

std::string GanNetworks::describe() const {
  const auto list = [](const std::vector<Index>& values) {
    std::vector<std::string> sizes;
    for (Index h : values) sizes.push_back(std::to_string(h));
    return join(sizes, ",");
  };
  std::ostringstream text;
  text << "architecture=" << architecture_name(options.architecture) << ", latent=" << options.latent;
  if (options.architecture == GanArchitecture::dcgan) {
    text << ", channels=" << options.channels;
  } else {
    text << ", hidden=" << list(options.hidden);
    if (!options.discriminator_hidden.empty()) text << ", discriminator_hidden=" << list(options.discriminator_hidden);
  }
  if (options.input_noise > 0.0) text << ", input_noise=" << options.input_noise;
  if (options.hidden_noise > 0.0) text << ", hidden_noise=" << options.hidden_noise;
  if (options.dropout > 0.0) text << ", dropout=" << options.dropout;
  return text.str();
}

void GanNetworks::save(const H5Group& g) const {
  generator_store.save(g.create_group("generator"));
  discriminator_store.save(g.create_group("discriminator"));
  const H5Group n = g.create_group("norms");
  nn::LayerStack::save_norm_states(n.create_group("generator"), norms[static_cast<std::size_t>(Player::generator)]);
  nn::LayerStack::save_norm_states(n.create_group("discriminator"), norms[static_cast<std::size_t>(Player::discriminator)]);
}

void GanNetworks::load(const H5Group& g) {
  generator_store.load(g.group("generator"));
  discriminator_store.load(g.group("discriminator"));
  const H5Group n = g.group("norms");
  nn::LayerStack::load_norm_states(n.group("generator"), norms_of(Player::generator));
  nn::LayerStack::load_norm_states(n.group("discriminator"), norms_of(Player::discriminator));
}

void save_network_options(const H5Group& g, const GanNetworkOptions& options) {
  g.set_attr("architecture", architecture_name(options.architecture));
  g.set_attr("latent", static_cast<std::int64_t>(options.latent));
  g.set_attr("channels", static_cast<std::int64_t>(options.channels));
  g.set_attr("hidden", std::vector<std::int64_t>(options.hidden.begin(), options.hidden.end()));
  if (!options.discriminator_hidden.empty())
    g.set_attr("discriminator_hidden",
               std::vector<std::int64_t>(options.discriminator_hidden.begin(), options.discriminator_hidden.end()));
  g.set_attr("input_noise", options.input_noise);
  g.set_attr("hidden_noise", options.hidden_noise);
  g.set_attr("dropout", options.dropout);
}

GanNetworkOptions load_network_options(const H5Group& g) {
  GanNetworkOptions options;
  options.architecture = parse_architecture(g.attr_string("architecture"));
  options.latent = read_int_attr(g, "latent", 1, INT64_MAX);  // sizes are checked against the stored blocks
  options.channels = read_int_attr(g, "channels", 1, INT64_MAX);
  options.hidden = read_sizes_attr(g, "hidden");
  // Files written before the discriminator's own sizes and the regularizers existed have none.
  if (g.has_attr("discriminator_hidden")) options.discriminator_hidden = read_sizes_attr(g, "discriminator_hidden");
  if (g.has_attr("input_noise")) options.input_noise = read_real_attr(g, "input_noise", 0.0, 1e6);
  if (g.has_attr("hidden_noise")) options.hidden_noise = read_real_attr(g, "hidden_noise", 0.0, 1e6);
  if (g.has_attr("dropout")) options.dropout = read_real_attr(g, "dropout", 0.0, 1.0);
  return options;
}

}  // namespace logp
