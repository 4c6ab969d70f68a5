// InfoGAN (include/logp/models/gan/infogan.hpp).
#include "logp/models/gan/infogan.hpp"

#include <algorithm>
#include <limits>
#include <sstream>

#include "logp/autodiff/ops.hpp"
#include "logp/core/error.hpp"
#include "logp/eval/assignment.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/model_loading.hpp"
#include "logp/models/gan/adversarial_loss.hpp"

namespace logp {

template <class T>
ad::BasicVar<T> information_loss(ad::BasicVar<T> q, ad::BasicVar<T> codes, Index categories, T continuous_weight) {
  const Index continuous = q.rows() - categories;
  require(categories >= 1 && continuous >= 0 && codes.rows() == q.rows() && codes.cols() == q.cols(),
          "information_loss: q and codes must both be [K + C, n] with K >= 1");
  // Categorical: -sum_k onehot_k log softmax(logits)_k.  [K, n] -> [1, 1]
  ad::BasicVar<T> loss = ad::scale(
      ad::sum(ad::mul(ad::slice_rows(codes, 0, categories), ad::log_softmax(ad::slice_rows(q, 0, categories)))), T(-1));
  if (continuous > 0) {  // unit-variance Gaussian NLL without its constant: (u - mean)^2 / 2.  [C, n] -> [1, 1]
    const ad::BasicVar<T> diff = ad::sub(ad::slice_rows(codes, categories, continuous), ad::slice_rows(q, categories, continuous));
    loss = ad::add(loss, ad::scale(ad::sum(ad::square(diff)), continuous_weight / T(2)));
  }
  return loss;
}

template ad::BasicVar<float> information_loss(ad::BasicVar<float>, ad::BasicVar<float>, Index, float);
template ad::BasicVar<double> information_loss(ad::BasicVar<double>, ad::BasicVar<double>, Index, double);

InfoGanModel::InfoGanModel(std::string type, DataSpec spec, const InfoGanOptions& options)
    : NetworkGame(type, spec,
                  GanNetworks(spec, options.network, options.network.latent + options.categories + options.continuous,
                              1 + options.categories + options.continuous)),
      options_(options) {
  require(type == "infogan", "InfoGanModel: type must be infogan, got " + type);
  require(options.categories >= 1, "infogan: --categories must be positive, got " + std::to_string(options.categories));
  require(options.continuous >= 0, "infogan: --continuous must be >= 0, got " + std::to_string(options.continuous));
  require(options.info_weight >= 0.0 && options.continuous_weight >= 0.0,
          "infogan: --info-weight and --continuous-weight must be >= 0");
}

std::string InfoGanModel::hyperparameters() const {
  std::ostringstream out;
  out << networks_.describe() << ", categories=" << options_.categories << ", continuous=" << options_.continuous
      << ", info_weight=" << options_.info_weight << ", continuous_weight=" << options_.continuous_weight;
  return out.str();
}

Matrix InfoGanModel::draw_inputs(Index n, Rng& rng) const {
  const Index latent = options_.network.latent, k = options_.categories;
  Matrix inputs = Matrix::Zero(latent + k + options_.continuous, n);
  for (Index j = 0; j < n; ++j) {
    for (Index i = 0; i < latent; ++i) inputs(i, j) = static_cast<float>(rng.normal());
    inputs(latent + static_cast<Index>(rng.uniform_index(static_cast<std::uint64_t>(k))), j) = 1.0f;
    for (Index c = 0; c < options_.continuous; ++c)
      inputs(latent + k + c, j) = static_cast<float>(2.0 * rng.uniform() - 1.0);
  }
  return inputs;
}

Matrix InfoGanModel::generate_training_scale(Index n, Rng& rng) const { return networks_.generate(draw_inputs(n, rng)); }

Matrix InfoGanModel::sample(Index n, Rng& rng) const {
  Matrix inputs(networks_.generator.in_size(), n);
  std::vector<Rng> streams;
  for (Index j = 0; j < n; ++j) {
    streams.push_back(rng.split(static_cast<std::uint64_t>(j)));
    inputs.col(j) = draw_inputs(1, streams.back());
  }
  const Matrix g = networks_.generate(inputs);
  Matrix out(g.rows(), n);
  for (Index j = 0; j < n; ++j) out.col(j) = networks_.scale.to_data(g.col(j), streams[static_cast<std::size_t>(j)]);
  return out;
}

Matrix InfoGanModel::code_grid(Index n_per_row, Rng& rng) const {
  require(n_per_row >= 1, "code_grid: needs at least one column, got " + std::to_string(n_per_row));
  const Index latent = options_.network.latent, k = options_.categories;
  Matrix base(networks_.generator.in_size(), n_per_row);
  for (Index c = 0; c < n_per_row; ++c) {
    Rng column = rng.split(static_cast<std::uint64_t>(c));
    base.col(c) = draw_inputs(1, column);
  }
  base.middleRows(latent, k).setZero();
  Matrix inputs(base.rows(), k * n_per_row);
  for (Index r = 0; r < k; ++r) {
    inputs.middleCols(r * n_per_row, n_per_row) = base;
    inputs.row(latent + r).segment(r * n_per_row, n_per_row).setOnes();
  }
  const Matrix g = networks_.generate(inputs);
  Rng rounding = rng.split(0x47524944ULL);  // "GRID"
  return networks_.scale.to_data(g, rounding);
}

std::vector<Index> InfoGanModel::predict_codes(ConstMatrixRef x) const {
  require(x.rows() == dim(), "infogan: predict_codes needs D=" + std::to_string(dim()) + " rows, got " +
                                 std::to_string(x.rows()));
  const Matrix out = networks_.discriminate(to_training_scale(x));
  std::vector<Index> codes(static_cast<std::size_t>(x.cols()));
  for (Index j = 0; j < x.cols(); ++j) out.col(j).segment(1, options_.categories).maxCoeff(&codes[static_cast<std::size_t>(j)]);
  return codes;
}

ShardLoss InfoGanModel::loss_and_grad(Player player, ConstMatrixRef real, std::span<const std::int64_t> /*labels*/,
                                      Rng& rng, GameNorms& norms, std::span<float> grad) const {
  const Index n = real.cols(), k = options_.categories, codes_size = k + options_.continuous;
  auto& g_norms = norms[static_cast<std::size_t>(Player::generator)];
  auto& d_norms = norms[static_cast<std::size_t>(Player::discriminator)];
  const Matrix inputs = draw_inputs(n, rng);
  ad::Tape& tape = player_tape(player);
  const ad::Var z = tape.constant(inputs);                                              // [latent + K + C, n]
  const ad::Var codes = tape.constant(inputs.bottomRows(codes_size));                  // [K + C, n]
  const bool d_player = player == Player::discriminator;
  const std::span<float> g_grad = d_player ? std::span<float>() : grad;
  const std::span<float> d_grad = d_player ? grad : std::span<float>();
  const ad::Var fake = networks_.generator.forward(tape, z, networks_.generator_store, g_grad, g_norms, true);
  const ad::Var d_fake = networks_.discriminator.forward(tape, fake, networks_.discriminator_store, d_grad, d_norms, true);
  const ad::Var fake_logit = ad::slice_rows(d_fake, 0, 1);                              // [1, n]
  const ad::Var info = information_loss(ad::slice_rows(d_fake, 1, codes_size), codes, k,
                                        static_cast<float>(options_.continuous_weight));
  ShardLoss out;
  ad::Var adversarial;
  if (d_player) {
    const ad::Var d_real = networks_.discriminator.forward(tape, tape.constant(real), networks_.discriminator_store,
                                                           d_grad, d_norms, true);
    const ad::Var real_logit = ad::slice_rows(d_real, 0, 1);
    adversarial = discriminator_loss(real_logit, fake_logit, AdversarialLoss::non_saturating);
    out.real_output = discriminator_output_sum(real_logit.value(), AdversarialLoss::non_saturating);
    out.real_count = n;
  } else {
    adversarial = generator_loss(fake_logit, AdversarialLoss::non_saturating);
  }
  const ad::Var loss = ad::add(adversarial, ad::scale(info, static_cast<float>(options_.info_weight)));
  tape.backward(loss);
  out.loss = loss.value()(0, 0);
  out.extra = d_player ? 0.0 : info.value()(0, 0);  // the trainer adds both players' extras: count it once
  out.fake_output = discriminator_output_sum(fake_logit.value(), AdversarialLoss::non_saturating);
  out.fake_count = n;
  return out;
}

void InfoGanModel::save(const H5Group& g) const {
  save_network_options(g, options_.network);
  g.set_attr("categories", static_cast<std::int64_t>(options_.categories));
  g.set_attr("continuous", static_cast<std::int64_t>(options_.continuous));
  g.set_attr("info_weight", options_.info_weight);
  g.set_attr("continuous_weight", options_.continuous_weight);
  networks_.save(g);
}

std::unique_ptr<Model> InfoGanModel::load(const H5Group& g, const DataSpec& spec) {
  InfoGanOptions options;
  options.network = load_network_options(g);
  options.categories = read_int_attr(g, "categories", 0, INT64_MAX);  // sizes are checked against the stored blocks
  options.continuous = read_int_attr(g, "continuous", 0, INT64_MAX);
  options.info_weight = read_real_attr(g, "info_weight", 0.0, std::numeric_limits<double>::max());
  options.continuous_weight = read_real_attr(g, "continuous_weight", 0.0, std::numeric_limits<double>::max());
  auto model = std::make_unique<InfoGanModel>("infogan", spec, options);
  model->networks_.load(g);
  return model;
}

CodeAccuracy matched_code_accuracy(const std::vector<Index>& codes, const std::vector<std::int64_t>& labels,
                                   Index categories) {
  require(codes.size() == labels.size() && !codes.empty(),
          "code accuracy: needs as many labels as codes (" + std::to_string(codes.size()) + " codes, " +
              std::to_string(labels.size()) + " labels), at least one");
  const std::int64_t top = *std::max_element(labels.begin(), labels.end());
  require(*std::min_element(labels.begin(), labels.end()) >= 0, "code accuracy: labels must be >= 0");
  CodeAccuracy result;
  result.confusion = MatrixD::Zero(categories, static_cast<Index>(top) + 1);
  for (std::size_t i = 0; i < codes.size(); ++i) {
    require(codes[i] >= 0 && codes[i] < categories, "code accuracy: code out of range");
    result.confusion(codes[i], static_cast<Index>(labels[i])) += 1.0;
  }
  result.class_of_code = maximize_assignment(result.confusion);
  double matched = 0.0;
  for (Index c = 0; c < categories; ++c) {
    const Index cls = result.class_of_code[static_cast<std::size_t>(c)];
    if (cls >= 0) matched += result.confusion(c, cls);
  }
  result.accuracy = matched / static_cast<double>(codes.size());
  return result;
}

CodeAccuracy categorical_code_accuracy(const InfoGanModel& model, ConstMatrixRef x,
                                       const std::vector<std::int64_t>& labels) {
  return matched_code_accuracy(model.predict_codes(x), labels, model.options().categories);
}

}  // namespace logp
