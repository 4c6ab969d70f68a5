#include "logp/models/transformed/transformed_steps.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "logp/core/error.hpp"
#include "logp/core/example_rng.hpp"
#include "logp/data/dataset.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/model_loading.hpp"

namespace logp {
namespace {

DataSpec real_spec_like(const DataSpec& data) {
  DataSpec out = data;
  out.kind = DataKind::real;
  out.levels = 0;
  return out;
}

void check_options(const TransformOptions& o, const DataSpec& data, const std::string& where) {
  if (o.dequantize && !data.is_discrete())
    throw Error(where + ": --dequantize is for discrete data (binary or categorical), got " + data.describe());
  if (!o.dequantize && data.is_discrete())
    throw Error(where + ": a continuous density model needs real data or --dequantize, got " + data.describe());
  if (o.logit && !(o.logit_alpha >= 0.0 && o.logit_alpha < 0.5))
    throw Error("--logit-alpha must be in [0, 0.5), got " + std::to_string(o.logit_alpha));
  if (!(o.min_std >= 0.0) || !std::isfinite(o.min_std))
    throw Error("--min-std must be finite and >= 0, got " + std::to_string(o.min_std));
}

double logit(double s) { return std::log(s) - std::log1p(-s); }
double sigmoid(double y) { return y >= 0 ? 1.0 / (1.0 + std::exp(-y)) : std::exp(y) / (1.0 + std::exp(y)); }

}  // namespace

DataTransform::DataTransform(TransformOptions options, DataSpec data, Vector mean, Vector std)
    : options_(options), data_(std::move(data)), output_(real_spec_like(data_)), mean_(std::move(mean)),
      std_(std::move(std)) {}

void DataTransform::check_logit_input(double v, Index example, Index dim) const {
  if (!(v >= 0.0 && v <= 1.0))
    throw Error("--logit needs values in [0, 1] (dequantized data, or real data scaled to [0, 1]); example " +
                std::to_string(example) + ", dimension " + std::to_string(dim) + " has " + std::to_string(v));
}

double DataTransform::forward_value(Index i, double v, double* log_derivative) const {
  double y = v;
  if (options_.logit) {
    const double a = options_.logit_alpha;
    const double s = a + (1.0 - 2.0 * a) * v;
    y = logit(s);
    *log_derivative += std::log1p(-2.0 * a) - std::log(s) - std::log1p(-s);
  }
  if (options_.standardize) {
    y = (y - mean_(i)) / std_(i);
    *log_derivative -= std::log(std_(i));
  }
  return y;
}

Matrix DataTransform::forward(ConstMatrixRef x, Vector& log_det, Rng* noise) const {
  const Index d = x.rows();
  require(d == data_.dim, "transform: examples have D=" + std::to_string(d) + ", expected " + std::to_string(data_.dim));
  const double levels = options_.dequantize ? static_cast<double>(data_.levels) : 1.0;
  const double dequantize_log_det = options_.dequantize ? -static_cast<double>(d) * std::log(levels) : 0.0;
  Matrix z(d, x.cols());
  log_det.resize(x.cols());
  for (Index j = 0; j < x.cols(); ++j) {
    Rng example_noise = options_.dequantize && noise == nullptr
                            ? example_rng(options_.dequantize_seed, x.col(j).data(), d)
                            : Rng(0);
    Rng& u = noise != nullptr ? *noise : example_noise;
    double total = dequantize_log_det;
    for (Index i = 0; i < d; ++i) {
      double v = x(i, j);
      if (options_.dequantize) v = (v + u.uniform()) / levels;
      if (options_.logit) check_logit_input(v, j, i);
      z(i, j) = static_cast<float>(forward_value(i, v, &total));
    }
    log_det(j) = total;
  }
  return z;
}

Matrix DataTransform::inverse(ConstMatrixRef z) const {
  const double a = options_.logit_alpha;
  const double levels = static_cast<double>(data_.levels);
  Matrix x(z.rows(), z.cols());
  for (Index j = 0; j < z.cols(); ++j) {
    for (Index i = 0; i < z.rows(); ++i) {
      double v = z(i, j);
      if (options_.standardize) v = v * std_(i) + mean_(i);
      if (options_.logit) v = (sigmoid(v) - a) / (1.0 - 2.0 * a);
      if (options_.dequantize) v = std::clamp(std::floor(v * levels), 0.0, levels - 1.0);
      x(i, j) = static_cast<float>(v);
    }
  }
  return x;
}

Matrix DataTransform::forward_split(const DatasetSplit& data) const {
  Matrix z(data.dim(), data.size());
  Vector log_det;
  for_each_batch(data, 4096, [&](Index first, const Matrix& batch) {
    z.middleCols(first, batch.cols()) = forward(batch, log_det);
  });
  return z;
}

DataTransform DataTransform::fit(const TransformOptions& options, const DatasetSplit& train) {
  check_options(options, train.spec(), train.where());
  const Index d = train.dim();
  DataTransform transform(options, train.spec(), Vector(), Vector());
  if (!options.standardize) return transform;
  // Mean and variance of y (after steps 1-2) per dimension, in double, shifted by the first
  // example to avoid cancellation.
  transform.options_.standardize = false;
  Vector shift, sum = Vector::Zero(d), sum_sq = Vector::Zero(d);
  for_each_batch(train, 4096, [&](Index, const Matrix& batch) {
    Vector log_det;
    const MatrixD y = transform.forward(batch, log_det).cast<double>();
    if (shift.size() == 0) shift = y.col(0);
    const MatrixD centered = y.colwise() - shift;
    sum += centered.rowwise().sum();
    sum_sq += centered.array().square().matrix().rowwise().sum();
  });
  const double n = static_cast<double>(train.size());
  require(train.size() >= 2, train.where() + ": standardization needs at least 2 training examples, got " +
                                 std::to_string(train.size()));
  Vector mean = shift + sum / n;
  Vector std(d);
  for (Index i = 0; i < d; ++i) {
    const double variance = std::max(0.0, sum_sq(i) / n - (sum(i) / n) * (sum(i) / n));
    std(i) = std::max(std::sqrt(variance), options.min_std);
    if (!(std(i) > 0.0))
      throw Error(train.where() + ": dimension " + std::to_string(i) + " is constant (" + std::to_string(mean(i)) +
                  ") on train, so it cannot be standardized; pass --min-std S (e.g. 1e-3) to floor the std at S, "
                  "or drop the column");
  }
  transform.options_.standardize = true;
  transform.mean_ = std::move(mean);
  transform.std_ = std::move(std);
  return transform;
}

std::string DataTransform::describe() const {
  std::ostringstream out;
  const char* arrow = "";
  if (options_.dequantize) {
    out << "dequantize (x+u)/" << data_.levels << " seed=" << options_.dequantize_seed << " (one draw: lower bound, -D ln "
        << data_.levels << " included)";
    arrow = " -> ";
  }
  if (options_.logit) {
    out << arrow << "logit(a=" << options_.logit_alpha << ")";
    arrow = " -> ";
  }
  if (options_.standardize) {
    out << arrow << "standardize (fitted on train";
    if (options_.min_std > 0) out << ", min std " << options_.min_std;
    out << ")";
  }
  if (options_.any()) out << "; log-Jacobian included";
  return out.str();
}

void DataTransform::save(const H5Group& g) const {
  g.set_attr("dequantize", static_cast<std::int64_t>(options_.dequantize));
  g.set_attr("dequantize_seed", static_cast<std::int64_t>(options_.dequantize_seed));
  g.set_attr("logit", static_cast<std::int64_t>(options_.logit));
  g.set_attr("logit_alpha", options_.logit_alpha);
  g.set_attr("standardize", static_cast<std::int64_t>(options_.standardize));
  g.set_attr("min_std", options_.min_std);
  if (options_.standardize) {
    g.write_vector("mean", mean_);
    g.write_vector("std", std_);
  }
}

DataTransform DataTransform::load(const H5Group& g, const DataSpec& data) {
  TransformOptions o;
  o.dequantize = g.attr_int("dequantize") != 0;
  o.dequantize_seed = static_cast<std::uint64_t>(g.attr_int("dequantize_seed"));
  o.logit = g.attr_int("logit") != 0;
  o.logit_alpha = g.attr_double("logit_alpha");
  o.standardize = g.attr_int("standardize") != 0;
  o.min_std = g.attr_double("min_std");
  check_options(o, data, g.file());
  Vector mean, std;
  if (o.standardize) {
    const auto d = static_cast<std::uint64_t>(data.dim);
    require_stored_dims(g, "mean", {d}, "data dim = " + std::to_string(d));
    require_stored_dims(g, "std", {d}, "data dim = " + std::to_string(d));
    mean = g.read_vector("mean");
    std = g.read_vector("std");
    // Standardized values are float32: a std below float's smallest normal, or a mean or std
    // beyond its largest value, turns them into inf or NaN.
    const double smallest = std::numeric_limits<float>::min(), largest = std::numeric_limits<float>::max();
    if (!mean.allFinite() || !(mean.array().abs() <= largest).all())
      throw Error(g.where("mean") + ": standardization needs D=" + std::to_string(data.dim) +
                  " means within float32's range, |mean| <= 3.4e38 (corrupt model file?)");
    if (!std.allFinite() || !(std.array() >= smallest).all() || !(std.array() <= largest).all())
      throw Error(g.where("std") + ": standardization needs D=" + std::to_string(data.dim) +
                  " stds >= 1.2e-38 (float32's smallest normal) and <= 3.4e38 (corrupt model file?)");
  }
  return DataTransform(o, data, std::move(mean), std::move(std));
}

}  // namespace logp
