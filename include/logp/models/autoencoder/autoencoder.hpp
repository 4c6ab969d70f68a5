#pragma once
// The (deterministic) autoencoder: encoder MLP x -> code c (L numbers, no activation on the
// code), decoder MLP c -> reconstruction, trained on a reconstruction loss. It defines no
// distribution over x, so it is a ScoringModel: its per-example reconstruction error is a score
// for anomaly detection (larger = more anomalous), never a log-likelihood.
//   binary data: cross-entropy sum_i -(x_i l_i - log(1 + e^{l_i})) from decoder logits l, nats
//                summed over dimensions (the -log p of a Bernoulli "reconstruction", not of x);
//   real data:   squared error sum_i (x_i - r_i)^2 summed over dimensions.
//
// Training goes through the same trainer as the density models: train_model takes a
// TrainableModel, so the parameters live in an inner AutoencoderObjective, a TrainableModel whose
// nll_and_grad is the reconstruction loss summed over columns and whose log_prob is minus the
// reconstruction error (so the trainer's "validation NLL" is the mean reconstruction error). It
// is an implementation detail of training: tools see the AutoencoderModel and its score.
#include <memory>
#include <string>
#include <vector>

#include "logp/models/vae/vae_network.hpp"
#include "logp/train/trainable.hpp"

namespace logp {

struct AutoencoderOptions {
  std::vector<Index> hidden = {500};  // encoder hidden layers; the decoder mirrors them
  Index code = 32;                    // code (bottleneck) size
  VaeActivation activation = VaeActivation::relu;
};

struct AutoencoderNetwork {
  DenseStack encoder;  // D -> hidden... -> code
  DenseStack decoder;  // code -> hidden (reversed)... -> D
  bool binary = true;  // cross-entropy on logits; false: squared error
};

// Sum over columns of the reconstruction error of x [D, N] on a tape (1x1 node).
template <class T>
ad::BasicVar<T> autoencoder_loss(ad::BasicTape<T>& tape, const AutoencoderNetwork& net,
                                 const std::vector<ParameterBlock>& blocks, std::span<const T> values,
                                 std::span<T> grad, const Eigen::Ref<const ad::MatrixOf<T>>& x) {
  const ad::BasicVar<T> data = tape.constant(x);
  const ad::BasicVar<T> code = net.encoder.forward(tape, data, blocks, values, grad);
  const ad::BasicVar<T> out = net.decoder.forward(tape, code, blocks, values, grad);
  if (net.binary) return ad::scale(ad::sum(ad::bernoulli_log_prob(out, data)), T(-1));
  return ad::sum(ad::square(ad::sub(out, data)));
}

// The trainable inner part (see the header comment).
class AutoencoderObjective final : public TrainableModel {
 public:
  AutoencoderObjective(DataSpec spec, AutoencoderOptions options);

  std::string_view type() const override { return "autoencoder"; }
  std::string hyperparameters() const override;
  Index num_parameters() const override { return parameters().size(); }
  Matrix sample(Index n, Rng& rng) const override;  // refused: no distribution
  void save(const H5Group& g) const override;
  double nll_and_grad(ConstMatrixRef x, Rng& rng, std::span<float> grad) const override;
  void initialize(Rng& rng) override;
  std::string_view value_name() const override { return "negative_reconstruction_error"; }

  // x: [D, N] -> N reconstruction errors (see the header comment).
  Vector reconstruction_error(ConstMatrixRef x) const;
  Matrix encode(ConstMatrixRef x) const;  // [code, N]
  const AutoencoderNetwork& network() const { return network_; }
  const AutoencoderOptions& options() const { return options_; }

 private:
  Vector log_prob_impl(ConstMatrixRef x) const override { return -reconstruction_error(x); }

  AutoencoderOptions options_;
  AutoencoderNetwork network_;
};

class AutoencoderModel final : public ScoringModel {
 public:
  AutoencoderModel(DataSpec spec, AutoencoderOptions options);
  static std::unique_ptr<Model> load(const H5Group& g, const DataSpec& spec);

  std::string_view type() const override { return "autoencoder"; }
  std::string hyperparameters() const override { return objective_.hyperparameters(); }
  Index num_parameters() const override { return objective_.num_parameters(); }
  Matrix sample(Index n, Rng& rng) const override { return objective_.sample(n, rng); }
  void save(const H5Group& g) const override { objective_.save(g); }

  std::string_view score_name() const override { return "reconstruction_error"; }
  std::string_view score_unit() const override;

  // What train_model trains (the parameters live there).
  AutoencoderObjective& trainable() { return objective_; }
  const AutoencoderObjective& trainable() const { return objective_; }
  Matrix encode(ConstMatrixRef x) const { return objective_.encode(x); }

 private:
  Vector score_impl(ConstMatrixRef x) const override { return objective_.reconstruction_error(x); }

  AutoencoderObjective objective_;
};

}  // namespace logp
