#pragma once
// The (deterministic) autoencoder: encoder MLP x -> code c (L numbers, no activation on the
// code), decoder MLP c -> reconstruction, trained on a reconstruction loss. It defines no
// distribution over x, so it is a ScoringModel: its per-example reconstruction error is a score
// for anomaly detection (larger = more anomalous), never a log-likelihood.
//   binary data: cross-entropy sum_i -(x_i l_i - log(1 + e^{l_i})) from decoder logits l, nats
//                summed over dimensions (the -log p of a Bernoulli "reconstruction", not of x);
//   real data:   squared error sum_i (x_i - r_i)^2 summed over dimensions.
//
// It is Trainable (train/trainable.hpp) with the summed reconstruction error as the training
// objective and the per-example error as the validation objective: the trainer prints it as a
// score, never as an NLL.
#include <memory>
#include <string>
#include <vector>

#include "logp/models/vae/vae_objective.hpp"
#include "logp/train/trainable.hpp"

namespace logp {

struct AutoencoderOptions {
  std::vector<Index> hidden = {500};  // encoder hidden layers; the decoder mirrors them
  Index code = 32;                    // code (bottleneck) size
  Activation activation = Activation::relu;
};

struct AutoencoderNetwork {
  nn::Mlp encoder;  // D -> hidden... -> code
  nn::Mlp decoder;  // code -> hidden (reversed)... -> D
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

class AutoencoderModel final : public ScoringModel, public Trainable, public Encoder {
 public:
  AutoencoderModel(DataSpec spec, AutoencoderOptions options);
  static std::unique_ptr<Model> load(const H5Group& g, const DataSpec& spec);

  std::string_view type() const override { return "autoencoder"; }
  std::string hyperparameters() const override;
  Index num_parameters() const override { return parameters_.size(); }
  Matrix sample(Index n, Rng& rng) const override;  // refused: no distribution
  void save(const H5Group& g) const override;

  std::string_view score_name() const override { return "reconstruction_error"; }
  std::string_view score_unit() const override;

  const Model& trained_model() const override { return *this; }
  ParameterStore& parameters() override { return parameters_; }
  const ParameterStore& parameters() const override { return parameters_; }
  void initialize(Rng& rng) override;
  double objective_and_grad(ConstMatrixRef x, Rng& rng, std::span<float> grad) const override;
  Vector validation_objective(ConstMatrixRef x) const override { return score(x); }
  ObjectiveNames objective_names() const override {
    return {"reconstruction error", "reconstruction error", false};
  }

  // x: [D, N] -> N reconstruction errors (see the header comment).
  Vector reconstruction_error(ConstMatrixRef x) const { return score(x); }
  Matrix encode(ConstMatrixRef x) const override;  // [code, N]
  std::string_view encoding_name() const override { return "autoencoder code"; }
  const AutoencoderNetwork& network() const { return network_; }
  const AutoencoderOptions& options() const { return options_; }

 private:
  Vector score_impl(ConstMatrixRef x) const override;

  AutoencoderOptions options_;
  AutoencoderNetwork network_;
  ParameterStore parameters_;
};

}  // namespace logp
