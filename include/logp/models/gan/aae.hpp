#pragma once
// The adversarial autoencoder (Makhzani et al. 2016): an autoencoder whose code distribution is
// pushed to a prior p(c) = N(0, I_latent) by a discriminator on codes, so that decoding prior
// draws gives samples.
//   encoder E: x -> hidden... (relu) -> code (latent, linear)
//   decoder G: code -> hidden reversed (relu) -> x' (tanh in the [-1, 1] training scale for
//              discrete data, linear for real data; GanDataScale)
//   discriminator: code -> discriminator hidden (leaky relu 0.2) -> 1 logit
// Players: the discriminator (real = prior draws, fake = E(x)) with the non-saturating GAN loss;
// the generator = the autoencoder (E and G, one parameter store):
//   sum_i (G(E(x))_i - x_i)^2  +  adversarial_weight * softplus(-D(E(x)))
// (squared error summed over dimensions, in the training scale).
//
// It defines no density over x. It is a ScoringModel: score(x) = the reconstruction error, the
// squared error summed over dimensions in the training scale (for discrete data the [-1, 1]
// scale of x' = 2x/(L-1) - 1, i.e. 4/(L-1)^2 times the error in levels; for real data the data's
// own units). Larger = more anomalous; `logp anomaly` uses it as it uses the autoencoder's.
// It samples (decoded prior draws, mapped to the data's values) and encodes (E(x)).
#include <memory>
#include <string>
#include <vector>

#include "logp/autodiff/tape.hpp"
#include "logp/models/gan/adversarial_game.hpp"
#include "logp/models/gan/gan_networks.hpp"

namespace logp {

struct AaeOptions {
  Index latent = 8;                                 // code size; prior N(0, I_latent)
  std::vector<Index> hidden = {512};                // encoder hidden sizes; the decoder mirrors them
  std::vector<Index> discriminator_hidden = {256};  // the code discriminator's hidden sizes
  double adversarial_weight = 1.0;                  // of the encoder's non-saturating loss
};

// The autoencoder player's loss. reconstruction, x: [D, n] (training scale); d_codes: [1, n], the
// discriminator's logits on the codes -> [1, 1], summed over the n examples.
template <class T>
ad::BasicVar<T> aae_generator_loss(ad::BasicVar<T> reconstruction, ad::BasicVar<T> x, ad::BasicVar<T> d_codes,
                                   T adversarial_weight);

class AaeModel final : public ScoringModel, public AdversarialGame, public Encoder {
 public:
  AaeModel(std::string type, DataSpec spec, const AaeOptions& options);
  static std::unique_ptr<Model> load(const H5Group& g, const DataSpec& spec);

  std::string_view type() const override { return "aae"; }
  std::string hyperparameters() const override;
  Index num_parameters() const override { return generator_store_.size() + discriminator_store_.size(); }
  // Decoded prior draws in the data's values; column j draws from rng.split(j), so the first k
  // of n samples are sample(k).
  Matrix sample(Index n, Rng& rng) const override;
  void save(const H5Group& g) const override;

  // ScoringModel
  std::string_view score_name() const override { return "reconstruction_error"; }
  std::string_view score_unit() const override;

  // Encoder: the code E(x), [latent, N].
  Matrix encode(ConstMatrixRef x) const override;
  std::string_view encoding_name() const override { return "adversarial autoencoder code"; }
  // Codes [latent, N] -> reconstructions in the training scale [D, N].
  Matrix decode(const Matrix& codes) const;

  // AdversarialGame
  const Model& trained_model() const override { return *this; }
  ParameterStore& parameters(Player p) override { return p == Player::generator ? generator_store_ : discriminator_store_; }
  const ParameterStore& parameters(Player p) const override {
    return p == Player::generator ? generator_store_ : discriminator_store_;
  }
  GameNorms& norms() override { return norms_; }  // no batch norm: empty
  const GameNorms& norms() const override { return norms_; }
  void initialize(Rng& rng) override;
  ShardLoss loss_and_grad(Player player, ConstMatrixRef real, std::span<const std::int64_t> labels, Rng& rng,
                          GameNorms& norms, std::span<float> grad) const override;
  Matrix to_training_scale(ConstMatrixRef x) const override { return scale_.to_training(x); }
  Matrix generate_training_scale(Index n, Rng& rng) const override;
  std::string extra_name() const override { return "reconstruction error"; }

  const AaeOptions& options() const { return options_; }
  // [latent, n] prior draws, column by column.
  Matrix draw_prior(Index n, Rng& rng) const;

 private:
  Vector score_impl(ConstMatrixRef x) const override;

  AaeOptions options_;
  GanDataScale scale_;
  ParameterStore generator_store_, discriminator_store_;  // encoder + decoder; code discriminator
  nn::LayerStack encoder_, decoder_, discriminator_;
  GameNorms norms_;
};

}  // namespace logp
