// The part-to-whole GAN (include/logp/models/gan/part2whole.hpp).
#include "logp/models/gan/part2whole.hpp"

#include <sstream>

#include "logp/autodiff/l1_loss.hpp"
#include "logp/autodiff/ops.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/gan/patch_masks.hpp"
#include "logp/models/gan/shard_steps.hpp"
#include "logp/models/model_loading.hpp"

namespace logp {

PartToWholeModel::PartToWholeModel(std::string type, DataSpec spec, const PartToWholeOptions& options)
    : NetworkGame(std::move(type), spec, GanNetworks(spec, options.network, 2 * spec.dim + options.network.latent, 1)),
      options_(options) {
  require(spec.is_image(), "part2whole: needs image data (H, W, C), got " + spec.describe());
  require(options.patches >= 1 && options.patch_size >= 1 && options.patch_size <= spec.shape[0] &&
              options.patch_size <= spec.shape[1],
          "part2whole: " + std::to_string(options.patches) + " patches of size " + std::to_string(options.patch_size) +
              " do not fit " + spec.describe());
  require(options.patch_weight >= 0.0 && options.whole_weight >= 0.0,
          "part2whole: the reconstruction weights must be non-negative");
}

std::string PartToWholeModel::hyperparameters() const {
  std::ostringstream out;
  out << networks_.describe() << ", loss=" << adversarial_loss_name(options_.loss) << ", patches=" << options_.patches
      << ", patch_size=" << options_.patch_size << ", patch_weight=" << options_.patch_weight
      << ", whole_weight=" << options_.whole_weight;
  return out.str();
}

Matrix PartToWholeModel::generator_inputs(const Matrix& x, const Matrix& mask, Rng& rng) const {
  const Index d = data_spec().dim, n = x.cols();
  Matrix inputs(2 * d + options_.network.latent, n);
  inputs.topRows(d) = x.cwiseProduct(mask);
  inputs.middleRows(d, d) = mask;
  inputs.bottomRows(options_.network.latent) = networks_.draw_latent(n, rng);
  return inputs;
}

Matrix PartToWholeModel::complete_training_scale(const Matrix& x, const Matrix& mask, const Rng& rng) const {
  Matrix inputs(2 * data_spec().dim + options_.network.latent, x.cols());
  for (Index j = 0; j < x.cols(); ++j) {
    Rng column = rng.split(static_cast<std::uint64_t>(j));
    inputs.col(j) = generator_inputs(x.col(j), mask.col(j), column);
  }
  return networks_.generate(inputs);
}

Matrix PartToWholeModel::complete(ConstMatrixRef x, ConstMatrixRef mask, Rng& rng) const {
  require(x.rows() == data_spec().dim && mask.rows() == data_spec().dim && mask.cols() == x.cols(),
          "part2whole complete: examples and masks must both be " + std::to_string(data_spec().dim) + " x n");
  Rng latent_rng = rng.split(0), noise_rng = rng.split(1);
  rng.next_u64();
  const Matrix scaled = networks_.scale.to_training(x);
  return networks_.scale.to_data(complete_training_scale(scaled, mask, latent_rng), noise_rng);
}

Matrix PartToWholeModel::generate_training_scale(Index n, Rng& rng) const {
  const Matrix none = Matrix::Zero(data_spec().dim, n);
  const Rng streams = rng.split(0);
  rng.next_u64();
  return complete_training_scale(none, none, streams);
}

Matrix PartToWholeModel::sample(Index n, Rng& rng) const {
  Rng latent_rng = rng.split(0), noise_rng = rng.split(1);
  rng.next_u64();
  return networks_.scale.to_data(generate_training_scale(n, latent_rng), noise_rng);
}

ShardLoss PartToWholeModel::loss_and_grad(Player player, ConstMatrixRef real, std::span<const std::int64_t> /*labels*/,
                                          Rng& rng, GameNorms& norms, std::span<float> grad) const {
  const Index n = real.cols();
  auto& g_norms = norms[static_cast<std::size_t>(Player::generator)];
  auto& d_norms = norms[static_cast<std::size_t>(Player::discriminator)];
  const Matrix x = real;
  const Matrix mask = draw_patch_masks(data_spec(), n, options_.patches, options_.patch_size, rng.split(0x50415443ULL));
  ad::Tape& tape = player_tape(player);
  const ad::Var inputs = tape.constant(generator_inputs(x, mask, rng));
  if (player == Player::discriminator) {
    const ad::Var fake = networks_.generator.forward(tape, inputs, networks_.generator_store, {}, g_norms, true);
    const ad::Var d_real =
        networks_.discriminator.forward(tape, tape.constant(x), networks_.discriminator_store, grad, d_norms, true);
    const ad::Var d_fake = networks_.discriminator.forward(tape, fake, networks_.discriminator_store, grad, d_norms, true);
    return finish_discriminator_step(tape, d_real, d_fake, options_.loss);
  }
  const ad::Var fake = networks_.generator.forward(tape, inputs, networks_.generator_store, grad, g_norms, true);
  const ad::Var d_fake = networks_.discriminator.forward(tape, fake, networks_.discriminator_store, {}, d_norms, true);
  const ad::Var target = tape.constant(x);
  const ad::Var patch_l1 = ad::weighted_l1(fake, target, tape.constant(per_example_weights(mask)));
  ad::Var loss = ad::add(generator_loss(d_fake, options_.loss),
                         ad::scale(patch_l1, static_cast<float>(options_.patch_weight)));
  if (options_.whole_weight > 0.0) {
    const Matrix all = Matrix::Constant(x.rows(), n, static_cast<float>(options_.whole_weight) / static_cast<float>(x.rows()));
    loss = ad::add(loss, ad::weighted_l1(fake, target, tape.constant(all)));
  }
  tape.backward(loss);
  ShardLoss out;
  out.loss = loss.value()(0, 0);
  out.extra = patch_l1.value()(0, 0);
  out.fake_output = discriminator_output_sum(d_fake.value(), options_.loss);
  out.fake_count = n;
  return out;
}

void PartToWholeModel::save(const H5Group& g) const {
  save_network_options(g, options_.network);
  g.set_attr("loss", adversarial_loss_name(options_.loss));
  g.set_attr("patches", static_cast<std::int64_t>(options_.patches));
  g.set_attr("patch_size", static_cast<std::int64_t>(options_.patch_size));
  g.set_attr("patch_weight", options_.patch_weight);
  g.set_attr("whole_weight", options_.whole_weight);
  networks_.save(g);
}

std::unique_ptr<Model> PartToWholeModel::load(const H5Group& g, const DataSpec& spec) {
  PartToWholeOptions options;
  options.network = load_network_options(g);
  options.loss = parse_adversarial_loss(g.attr_string("loss"));
  options.patches = read_int_attr(g, "patches", 1, 1 << 20);
  options.patch_size = read_int_attr(g, "patch_size", 1, 1 << 20);
  options.patch_weight = read_real_attr(g, "patch_weight", 0.0, 1e12);
  options.whole_weight = read_real_attr(g, "whole_weight", 0.0, 1e12);
  auto model = std::make_unique<PartToWholeModel>("part2whole", spec, options);
  model->networks_.load(g);
  return model;
}

}  // namespace logp
