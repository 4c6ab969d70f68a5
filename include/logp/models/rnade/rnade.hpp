#pragma once
// RNADE: the real-valued neural autoregressive density estimator (Uria, Murray & Larochelle
// 2013). Each conditional p(x_d | x_<d) is a mixture of K Gaussians whose logits, means and
// log-scales come from NADE's shared hidden layer; H hidden units, one fixed ordering.
// log_prob is an exact log density (nats, in the data's units) for that ordering; the
// computations are in rnade_kernel.hpp.
#include <memory>
#include <string>
#include <vector>

#include "logp/models/ordering.hpp"
#include "logp/models/rnade/rnade_kernel.hpp"
#include "logp/train/trainable.hpp"

namespace logp {

struct RnadeOptions {
  Index hidden = 100;
  Index components = 10;                             // K, Gaussians per conditional
  Activation activation = Activation::relu;  // the paper's choice
  double min_scale = 1e-3;  // floor on every sigma, in the data's units (standardized data: 1e-3)
  // As NadeOptions: "raster", "random" (from ordering_seed), "i,j,k,..." or "@FILE" (ordering.hpp).
  std::string ordering = "raster";
  std::uint64_t ordering_seed = 0;
};

class RnadeModel : public TrainableDensity {
 public:
  RnadeModel(DataSpec spec, RnadeOptions options);
  static std::unique_ptr<Model> load(const H5Group& g, const DataSpec& spec);

  std::string_view type() const override { return "rnade"; }
  std::string hyperparameters() const override;
  // Ancestral sampling along the ordering: D x n.
  Matrix sample(Index n, Rng& rng) const override;
  void save(const H5Group& g) const override;

  double objective_and_grad(ConstMatrixRef x, Rng& rng, std::span<float> grad) const override;
  void initialize(Rng& rng) override;

  const std::vector<Index>& ordering() const { return order_.permutation(); }
  const RnadeOptions& options() const { return options_; }
  RnadeWeights<float> weights() const;

 private:
  Vector log_prob_impl(ConstMatrixRef x) const override;
  RnadeShape shape() const { return {options_.components, options_.activation, options_.min_scale}; }

  RnadeOptions options_;
  Ordering order_;
  std::size_t w_, v_, b_, c_, rho_;  // parameter blocks
};

}  // namespace logp
