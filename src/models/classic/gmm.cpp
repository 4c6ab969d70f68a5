#include "logp/models/classic/gmm.hpp"

#include <cmath>
#include <limits>
#include <sstream>

#include "logp/core/error.hpp"
#include "logp/core/math.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/model_loading.hpp"

namespace logp {

CovarianceType parse_covariance_type(const std::string& text) {
  for (CovarianceType type : {CovarianceType::full, CovarianceType::tied, CovarianceType::diag, CovarianceType::spherical})
    if (text == to_string(type)) return type;
  throw Error("covariance type must be full, tied, diag or spherical, got '" + text.substr(0, 40) + "'");
}

std::string_view to_string(CovarianceType type) {
  switch (type) {
    case CovarianceType::full: return "full";
    case CovarianceType::tied: return "tied";
    case CovarianceType::diag: return "diag";
    case CovarianceType::spherical: return "spherical";
  }
  return "?";
}

bool GmmModel::has_factors() const {
  return options_.covariance == CovarianceType::full || options_.covariance == CovarianceType::tied;
}

GmmModel::GmmModel(DataSpec spec, GmmOptions options, Vector log_weights, MatrixD means,
                   std::vector<GaussianFactor> factors, MatrixD variances)
    : DensityModel(std::move(spec)), options_(options), log_weights_(std::move(log_weights)), means_(std::move(means)),
      factors_(std::move(factors)), variances_(std::move(variances)) {
  const Index k = log_weights_.size();
  require(!data_spec().is_discrete(), "gmm: needs real data, got " + data_spec().describe());
  require(k >= 1 && means_.rows() == dim() && means_.cols() == k,
          "gmm: means are " + std::to_string(means_.rows()) + "x" + std::to_string(means_.cols()) + " for D=" +
              std::to_string(dim()) + ", K=" + std::to_string(k));
  options_.components = k;
  if (has_factors()) {
    require(static_cast<Index>(factors_.size()) == k, "gmm: " + std::to_string(factors_.size()) +
                                                          " covariance factors for K=" + std::to_string(k));
    const bool tied = options_.covariance == CovarianceType::tied;
    if (tied || dim() <= kStackedWhiteningMaxDim) {
      // tied: the shared L^-1; full: the components' L_k^-1 stacked, K*D x D.
      whitening_.resize(tied ? dim() : k * dim(), dim());
      whitened_means_.resize(dim(), k);
      for (Index c = 0; c < k; ++c) {
        const GaussianFactor& factor = factors_[static_cast<size_t>(c)];
        if (!tied || c == 0) whitening_.middleRows(tied ? 0 : c * dim(), dim()) = factor.inverse_cholesky();
        whitened_means_.col(c).noalias() = factor.inverse_cholesky().triangularView<Eigen::Lower>() * factor.mean();
      }
    }
  } else {
    require(variances_.rows() == dim() && variances_.cols() == k &&
                (variances_.array() >= 1.0 / kMaxInverseScale).all() && variances_.allFinite(),
            "gmm: diagonal variances must be D x K finite values >= 1e-200");
    if (options_.covariance == CovarianceType::spherical)
      require((variances_.colwise().maxCoeff().array() == variances_.colwise().minCoeff().array()).all(),
              "gmm: spherical variances must be the same in every dimension of a component");
    require(means_.cwiseAbs().maxCoeff() <= kFloat32Max, "gmm: a mean is beyond float32's range, |mean| <= 3.4e38");
    diag_precisions_ = variances_.cwiseInverse();
    diag_log_normalizers_ = (gaussian_log_normalizer(dim()) - 0.5 * variances_.array().log().colwise().sum()).transpose();
  }
}

MatrixD GmmModel::weighted_log_densities(const MatrixD& x, ColumnPlaces places) const {
  const Index k = components();
  MatrixD out(k, x.cols());
  const bool tied = options_.covariance == CovarianceType::tied;
  // Full: K triangular products (OpenBLAS's in a fit: faster than the stacked one at any D), or,
  // in evaluation up to kStackedWhiteningMaxDim, one stacked product.
  if (has_factors() && !tied && (whitening_.size() == 0 || places == ColumnPlaces::fixed)) {
    for (Index c = 0; c < k; ++c) out.row(c) = factors_[static_cast<size_t>(c)].log_density(x, places).transpose();
  } else if (has_factors()) {
    // ||L_k^-1 (x - mean_k)||^2 = ||L_k^-1 x - L_k^-1 mean_k||^2: one product whitens x for every
    // component (tied: one L^-1 for all; full: the K factors stacked).
    MatrixD whitened(whitening_.rows(), x.cols());  // D x B (tied) or K*D x B (full)
    if (tied) {
      whitened = x;
      trmm_lower_for(places, whitening_, whitened);
    } else {
      gemm_for<double>(places, whitening_, Op::none, x, Op::none, whitened);
    }
    for (Index c = 0; c < k; ++c)
      out.row(c) = (factors_[static_cast<size_t>(c)].log_normalizer() -
                    0.5 * (whitened.middleRows(tied ? 0 : c * dim(), dim()).colwise() - whitened_means_.col(c))
                              .colwise()
                              .squaredNorm()
                              .array())
                       .matrix();
  } else {
    // sum_i (x_i - m_ik)^2 / v_ik = sum_i x_i^2 p_ik - 2 x_i m_ik p_ik + m_ik^2 p_ik: two K x D x B products.
    const MatrixD scaled_means = means_.cwiseProduct(diag_precisions_);                     // D x K
    const Vector mean_terms = means_.cwiseProduct(scaled_means).colwise().sum().transpose();  // K
    const MatrixD squares = x.cwiseAbs2(), minus_twice_scaled_means = -2.0 * scaled_means;  // exact: a power of 2
    gemm_for<double>(places, diag_precisions_, Op::transpose, squares, Op::none, out);
    gemm_for<double>(places, minus_twice_scaled_means, Op::transpose, x, Op::none, out, 1.0);
    out.colwise() += mean_terms;
    out = (-0.5 * out).colwise() + diag_log_normalizers_;
  }
  out.colwise() += log_weights_;
  return out;
}

Vector GmmModel::log_prob_impl(ConstMatrixRef x) const {
  const MatrixD weighted = weighted_log_densities(x.cast<double>());
  Vector result(x.cols());
  for (Index j = 0; j < x.cols(); ++j) result(j) = log_sum_exp(weighted.col(j));
  return result;
}

std::string GmmModel::hyperparameters() const {
  std::ostringstream out;
  out << "K=" << components() << ", covariance=" << to_string(options_.covariance) << ", ridge=" << options_.ridge
      << ", restarts=" << options_.restarts << ", tol=" << options_.tolerance << ", seed=" << options_.seed;
  return out.str();
}

Index GmmModel::num_parameters() const {
  const Index d = dim(), k = components();
  Index covariances = 0;
  switch (options_.covariance) {
    case CovarianceType::full: covariances = k * d * (d + 1) / 2; break;
    case CovarianceType::tied: covariances = d * (d + 1) / 2; break;
    case CovarianceType::diag: covariances = k * d; break;
    case CovarianceType::spherical: covariances = k; break;
  }
  return (k - 1) + k * d + covariances;
}

MatrixD GmmModel::covariance(Index component) const {
  require(component >= 0 && component < components(), "gmm: no component " + std::to_string(component));
  if (has_factors()) return factors_[static_cast<size_t>(component)].covariance();
  return variances_.col(component).asDiagonal();
}

Matrix GmmModel::sample(Index n, Rng& rng) const {
  const Vector weights = log_weights_.array().exp();
  Matrix x(dim(), n);
  for (Index j = 0; j < n; ++j) {
    double u = rng.uniform() * weights.sum();
    Index c = 0;
    while (c + 1 < components() && u >= weights(c)) u -= weights(c++);
    if (has_factors()) {
      x.col(j) = factors_[static_cast<size_t>(c)].sample(1, rng).cast<float>();
    } else {
      for (Index i = 0; i < dim(); ++i)
        x(i, j) = static_cast<float>(means_(i, c) + std::sqrt(variances_(i, c)) * rng.normal());
    }
  }
  return x;
}

void GmmModel::save(const H5Group& g) const {
  g.set_attr("covariance", std::string(to_string(options_.covariance)));
  g.set_attr("ridge", options_.ridge);
  g.set_attr("restarts", static_cast<std::int64_t>(options_.restarts));
  g.set_attr("max_iterations", static_cast<std::int64_t>(options_.max_iterations));
  g.set_attr("tolerance", options_.tolerance);
  g.set_attr("seed", static_cast<std::int64_t>(options_.seed));
  g.write_vector("log_weights", log_weights_);
  g.write_matrix("means", means_);
  switch (options_.covariance) {
    case CovarianceType::diag: g.write_matrix("variances", variances_); return;
    case CovarianceType::spherical: g.write_vector("variances", variances_.row(0).transpose()); return;
    case CovarianceType::full: case CovarianceType::tied: break;
  }
  // K x D x D (tied: 1 x D x D): the Cholesky factors L_k (covariance_k = L_k L_k^T), each stored row-major.
  const std::uint64_t d = static_cast<std::uint64_t>(dim());
  const size_t stored = options_.covariance == CovarianceType::tied ? 1 : factors_.size();
  std::vector<double> chol;
  for (size_t c = 0; c < stored; ++c) {
    const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows = factors_[c].cholesky();
    chol.insert(chol.end(), rows.data(), rows.data() + rows.size());
  }
  g.write<double>("cholesky", {stored, d, d}, chol.data());
}

std::unique_ptr<Model> GmmModel::load(const H5Group& g, const DataSpec& spec) {
  GmmOptions options;
  options.covariance = parse_covariance_type(g.attr_string("covariance"));
  options.ridge = read_real_attr(g, "ridge", 0.0, std::numeric_limits<double>::max());
  options.restarts = static_cast<int>(read_int_attr(g, "restarts", 1, 1'000'000));
  options.max_iterations = static_cast<int>(read_int_attr(g, "max_iterations", 1, 1'000'000'000));
  options.tolerance = read_real_attr(g, "tolerance", 0.0, std::numeric_limits<double>::max());
  options.seed = static_cast<std::uint64_t>(g.attr_int("seed"));
  // Shapes first (from the dataspaces, nothing read yet): K from the weights, D from the data spec.
  const std::vector<std::uint64_t> weight_dims = g.dims("log_weights");
  require(weight_dims.size() == 1 && weight_dims[0] >= 1,
          g.where("log_weights") + ": expected a vector of K >= 1 log-weights (corrupt model file?)");
  const std::uint64_t k64 = weight_dims[0], d64 = static_cast<std::uint64_t>(spec.dim);
  const std::string implied = "K = " + std::to_string(k64) + " log-weights and data dim = " + std::to_string(d64);
  require_stored_dims(g, "means", {k64, d64}, implied);
  switch (options.covariance) {
    case CovarianceType::full: require_stored_dims(g, "cholesky", {k64, d64, d64}, implied); break;
    case CovarianceType::tied: require_stored_dims(g, "cholesky", {1, d64, d64}, implied + ", tied"); break;
    case CovarianceType::diag: require_stored_dims(g, "variances", {k64, d64}, implied); break;
    case CovarianceType::spherical: require_stored_dims(g, "variances", {k64}, implied + ", spherical"); break;
  }
  Vector log_weights = g.read_vector("log_weights");
  MatrixD means = g.read_matrix("means");
  const Index k = log_weights.size(), d = spec.dim;
  require_finite(std::span<const double>(log_weights.data(), static_cast<std::size_t>(k)), g.where("log_weights"));
  require_finite(std::span<const double>(means.data(), static_cast<std::size_t>(means.size())), g.where("means"));
  const double log_total = log_sum_exp(log_weights);
  if (std::abs(log_total) > 1e-6)
    throw Error(g.where("log_weights") + ": the mixture weights sum to " + std::to_string(std::exp(log_total)) +
                ", not 1 (corrupt model file?)");
  std::vector<GaussianFactor> factors;
  MatrixD variances;
  if (options.covariance == CovarianceType::diag || options.covariance == CovarianceType::spherical) {
    variances = options.covariance == CovarianceType::diag
                    ? g.read_matrix("variances")
                    : MatrixD(g.read_vector("variances").transpose().replicate(d, 1));
    if (!variances.allFinite() || !(variances.array() >= 1.0 / kMaxInverseScale).all())
      throw Error(g.where("variances") + ": variances must be finite and >= 1e-200 (corrupt model file?)");
    if (!(means.cwiseAbs().maxCoeff() <= kFloat32Max))
      throw Error(g.where("means") + ": a mean is beyond float32's range, |mean| <= 3.4e38 (corrupt model file?)");
  } else {
    const std::vector<double> chol = g.read<double>("cholesky");
    const bool tied = options.covariance == CovarianceType::tied;
    for (Index c = 0; c < k; ++c) {
      const Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> rows(
          chol.data() + (tied ? 0 : c) * d * d, d, d);
      factors.push_back(GaussianFactor::from_cholesky(
          means.col(c), MatrixD(rows), g.where("cholesky") + (tied ? "" : " component " + std::to_string(c))));
    }
  }
  return std::make_unique<GmmModel>(spec, options, std::move(log_weights), std::move(means), std::move(factors),
                                    std::move(variances));
}

}  // namespace logp
