#pragma once
// GAN, DCGAN and LSGAN: a generator and a discriminator trained as a two-player game
// (Goodfellow et al. 2014; Radford et al. 2016; Mao et al. 2017). An implicit model: it samples,
// and has no density; logp never prints a log-likelihood for it (judge it with eval-samples).
//
// The three types differ only in their defaults: gan (MLP, non-saturating loss), dcgan (DCGAN
// networks, non-saturating), lsgan (DCGAN networks, least-squares loss); each takes any
// --architecture and --loss.
#include <memory>
#include <string>

#include "logp/models/gan/adversarial_loss.hpp"
#include "logp/models/gan/gan_networks.hpp"

namespace logp {

struct GanOptions {
  GanNetworkOptions network;
  AdversarialLoss loss = AdversarialLoss::non_saturating;
};

class GanModel final : public Model, public AdversarialGame {
 public:
  // type: "gan", "dcgan" or "lsgan" (what the file says; the options say what it is).
  GanModel(std::string type, DataSpec spec, const GanOptions& options);

  std::string_view type() const override { return type_; }
  std::string hyperparameters() const override;
  Index num_parameters() const override { return networks_.num_parameters(); }
  // D x n examples in the data's own values (Bernoulli draws for binary data, nearest level for
  // 8-bit data), from z ~ N(0, I) drawn column by column.
  Matrix sample(Index n, Rng& rng) const override;
  void save(const H5Group& g) const override;
  static std::unique_ptr<Model> load(std::string type, const H5Group& g, const DataSpec& spec);

  // AdversarialGame
  const Model& trained_model() const override { return *this; }
  ParameterStore& parameters(Player p) override { return networks_.store(p); }
  const ParameterStore& parameters(Player p) const override { return networks_.store(p); }
  GameNorms& norms() override { return networks_.norms; }
  const GameNorms& norms() const override { return networks_.norms; }
  void initialize(Rng& rng) override { networks_.initialize(rng); }
  ShardLoss loss_and_grad(Player player, ConstMatrixRef real, Rng& rng, GameNorms& norms,
                          std::span<float> grad) const override;
  Matrix to_training_scale(ConstMatrixRef x) const override { return networks_.scale.to_training(x); }
  Matrix generate_training_scale(Index n, Rng& rng) const override;

  const GanOptions& options() const { return options_; }
  const GanNetworks& networks() const { return networks_; }

 private:
  std::string type_;
  GanOptions options_;
  GanNetworks networks_;
};

}  // namespace logp
