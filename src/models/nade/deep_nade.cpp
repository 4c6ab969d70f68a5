#include "logp/models/nade/deep_nade.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "logp/core/error.hpp"
#include "logp/core/math.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/model_loading.hpp"
#include "logp/models/nade/nade.hpp"
#include "logp/train/epoch_batches.hpp"

namespace logp {
namespace {

void activate(Activation activation, Matrix& a) {
  if (activation == Activation::sigmoid)
    a = a.array().logistic();
  else
    a = a.array().max(0.0f);
}

// Ordering k >= 1 of the ensemble: a random permutation from its own stream of ordering_seed.
std::vector<Index> ensemble_ordering(std::uint64_t seed, int k, Index dim) {
  Rng rng = Rng(seed).split(static_cast<std::uint64_t>(k));
  return random_permutation(dim, rng);
}

// Glorot uniform, U(-r, r) with r = sqrt(6 / (fan_in + fan_out)).
void glorot_uniform(Eigen::Map<Matrix> w, Index fan_in, Index fan_out, Rng& rng) {
  const double r = std::sqrt(6.0 / static_cast<double>(fan_in + fan_out));
  for (Index k = 0; k < w.size(); ++k) w.data()[k] = static_cast<float>(r * (2.0 * rng.uniform() - 1.0));
}

// He normal, N(0, 2 / fan_in).
void he_normal(Eigen::Map<Matrix> w, Index fan_in, Rng& rng) {
  const double scale = std::sqrt(2.0 / static_cast<double>(fan_in));
  for (Index k = 0; k < w.size(); ++k) w.data()[k] = static_cast<float>(scale * rng.normal());
}

}  // namespace

DeepNadeModel::DeepNadeModel(DataSpec spec, DeepNadeOptions options)
    : TrainableDensity(std::move(spec)),
      options_(std::move(options)),
      first_(Ordering::from_option(options_.ordering, options_.ordering_seed, dim())) {
  require_nade_activation(options_.activation, std::string(type()));
  if (data_spec().kind != DataKind::binary)
    throw Error("nade-oa: needs binary data, got " + data_spec().describe());
  require(options_.hidden > 0, "nade-oa: --hidden must be positive, got " + std::to_string(options_.hidden));
  require(options_.layers == 1 || options_.layers == 2,
          "nade-oa: --layers must be 1 or 2, got " + std::to_string(options_.layers));
  require(options_.orderings >= 1,
          "nade-oa: --orderings (the evaluation ensemble size K) must be at least 1, got " +
              std::to_string(options_.orderings));
  set_ensemble_size(options_.orderings);

  const Index h = options_.hidden, d = dim();
  // The order of the blocks is the layout deep_nade_weights reads.
  parameters_.add("W1", h, 2 * d);  // [values | mask] weights
  parameters_.add("b1", h, 1);
  if (options_.layers == 2) {
    parameters_.add("W2", h, h);
    parameters_.add("b2", h, 1);
  }
  parameters_.add("V", h, d);
  parameters_.add("c", d, 1);
  require(parameters_.size() == deep_nade_parameter_count(shape()), "nade-oa: parameter layout mismatch");
}

void DeepNadeModel::set_ensemble_size(int orderings) {
  require(orderings >= 1, "nade-oa: --orderings (the evaluation ensemble size K) must be at least 1, got " +
                              std::to_string(orderings));
  orderings_.assign(1, first_.permutation());
  for (int k = 1; k < orderings; ++k) orderings_.push_back(ensemble_ordering(options_.ordering_seed, k, dim()));
  options_.orderings = orderings;
}

DeepNadeShape DeepNadeModel::shape() const {
  return DeepNadeShape{dim(), options_.hidden, options_.layers, options_.activation};
}

DeepNadeWeights<float> DeepNadeModel::weights() const {
  return deep_nade_weights<float>(shape(), parameters().values().data());
}

std::string DeepNadeModel::hyperparameters() const {
  std::ostringstream out;
  out << "hidden=" << options_.hidden << ", layers=" << options_.layers
      << ", activation=" << activation_name(options_.activation) << ", ";
  const std::string first = first_.describe();
  if (options_.orderings == 1)
    out << "single ordering (" << first << ")";
  else
    out << "ensemble of " << options_.orderings << " orderings (" << first << " + " << options_.orderings - 1
        << " random, seed " << options_.ordering_seed << ")";
  return out.str();
}

void DeepNadeModel::initialize(Rng& rng) {
  const std::span<float> values = parameters_.values();
  std::fill(values.begin(), values.end(), 0.0f);
  const Index h = options_.hidden, d = dim();
  for (std::size_t b = 0; b < parameters_.blocks().size(); ++b) {
    const ParameterBlock& block = parameters_.block(b);
    if (block.cols == 1) continue;  // biases stay 0
    const Index fan_in = block.name == "W1" ? 2 * d : h;
    const Index fan_out = block.name == "V" ? d : h;
    if (block.name == "V" || options_.activation == Activation::sigmoid)
      glorot_uniform(parameters_.matrix(b), fan_in, fan_out, rng);
    else
      he_normal(parameters_.matrix(b), fan_in, rng);
  }
}

double DeepNadeModel::objective_and_grad(ConstMatrixRef x, Rng& rng, std::span<float> grad) const {
  require(static_cast<Index>(grad.size()) == parameters().size(),
          "nade-oa: gradient buffer of " + std::to_string(grad.size()) + " for " +
              std::to_string(parameters().size()) + " parameters");
  const DeepNadeShape s = shape();
  DeepNadeGradients<float> g = deep_nade_gradients<float>(s, grad.data());
  return deep_nade_order_agnostic_nll_and_grad<float>(weights(), s, x, rng, g);
}

MatrixD DeepNadeModel::log_prob_each_ordering(ConstMatrixRef x) const {
  require(x.rows() == dim(), "nade-oa: data of dimension " + std::to_string(x.rows()) + " for a model of D=" +
                                 std::to_string(dim()));
  const DeepNadeShape s = shape();
  const DeepNadeWeights<float> w = weights();
  MatrixD out(static_cast<Index>(orderings_.size()), x.cols());
  Vector lp(x.cols());
  for (std::size_t k = 0; k < orderings_.size(); ++k) {
    deep_nade_log_prob<float>(w, s, orderings_[k], x, lp);
    out.row(static_cast<Index>(k)) = lp.transpose();
  }
  return out;
}

Vector DeepNadeModel::ensemble_log_prob(const MatrixD& per_ordering, Index k) {
  require(k >= 1 && k <= per_ordering.rows(), "nade-oa: ensemble of " + std::to_string(k) + " orderings out of " +
                                                   std::to_string(per_ordering.rows()));
  if (k == 1) return per_ordering.row(0).transpose();
  Vector out(per_ordering.cols());
  const double log_k = std::log(static_cast<double>(k));
  for (Index j = 0; j < per_ordering.cols(); ++j) out(j) = log_sum_exp(per_ordering.col(j).head(k)) - log_k;
  return out;
}

Vector DeepNadeModel::log_prob_impl(ConstMatrixRef x) const {
  if (orderings_.size() == 1) {
    Vector out(x.cols());
    deep_nade_log_prob<float>(weights(), shape(), orderings_[0], x, out);
    return out;
  }
  return ensemble_log_prob(log_prob_each_ordering(x), static_cast<Index>(orderings_.size()));
}

Matrix DeepNadeModel::sample(Index n, Rng& rng) const {
  const DeepNadeWeights<float> w = weights();
  const Index h = options_.hidden, d_total = dim();
  const bool two_layers = options_.layers == 2;
  // The mixture component of each sample, then ancestral sampling along its ordering, all the
  // samples of one component at once (the network runs on a batch at each position).
  std::vector<std::vector<Index>> members(orderings_.size());
  for (Index j = 0; j < n; ++j)
    members[orderings_.size() == 1 ? 0 : rng.uniform_index(orderings_.size())].push_back(j);
  Matrix x = Matrix::Zero(d_total, n);
  for (std::size_t k = 0; k < orderings_.size(); ++k) {
    const std::vector<Index>& columns = members[k];
    const Index m = static_cast<Index>(columns.size());
    if (m == 0) continue;
    Matrix value_part = Matrix::Zero(h, m), h1(h, m), h2;
    VectorF mask_part = w.b1;
    for (const Index d : orderings_[k]) {
      h1 = value_part.colwise() + mask_part;
      activate(options_.activation, h1);
      if (two_layers) {
        h2 = w.b2.replicate(1, m);
        h2.noalias() += w.W2 * h1;
        activate(options_.activation, h2);
      }
      const Eigen::RowVectorXf logit = w.V.col(d).transpose() * (two_layers ? h2 : h1);
      for (Index i = 0; i < m; ++i) {
        const double l = static_cast<double>(logit(i) + w.c(d));
        if (rng.uniform() < 1.0 / (1.0 + std::exp(-l))) {
          x(d, columns[static_cast<size_t>(i)]) = 1.0f;
          value_part.col(i) += w.W1.col(d);
        }
      }
      mask_part += w.W1.col(d_total + d);
    }
  }
  return x;
}

void DeepNadeModel::save(const H5Group& g) const {
  g.set_attr("hidden", static_cast<std::int64_t>(options_.hidden));
  g.set_attr("layers", static_cast<std::int64_t>(options_.layers));
  g.set_attr("activation", std::string(activation_name(options_.activation)));
  g.set_attr("orderings", static_cast<std::int64_t>(options_.orderings));
  g.set_attr("objective", std::string("order-agnostic (Uria et al. 2014)"));
  first_.save(g);  // orderings 1..K-1 are drawn again from its seed on load
  parameters_.save(g.create_group("parameters"));
}

// A file's ensemble size bounds the K x D orderings derived at load (10,000 x 784 is 63 MB).
constexpr std::int64_t kMaxEnsembleOrderings = 10'000;

std::unique_ptr<Model> DeepNadeModel::load(const H5Group& g, const DataSpec& spec) {
  DeepNadeOptions options;
  options.hidden = read_int_attr(g, "hidden", 1, INT64_MAX);  // checked against the stored blocks when added
  options.layers = static_cast<int>(read_int_attr(g, "layers", 1, 2));
  options.activation = parse_activation(g.attr_string("activation"));
  // The K ensemble orderings are derived (K x D indices): bounded here, as they are not stored.
  options.orderings = static_cast<int>(read_int_attr(g, "orderings", 1, kMaxEnsembleOrderings));
  options.ordering_seed = static_cast<std::uint64_t>(g.attr_int("ordering_seed"));
  options.ordering = "raster";  // replaced below by the saved ordering, which is authoritative
  const bool has_ordering = g.has("ordering");
  if (has_ordering) {
    const Ordering first = Ordering::load(g, spec.dim);  // checks D against the stored ordering first
    auto model = std::make_unique<DeepNadeModel>(spec, options);
    model->first_ = first;
    model->set_ensemble_size(options.orderings);
    model->options_.ordering = model->first_.rule();
    model->parameters_.load(g.group("parameters"));
    return model;
  }
  require_stored_dims(g, "orderings", {static_cast<std::uint64_t>(options.orderings), static_cast<std::uint64_t>(spec.dim)},
                      "attribute orderings = " + std::to_string(options.orderings) + " and data dim = " +
                          std::to_string(spec.dim));
  auto model = std::make_unique<DeepNadeModel>(spec, options);
  model->load_stored_orderings(g);
  model->options_.ordering = model->first_.rule();
  model->parameters_.load(g.group("parameters"));
  return model;
}

// Files before the Ordering type hold all K orderings as the K x D dataset "orderings".
void DeepNadeModel::load_stored_orderings(const H5Group& g) {
  std::vector<std::uint64_t> dims;
  const std::vector<std::int64_t> stored = g.read<std::int64_t>("orderings", &dims);
  const Index k_count = options_.orderings, d = dim();
  if (dims.size() != 2 || static_cast<Index>(dims[0]) != k_count || static_cast<Index>(dims[1]) != d)
    throw Error(g.where("orderings") + ": expected " + std::to_string(k_count) + " x " + std::to_string(d) +
                " orderings");
  for (Index k = 0; k < k_count; ++k) {
    const auto row = stored.begin() + k * d;
    const Ordering order = Ordering::stored(std::vector<Index>(row, row + d), g.attr_string("ordering_rule"),
                                            options_.ordering_seed, d, g.where("orderings"));
    if (k == 0) first_ = order;
    orderings_[static_cast<size_t>(k)] = order.permutation();
  }
}

}  // namespace logp
