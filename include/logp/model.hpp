#pragma once
// The model interfaces. Every model is a distribution over D-dimensional examples (columns);
// density models answer with per-example log-likelihoods in nats.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "logp/core/rng.hpp"
#include "logp/core/types.hpp"
#include "logp/data/data_spec.hpp"

namespace logp {

class H5Group;

// What a log_prob value is: the exact log-likelihood, a lower bound on it (the VAE's ELBO),
// or a stochastic estimate (importance-weighted). Tools print it beside every number.
enum class LikelihoodKind { exact, lower_bound, estimate };
std::string_view to_string(LikelihoodKind kind);

// A distribution over examples described by data_spec() (kind, levels, D, image shape).
class Model {
 public:
  virtual ~Model() = default;

  virtual std::string_view type() const = 0;        // "bernoulli", "markov", ...
  virtual std::string hyperparameters() const = 0;  // one line, e.g. "order=2, alpha=1"
  virtual Index num_parameters() const = 0;         // free parameters (trainable models: the flat store's size)
  virtual Matrix sample(Index n, Rng& rng) const = 0;  // D x n
  // Writes hyperparameters and parameters into g; read back by the registry (registry.hpp).
  virtual void save(const H5Group& g) const = 0;

  const DataSpec& data_spec() const { return spec_; }
  Index dim() const { return spec_.dim; }

 protected:
  explicit Model(DataSpec spec) : spec_(std::move(spec)) {}

 private:
  DataSpec spec_;
};

// Per-example values never depend on the batch around them: the public calls below hand the hooks
// blocks of exactly kEvaluationBlock columns (the last one padded with copies of its first
// column), so every GEMM a model runs has the same width whatever N is, and a column's value is
// the same alone, in any batch and on any thread (Eigen picks other kernels, hence other
// rounding, for other widths).
inline constexpr Index kEvaluationBlock = 32;

// A model whose likelihood can be computed or bounded.
class DensityModel : public Model {
 public:
  // x: D x N. Returns N values in nats. Checks D, then calls log_prob_impl on fixed-width blocks
  // (TFP-style: the public call validates, the private hook computes). Safe to call from several
  // threads at once.
  Vector log_prob(ConstMatrixRef x) const;
  virtual LikelihoodKind likelihood_kind() const { return LikelihoodKind::exact; }
  // The name of the per-example value in outputs: "log_prob", or the bound's name ("elbo").
  virtual std::string_view value_name() const { return "log_prob"; }

 protected:
  using Model::Model;
  // x: D x kEvaluationBlock.
  virtual Vector log_prob_impl(ConstMatrixRef x) const = 0;
};

// A model that scores examples without a likelihood (the autoencoder's reconstruction error).
// Larger means more anomalous; tools print it as a score, never as a log-likelihood.
class ScoringModel : public Model {
 public:
  // x: D x N. Returns N scores in the unit score_unit() names (fixed-width blocks, as log_prob).
  Vector score(ConstMatrixRef x) const;
  virtual std::string_view score_name() const = 0;  // e.g. "reconstruction_error"
  virtual std::string_view score_unit() const = 0;  // e.g. "squared error summed over dimensions"

 protected:
  using Model::Model;
  // x: D x kEvaluationBlock.
  virtual Vector score_impl(ConstMatrixRef x) const = 0;
};

// Capabilities a model may add to the above (tools look for them instead of concrete types).

// A latent representation: the VAE's mean of q(z|x), the autoencoder's code.
class Encoder {
 public:
  virtual ~Encoder() = default;
  virtual Matrix encode(ConstMatrixRef x) const = 0;         // x: D x N -> L x N
  virtual std::string_view encoding_name() const = 0;        // e.g. "mean of q(z|x)"
};

// How a density model with several estimators of log p(x) evaluates (logp score --estimator).
struct EstimatorSettings {
  std::string estimator = "elbo";  // e.g. "elbo" | "iwae"
  Index samples = 1;               // draws per example (IWAE: k)
  std::uint64_t seed = 0;          // with the example's content, fixes its draws
  Index sample_chunk = 512;        // draws evaluated per pass (memory; the value up to float rounding)
};

class SelectableEstimator {
 public:
  virtual ~SelectableEstimator() = default;
  // Throws an Error naming the estimator if it is not one of this model's.
  virtual void select_estimator(const EstimatorSettings& settings) = 0;
  // One line for outputs, e.g. "iwae, k=5000 importance samples per example (seed 0): ...".
  virtual std::string estimator_description() const = 0;
};

// A scoring model with several named scores (geom: geom, feature-density, combined). The one
// score() gives is chosen at fit time and saved; `logp anomaly --model-score NAME` selects
// another for one run (not saved; an error for other models).
class SelectableScore {
 public:
  virtual ~SelectableScore() = default;
  virtual std::vector<std::string> score_names() const = 0;
  // Throws an Error naming the score and the choices unless it is one of score_names().
  virtual void select_score(const std::string& name) = 0;
};

}  // namespace logp
