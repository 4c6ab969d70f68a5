#pragma once
// Gaussian mixture over real examples, p(x) = sum_k w_k N(x | mean_k, cov_k), fitted by EM in log
// space (gmm.cpp: the model; gmm_em.cpp: the fit). Covariance types as in scikit-learn: full (one
// per component), tied (one shared by all), diag (diagonal per component), spherical (one variance
// per component, cov_k = v_k I).
//
// Fit: k-means++ seeding, hard assignment to the nearest seed, then EM until the mean training
// log-likelihood L changes by at most tolerance * |L| (or max_iterations); `restarts` runs with
// independent seeds, the one with the highest final L is kept. The E-step runs in parallel (TBB)
// over chunks of examples fixed by N, each chunk also summing its part of the M-step's statistics
// (counts, x r^T, x^2 r^T; added in chunk order); the full-covariance M-step runs in parallel over
// components: the same seed gives the same model at any thread count. `ridge` is added to every
// covariance diagonal (scikit-learn's reg_covar, same default). log_prob is exact.
#include <memory>
#include <vector>

#include "logp/model.hpp"
#include "logp/models/classic/gaussian_factor.hpp"

namespace logp {

enum class CovarianceType { full, tied, diag, spherical };
CovarianceType parse_covariance_type(const std::string& text);  // "full" | "tied" | "diag" | "spherical"
std::string_view to_string(CovarianceType type);

struct GmmOptions {
  Index components = 10;  // K
  CovarianceType covariance = CovarianceType::full;
  int restarts = 1;
  int max_iterations = 100;
  double tolerance = 1e-6;  // relative change of the mean training log-likelihood
  double ridge = 1e-6;
  std::uint64_t seed = 0;
};

// What one fit did (the kept restart).
struct GmmFitReport {
  int restart = 0;
  int iterations = 0;                  // EM iterations (M-steps) after the initialization
  bool converged = false;
  std::vector<double> log_likelihood;  // mean training log-likelihood (nats/example) before each M-step
};

class GmmModel : public DensityModel {
 public:
  // log_weights: K; means: D x K; full and tied: K factors (tied: one Cholesky factor, K means);
  // diag and spherical: variances D x K (spherical: each column constant).
  GmmModel(DataSpec spec, GmmOptions options, Vector log_weights, MatrixD means, std::vector<GaussianFactor> factors,
           MatrixD variances);

  // x: D x N real examples.
  static GmmModel fit(ConstMatrixRef x, const DataSpec& spec, const GmmOptions& options, GmmFitReport* report = nullptr);
  static std::unique_ptr<Model> load(const H5Group& g, const DataSpec& spec);

  std::string_view type() const override { return "gmm"; }
  std::string hyperparameters() const override;
  Index num_parameters() const override;
  Matrix sample(Index n, Rng& rng) const override;
  void save(const H5Group& g) const override;

  Index components() const { return log_weights_.size(); }
  const Vector& log_weights() const { return log_weights_; }
  const MatrixD& means() const { return means_; }
  CovarianceType covariance_type() const { return options_.covariance; }
  MatrixD covariance(Index component) const;  // D x D
  // x: D x B in double. Returns K x B: log w_k + log N(x_b | mean_k, cov_k), nats. places: fixed
  // for EM's blocks, whose columns sit where N puts them (core/gemm.hpp: the faster products).
  MatrixD weighted_log_densities(const MatrixD& x, ColumnPlaces places = ColumnPlaces::vary) const;
  // Up to this D, a full mixture's evaluation whitens x for all K components in one product with
  // the L_k^-1 stacked (K*D x D): twice the flops of K triangular products, but one Eigen call
  // instead of K, which is faster for small D (digits, D = 64) and slower for large D
  // (Fashion-MNIST, D = 784). EM's E-step uses K OpenBLAS triangular products at any D (digits
  // full, 50 iterations: K = 3 1.1-1.3x faster, K = 10 1.16-1.24x).
  static constexpr Index kStackedWhiteningMaxDim = 128;

 private:
  Vector log_prob_impl(ConstMatrixRef x) const override;
  bool has_factors() const;              // full or tied: Cholesky factors; diag or spherical: variances

  GmmOptions options_;
  Vector log_weights_;                   // K
  MatrixD means_;                        // D x K
  std::vector<GaussianFactor> factors_;  // full, tied: K
  MatrixD variances_;                    // diag, spherical: D x K
  // Whitening all components in one product, ||L_k^-1 x - L_k^-1 mean_k||^2: tied (D x D, the shared
  // L^-1), and full with D <= kStackedWhiteningMaxDim (K*D x D, the L_k^-1 stacked). Empty
  // otherwise: each factor whitens x - mean_k.
  MatrixD whitening_;
  MatrixD whitened_means_;               // with whitening_: D x K, L_k^-1 mean_k
  MatrixD diag_precisions_;              // diag, spherical: D x K, 1 / variance
  Vector diag_log_normalizers_;          // diag, spherical: K, -D/2 ln 2 pi - 1/2 sum_i ln variance_ik
};

}  // namespace logp
