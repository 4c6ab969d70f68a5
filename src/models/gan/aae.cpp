// The adversarial autoencoder (include/logp/models/gan/aae.hpp).
#include "logp/models/gan/aae.hpp"

#include <limits>
#include <sstream>

#include "logp/autodiff/ops.hpp"
#include "logp/core/error.hpp"
#include "logp/core/text.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/model_loading.hpp"
#include "logp/models/gan/adversarial_loss.hpp"

namespace logp {
namespace {

constexpr float kLeakySlope = 0.2f;

std::string sizes_text(const std::vector<Index>& sizes) {
  std::vector<std::string> parts;
  for (Index h : sizes) parts.push_back(std::to_string(h));
  return join(parts, ",");
}

}  // namespace

template <class T>
ad::BasicVar<T> aae_generator_loss(ad::BasicVar<T> reconstruction, ad::BasicVar<T> x, ad::BasicVar<T> d_codes,
                                   T adversarial_weight) {
  const ad::BasicVar<T> error = ad::sum(ad::square(ad::sub(reconstruction, x)));
  return ad::add(error, ad::scale(generator_loss(d_codes, AdversarialLoss::non_saturating), adversarial_weight));
}

template ad::BasicVar<float> aae_generator_loss(ad::BasicVar<float>, ad::BasicVar<float>, ad::BasicVar<float>, float);
template ad::BasicVar<double> aae_generator_loss(ad::BasicVar<double>, ad::BasicVar<double>, ad::BasicVar<double>,
                                                 double);

AaeModel::AaeModel(std::string type, DataSpec spec, const AaeOptions& options)
    : ScoringModel(spec),
      options_(options),
      scale_(spec),
      encoder_("encoder", spec.dim),
      decoder_("decoder", options.latent),
      discriminator_("discriminator", options.latent) {
  require(type == "aae", "AaeModel: type must be aae, got " + type);
  require(options.latent >= 1, "aae: --latent must be positive, got " + std::to_string(options.latent));
  require(options.adversarial_weight >= 0.0, "aae: --adversarial-weight must be >= 0");
  for (Index h : options.hidden) {
    require(h >= 1, "aae: hidden sizes must be positive");
    encoder_.add_linear(generator_store_, h);
    encoder_.add_activation(Activation::relu);
  }
  encoder_.add_linear(generator_store_, options.latent);
  for (auto h = options.hidden.rbegin(); h != options.hidden.rend(); ++h) {
    decoder_.add_linear(generator_store_, *h);
    decoder_.add_activation(Activation::relu);
  }
  decoder_.add_linear(generator_store_, spec.dim);
  if (scale_.bounded()) decoder_.add_activation(Activation::tanh);
  for (Index h : options.discriminator_hidden) {
    require(h >= 1, "aae: discriminator hidden sizes must be positive");
    discriminator_.add_linear(discriminator_store_, h);
    discriminator_.add_activation(Activation::leaky_relu, kLeakySlope);
  }
  discriminator_.add_linear(discriminator_store_, 1);
}

std::string AaeModel::hyperparameters() const {
  std::ostringstream out;
  out << "latent=" << options_.latent << ", hidden=" << sizes_text(options_.hidden)
      << ", discriminator_hidden=" << sizes_text(options_.discriminator_hidden)
      << ", adversarial_weight=" << options_.adversarial_weight;
  return out.str();
}

std::string_view AaeModel::score_unit() const {
  return scale_.bounded() ? "squared error summed over dimensions, in the [-1, 1] training scale"
                          : "squared error summed over dimensions";
}

void AaeModel::initialize(Rng& rng) {
  encoder_.initialize(generator_store_, rng, 0.0f);
  decoder_.initialize(generator_store_, rng, 0.0f);
  discriminator_.initialize(discriminator_store_, rng, 0.0f);
}

Matrix AaeModel::draw_prior(Index n, Rng& rng) const {
  Matrix c(options_.latent, n);
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i < options_.latent; ++i) c(i, j) = static_cast<float>(rng.normal());
  return c;
}

Matrix AaeModel::encode(ConstMatrixRef x) const {
  require(x.rows() == dim(), "aae: encode needs D=" + std::to_string(dim()) + " rows, got " + std::to_string(x.rows()));
  return evaluate_network(encoder_, generator_store_, {}, to_training_scale(x));
}

Matrix AaeModel::decode(const Matrix& codes) const {
  require(codes.rows() == options_.latent, "aae: decode needs " + std::to_string(options_.latent) + " code rows, got " +
                                               std::to_string(codes.rows()));
  return evaluate_network(decoder_, generator_store_, {}, codes);
}

