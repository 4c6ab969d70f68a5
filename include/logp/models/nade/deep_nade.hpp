#pragma once
// Order-agnostic deep NADE ("nade-oa"; Uria, Murray & Larochelle 2014) for binary data.
//
// One MLP with input concat(x ⊙ m, m), 1 or 2 hidden layers of H units (relu or sigmoid) and D
// output logits models p(x_i | x_observed) for every mask m, hence every ordering at once. The
// computations (and the argument that the training objective is unbiased) are in
// deep_nade_kernel.hpp.
//
// Training minimizes, per example, D/(D-d) * sum over the unobserved dimensions of
// -log p(x_i | x_{o_<d}) with a random ordering o and a random d: an unbiased estimate of the NLL
// averaged over all D! orderings. The reported training NLL is that stochastic estimate.
//
// Evaluation is exact: log_prob is the log of the uniform mixture of the K ordering-specific
// NADEs held in orderings(), log p(x) = log (1/K) sum_k p_{o_k}(x) (each p_{o_k} is normalized, so
// the mixture is too). K = 1 is a single ordering. Ordering 0 comes from `ordering`, orderings
// 1..K-1 are random permutations drawn from ordering_seed, so the ensemble of K contains the
// ensemble of every smaller K. Cost: D network passes per example and ordering (about 2 D H^2
// flops with two layers: 0.39 GFLOP at D=784, H=500).
//
// The first ordering is random by default, not raster: training sees uniformly random masks, and
// a raster prefix (the top rows observed, the rest not) is far from those. Measured on binarized
// Fashion-MNIST after 5 epochs (H=500, 2 layers): raster 183 nats, five random orderings 128-129.
#include <memory>
#include <string>
#include <vector>

#include "logp/models/nade/deep_nade_kernel.hpp"
#include "logp/models/ordering.hpp"
#include "logp/train/trainable.hpp"

namespace logp {

struct DeepNadeOptions {
  Index hidden = 500;
  int layers = 2;                                       // 1 or 2
  Activation activation = Activation::relu;
  int orderings = 1;                                    // K, the evaluation ensemble
  // The first ordering: "random" (from ordering_seed), "raster", "i,j,k,..." or "@FILE", as for nade.
  std::string ordering = "random";
  std::uint64_t ordering_seed = 0;                      // also draws orderings 1..K-1
};

class DeepNadeModel : public TrainableDensity {
 public:
  DeepNadeModel(DataSpec spec, DeepNadeOptions options);
  static std::unique_ptr<Model> load(const H5Group& g, const DataSpec& spec);

  std::string_view type() const override { return "nade-oa"; }
  // e.g. "hidden=500, layers=2, activation=relu, single ordering (random(seed 0))" or
  // "..., ensemble of 4 orderings (raster + 3 random, seed 0)".
  std::string hyperparameters() const override;
  // Exact draws from the mixture: a uniform ordering of the ensemble, then ancestral sampling.
  Matrix sample(Index n, Rng& rng) const override;
  void save(const H5Group& g) const override;

  // The order-agnostic objective above (stochastic through rng), summed over the columns of x.
  double objective_and_grad(ConstMatrixRef x, Rng& rng, std::span<float> grad) const override;
  // relu: He normal, N(0, 2 / fan_in); sigmoid: Glorot uniform. Output layer Glorot uniform,
  // biases 0. Layer 1's fan-in is 2D (values and mask).
  void initialize(Rng& rng) override;

  // Changes the evaluation ensemble to K orderings (ordering 0 kept, the others redrawn from
  // ordering_seed: the same as a model built with K). Training does not depend on it.
  void set_ensemble_size(int orderings);
  const std::vector<std::vector<Index>>& orderings() const { return orderings_; }
  const DeepNadeOptions& options() const { return options_; }
  DeepNadeShape shape() const;
  DeepNadeWeights<float> weights() const;

  // x: D x N. Row k: log p_{o_k}(x_j) in nats for ordering k of orderings(); K x N.
  MatrixD log_prob_each_ordering(ConstMatrixRef x) const;
  // The ensemble of the first k orderings from the rows of log_prob_each_ordering:
  // log (1/k) sum_{r<k} exp(per_ordering(r, j)), one value per column.
  static Vector ensemble_log_prob(const MatrixD& per_ordering, Index k);

 private:
  Vector log_prob_impl(ConstMatrixRef x) const override;
  void load_stored_orderings(const H5Group& g);

  DeepNadeOptions options_;
  Ordering first_;                             // ordering 0, from the ordering option
  std::vector<std::vector<Index>> orderings_;  // K permutations; orderings_[k][t]: dimension at position t
};

}  // namespace logp
