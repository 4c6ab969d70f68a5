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
#include "logp/models/gan/network_game.hpp"

namespace logp {

struct GanOptions {
  GanNetworkOptions network;
  AdversarialLoss loss = AdversarialLoss::non_saturating;
};

class GanModel final : public NetworkGame {
 public:
  // type: "gan", "dcgan" or "lsgan" (what the file says; the options say what it is).
  GanModel(std::string type, DataSpec spec, const GanOptions& options);

  std::string hyperparameters() const override;
  // D x n examples in the data's own values (Bernoulli draws for binary data, nearest level for
  // 8-bit data), from z ~ N(0, I) drawn column by column.
  Matrix sample(Index n, Rng& rng) const override;
  void save(const H5Group& g) const override;
  static std::unique_ptr<Model> load(std::string type, const H5Group& g, const DataSpec& spec);

  // AdversarialGame (the rest: NetworkGame)
  ShardLoss loss_and_grad(Player player, ConstMatrixRef real, std::span<const std::int64_t> labels, Rng& rng,
                          GameNorms& norms, std::span<float> grad) const override;
  Matrix generate_training_scale(Index n, Rng& rng) const override;

  const GanOptions& options() const { return options_; }

 private:
  GanOptions options_;
};

}  // namespace logp
