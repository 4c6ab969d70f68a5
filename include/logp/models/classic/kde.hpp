#pragma once
// Kernel density estimate with an isotropic Gaussian kernel of bandwidth h over N stored points:
//   log p(x) = log sum_n exp(-||x - p_n||^2 / (2 h^2)) - ln N - D ln h - D/2 ln(2 pi),
// evaluated exactly (every point, no tree or cutoff): squared distances come from one GEMM per
// block of examples (||x||^2 + ||p||^2 - 2 P^T x, in double), then a log-sum-exp per example;
// blocks run in parallel (TBB) and each example's value is independent of its block.
//
// Bandwidth: a number, "scott" = N^(-1/(D+4)) or "silverman" = (N (D+2) / 4)^(-1/(D+4))
// (scikit-learn's definitions: they assume unit-variance data, so use --standardize), "valid"
// (the grid value with the highest mean log-likelihood on the validation split) or "loo" (the
// grid value with the highest leave-one-out mean log-likelihood on the training points).
#include <memory>
#include <string>

#include "logp/model.hpp"

namespace logp {

struct KdeOptions {
  std::string bandwidth = "scott";  // NUMBER | scott | silverman | valid | loo
  int grid = 30;                    // valid, loo: candidates from scott/50 to scott*5, log-spaced
};

class KdeModel : public DensityModel {
 public:
  // points: D x N (N >= 1); bandwidth > 0; rule: how it was chosen (for hyperparameters()).
  KdeModel(DataSpec spec, const Matrix& points, double bandwidth, std::string rule);
  static std::unique_ptr<Model> load(const H5Group& g, const DataSpec& spec);

  // The bandwidth of a rule of thumb ("scott" | "silverman") for n points in d dimensions.
  static double rule_of_thumb(const std::string& rule, Index n, Index d);
  // The candidates of a bandwidth search: `count` values log-spaced from scott/50 to scott*5.
  static Vector bandwidth_grid(Index n, Index d, int count);

  std::string_view type() const override { return "kde"; }
  std::string hyperparameters() const override;
  Index num_parameters() const override { return 1; }  // the bandwidth; the points are data
  Matrix sample(Index n, Rng& rng) const override;
  void save(const H5Group& g) const override;

  double bandwidth() const { return bandwidth_; }
  Index num_points() const { return points_.cols(); }
  // x: D x M. Returns bandwidths.size() x M log densities, one row per bandwidth, in one pass
  // over the distances. leave_one_out: x must be the stored points themselves (M = N), and
  // example m is scored without point m (normalized by N - 1).
  MatrixD log_prob_for_bandwidths(ConstMatrixRef x, const Vector& bandwidths, bool leave_one_out) const;

 private:
  Vector log_prob_impl(ConstMatrixRef x) const override;

  MatrixD points_;       // D x N
  Vector point_norms_;   // N, ||p_n||^2
  double bandwidth_;
  std::string rule_;
};

}  // namespace logp
