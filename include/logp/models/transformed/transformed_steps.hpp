#pragma once
// The invertible per-dimension map from data x to the input z of a continuous density model,
// applied in this order (each step optional):
//   1. dequantize (discrete data, L levels):  v = (x + u) / L,  u ~ U[0,1)^D;   log|J| = -D ln L
//   2. logit (values in [0, 1]):               y = logit(a + (1 - 2a) v);
//                                              log|dy/dv| = ln(1 - 2a) - ln s - ln(1 - s), s = a + (1-2a) v
//   3. standardize (fitted on train):          z = (y - mean) / std;          log|dz/dy| = -ln std
// so that log p(x) = log p_inner(z) + log|det dz/dx|, on the data's original scale.
//
// Dequantization turns a density on [0, L)^D into a bound on the discrete likelihood:
// log P(x) >= E_u[log p(x + u)] - D ln L. logp draws ONE u per example, from
// example_rng(seed, x) in log_prob (the same value in any batch or thread), or from the training
// RNG in objective_and_grad (fresh noise each epoch); a per-example value is one draw of that bound.
#include <cstdint>
#include <string>

#include "logp/core/rng.hpp"
#include "logp/core/types.hpp"
#include "logp/data/data_spec.hpp"

namespace logp {

class DatasetSplit;
class H5Group;

struct TransformOptions {
  bool dequantize = false;
  std::uint64_t dequantize_seed = 0;  // seeds the per-example noise used by log_prob
  bool logit = false;
  double logit_alpha = 1e-6;          // a: keeps the logit finite at v = 0 and v = 1
  bool standardize = false;
  double min_std = 0.0;               // floor on a fitted std; 0: a constant column is an error

  bool any() const { return dequantize || logit || standardize; }
};

class DataTransform {
 public:
  // Fits the standardization (if asked) on `train`, after dequantization and logit; checks that
  // the options fit the data (dequantize needs discrete data, logit values in [0, 1]).
  static DataTransform fit(const TransformOptions& options, const DatasetSplit& train);
  static DataTransform load(const H5Group& g, const DataSpec& data);  // data: the outer spec
  void save(const H5Group& g) const;

  const TransformOptions& options() const { return options_; }
  const DataSpec& data_spec() const { return data_; }     // what x is (e.g. categorical, 256 levels)
  const DataSpec& output_spec() const { return output_; } // what z is: real, same D and shape
  bool is_identity() const { return !options_.any(); }
  std::string describe() const;  // "dequantize(L=256, seed=0) -> logit(a=1e-06) -> standardize"

  // x: D x N on the data's scale. Returns z (D x N) and sets log_det (N) = log|det dz/dx| in nats,
  // including -D ln L when dequantizing. noise: null draws u from example_rng(seed, column)
  // (reproducible, for log_prob); otherwise u is drawn from *noise in column order (training).
  Matrix forward(ConstMatrixRef x, Vector& log_det, Rng* noise = nullptr) const;
  // z: D x N -> x on the data's scale (dequantized values floored back to 0..L-1).
  Matrix inverse(ConstMatrixRef z) const;
  // Every example of `data` through forward(), D x N (for closed-form fits).
  Matrix forward_split(const DatasetSplit& data) const;

  // One dimension i of steps 2-3 in double: v (after dequantization, or the raw real value)
  // -> z; adds log|dz/dv| to *log_derivative. Exposed for the finite-difference tests.
  double forward_value(Index i, double v, double* log_derivative) const;

 private:
  DataTransform(TransformOptions options, DataSpec data, Vector mean, Vector std);
  void check_logit_input(double v, Index example, Index dim) const;

  TransformOptions options_;
  DataSpec data_;
  DataSpec output_;
  Vector mean_;  // D, of y on train (standardize only; else empty)
  Vector std_;   // D
};

}  // namespace logp
