#include "logp/models/vae/vae_likelihood.hpp"

#include <cmath>
#include <numbers>
#include <vector>

#include "logp/core/error.hpp"

namespace logp {

VaeLikelihood parse_vae_likelihood(const std::string& text) {
  if (text == "bernoulli") return VaeLikelihood::bernoulli;
  if (text == "gaussian") return VaeLikelihood::gaussian;
  throw Error("unknown VAE likelihood '" + text + "' (expected bernoulli or gaussian)");
}

std::string_view to_string(VaeLikelihood likelihood) {
  return likelihood == VaeLikelihood::bernoulli ? "bernoulli" : "gaussian";
}

VaeLikelihood vae_likelihood_for(const DataSpec& spec, const std::string& given) {
  const VaeLikelihood fits = spec.kind == DataKind::binary ? VaeLikelihood::bernoulli : VaeLikelihood::gaussian;
  if (spec.kind == DataKind::categorical)
    throw Error("vae: " + spec.describe() +
                " data needs a categorical-256 or discretized-logistic decoder, which this logp does not have yet; "
                "use the binarized data (bernoulli) or real data (gaussian)");
  if (!given.empty() && parse_vae_likelihood(given) != fits)
    throw Error("vae: --likelihood " + given + " does not fit " + spec.describe() + " data (use " +
                std::string(to_string(fits)) + ")");
  return fits;
}

Index decoder_outputs(VaeLikelihood likelihood, Index dim) {
  return likelihood == VaeLikelihood::bernoulli ? dim : 2 * dim;
}

void decoder_log_prob(VaeLikelihood likelihood, const Matrix& out, const Matrix& x, Eigen::Ref<Vector> log_px_z) {
  std::vector<Index> x_column(static_cast<std::size_t>(out.cols()));
  for (Index c = 0; c < out.cols(); ++c) x_column[static_cast<std::size_t>(c)] = c;
  decoder_log_prob(likelihood, out, x, x_column, log_px_z);
}

void decoder_log_prob(VaeLikelihood likelihood, const Matrix& out, ConstMatrixRef x, std::span<const Index> x_column,
                      Eigen::Ref<Vector> log_px_z) {
  const Index dim = x.rows();
  require(static_cast<Index>(x_column.size()) == out.cols() && log_px_z.size() == out.cols(),
          "decoder_log_prob: " + std::to_string(out.cols()) + " decoder columns but " +
              std::to_string(x_column.size()) + " data columns and " + std::to_string(log_px_z.size()) + " outputs");
  const float half_log_2pi = static_cast<float>(0.5 * std::log(2.0 * std::numbers::pi));
  for (Index c = 0; c < out.cols(); ++c) {
    const Index j = x_column[static_cast<std::size_t>(c)];
    const Eigen::Map<const Eigen::ArrayXf> xc(x.col(j).data(), dim);
    if (likelihood == VaeLikelihood::bernoulli) {
      // x l - softplus(l), softplus(l) = max(l, 0) + log1p(exp(-|l|)); l: logits [D].
      const Eigen::Map<const Eigen::ArrayXf> l(out.col(c).data(), dim);
      log_px_z(c) = static_cast<double>((xc * l - l.max(0.0f) - (-l.abs()).exp().log1p()).sum());
    } else {
      const Eigen::Map<const Eigen::ArrayXf> mean(out.col(c).data(), dim), log_scale(out.col(c).data() + dim, dim);
      log_px_z(c) = static_cast<double>(
          (-0.5f * ((xc - mean) * (-log_scale).exp()).square() - log_scale - half_log_2pi).sum());
    }
  }
}

Matrix decoder_sample(VaeLikelihood likelihood, const Matrix& out, Rng& rng) {
  const Index dim = likelihood == VaeLikelihood::bernoulli ? out.rows() : out.rows() / 2;
  Matrix x(dim, out.cols());
  for (Index j = 0; j < out.cols(); ++j)
    for (Index i = 0; i < dim; ++i) {
      if (likelihood == VaeLikelihood::bernoulli) {
        const double p = 1.0 / (1.0 + std::exp(-static_cast<double>(out(i, j))));
        x(i, j) = rng.uniform() < p ? 1.0f : 0.0f;
      } else {
        x(i, j) = out(i, j) + std::exp(out(dim + i, j)) * static_cast<float>(rng.normal());
      }
    }
  return x;
}

}  // namespace logp
