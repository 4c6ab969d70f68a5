#pragma once
// InfoGAN (Chen et al. 2016): a GAN whose generator also reads latent codes c, and whose
// discriminator also predicts them from the example (the auxiliary distribution Q(c|x) sharing
// the discriminator's layers). Maximizing a lower bound on the mutual information I(c; G(z, c))
// makes the codes control salient factors of the data (for images of 10 classes, a categorical
// code of 10 values often follows the class). An implicit model: it samples, with no density.
//
// Generator input: [z; one-hot(k); u], z ~ N(0, I_latent), k uniform on {0..K-1}, u uniform on
// [-1, 1]^C. Discriminator outputs (1 + K + C rows): the real/fake logit, Q's K categorical
// logits, Q's C means of a unit-variance Gaussian over u.
// Information loss L_I (per example; minimizing it maximizes the bound up to a constant):
//   -log softmax(logits)_k  +  continuous_weight * sum_c (u_c - mean_c)^2 / 2
// (the Gaussian NLL without its constant). Losses, on fakes' codes:
//   D: softplus(-d_real) + softplus(d_fake) + info_weight * L_I   (Q trains with D)
//   G: softplus(-d_fake) + info_weight * L_I                     (non-saturating)
// The trainer reports L_I as the "information loss".
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "logp/autodiff/tape.hpp"
#include "logp/models/gan/network_game.hpp"

namespace logp {

struct InfoGanOptions {
  GanNetworkOptions network;
  Index categories = 10;           // K
  Index continuous = 2;            // C
  double info_weight = 1.0;        // lambda
  double continuous_weight = 0.1;  // the continuous codes' share of L_I (Chen et al. use 0.1)
};

// q: [K + C, n] (Q's logits then means), codes: [K + C, n] (one-hot then continuous values)
// -> [1, 1], L_I summed over the n examples.
template <class T>
ad::BasicVar<T> information_loss(ad::BasicVar<T> q, ad::BasicVar<T> codes, Index categories, T continuous_weight);

class InfoGanModel final : public NetworkGame {
 public:
  InfoGanModel(std::string type, DataSpec spec, const InfoGanOptions& options);

  std::string hyperparameters() const override;
  // D x n in the data's values; column j draws z, k and u (and the Bernoulli/level rounding) from
  // its own stream rng.split(j), so the first k of n samples are sample(k).
  Matrix sample(Index n, Rng& rng) const override;
  void save(const H5Group& g) const override;
  static std::unique_ptr<Model> load(const H5Group& g, const DataSpec& spec);

  // AdversarialGame (the rest: NetworkGame)
  ShardLoss loss_and_grad(Player player, ConstMatrixRef real, std::span<const std::int64_t> labels, Rng& rng,
                          GameNorms& norms, std::span<float> grad) const override;
  Matrix generate_training_scale(Index n, Rng& rng) const override;
  std::string extra_name() const override { return "information loss"; }

  // [latent + K + C, n] generator inputs, drawn column by column (z, then k, then u).
  Matrix draw_inputs(Index n, Rng& rng) const;
  // x: D x n in the data's values -> the code Q predicts for each (argmax of the K logits).
  std::vector<Index> predict_codes(ConstMatrixRef x) const;
  // K x n_per_row examples in the data's values: row r (columns r*n_per_row ...) has code r; column
  // c of every row shares its z and u (drawn from rng.split(c)). For write_png_grid with
  // n_per_row columns.
  Matrix code_grid(Index n_per_row, Rng& rng) const;

  const InfoGanOptions& options() const { return options_; }

 private:
  InfoGanOptions options_;
};

// How well a categorical code matches classes: the fraction of examples whose code maps to their
// class under the best one-to-one code-to-class matching (Hungarian algorithm on the confusion
// matrix). Codes matched to no class (K > classes) count as wrong.
struct CodeAccuracy {
  double accuracy = 0.0;
  std::vector<Index> class_of_code;  // K entries, -1: unmatched
  MatrixD confusion;                 // K x classes counts
};
CodeAccuracy matched_code_accuracy(const std::vector<Index>& codes, const std::vector<std::int64_t>& labels,
                                   Index categories);
// Q's codes of x (D x n, the data's values) against labels (n class indices >= 0).
CodeAccuracy categorical_code_accuracy(const InfoGanModel& model, ConstMatrixRef x,
                                       const std::vector<std::int64_t>& labels);

}  // namespace logp
