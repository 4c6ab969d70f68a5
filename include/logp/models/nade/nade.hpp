#pragma once
// NADE: the neural autoregressive distribution estimator for binary data (Larochelle & Murray
// 2011), with H hidden units, tied encoder weights and one fixed ordering of the dimensions.
// log_prob is exact for that ordering; the computations are in nade_kernel.hpp.
#include <memory>
#include <string>
#include <vector>

#include "logp/models/nade/nade_kernel.hpp"
#include "logp/models/ordering.hpp"
#include "logp/train/trainable.hpp"

namespace logp {

struct NadeOptions {
  Index hidden = 500;
  Activation activation = Activation::sigmoid;
  // "raster" (0, 1, ..., D-1), "random" (a permutation drawn from ordering_seed), or an explicit
  // comma-separated permutation of 0..D-1; "@FILE" reads that list from a file (ordering.hpp).
  std::string ordering = "raster";
  std::uint64_t ordering_seed = 0;
};

// NADE-style models (nade, nade-oa, rnade) use sigmoid or relu hidden units; refuses the others.
void require_nade_activation(Activation activation, const std::string& model);
// The start NADE and RNADE share: every parameter 0, then the encoder W (block w, H x D) ~
// N(0, 1/D) and the output weights V (block v, H rows) ~ N(0, v_gain^2 / H).
void initialize_nade_weights(ParameterStore& params, std::size_t w, std::size_t v, double v_gain, Rng& rng);

class NadeModel : public TrainableDensity {
 public:
  NadeModel(DataSpec spec, NadeOptions options);
  static std::unique_ptr<Model> load(const H5Group& g, const DataSpec& spec);

  std::string_view type() const override { return "nade"; }
  std::string hyperparameters() const override;
  Matrix sample(Index n, Rng& rng) const override;
  void save(const H5Group& g) const override;

  double objective_and_grad(ConstMatrixRef x, Rng& rng, std::span<float> grad) const override;
  void initialize(Rng& rng) override;

  const std::vector<Index>& ordering() const { return order_.permutation(); }
  const NadeOptions& options() const { return options_; }
  NadeWeights<float> weights() const;

 private:
  Vector log_prob_impl(ConstMatrixRef x) const override;

  NadeOptions options_;
  Ordering order_;
  std::size_t w_, v_, b_, c_;  // parameter blocks
};

}  // namespace logp
