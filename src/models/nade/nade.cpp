#include "logp/models/nade/nade.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "logp/core/error.hpp"
#include "logp/core/text.hpp"
#include "logp/io/h5.hpp"
#include "logp/nn/init.hpp"
#include "logp/train/epoch_batches.hpp"

namespace logp {
namespace {

std::vector<Index> parse_index_list(const std::string& text, const std::string& where) {
  std::vector<Index> values;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    item.erase(0, item.find_first_not_of(" \t\n\r"));
    item.erase(item.find_last_not_of(" \t\n\r") + 1);
    if (item.empty()) continue;
    try {
      values.push_back(std::stol(item));
    } catch (const std::exception&) {
      throw Error(where + ": '" + item + "' is not a dimension index");
    }
  }
  return values;
}

void check_permutation(const std::vector<Index>& order, Index dim, const std::string& where) {
  if (static_cast<Index>(order.size()) != dim)
    throw Error(where + ": the ordering has " + std::to_string(order.size()) + " entries, the data has D=" +
                std::to_string(dim));
  std::vector<bool> seen(static_cast<size_t>(dim), false);
  for (Index d : order) {
    if (d < 0 || d >= dim || seen[static_cast<size_t>(d)])
      throw Error(where + ": the ordering is not a permutation of 0.." + std::to_string(dim - 1) + " (entry " +
                  std::to_string(d) + ")");
    seen[static_cast<size_t>(d)] = true;
  }
}

}  // namespace

void require_nade_activation(Activation activation, const std::string& model) {
  require(activation == Activation::sigmoid || activation == Activation::relu,
          model + ": activation " + activation_name(activation) + " is not one of sigmoid, relu");
}

std::string describe_ordering(const std::string& ordering, std::uint64_t ordering_seed) {
  if (ordering == "random") return "random(seed " + std::to_string(ordering_seed) + ")";
  return ordering == "raster" ? "raster" : "given";
}

std::vector<Index> make_ordering(const NadeOptions& options, Index dim) {
  std::vector<Index> order;
  if (options.ordering == "raster") {
    for (Index d = 0; d < dim; ++d) order.push_back(d);
  } else if (options.ordering == "random") {
    Rng rng(options.ordering_seed);
    order = random_permutation(dim, rng);
  } else if (!options.ordering.empty() && options.ordering[0] == '@') {
    const std::string path = options.ordering.substr(1);
    std::ifstream in(path);
    if (!in) throw Error(path + ": cannot read the ordering file");
    std::stringstream text;
    text << in.rdbuf();
    std::string list = text.str();
    std::replace_if(list.begin(), list.end(), [](char ch) { return ch == '\n' || ch == ' '; }, ',');
    order = parse_index_list(list, path);
  } else {
    order = parse_index_list(options.ordering, "--ordering");
  }
  check_permutation(order, dim, options.ordering == "random" || options.ordering == "raster" ? "--ordering"
                                                                                            : options.ordering);
  return order;
}

NadeModel::NadeModel(DataSpec spec, NadeOptions options)
    : TrainableDensity(std::move(spec)), options_(std::move(options)) {
  require_nade_activation(options_.activation, std::string(type()));
  if (data_spec().kind != DataKind::binary)
    throw Error("nade: needs binary data, got " + data_spec().describe() + " (RNADE is for real data)");
  require(options_.hidden > 0, "nade: --hidden must be positive, got " + std::to_string(options_.hidden));
  order_ = make_ordering(options_, dim());
  w_ = parameters_.add("W", options_.hidden, dim());
  v_ = parameters_.add("V", options_.hidden, dim());
  b_ = parameters_.add("b", dim(), 1);
  c_ = parameters_.add("c", options_.hidden, 1);
}

std::string NadeModel::hyperparameters() const {
  std::ostringstream out;
  out << "hidden=" << options_.hidden << ", activation=" << activation_name(options_.activation)
      << ", ordering=" << describe_ordering(options_.ordering, options_.ordering_seed) << " (single ordering)";
  return out.str();
}

void NadeModel::initialize(Rng& rng) {
  // Weights ~ N(0, 1/D) for W (inputs sum over D) and N(0, 1/H) for V; biases 0.
  const std::span<float> values = parameters_.values();
  std::fill(values.begin(), values.end(), 0.0f);
  const float w_scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(dim())));
  const float v_scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(options_.hidden)));
  nn::fill_normal(parameters_.matrix(w_), w_scale, rng);
  nn::fill_normal(parameters_.matrix(v_), v_scale, rng);
}

NadeWeights<float> NadeModel::weights() const {
  const ParameterStore& p = parameters();
  const Eigen::Map<const Matrix> W = p.matrix(w_), V = p.matrix(v_), b = p.matrix(b_), c = p.matrix(c_);
  return {Eigen::Map<const Matrix>(W.data(), W.rows(), W.cols()), Eigen::Map<const Matrix>(V.data(), V.rows(), V.cols()),
          Eigen::Map<const VectorF>(b.data(), b.rows()), Eigen::Map<const VectorF>(c.data(), c.rows())};
}

Vector NadeModel::log_prob_impl(ConstMatrixRef x) const {
  Vector out(x.cols());
  nade_log_prob<float>(weights(), order_, options_.activation, x, out);
  return out;
}

double NadeModel::objective_and_grad(ConstMatrixRef x, Rng&, std::span<float> grad) const {
  const ParameterStore& p = parameters();
  NadeGradients<float> g{p.block(w_).in(grad), p.block(v_).in(grad),
                         Eigen::Map<VectorF>(grad.data() + p.block(b_).offset, dim()),
                         Eigen::Map<VectorF>(grad.data() + p.block(c_).offset, options_.hidden)};
  return nade_nll_and_grad<float>(weights(), order_, options_.activation, x, g);
}

Matrix NadeModel::sample(Index n, Rng& rng) const {
  const NadeWeights<float> w = weights();
  Matrix x = Matrix::Zero(dim(), n);
  VectorF a(options_.hidden), h(options_.hidden);
  for (Index j = 0; j < n; ++j) {
    a = w.c;
    for (const Index d : order_) {
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
  g.set_attr("ordering_rule", options_.ordering.empty() || options_.ordering[0] == '@' ? std::string("given")
                                                                                       : options_.ordering);
  g.set_attr("ordering_seed", static_cast<std::int64_t>(options_.ordering_seed));
  std::vector<std::int64_t> order(order_.begin(), order_.end());
  g.write<std::int64_t>("ordering", {order.size()}, order.data());
  parameters_.save(g.create_group("parameters"));
}

std::unique_ptr<Model> NadeModel::load(const H5Group& g, const DataSpec& spec) {
  NadeOptions options;
  options.hidden = g.attr_int("hidden");
  options.activation = parse_activation(g.attr_string("activation"));
  options.ordering_seed = static_cast<std::uint64_t>(g.attr_int("ordering_seed"));
  const std::vector<std::int64_t> stored = g.read<std::int64_t>("ordering");
  std::vector<std::string> entries;
  for (std::int64_t d : stored) entries.push_back(std::to_string(d));
  options.ordering = join(entries, ",");  // the saved permutation is authoritative
  auto model = std::make_unique<NadeModel>(spec, options);
  model->options_.ordering = g.attr_string("ordering_rule");
  model->parameters_.load(g.group("parameters"));
  return model;
}

}  // namespace logp
