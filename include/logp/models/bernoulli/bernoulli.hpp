#pragma once
// Fully factorized Bernoulli over binary examples: p(x) = prod_i p_i^x_i (1 - p_i)^(1 - x_i).
//
// Fit in closed form: p_i = (c_i + alpha) / (N + 2 alpha), the posterior mean under a
// Beta(alpha, alpha) prior, where c_i counts the examples with x_i = 1. alpha = 1 is Laplace
// smoothing; alpha = 0 is the plain MLE (and gives -inf to a value never seen in training).
#include <memory>

#include "logp/model.hpp"

namespace logp {

class DatasetSplit;

class BernoulliModel : public DensityModel {
 public:
  // ones: D counts of x_i = 1 among n examples.
  BernoulliModel(DataSpec spec, const Vector& ones, Index n, double alpha);

  static BernoulliModel fit(const DatasetSplit& train, double alpha);
  static BernoulliModel fit(ConstMatrixRef x, const DataSpec& spec, double alpha);  // x: D x N
  static std::unique_ptr<Model> load(const H5Group& g, const DataSpec& spec);

  std::string_view type() const override { return "bernoulli"; }
  std::string hyperparameters() const override;
  Index num_parameters() const override { return dim(); }
  Matrix sample(Index n, Rng& rng) const override;
  void save(const H5Group& g) const override;

  const Vector& probabilities() const { return p_; }  // D values of p(x_i = 1)

 private:
  BernoulliModel(DataSpec spec, Vector p, double alpha);
  Vector log_prob_impl(ConstMatrixRef x) const override;

  Vector p_;            // D, p(x_i = 1)
  Vector log_odds_;     // D, log p_i - log(1 - p_i)
  double log_q_sum_;    // sum_i log(1 - p_i)
  double alpha_;
};

}  // namespace logp
