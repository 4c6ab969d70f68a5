// GAN, DCGAN, LSGAN (include/logp/models/gan/gan.hpp).
#include "logp/models/gan/gan.hpp"

#include "logp/autodiff/ops.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/gan/shard_steps.hpp"

namespace logp {

GanModel::GanModel(std::string type, DataSpec spec, const GanOptions& options)
    : NetworkGame(std::move(type), spec, GanNetworks(spec, options.network, options.network.latent, 1)),
      options_(options) {}

std::string GanModel::hyperparameters() const {
  return networks_.describe() + ", loss=" + adversarial_loss_name(options_.loss);
}

Matrix GanModel::generate_training_scale(Index n, Rng& rng) const {
  return networks_.generate(networks_.draw_latent(n, rng));
}

Matrix GanModel::sample(Index n, Rng& rng) const {
  // Latents and output noise from separate streams, each drawn column by column: the first k
  // columns of sample(n) are sample(k) for the same rng.
  Rng latent_rng = rng.split(0), noise_rng = rng.split(1);
  rng.next_u64();  // the caller's stream moves on
  return networks_.scale.to_data(generate_training_scale(n, latent_rng), noise_rng);
}

ShardLoss GanModel::loss_and_grad(Player player, ConstMatrixRef real, std::span<const std::int64_t> /*labels*/,
                                  Rng& rng, GameNorms& norms, std::span<float> grad) const {
  const Index n = real.cols();
  auto& g_norms = norms[static_cast<std::size_t>(Player::generator)];
  auto& d_norms = norms[static_cast<std::size_t>(Player::discriminator)];
  ad::Tape& tape = player_tape(player);
  const ad::Var z = tape.constant(networks_.draw_latent(n, rng));  // [latent, n]
  if (player == Player::discriminator) {
    // The generator is frozen: its fakes enter as values.
    const ad::Var fake = networks_.generator.forward(tape, z, networks_.generator_store, {}, g_norms, true);
    const ad::Var d_real = networks_.discriminator.forward(tape, tape.constant(real), networks_.discriminator_store,
                                                           grad, d_norms, true);  // [1, n]
    const ad::Var d_fake =
        networks_.discriminator.forward(tape, fake, networks_.discriminator_store, grad, d_norms, true);
    return finish_discriminator_step(tape, d_real, d_fake, options_.loss);
  }
  // The discriminator is frozen: the gradient flows through it to the generator only.
  const ad::Var fake = networks_.generator.forward(tape, z, networks_.generator_store, grad, g_norms, true);
  const ad::Var d_fake = networks_.discriminator.forward(tape, fake, networks_.discriminator_store, {}, d_norms, true);
  return finish_generator_step(tape, d_fake, options_.loss);
}

void GanModel::save(const H5Group& g) const {
  save_network_options(g, options_.network);
  g.set_attr("loss", adversarial_loss_name(options_.loss));
  networks_.save(g);
}

std::unique_ptr<Model> GanModel::load(std::string type, const H5Group& g, const DataSpec& spec) {
  GanOptions options;
  options.network = load_network_options(g);
  options.loss = parse_adversarial_loss(g.attr_string("loss"));
  auto model = std::make_unique<GanModel>(std::move(type), spec, options);
  model->networks_.load(g);
  return model;
}

}  // namespace logp
