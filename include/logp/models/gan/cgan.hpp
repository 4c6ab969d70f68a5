#pragma once
// The conditional GAN and text-to-image GAN (Mirza & Osindero 2014; Reed et al. 2016, in small):
// generator and discriminator conditioned on a class, given as a label (one-hot) or as a short
// description (a bag of words over a fixed vocabulary, models/gan/text_condition.hpp).
//
// Condition c: [V] = one-hot(label) (V = K classes; --condition label) or the bag of words of a
// description (V = vocabulary size; --condition text). In training a real example of class y
// takes a description drawn uniformly from y's training wordings.
//   generator:     [z; c] -> example (the GanNetworks generator with latent + V inputs: its first
//                  layer embeds c linearly, the generator's own text encoder)
//   discriminator: D(x, c) = o_0(x) + <o_{1..E}(x), W c + b>  (a projection discriminator,
//                  Miyato & Koyama 2018): the GanNetworks discriminator with 1 + E outputs o(x),
//                  and the discriminator's text encoder, the linear embedding W c + b ([E]).
// Each player's encoder trains with its own loss (jointly with its network).
// Losses (logits; the matching-aware discriminator, Reed et al.'s GAN-CLS, weight m):
//   D: softplus(-D(x, c)) + m softplus(D(x, c_wrong)) + (1 - m) softplus(D(G(z, c), c))
//   G: softplus(-D(G(z, c), c))                          (non-saturating)
// c_wrong: the condition of a class other than y, drawn uniformly (and a wording of it). m = 0.5
// is GAN-CLS; m = 0 is the plain conditional GAN. Fakes are conditioned on the real shard's
// classes, so they follow the data's class frequencies.
// An implicit model: it samples (random classes, or a given label or text), with no density.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "logp/autodiff/tape.hpp"
#include "logp/models/conditional_sampler.hpp"
#include "logp/models/gan/network_game.hpp"
#include "logp/models/gan/text_condition.hpp"

namespace logp {

enum class ConditionKind { label, text };
std::string condition_kind_name(ConditionKind kind);  // "label" | "text"
ConditionKind parse_condition_kind(const std::string& text);

struct CganOptions {
  GanNetworkOptions network;
  ConditionKind condition = ConditionKind::text;
  Index classes = 0;             // K (the fit sets it from the training labels: max label + 1)
  Index embedding = 32;          // E, the discriminator's projection size
  double mismatch_weight = 0.5;  // m above (0: a plain conditional GAN)
  // text: the wordings of classes 0..K-1 (the fit takes Fashion-MNIST's, restricted to K classes)
  ClassDescriptions descriptions;
};

// D(x, c) = o_0 + <o_{1..E}, e>: outputs [1 + E, n], embedding [E, n] -> [1, n].
template <class T>
ad::BasicVar<T> projection_logit(ad::BasicVar<T> outputs, ad::BasicVar<T> embedding);
// The matching-aware discriminator loss above, d_*: [1, n] -> [1, 1], summed over the n examples.
template <class T>
ad::BasicVar<T> matching_aware_loss(ad::BasicVar<T> d_real, ad::BasicVar<T> d_wrong, ad::BasicVar<T> d_fake,
                                    T mismatch_weight);

class ConditionalGanModel final : public NetworkGame, public ConditionalSampler {
 public:
  // type: "cgan". options.classes >= 2; text: every class has a training wording.
  ConditionalGanModel(std::string type, DataSpec spec, const CganOptions& options);

  std::string hyperparameters() const override;
  // Random classes (uniform), then as sample_label; column j from rng.split(j).
  Matrix sample(Index n, Rng& rng) const override;
  void save(const H5Group& g) const override;
  static std::unique_ptr<Model> load(const H5Group& g, const DataSpec& spec);

  // ConditionalSampler. sample_label: text models draw a training wording of the class per column.
  Index classes() const override { return options_.classes; }
  Matrix sample_label(Index label, Index n, Rng& rng) const override;
  Matrix sample_text(const std::string& text, Index n, Rng& rng) const override;

  // AdversarialGame (the rest: NetworkGame)
  bool conditional() const override { return true; }
  void initialize(Rng& rng) override;
  ShardLoss loss_and_grad(Player player, ConstMatrixRef real, std::span<const std::int64_t> labels, Rng& rng,
                          GameNorms& norms, std::span<float> grad) const override;
  Matrix generate_training_scale(Index n, Rng& rng) const override;
  std::string extra_name() const override { return "D(x, wrong condition)"; }

  const CganOptions& options() const { return options_; }
  const Vocabulary& vocabulary() const { return vocabulary_; }
  Index condition_size() const;  // V
  // [V] the condition of class label: one-hot, or the bag of a training wording drawn from rng.
  VectorF draw_condition(Index label, Rng& rng) const;
  // conditions: [V, n] -> D x n examples in the data's values; column j draws z (and any
  // rounding) from rng.split(j).
  Matrix sample_conditions(const Matrix& conditions, Rng& rng) const;

 private:
  CganOptions options_;
  Vocabulary vocabulary_;                           // text: of the training wordings
  Matrix wording_bags_;                             // text: [V, W], one column per training wording
  std::vector<std::vector<Index>> class_wordings_;  // text: per class, its wordings' columns
  nn::LayerStack condition_;                        // the discriminator's text encoder: V -> E
};

}  // namespace logp
