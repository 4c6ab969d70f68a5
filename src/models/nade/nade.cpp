#include "logp/models/nade/nade.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "logp/core/error.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/model_loading.hpp"
#include "logp/nn/init.hpp"
#include "logp/train/epoch_batches.hpp"

namespace logp {

void require_nade_activation(Activation activation, const std::string& model) {
  require(activation == Activation::sigmoid || activation == Activation::relu,
          model + ": activation " + activation_name(activation) + " is not one of sigmoid, relu");
}

NadeModel::NadeModel(DataSpec spec, NadeOptions options)
    : TrainableDensity(std::move(spec)),
      options_(std::move(options)),
      order_(Ordering::from_option(options_.ordering, options_.ordering_seed, dim())) {
  require_nade_activation(options_.activation, std::string(type()));
  if (data_spec().kind != DataKind::binary)
    throw Error("nade: needs binary data, got " + data_spec().describe() + " (RNADE is for real data)");
  require(options_.hidden > 0, "nade: --hidden must be positive, got " + std::to_string(options_.hidden));
  w_ = parameters_.add("W", options_.hidden, dim());
  v_ = parameters_.add("V", options_.hidden, dim());
  b_ = parameters_.add("b", dim(), 1);
  c_ = parameters_.add("c", options_.hidden, 1);
}

std::string NadeModel::hyperparameters() const {
  std::ostringstream out;
  out << "hidden=" << options_.hidden << ", activation=" << activation_name(options_.activation)
      << ", ordering=" << order_.describe() << " (single ordering)";
  return out.str();
}

void initialize_nade_weights(ParameterStore& params, std::size_t w, std::size_t v, double v_gain, Rng& rng) {
  const std::span<float> values = params.values();
  std::fill(values.begin(), values.end(), 0.0f);
  const Eigen::Map<Matrix> w_matrix = params.matrix(w), v_matrix = params.matrix(v);
  const float w_scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(w_matrix.cols())));
  const float v_scale = static_cast<float>(v_gain / std::sqrt(static_cast<double>(v_matrix.rows())));
  nn::fill_normal(w_matrix, w_scale, rng);
  nn::fill_normal(v_matrix, v_scale, rng);
}

void NadeModel::initialize(Rng& rng) {
  // W ~ N(0, 1/D) (inputs sum over D), V ~ N(0, 1/H), biases 0.
  initialize_nade_weights(parameters_, w_, v_, 1.0, rng);
}

NadeWeights<float> NadeModel::weights() const {
  const ParameterStore& p = parameters();
  const Eigen::Map<const Matrix> W = p.matrix(w_), V = p.matrix(v_), b = p.matrix(b_), c = p.matrix(c_);
  return {Eigen::Map<const Matrix>(W.data(), W.rows(), W.cols()), Eigen::Map<const Matrix>(V.data(), V.rows(), V.cols()),
          Eigen::Map<const VectorF>(b.data(), b.rows()), Eigen::Map<const VectorF>(c.data(), c.rows())};
}

Vector NadeModel::log_prob_impl(ConstMatrixRef x) const {
  Vector out(x.cols());
  nade_log_prob<float>(weights(), order_.permutation(), options_.activation, x, out);
  return out;
}

double NadeModel::objective_and_grad(ConstMatrixRef x, Rng&, std::span<float> grad) const {
  const ParameterStore& p = parameters();
  NadeGradients<float> g{p.block(w_).in(grad), p.block(v_).in(grad),
                         Eigen::Map<VectorF>(grad.data() + p.block(b_).offset, dim()),
                         Eigen::Map<VectorF>(grad.data() + p.block(c_).offset, options_.hidden)};
  return nade_nll_and_grad<float>(weights(), order_.permutation(), options_.activation, x, g);
}

Matrix NadeModel::sample(Index n, Rng& rng) const {
  const NadeWeights<float> w = weights();
  Matrix x = Matrix::Zero(dim(), n);
  VectorF a(options_.hidden), h(options_.hidden);
  for (Index j = 0; j < n; ++j) {
    a = w.c;
    for (const Index d : order_.permutation()) {
      if (options_.activation == Activation::sigmoid)
        h = a.array().logistic();
      else
        h = a.array().max(0.0f);
      const double logit = static_cast<double>(w.b(d) + w.V.col(d).dot(h));
      if (rng.uniform() < 1.0 / (1.0 + std::exp(-logit))) {
        x(d, j) = 1.0f;
        a += w.W.col(d);
      }
    }
  }
  return x;
}

void NadeModel::save(const H5Group& g) const {
  g.set_attr("hidden", static_cast<std::int64_t>(options_.hidden));
  g.set_attr("activation", activation_name(options_.activation));
  order_.save(g);
  parameters_.save(g.create_group("parameters"));
}

std::unique_ptr<Model> NadeModel::load(const H5Group& g, const DataSpec& spec) {
  NadeOptions options;
  options.hidden = read_int_attr(g, "hidden", 1, INT64_MAX);  // checked against the stored blocks when added
  options.activation = parse_activation(g.attr_string("activation"));
  const Ordering order = Ordering::load(g, spec.dim);  // the saved permutation is authoritative
  options.ordering = "raster";                          // replaced below
  options.ordering_seed = order.seed();
  auto model = std::make_unique<NadeModel>(spec, options);
  model->order_ = order;
  model->options_.ordering = order.rule();
  model->parameters_.load(g.group("parameters"));
  return model;
}

}  // namespace logp
