#pragma once
// CycleGAN (Zhu et al. 2017), in small: unpaired translation between two domains, given as two
// classes of one labelled dataset (domain A: class a, domain B: class b; e.g. Fashion-MNIST's
// sneakers 7 and ankle boots 9). Examples of other classes are skipped.
//
// Players (models/gan/translation_networks.hpp):
//   generator store:     G: A -> B ("a_to_b") and F: B -> A ("b_to_a"), encoder-decoders
//   discriminator store: D_A and D_B ("critic_a", "critic_b"), PatchGAN grids of P outputs
// Losses, per shard (real A images a, real B images b; least squares on every patch output and
// L1 per pixel, models/gan/translation_loss.hpp), each summed over the shard's images:
//   D: ls(D_A(a), 1, 1/2) + ls(D_A(F(b)), 0, 1/2) + ls(D_B(b), 1, 1/2) + ls(D_B(G(a)), 0, 1/2)
//   G: ls(D_B(G(a)), 1, 1) + ls(D_A(F(b)), 1, 1)                          (adversarial)
//      + lambda (l1(F(G(a)), a) + l1(G(F(b)), b))                         (cycle consistency)
//      + lambda_id (l1(F(a), a) + l1(G(b), b))                            (identity)
// lambda = cycle_weight (10), lambda_id = identity_fraction (0.5) * lambda, as in the paper. The
// discriminators see the current generators' fakes (no history buffer of older ones). No draws:
// a step is fixed by its batch. An implicit model: no density, and no samples either (it
// translates given images: the Translator capability, `logp translate`).
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "logp/models/gan/adversarial_game.hpp"
#include "logp/models/gan/gan_networks.hpp"
#include "logp/models/translator.hpp"

namespace logp {

struct CycleGanOptions {
  Index domain_a = -1, domain_b = -1;  // the two classes (different, non-negative)
  Index channels = 32;                 // C of both players' networks
  double cycle_weight = 10.0;          // lambda
  double identity_fraction = 0.5;      // lambda_id / lambda
};

class CycleGanModel final : public Model, public AdversarialGame, public Translator {
 public:
  // type: "cyclegan"; image data with H, W multiples of 4.
  CycleGanModel(std::string type, const DataSpec& spec, const CycleGanOptions& options);

  // Model
  std::string_view type() const override { return type_; }
  std::string hyperparameters() const override;
  Index num_parameters() const override { return generator_store_.size() + discriminator_store_.size(); }
  // Refused: a CycleGAN translates the images it is given (logp translate) and draws none.
  Matrix sample(Index n, Rng& rng) const override;
  void save(const H5Group& g) const override;
  static std::unique_ptr<Model> load(const H5Group& g, const DataSpec& spec);

  // Translator: "A" or domain_a's class number -> domain_a, "B" or domain_b's -> domain_b.
  Index target_class(const std::string& to) const override;
  bool translates(Index label, Index target) const override;
  Matrix translate(ConstMatrixRef x, Index target, Rng& rng) const override;
  // x: [D, n] in the training scale -> G(x) (target B) or F(x) (target A), training scale.
  Matrix translate_training_scale(const Matrix& x, Index target) const;

  // AdversarialGame
  const Model& trained_model() const override { return *this; }
  ParameterStore& parameters(Player p) override { return p == Player::generator ? generator_store_ : discriminator_store_; }
  const ParameterStore& parameters(Player p) const override {
    return p == Player::generator ? generator_store_ : discriminator_store_;
  }
  GameNorms& norms() override { return norms_; }
  const GameNorms& norms() const override { return norms_; }
  void initialize(Rng& rng) override;
  bool conditional() const override { return true; }  // the labels say which domain an example is in
  // Keeps the first 256 domain-A training images for generate_training_scale; refuses a split
  // with fewer than 2 images of either domain.
  void prepare(const DatasetSplit& train) override;
  ShardLoss loss_and_grad(Player player, ConstMatrixRef real, std::span<const std::int64_t> labels, Rng& rng,
                          GameNorms& norms, std::span<float> grad) const override;
  Matrix to_training_scale(ConstMatrixRef x) const override { return scale_.to_training(x); }
  // G applied to the kept domain-A images (the trainer's collapse check); n of them at most.
  Matrix generate_training_scale(Index n, Rng& rng) const override;
  std::string extra_name() const override { return "cycle L1"; }  // per image, per pixel, [-1, 1] units

  const CycleGanOptions& options() const { return options_; }

 private:
  std::string type_;
  CycleGanOptions options_;
  GanDataScale scale_;
  ParameterStore generator_store_, discriminator_store_;
  nn::LayerStack a_to_b_, b_to_a_, critic_a_, critic_b_;
  GameNorms norms_;  // empty: no batch norm
  Matrix preview_;   // [D, <= 256] domain-A training images, training scale (prepare)
};

}  // namespace logp
