#pragma once
// The variational autoencoder (Kingma & Welling 2014): encoder q(z|x) a diagonal Gaussian from an
// MLP, prior N(0, I), decoder p(x|z) an MLP into Bernoulli logits (binary data) or Gaussian means
// and log sigmas (real data). Trained on the ELBO (analytic KL, one reparameterized sample per
// example) or on the IWAE bound with k samples (Burda et al. 2016); the gradient comes from the
// tape (vae_objective.hpp), one tape per shard, the draws from the shard's rng.
//
// log_prob is NOT the log-likelihood: it returns the estimator set by set_estimator():
//   elbo (default): the ELBO, averaged over `samples` reparameterized draws; likelihood_kind()
//     lower_bound (its expectation is a lower bound on log p(x)); value_name() "elbo".
//   iwae: log (1/k) sum_s p(x, z_s) / q(z_s|x), k = samples; likelihood_kind() estimate (a
//     stochastic estimate of log p(x) whose expectation is a lower bound that tightens as k
//     grows); value_name() "iwae".
// The draws of an example come from example_rng(seed, x): the value is reproducible and the same
// whatever the batch or thread that computes it. Evaluation runs without a tape (vae_estimate.hpp).
#include <memory>
#include <string>
#include <vector>

#include "logp/models/vae/vae_objective.hpp"
#include "logp/train/trainable.hpp"

namespace logp {

struct VaeOptions {
  std::vector<Index> hidden = {500, 500};  // encoder hidden layers; the decoder mirrors them
  Index latent = 50;
  Activation activation = Activation::relu;
  std::string likelihood;                  // empty: from the data (binary: bernoulli, real: gaussian)
  VaeBound objective = VaeBound::elbo;     // training objective
  Index train_samples = 1;                 // k of the IWAE objective (elbo: 1)
};

struct VaeEstimator {
  VaeBound bound = VaeBound::elbo;
  Index samples = 1;         // ELBO: draws averaged per example; IWAE: k
  std::uint64_t seed = 0;    // with the example's content, fixes its draws
  Index sample_chunk = 512;  // decoder columns per pass: memory is O(chunk x width), whatever k
};

std::vector<Index> parse_layer_sizes(const std::string& text, const std::string& option);  // "500,500"
std::string layer_sizes_text(const std::vector<Index>& sizes);
VaeBound parse_vae_bound(const std::string& text);  // "elbo" | "iwae"
std::string_view to_string(VaeBound bound);

class VaeModel : public TrainableDensity, public SelectableEstimator, public Encoder {
 public:
  VaeModel(DataSpec spec, VaeOptions options);
  static std::unique_ptr<Model> load(const H5Group& g, const DataSpec& spec);

  std::string_view type() const override { return "vae"; }
  std::string hyperparameters() const override;
  // Decodes z ~ N(0, I) and draws x ~ p(x|z).
  Matrix sample(Index n, Rng& rng) const override;
  void save(const H5Group& g) const override;

  double objective_and_grad(ConstMatrixRef x, Rng& rng, std::span<float> grad) const override;
  void initialize(Rng& rng) override;

  LikelihoodKind likelihood_kind() const override;
  // Early stopping watches the validation ELBO (one draw per example, the default estimator).
  ObjectiveNames objective_names() const override {
    return {options_.objective == VaeBound::elbo ? "negative ELBO" : "negative IWAE bound", "negative ELBO"};
  }
  std::string_view value_name() const override { return to_string(estimator_.bound); }
  void set_estimator(const VaeEstimator& estimator);
  const VaeEstimator& estimator() const { return estimator_; }
  void select_estimator(const EstimatorSettings& settings) override;  // "elbo" | "iwae"
  std::string estimator_description() const override;

  // x: [D, N] -> the means of q(z|x), [L, N].
  Matrix encode(ConstMatrixRef x) const override;
  std::string_view encoding_name() const override { return "mean of q(z|x)"; }
  const VaeNetwork& network() const { return network_; }
  const VaeOptions& options() const { return options_; }

 private:
  Vector log_prob_impl(ConstMatrixRef x) const override;

  VaeOptions options_;
  VaeNetwork network_;
  VaeEstimator estimator_;
};

}  // namespace logp
