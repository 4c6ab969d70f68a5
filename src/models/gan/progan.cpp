// The progressive GAN (include/logp/models/gan/progan.hpp).
#include "logp/models/gan/progan.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "logp/autodiff/ops.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/gan/shard_steps.hpp"
#include "logp/models/model_loading.hpp"

namespace logp {

ProganModel::ProganModel(std::string type, DataSpec spec, const ProganOptions& options)
    : Model(spec), type_(std::move(type)), options_(options), scale_(spec), networks_(spec, options.latent, options.channels) {
  require(options.schedule.stage_steps >= 1 && options.schedule.fade_steps >= 1,
          "progan: stage and fade-in steps must be positive, got " + std::to_string(options.schedule.stage_steps) +
              " and " + std::to_string(options.schedule.fade_steps));
}

std::string ProganModel::hyperparameters() const {
  return "latent=" + std::to_string(options_.latent) + ", channels=" + std::to_string(options_.channels) +
         ", stage_steps=" + std::to_string(options_.schedule.stage_steps) +
         ", fade_steps=" + std::to_string(options_.schedule.fade_steps) + ", loss=" + adversarial_loss_name(options_.loss);
}

Index ProganModel::num_parameters() const {
  return networks_.generator_store().size() + networks_.discriminator_store().size();
}

ParameterStore& ProganModel::parameters(Player p) {
  return p == Player::generator ? networks_.generator_store() : networks_.discriminator_store();
}

const ParameterStore& ProganModel::parameters(Player p) const {
  return p == Player::generator ? networks_.generator_store() : networks_.discriminator_store();
}

std::string ProganModel::progress_note() const {
  return ProganSchedule::describe(phase(), data_spec().shape[0], data_spec().shape[1]);
}

Matrix ProganModel::generate_training_scale(Index n, Rng& rng) const {
  // Latents column by column; the generator in fixed blocks of kEvaluationBlock columns (the
  // last padded), so a column's value does not depend on n.
  Matrix z(options_.latent, n);
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i < options_.latent; ++i) z(i, j) = static_cast<float>(rng.normal());
  const ProganPhase at = phase();
  Matrix out(data_spec().dim, n);
  const Index blocks = (n + kEvaluationBlock - 1) / kEvaluationBlock;
  tbb::parallel_for(tbb::blocked_range<Index>(0, blocks), [&](const tbb::blocked_range<Index>& range) {
    ad::Tape tape;
    Matrix block(options_.latent, kEvaluationBlock);
    for (Index b = range.begin(); b < range.end(); ++b) {
      const Index first = b * kEvaluationBlock, count = std::min(kEvaluationBlock, n - first);
      block.leftCols(count) = z.middleCols(first, count);
      for (Index j = count; j < kEvaluationBlock; ++j) block.col(j) = z.col(first);  // the last block padded
      tape.clear();
      const ad::Var image = networks_.generate(tape, tape.constant(block), at, scale_.bounded(), {});
      out.middleCols(first, count) = networks_.to_full_resolution(image, at.stage).value().leftCols(count);
    }
  });
  return out;
}

Matrix ProganModel::sample(Index n, Rng& rng) const {
  Rng latent_rng = rng.split(0), noise_rng = rng.split(1);
  rng.next_u64();  // the caller's stream moves on
  return scale_.to_data(generate_training_scale(n, latent_rng), noise_rng);
}

ShardLoss ProganModel::loss_and_grad(Player player, ConstMatrixRef real, std::span<const std::int64_t> /*labels*/,
                                     Rng& rng, GameNorms& /*norms*/, std::span<float> grad) const {
  const Index n = real.cols();
  require(n >= 2, "progan: a training shard needs at least 2 examples (the minibatch stddev), got " + std::to_string(n));
  const ProganPhase at = phase();
  ad::Tape& tape = player_tape(player);
  Matrix z(options_.latent, n);
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i < options_.latent; ++i) z(i, j) = static_cast<float>(rng.normal());
  if (player == Player::discriminator) {
    const ad::Var fake = networks_.generate(tape, tape.constant(z), at, scale_.bounded(), {});
    const ad::Var d_real = networks_.discriminate(tape, networks_.real_at(tape.constant(real), at), at, grad);
    const ad::Var d_fake = networks_.discriminate(tape, fake, at, grad);
    return finish_discriminator_step(tape, d_real, d_fake, options_.loss);
  }
  const ad::Var fake = networks_.generate(tape, tape.constant(z), at, scale_.bounded(), grad);
  const ad::Var d_fake = networks_.discriminate(tape, fake, at, {});
  return finish_generator_step(tape, d_fake, options_.loss);
}

void ProganModel::save(const H5Group& g) const {
  g.set_attr("latent", static_cast<std::int64_t>(options_.latent));
  g.set_attr("channels", static_cast<std::int64_t>(options_.channels));
  g.set_attr("stage_steps", static_cast<std::int64_t>(options_.schedule.stage_steps));
  g.set_attr("fade_steps", static_cast<std::int64_t>(options_.schedule.fade_steps));
  g.set_attr("loss", adversarial_loss_name(options_.loss));
  g.set_attr("step", static_cast<std::int64_t>(step_));
  networks_.generator_store().save(g.create_group("generator"));
  networks_.discriminator_store().save(g.create_group("discriminator"));
}

std::unique_ptr<Model> ProganModel::load(const H5Group& g, const DataSpec& spec) {
  ProganOptions options;
  options.latent = read_int_attr(g, "latent", 1, 1 << 20);
  options.channels = read_int_attr(g, "channels", 1, 1 << 16);
  options.schedule.stage_steps = read_int_attr(g, "stage_steps", 1, INT64_MAX);
  options.schedule.fade_steps = read_int_attr(g, "fade_steps", 1, INT64_MAX);
  options.loss = parse_adversarial_loss(g.attr_string("loss"));
  auto model = std::make_unique<ProganModel>("progan", spec, options);
  model->step_ = read_int_attr(g, "step", 0, INT64_MAX);
  model->networks_.generator_store().load(g.group("generator"));
  model->networks_.discriminator_store().load(g.group("discriminator"));
  return model;
}

}  // namespace logp
