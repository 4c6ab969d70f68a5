#include "logp/models/bernoulli/bernoulli.hpp"

#include <cmath>
#include <limits>
#include <sstream>

#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/model_loading.hpp"

namespace logp {
namespace {

void check_binary(const DataSpec& spec, const std::string& where) {
  if (spec.kind != DataKind::binary)
    throw Error(where + ": the bernoulli model needs binary data, got " + spec.describe() +
                " (for 8-bit data use --model markov --order 0)");
}

Vector posterior_mean(const Vector& ones, Index n, double alpha) {
  if (!(alpha >= 0) || !std::isfinite(alpha))
    throw Error("bernoulli: --alpha must be a finite number >= 0, got " + std::to_string(alpha));
  if (n == 0 && alpha == 0) throw Error("bernoulli: no training examples and alpha = 0");
  return (ones.array() + alpha) / (static_cast<double>(n) + 2.0 * alpha);
}

}  // namespace

BernoulliModel::BernoulliModel(DataSpec spec, const Vector& ones, Index n, double alpha)
    : BernoulliModel(std::move(spec), posterior_mean(ones, n, alpha), alpha) {}

BernoulliModel::BernoulliModel(DataSpec spec, Vector p, double alpha)
    : DensityModel(std::move(spec)), p_(std::move(p)), alpha_(alpha) {
  require(p_.size() == dim(), "bernoulli: " + std::to_string(p_.size()) + " probabilities for D=" + std::to_string(dim()));
  // Dimensions with p_i = 0 or 1 (only when alpha = 0) are deterministic: they add 0 nats when
  // x_i matches and make the example impossible otherwise (see log_prob_impl).
  log_odds_ = Vector::Zero(dim());
  log_q_sum_ = 0.0;
  for (Index i = 0; i < dim(); ++i) {
    if (p_(i) > 0.0 && p_(i) < 1.0) {
      log_odds_(i) = std::log(p_(i)) - std::log1p(-p_(i));
      log_q_sum_ += std::log1p(-p_(i));
    }
  }
}

BernoulliModel BernoulliModel::fit(const DatasetSplit& train, double alpha) {
  check_binary(train.spec(), train.where());
  Vector ones = Vector::Zero(train.dim());
  for_each_batch(train, 4096, [&](Index, const Matrix& batch) { ones += batch.cast<double>().rowwise().sum(); });
  return BernoulliModel(train.spec(), ones, train.size(), alpha);
}

BernoulliModel BernoulliModel::fit(ConstMatrixRef x, const DataSpec& spec, double alpha) {
  check_binary(spec, "bernoulli fit");
  require(x.rows() == spec.dim, "bernoulli fit: data has D=" + std::to_string(x.rows()) + ", spec says " +
                                    std::to_string(spec.dim));
  return BernoulliModel(spec, x.cast<double>().rowwise().sum(), x.cols(), alpha);
}

std::string BernoulliModel::hyperparameters() const {
  std::ostringstream out;
  out << "alpha=" << alpha_;
  return out.str();
}

Vector BernoulliModel::log_prob_impl(ConstMatrixRef x) const {
  // log p(x) = sum_i log(1 - p_i) + sum_{i: x_i = 1} log_odds_i, summed in a fixed order so each
  // example's value does not depend on the batch around it. A value never seen in training
  // (p_i = 0 or 1 with alpha = 0) gives -inf, never NaN.
  Vector result(x.cols());
  for (Index j = 0; j < x.cols(); ++j) {
    double total = log_q_sum_;
    bool impossible = false;
    for (Index i = 0; i < dim(); ++i) {
      if (x(i, j) != 0.0f) {
        total += log_odds_(i);
        impossible |= p_(i) == 0.0;
      } else {
        impossible |= p_(i) == 1.0;
      }
    }
    result(j) = impossible ? -std::numeric_limits<double>::infinity() : total;
  }
  return result;
}

Matrix BernoulliModel::sample(Index n, Rng& rng) const {
  Matrix x(dim(), n);
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i < dim(); ++i) x(i, j) = rng.uniform() < p_(i) ? 1.0f : 0.0f;
  return x;
}

void BernoulliModel::save(const H5Group& g) const {
  g.set_attr("alpha", alpha_);
  g.write_vector("p", p_);
}

std::unique_ptr<Model> BernoulliModel::load(const H5Group& g, const DataSpec& spec) {
  check_binary(spec, g.file() + ":/data");
  require_stored_dims(g, "p", {static_cast<std::uint64_t>(spec.dim)}, "data dim = " + std::to_string(spec.dim));
  const double alpha = read_real_attr(g, "alpha", 0.0, std::numeric_limits<double>::max());
  Vector p = g.read_vector("p");
  // alpha > 0 keeps every probability strictly inside (0, 1); only alpha = 0 allows 0 and 1.
  for (Index i = 0; i < p.size(); ++i)
    if (!(p(i) >= 0.0 && p(i) <= 1.0) || (alpha > 0 && (p(i) == 0.0 || p(i) == 1.0))) {
      std::ostringstream text;
      text << g.where("p") << ": p[" << i << "] = " << p(i) << " is outside " << (alpha > 0 ? "(0, 1)" : "[0, 1]")
           << " for alpha = " << alpha << " (corrupt model file?)";
      throw Error(text.str());
    }
  return std::unique_ptr<Model>(new BernoulliModel(spec, std::move(p), alpha));
}

}  // namespace logp
