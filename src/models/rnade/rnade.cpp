#include "logp/models/rnade/rnade.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "logp/core/error.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/model_loading.hpp"
#include "logp/models/nade/nade.hpp"

namespace logp {

RnadeModel::RnadeModel(DataSpec spec, RnadeOptions options)
    : TrainableDensity(std::move(spec)),
      options_(std::move(options)),
      order_(Ordering::from_option(options_.ordering, options_.ordering_seed, dim())) {
  require_nade_activation(options_.activation, std::string(type()));
  if (data_spec().kind != DataKind::real)
    throw Error("rnade: needs real data, got " + data_spec().describe() +
                " (NADE is for binary data; dequantize 8-bit data to fit RNADE)");
  require(options_.hidden > 0, "rnade: --hidden must be positive, got " + std::to_string(options_.hidden));
  require(options_.components > 0, "rnade: --components must be positive, got " + std::to_string(options_.components));
  require(options_.min_scale > 0 && std::isfinite(options_.min_scale),
          "rnade: --min-scale must be a positive number, got " + std::to_string(options_.min_scale));
  const Index K = options_.components;
  w_ = parameters_.add("W", options_.hidden, dim());
  v_ = parameters_.add("V", options_.hidden, 3 * K * dim());
  b_ = parameters_.add("b", 3 * K, dim());
  c_ = parameters_.add("c", options_.hidden, 1);
  rho_ = parameters_.add("rho", dim(), 1);
}

std::string RnadeModel::hyperparameters() const {
  std::ostringstream out;
  out << "hidden=" << options_.hidden << ", components=" << options_.components
      << ", activation=" << activation_name(options_.activation)
      << ", min_scale=" << options_.min_scale
      << ", ordering=" << order_.describe() << " (single ordering)";
  return out.str();
}

void RnadeModel::initialize(Rng& rng) {
  // W ~ N(0, 1/D), V ~ N(0, 0.01/H), rho = 1, c = 0; each conditional starts as K unit-scale
  // Gaussians with equal weights and means spread over [-1, 1] (data standardized to unit scale).
  initialize_nade_weights(parameters_, w_, v_, 0.1, rng);
  const Index K = options_.components;
  Eigen::Map<Matrix> b = parameters_.matrix(b_);
  for (Index j = 0; j < K; ++j)
    b.row(K + j).setConstant(K == 1 ? 0.0f : static_cast<float>(-1.0 + 2.0 * static_cast<double>(j) / (K - 1)));
  parameters_.matrix(rho_).setOnes();
}

RnadeWeights<float> RnadeModel::weights() const {
  const ParameterStore& p = parameters();
  const Eigen::Map<const Matrix> W = p.matrix(w_), V = p.matrix(v_), b = p.matrix(b_), c = p.matrix(c_),
                                 rho = p.matrix(rho_);
  return {W, V, b, Eigen::Map<const VectorF>(c.data(), c.rows()), Eigen::Map<const VectorF>(rho.data(), rho.rows())};
}

Vector RnadeModel::log_prob_impl(ConstMatrixRef x) const {
  Vector out(x.cols());
  rnade_log_prob<float>(weights(), order_.permutation(), shape(), x, out);
  return out;
}

double RnadeModel::objective_and_grad(ConstMatrixRef x, Rng&, std::span<float> grad) const {
  const ParameterStore& p = parameters();
  RnadeGradients<float> g{p.block(w_).in(grad), p.block(v_).in(grad), p.block(b_).in(grad),
                          Eigen::Map<VectorF>(grad.data() + p.block(c_).offset, options_.hidden),
                          Eigen::Map<VectorF>(grad.data() + p.block(rho_).offset, dim())};
  return rnade_nll_and_grad<float>(weights(), order_.permutation(), shape(), x, g);
}

Matrix RnadeModel::sample(Index n, Rng& rng) const {
  const RnadeWeights<float> w = weights();
  const Index K = options_.components;
  const Index hidden = options_.hidden;
  const double min_log_scale = std::log(options_.min_scale);
  Matrix x(dim(), n);
  VectorF a(hidden), h(hidden), out(3 * K);
  Eigen::VectorXd weight(K);
  for (Index j = 0; j < n; ++j) {
    a = w.c;
    for (const Index d : order_.permutation()) {
      if (options_.activation == Activation::sigmoid)
        h = (w.rho(d) * a.array()).logistic().matrix();
      else
        h = (w.rho(d) * a.array()).max(0.0f).matrix();
      const Eigen::Map<const Matrix> V_d(w.V.data() + hidden * 3 * K * d, hidden, 3 * K);
      out.noalias() = V_d.transpose() * h;
      out += w.b.col(d);
      // Component ~ softmax(alpha), then x_d ~ N(mu, sigma) of that component.
      weight = out.head(K).cast<double>();
      weight = (weight.array() - weight.maxCoeff()).exp().matrix();
      double u = rng.uniform() * weight.sum();
      Index component = 0;
      while (component + 1 < K && u >= weight(component)) u -= weight(component++);
      const double mu = out(K + component);
      const double sigma = std::exp(std::max(static_cast<double>(out(2 * K + component)), min_log_scale));
      const float value = static_cast<float>(mu + sigma * rng.normal());
      x(d, j) = value;
      a.noalias() += value * w.W.col(d);
    }
  }
  return x;
}

void RnadeModel::save(const H5Group& g) const {
  g.set_attr("hidden", static_cast<std::int64_t>(options_.hidden));
  g.set_attr("components", static_cast<std::int64_t>(options_.components));
  g.set_attr("activation", activation_name(options_.activation));
  g.set_attr("min_scale", options_.min_scale);
  order_.save(g);
  parameters_.save(g.create_group("parameters"));
}

std::unique_ptr<Model> RnadeModel::load(const H5Group& g, const DataSpec& spec) {
  RnadeOptions options;
  options.hidden = read_int_attr(g, "hidden", 1, INT64_MAX);  // checked against the stored blocks when added
  options.components = read_int_attr(g, "components", 1, INT64_MAX);
  options.activation = parse_activation(g.attr_string("activation"));
  options.min_scale = read_real_attr(g, "min_scale", 0.0, std::numeric_limits<double>::max(), true);
  const Ordering order = Ordering::load(g, spec.dim);  // the saved permutation is authoritative
  options.ordering = "raster";                          // replaced below
  options.ordering_seed = order.seed();
  auto model = std::make_unique<RnadeModel>(spec, options);
  model->order_ = order;
  model->options_.ordering = order.rule();
  model->parameters_.load(g.group("parameters"));
  return model;
}

}  // namespace logp
