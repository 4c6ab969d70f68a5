#pragma once
// A full-covariance multivariate normal over real examples, fitted in closed form:
//   mean = (1/N) sum_n x_n,  covariance = (1/N) sum_n (x_n - mean)(x_n - mean)^T + ridge * I
// (the maximum-likelihood estimate, plus an optional ridge that makes a constant or collinear
// dimension usable). log_prob is exact (gaussian_factor.hpp).
#include <memory>

#include "logp/model.hpp"
#include "logp/models/classic/gaussian_factor.hpp"

namespace logp {

class GaussianModel : public DensityModel {
 public:
  GaussianModel(DataSpec spec, GaussianFactor factor, double ridge);

  // x: D x N real examples (N >= 1). ridge >= 0 is added to the covariance's diagonal.
  static GaussianModel fit(ConstMatrixRef x, const DataSpec& spec, double ridge);
  static std::unique_ptr<Model> load(const H5Group& g, const DataSpec& spec);

  std::string_view type() const override { return "gaussian"; }
  std::string hyperparameters() const override;
  Index num_parameters() const override { return dim() + dim() * (dim() + 1) / 2; }
  Matrix sample(Index n, Rng& rng) const override;
  void save(const H5Group& g) const override;

  const GaussianFactor& factor() const { return factor_; }

 private:
  Vector log_prob_impl(ConstMatrixRef x) const override;

  GaussianFactor factor_;
  double ridge_;
};

}  // namespace logp
