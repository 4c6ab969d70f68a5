#pragma once
// What the trainer needs of a model, apart from whether it has a density.
//
// Trainable: a flat parameter vector, an initializer, a training objective with its gradient, and
// a per-example validation objective (lower is better) with its name and kind. A density model
// trains on its NLL (TrainableDensity below); the autoencoder trains on a reconstruction error and
// has no density; a GAN will train two players and have none either.
#include <span>
#include <string>

#include "logp/model.hpp"
#include "logp/train/parameter_store.hpp"

namespace logp {

// Names of the objectives, for progress lines and logs.
struct ObjectiveNames {
  std::string train = "NLL";  // e.g. "negative ELBO", "reconstruction error"
  std::string valid = "NLL";
  bool is_likelihood = true;  // false: a score (printed as such, never as an NLL)
};

class Trainable {
 public:
  virtual ~Trainable() = default;

  // The model being trained: its type, hyperparameters and data spec key checkpoints and checks.
  virtual const Model& trained_model() const = 0;

  virtual ParameterStore& parameters() = 0;
  virtual const ParameterStore& parameters() const = 0;

  // Draws the initial parameters.
  virtual void initialize(Rng& rng) = 0;

  // x: D x N. Returns the training objective summed over the N columns (nats for likelihoods:
  // the NLL, or the negative bound) and ADDS its gradient into grad (parameters().size()
  // floats): never overwrites. Safe to call concurrently on different columns; rng is for
  // stochastic objectives (order-agnostic masks, reparameterized samples, dequantization).
  virtual double objective_and_grad(ConstMatrixRef x, Rng& rng, std::span<float> grad) const = 0;

  // x: D x N. N values of the validation objective (lower is better), deterministic and
  // independent of the batch around each column.
  virtual Vector validation_objective(ConstMatrixRef x) const = 0;
  virtual ObjectiveNames objective_names() const = 0;
};

// A density model trained on its negative log-likelihood (or negative bound): the validation
// objective is -log_prob. Keeps the parameters in parameters_.
class TrainableDensity : public DensityModel, public Trainable {
 public:
  const Model& trained_model() const override { return *this; }
  Index num_parameters() const override { return parameters().size(); }
  ParameterStore& parameters() override { return parameters_; }
  const ParameterStore& parameters() const override { return parameters_; }
  Vector validation_objective(ConstMatrixRef x) const override { return -log_prob(x); }
  ObjectiveNames objective_names() const override { return {}; }

 protected:
  using DensityModel::DensityModel;
  ParameterStore parameters_;
};

}  // namespace logp
