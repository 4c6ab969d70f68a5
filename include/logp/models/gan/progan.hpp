#pragma once
// The progressive GAN (Karras et al. 2018) in small: networks that grow from a quarter of the
// image's resolution to the full one (models/gan/progan_networks.hpp), each new level faded in
// over a number of steps, with pixel norm, the minibatch standard deviation and equalized
// learning rates. An implicit model like the rest of the family: it samples, has no density.
//
// The schedule is driven by the trainer's step count (AdversarialGame::at_step), so a resumed
// run is at the same stage and alpha as the unbroken one. The saved model keeps the step it was
// last trained at and samples at that stage, upsampled to the full resolution.
#include <memory>
#include <string>

#include "logp/models/gan/adversarial_loss.hpp"
#include "logp/models/gan/gan_networks.hpp"
#include "logp/models/gan/progan_networks.hpp"

namespace logp {

struct ProganOptions {
  Index latent = 64;
  Index channels = 32;
  ProganSchedule schedule;
  AdversarialLoss loss = AdversarialLoss::non_saturating;
};

class ProganModel final : public Model, public AdversarialGame {
 public:
  // type: "progan" (the family's fits build every model as ModelT(type, spec, options)).
  ProganModel(std::string type, DataSpec spec, const ProganOptions& options);

  // Model
  std::string_view type() const override { return type_; }
  std::string hyperparameters() const override;
  Index num_parameters() const override;
  // D x n examples in the data's values at the current phase, from z ~ N(0, I) column by column.
  Matrix sample(Index n, Rng& rng) const override;
  void save(const H5Group& g) const override;
  static std::unique_ptr<Model> load(const H5Group& g, const DataSpec& spec);

  // AdversarialGame
  const Model& trained_model() const override { return *this; }
  ParameterStore& parameters(Player p) override;
  const ParameterStore& parameters(Player p) const override;
  GameNorms& norms() override { return norms_; }
  const GameNorms& norms() const override { return norms_; }
  void initialize(Rng& rng) override { networks_.initialize(rng); }
  ShardLoss loss_and_grad(Player player, ConstMatrixRef real, std::span<const std::int64_t> labels, Rng& rng,
                          GameNorms& norms, std::span<float> grad) const override;
  Matrix to_training_scale(ConstMatrixRef x) const override { return scale_.to_training(x); }
  Matrix generate_training_scale(Index n, Rng& rng) const override;
  void at_step(Index step) override { step_ = step; }
  std::string progress_note() const override;

  ProganPhase phase() const { return options_.schedule.at(step_); }
  Index step() const { return step_; }
  const ProganOptions& options() const { return options_; }
  const ProganNetworks& networks() const { return networks_; }

 private:
  std::string type_;
  ProganOptions options_;
  GanDataScale scale_;
  ProganNetworks networks_;
  GameNorms norms_;  // none: the networks have no batch norm
  Index step_ = 0;   // the schedule's step: being trained, or last trained
};

}  // namespace logp
