#pragma once
// A density model trained by minibatch gradient descent on one flat parameter vector.
#include <span>

#include "logp/model.hpp"
#include "logp/train/parameter_store.hpp"

namespace logp {

class TrainableModel : public DensityModel {
 public:
  // The flat parameter vector. Virtual so that a wrapper (TransformedModel) can expose the
  // parameters of the model it wraps; a plain model keeps its own in parameters_.
  virtual ParameterStore& parameters() { return parameters_; }
  virtual const ParameterStore& parameters() const { return parameters_; }

  // x: D x N. Returns the objective summed over the N columns, in nats (the NLL; for a bound,
  // the negative bound), and ADDS its gradient into grad (parameters().size() floats): never
  // overwrites. Safe to call concurrently on different columns; rng is for stochastic
  // objectives (order-agnostic masks, reparameterized samples).
  virtual double nll_and_grad(ConstMatrixRef x, Rng& rng, std::span<float> grad) const = 0;

  // Draws the initial parameters.
  virtual void initialize(Rng& rng) = 0;

 protected:
  using DensityModel::DensityModel;
  ParameterStore parameters_;
};

}  // namespace logp
