#pragma once
// The model interfaces. Every model is a distribution over D-dimensional examples (columns);
// density models answer with per-example log-likelihoods in nats.
#include <memory>
#include <string>
#include <string_view>

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
  virtual Index num_parameters() const = 0;         // free parameters
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

// A model whose likelihood can be computed or bounded.
class DensityModel : public Model {
 public:
  // x: D x N. Returns N values in nats. Checks D, then calls log_prob_impl (TFP-style: the public
  // call validates, the private hook computes). Safe to call from several threads at once.
  Vector log_prob(ConstMatrixRef x) const;
  virtual LikelihoodKind likelihood_kind() const { return LikelihoodKind::exact; }
  // The name of the per-example value in outputs: "log_prob", or the bound's name ("elbo").
  virtual std::string_view value_name() const { return "log_prob"; }

 protected:
  using Model::Model;
  virtual Vector log_prob_impl(ConstMatrixRef x) const = 0;
};

// A model that scores examples without a likelihood (the autoencoder's reconstruction error).
// Larger means more anomalous; tools print it as a score, never as a log-likelihood.
class ScoringModel : public Model {
 public:
  // x: D x N. Returns N scores in the unit score_unit() names.
  Vector score(ConstMatrixRef x) const;
  virtual std::string_view score_name() const = 0;  // e.g. "reconstruction_error"
  virtual std::string_view score_unit() const = 0;  // e.g. "squared error summed over dimensions"

 protected:
  using Model::Model;
  virtual Vector score_impl(ConstMatrixRef x) const = 0;
};

}  // namespace logp
