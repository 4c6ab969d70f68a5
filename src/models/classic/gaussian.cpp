#include "logp/models/classic/gaussian.hpp"

#include <limits>
#include <sstream>

#include "logp/core/error.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/model_loading.hpp"

namespace logp {

GaussianModel::GaussianModel(DataSpec spec, GaussianFactor factor, double ridge)
    : DensityModel(std::move(spec)), factor_(std::move(factor)), ridge_(ridge) {
  require(!data_spec().is_discrete(), "gaussian: needs real data, got " + data_spec().describe());
  require(factor_.dim() == dim(), "gaussian: mean has D=" + std::to_string(factor_.dim()) + ", data D=" +
                                      std::to_string(dim()));
}

GaussianModel GaussianModel::fit(ConstMatrixRef x, const DataSpec& spec, double ridge) {
  require(ridge >= 0.0, "gaussian: --ridge must be >= 0, got " + std::to_string(ridge));
  require(x.cols() >= 1, "gaussian: no training examples");
  require(x.rows() == spec.dim, "gaussian fit: data has D=" + std::to_string(x.rows()) + ", spec says " +
                                    std::to_string(spec.dim));
  const MatrixD data = x.cast<double>();
  const Vector mean = data.rowwise().mean();
  const MatrixD centered = data.colwise() - mean;
  MatrixD covariance = MatrixD::Zero(spec.dim, spec.dim);
  covariance.selfadjointView<Eigen::Lower>().rankUpdate(centered, 1.0 / static_cast<double>(x.cols()));
  covariance = covariance.selfadjointView<Eigen::Lower>();
  covariance.diagonal().array() += ridge;
  return GaussianModel(spec, GaussianFactor(mean, covariance, "gaussian fit"), ridge);
}

std::string GaussianModel::hyperparameters() const {
  std::ostringstream out;
  out << "full covariance, ridge=" << ridge_;
  return out.str();
}

Vector GaussianModel::log_prob_impl(ConstMatrixRef x) const { return factor_.log_density(x.cast<double>()); }

Matrix GaussianModel::sample(Index n, Rng& rng) const { return factor_.sample(n, rng).cast<float>(); }

void GaussianModel::save(const H5Group& g) const {
  g.set_attr("ridge", ridge_);
  g.write_vector("mean", factor_.mean());
  g.write_matrix("cholesky", factor_.cholesky());  // L, covariance = L L^T
}

std::unique_ptr<Model> GaussianModel::load(const H5Group& g, const DataSpec& spec) {
  const auto d = static_cast<std::uint64_t>(spec.dim);
  require_stored_dims(g, "mean", {d}, "data dim = " + std::to_string(d));
  require_stored_dims(g, "cholesky", {d, d}, "data dim = " + std::to_string(d));
  Vector mean = g.read_vector("mean");
  require_finite(std::span<const double>(mean.data(), static_cast<std::size_t>(mean.size())), g.where("mean"));
  const double ridge = read_real_attr(g, "ridge", 0.0, std::numeric_limits<double>::max());
  GaussianFactor factor = GaussianFactor::from_cholesky(std::move(mean), g.read_matrix("cholesky"), g.where("cholesky"));
  return std::make_unique<GaussianModel>(spec, std::move(factor), ridge);
}

}  // namespace logp