Matrix AaeModel::generate_training_scale(Index n, Rng& rng) const { return decode(draw_prior(n, rng)); }

Matrix AaeModel::sample(Index n, Rng& rng) const {
  Matrix codes(options_.latent, n);
  std::vector<Rng> streams;
  for (Index j = 0; j < n; ++j) {
    streams.push_back(rng.split(static_cast<std::uint64_t>(j)));
    codes.col(j) = draw_prior(1, streams.back());
  }
  const Matrix g = decode(codes);
  Matrix out(g.rows(), n);
  for (Index j = 0; j < n; ++j) out.col(j) = scale_.to_data(g.col(j), streams[static_cast<std::size_t>(j)]);
  return out;
}

Vector AaeModel::score_impl(ConstMatrixRef x) const {
  ad::Tape tape;
  const ad::Var data = tape.constant(to_training_scale(x));
  const ad::Var code = encoder_.forward(tape, data, generator_store_, {}, {}, false);
  const ad::Var out = decoder_.forward(tape, code, generator_store_, {}, {}, false);
  return (out.value() - data.value()).cast<double>().colwise().squaredNorm().transpose();
}

ShardLoss AaeModel::loss_and_grad(Player player, ConstMatrixRef real, std::span<const std::int64_t> /*labels*/,
                                  Rng& rng, GameNorms& norms, std::span<float> grad) const {
  (void)norms;  // no batch norm
  const Index n = real.cols();
  ad::Tape& tape = player_tape(player);
  const ad::Var x = tape.constant(real);  // [D, n]
  ShardLoss out;
  if (player == Player::discriminator) {
    // The encoder is frozen: its codes enter as values. Real = prior draws.
    const ad::Var codes = encoder_.forward(tape, x, generator_store_, {}, {}, true);               // [L, n]
    const ad::Var prior = tape.constant(draw_prior(n, rng));                                      // [L, n]
    const ad::Var d_real = discriminator_.forward(tape, prior, discriminator_store_, grad, {}, true);  // [1, n]
    const ad::Var d_fake = discriminator_.forward(tape, codes, discriminator_store_, grad, {}, true);
    const ad::Var loss = discriminator_loss(d_real, d_fake, AdversarialLoss::non_saturating);
    tape.backward(loss);
    out.loss = loss.value()(0, 0);
    out.real_output = discriminator_output_sum(d_real.value(), AdversarialLoss::non_saturating);
    out.fake_output = discriminator_output_sum(d_fake.value(), AdversarialLoss::non_saturating);
    out.real_count = out.fake_count = n;
    return out;
  }
  // The discriminator is frozen: its gradient flows to the encoder only.
  const ad::Var codes = encoder_.forward(tape, x, generator_store_, grad, {}, true);
  const ad::Var reconstruction = decoder_.forward(tape, codes, generator_store_, grad, {}, true);
  const ad::Var d_codes = discriminator_.forward(tape, codes, discriminator_store_, {}, {}, true);
  const ad::Var loss = aae_generator_loss(reconstruction, x, d_codes, static_cast<float>(options_.adversarial_weight));
  tape.backward(loss);
  out.loss = loss.value()(0, 0);
  out.extra = (reconstruction.value() - real).cast<double>().squaredNorm();
  out.fake_output = discriminator_output_sum(d_codes.value(), AdversarialLoss::non_saturating);
  out.fake_count = n;
  return out;
}

void AaeModel::save(const H5Group& g) const {
  g.set_attr("latent", static_cast<std::int64_t>(options_.latent));
  g.set_attr("hidden", std::vector<std::int64_t>(options_.hidden.begin(), options_.hidden.end()));
  g.set_attr("discriminator_hidden",
             std::vector<std::int64_t>(options_.discriminator_hidden.begin(), options_.discriminator_hidden.end()));
  g.set_attr("adversarial_weight", options_.adversarial_weight);
  generator_store_.save(g.create_group("autoencoder"));
  discriminator_store_.save(g.create_group("discriminator"));
}

std::unique_ptr<Model> AaeModel::load(const H5Group& g, const DataSpec& spec) {
  AaeOptions options;
  options.latent = read_int_attr(g, "latent", 1, INT64_MAX);  // sizes are checked against the stored blocks
  options.hidden = read_sizes_attr(g, "hidden");
  options.discriminator_hidden = read_sizes_attr(g, "discriminator_hidden");
  options.adversarial_weight = read_real_attr(g, "adversarial_weight", 0.0, std::numeric_limits<double>::max());
  auto model = std::make_unique<AaeModel>("aae", spec, options);
  model->generator_store_.load(g.group("autoencoder"));
  model->discriminator_store_.load(g.group("discriminator"));
  return model;
}

}  // namespace logp
