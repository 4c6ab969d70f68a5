#pragma once
// The semi-supervised GAN (Salimans et al. 2016, section 5; Odena 2016): a discriminator with K
// class logits l(x) (the logit of the K+1-th class, "fake", fixed at 0) trained on a few labelled
// examples and on the unlabelled rest, against a generator. It samples like a GAN and is a
// classifier (argmax_k l_k(x)); it has no density.
//
// With Z(x) = sum_k exp(l_k(x)) and lse = log Z (ad::log_sum_exp):
//   p(real | x) = Z / (Z + 1) = sigmoid(lse),  p(k | x, real) = softmax(l)_k.
// Discriminator, on a shard of n real examples, n generated ones and n labelled ones:
//   unsupervised: -log p(real | x) - log p(fake | G(z)) = softplus(-lse(x)) + softplus(lse(G(z)))
//     (the GAN's non-saturating discriminator loss with lse as its logit);
//   supervised:   -log p(y | x, real) = -log_softmax(l(x))_y over the labelled examples.
// Generator, one of (--generator-loss):
//   feature-matching (the default; Salimans et al.'s choice for their semi-supervised results):
//     with f(x) the discriminator's penultimate layer (its activations before the final linear
//     layer, LayerStack::forward_prefix) and the means over the shard's n real and n generated
//     examples,  n || mean_x f(x) - mean_z f(G(z)) ||^2.  The real features enter as constants
//     (no gradient); the factor n makes it a sum over the shard like every other loss, so the
//     trainer's division by the batch size gives the mean of the shards' squared distances (for
//     a batch of one shard, exactly Salimans et al.'s loss). Gradients are per shard, so the
//     means are over the shard, not the whole batch.
//   non-saturating (Goodfellow et al. 2014; better samples, a worse classifier according to
//     Salimans et al.):  -log p(real | G(z)) = softplus(-lse(G(z))).
// Every other loss is summed over its examples.
//
// The labelled pool: prepare() reads the training split's labels and keeps, for each class,
// `labels_per_class` examples chosen by a seeded shuffle (all of a class that has fewer). Each
// shard draws its n labelled examples uniformly with replacement from the pool, with the
// shard's generator, after its latents.
//
// --supervised-only is the baseline of the same discriminator on the same labelled examples and
// seed: the discriminator's loss is the supervised term alone, the generator is left as
// initialized (its loss is 0 and its gradient empty).
//
// The discriminator's regularizers (Salimans et al. 2016: Gaussian noise on its input and on each
// hidden layer's input, dropout; GanNetworkOptions) act in training only, in every one of its
// passes (labelled, real, generated, the generator's feature matching) and in the baseline's
// alike; classify() uses the clean network. Their draws come from split "NOISE" of the shard's
// stream, taken after the shard's latents and labelled draws, in the order the passes run
// (labelled, real, generated), so they are fixed by (seed, step, shard) for any thread count, and
// the baseline draws the same noise on its labelled examples as the semi-supervised model.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "logp/autodiff/tape.hpp"
#include "logp/models/classifier.hpp"
#include "logp/models/gan/network_game.hpp"

namespace logp {

enum class SganGeneratorLoss { feature_matching, non_saturating };
std::string sgan_generator_loss_name(SganGeneratorLoss loss);  // "feature-matching" | "non-saturating"
SganGeneratorLoss parse_sgan_generator_loss(const std::string& text);

struct SganOptions {
  GanNetworkOptions network;
  SganGeneratorLoss generator_loss = SganGeneratorLoss::feature_matching;  // files without it: non-saturating
  Index classes = 0;              // K (the fit sets it from the training labels: max label + 1)
  Index labels_per_class = 100;   // N
  bool supervised_only = false;   // the baseline: adversarial terms off
  std::uint64_t label_seed = 0;   // which examples are labelled (the fit sets it to --seed)
};

// The losses above on logits (one column per example), each [1, 1].
// real, fake: [K, n], [K, m].
template <class T>
ad::BasicVar<T> sgan_unsupervised_loss(ad::BasicVar<T> real, ad::BasicVar<T> fake);
// The non-saturating generator loss; fake: [K, m].
template <class T>
ad::BasicVar<T> sgan_generator_loss(ad::BasicVar<T> fake);
// The feature-matching generator loss, m || mean of real's columns - mean of fake's ||^2;
// real: [F, n] (the caller passes them as constants), fake: [F, m].
template <class T>
ad::BasicVar<T> sgan_feature_matching_loss(ad::BasicVar<T> real, ad::BasicVar<T> fake);
// logits: [K, n]; labels: n values in [0, K).
template <class T>
ad::BasicVar<T> sgan_supervised_loss(ad::BasicVar<T> logits, std::span<const std::int64_t> labels);

// The labelled pool: for each class k < classes, up to per_class indices of labels equal to k,
// chosen by a shuffle seeded with (seed, k); returned in increasing order. Throws if a label is
// outside [0, classes).
std::vector<Index> choose_labelled_examples(std::span<const std::int64_t> labels, Index classes, Index per_class,
                                            std::uint64_t seed);

class SganModel final : public NetworkGame, public Classifier {
 public:
  // type: "sgan". options.classes must be set (>= 2).
  SganModel(std::string type, DataSpec spec, const SganOptions& options);

  std::string hyperparameters() const override;
  Matrix sample(Index n, Rng& rng) const override;
  void save(const H5Group& g) const override;
  static std::unique_ptr<Model> load(std::string type, const H5Group& g, const DataSpec& spec);

  // Classifier: argmax of the K logits (running batch-norm statistics, fixed blocks; ties to the
  // lowest class).
  std::vector<std::int64_t> classify(ConstMatrixRef x) const override;
  Index classes() const override { return options_.classes; }

  // AdversarialGame (the rest: NetworkGame)
  ShardLoss loss_and_grad(Player player, ConstMatrixRef real, std::span<const std::int64_t> labels, Rng& rng,
                          GameNorms& norms, std::span<float> grad) const override;
  Matrix generate_training_scale(Index n, Rng& rng) const override;
  std::string extra_name() const override { return "supervised_loss"; }
  // Reads train's labels and chooses the labelled pool (choose_labelled_examples); refuses a split
  // without labels or with labels outside [0, K).
  void prepare(const DatasetSplit& train) override;

  const SganOptions& options() const { return options_; }
  // The training-split indices of the labelled pool (empty before prepare(); kept in the file).
  const std::vector<Index>& labelled_indices() const { return labelled_indices_; }

 private:
  SganOptions options_;
  std::vector<Index> labelled_indices_;
  Matrix labelled_x_;                     // D x M, training scale (only during training)
  std::vector<std::int64_t> labelled_y_;  // M
};

// The K (max label + 1) of a training split's labels; refuses a split without labels, with a
// negative label, or with fewer than 2 classes.
Index classes_of_labels(const DatasetSplit& train);

}  // namespace logp
