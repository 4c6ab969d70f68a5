#pragma once
// StarGAN (Choi et al. 2018), in small: one generator translates an image into any of the K
// classes of a labelled dataset (each class a domain), one discriminator judges real/fake per
// patch and classifies the domain.
//
// Players (models/gan/translation_networks.hpp), for an image x and a target class t:
//   generator:     G(x, t) = body(conv(x) + E onehot(t)): the encoder-decoder of CycleGAN whose
//                  first conv output ([(H/2)(W/2)C]) gets a learned map of the target class added,
//                  E: [K] -> [(H/2)(W/2)C] ("target"; the same family of functions as
//                  concatenating one-hot channels to the image before the first conv)
//   discriminator: a PatchGAN trunk ([(H/4)(W/4)2C] features), a patch head ("critic_source",
//                  a grid of P real/fake outputs) and a class head ("critic_class", linear -> K
//                  logits)
// Losses, per shard (images x of classes y, targets t drawn uniformly among the other K - 1
// classes from the shard's stream; models/gan/translation_loss.hpp), summed over images:
//   D: ls(src(x), 1, 1/2) + ls(src(G(x, t)), 0, 1/2) + lambda_cls ce(cls(x), y)
//   G: ls(src(G(x, t)), 1, 1) + lambda_cls ce(cls(G(x, t)), t) + lambda_rec l1(G(G(x, t), y), x)
// Least squares on the patches (the paper: WGAN-GP), lambda_rec = cycle_weight (10), lambda_cls =
// class_weight (1). An implicit model that draws no samples: it translates (Translator).
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "logp/models/gan/adversarial_game.hpp"
#include "logp/models/gan/gan_networks.hpp"
#include "logp/models/translator.hpp"

namespace logp {

struct StarGanOptions {
  Index classes = 0;           // K >= 2 (the fit: max training label + 1)
  Index channels = 32;         // C
  double cycle_weight = 10.0;  // lambda_rec
  double class_weight = 1.0;   // lambda_cls
};

class StarGanModel final : public Model, public AdversarialGame, public Translator {
 public:
  StarGanModel(std::string type, const DataSpec& spec, const StarGanOptions& options);

  // Model
  std::string_view type() const override { return type_; }
  std::string hyperparameters() const override;
  Index num_parameters() const override { return generator_store_.size() + discriminator_store_.size(); }
  Matrix sample(Index n, Rng& rng) const override;  // refused: use logp translate
  void save(const H5Group& g) const override;
  static std::unique_ptr<Model> load(const H5Group& g, const DataSpec& spec);

  // Translator: `to` is a class number in [0, K); every other class translates into it.
  Index target_class(const std::string& to) const override;
  bool translates(Index label, Index target) const override;
  Matrix translate(ConstMatrixRef x, Index target, Rng& rng) const override;
  // x: [D, n] training scale, targets: n classes -> [D, n] training scale (running mode).
  Matrix translate_training_scale(const Matrix& x, std::span<const std::int64_t> targets) const;
  // The class head's logits on x ([D, n] training scale) -> [K, n].
  Matrix classify_training_scale(const Matrix& x) const;

  // AdversarialGame
  const Model& trained_model() const override { return *this; }
  ParameterStore& parameters(Player p) override { return p == Player::generator ? generator_store_ : discriminator_store_; }
  const ParameterStore& parameters(Player p) const override {
    return p == Player::generator ? generator_store_ : discriminator_store_;
  }
  GameNorms& norms() override { return norms_; }
  const GameNorms& norms() const override { return norms_; }
  void initialize(Rng& rng) override;
  bool conditional() const override { return true; }
  // Keeps the first 256 training images and their labels for generate_training_scale.
  void prepare(const DatasetSplit& train) override;
  ShardLoss loss_and_grad(Player player, ConstMatrixRef real, std::span<const std::int64_t> labels, Rng& rng,
                          GameNorms& norms, std::span<float> grad) const override;
  Matrix to_training_scale(ConstMatrixRef x) const override { return scale_.to_training(x); }
  // The kept images translated into class (y + 1) mod K (the trainer's collapse check).
  Matrix generate_training_scale(Index n, Rng& rng) const override;
  std::string extra_name() const override { return "cycle L1"; }

  const StarGanOptions& options() const { return options_; }

 private:
  // G(x, t) on the tape: x [D, n], one_hot [K, n] constants or nodes -> [D, n].
  ad::Var generate(ad::Tape& tape, ad::Var x, ad::Var one_hot, std::span<float> grad) const;
  Matrix one_hot(std::span<const std::int64_t> classes) const;  // [K, n]

  std::string type_;
  StarGanOptions options_;
  GanDataScale scale_;
  ParameterStore generator_store_, discriminator_store_;
  nn::LayerStack first_, target_, body_;    // generator
  nn::LayerStack trunk_, source_, class_;  // discriminator
  GameNorms norms_;  // empty: no batch norm
  Matrix preview_;   // [D, <= 256] training images, training scale (prepare)
  std::vector<std::int64_t> preview_labels_;
};

}  // namespace logp
