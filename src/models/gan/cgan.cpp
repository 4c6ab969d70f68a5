// The conditional and text-to-image GAN (include/logp/models/gan/cgan.hpp).
#include "logp/models/gan/cgan.hpp"

#include <sstream>

#include "logp/autodiff/ops.hpp"
#include "logp/core/error.hpp"
#include "logp/core/text.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/gan/adversarial_loss.hpp"
#include "logp/models/model_loading.hpp"

namespace logp {

std::string condition_kind_name(ConditionKind kind) { return kind == ConditionKind::text ? "text" : "label"; }

ConditionKind parse_condition_kind(const std::string& text) {
  if (text == "label") return ConditionKind::label;
  if (text == "text") return ConditionKind::text;
  throw Error("unknown condition '" + excerpt(text) + "' (label, text)");
}

template <class T>
ad::BasicVar<T> projection_logit(ad::BasicVar<T> outputs, ad::BasicVar<T> embedding) {
  const Index e = outputs.rows() - 1;
  require(e >= 1 && embedding.rows() == e && embedding.cols() == outputs.cols(),
          "projection_logit: outputs must be [1 + E, n] and the embedding [E, n]");
  // [1, n] + sum over rows of [E, n] .* [E, n]
  return ad::add(ad::slice_rows(outputs, 0, 1), ad::sum_rows(ad::mul(ad::slice_rows(outputs, 1, e), embedding)));
}

template <class T>
ad::BasicVar<T> matching_aware_loss(ad::BasicVar<T> d_real, ad::BasicVar<T> d_wrong, ad::BasicVar<T> d_fake,
                                    T mismatch_weight) {
  const ad::BasicVar<T> real = ad::sum(ad::softplus(ad::scale(d_real, T(-1))));
  const ad::BasicVar<T> fake = ad::scale(ad::sum(ad::softplus(d_fake)), T(1) - mismatch_weight);
  const ad::BasicVar<T> wrong = ad::scale(ad::sum(ad::softplus(d_wrong)), mismatch_weight);
  return ad::add(real, ad::add(wrong, fake));
}

#define LOGP_INSTANTIATE(T)                                                                                \
  template ad::BasicVar<T> projection_logit(ad::BasicVar<T>, ad::BasicVar<T>);                              \
  template ad::BasicVar<T> matching_aware_loss(ad::BasicVar<T>, ad::BasicVar<T>, ad::BasicVar<T>, T);
LOGP_INSTANTIATE(float)
LOGP_INSTANTIATE(double)
#undef LOGP_INSTANTIATE

namespace {

// V: the condition's size.
Index condition_inputs(const CganOptions& options) {
  if (options.condition == ConditionKind::label) return options.classes;
  return Vocabulary(options.descriptions.training).size();
}

}  // namespace

ConditionalGanModel::ConditionalGanModel(std::string type, DataSpec spec, const CganOptions& options)
    : NetworkGame(type, spec,
                  GanNetworks(spec, options.network, options.network.latent + condition_inputs(options),
                              1 + options.embedding)),
      options_(options),
      condition_("condition", condition_inputs(options)) {
  require(type == "cgan", "ConditionalGanModel: type must be cgan, got " + type);
  require(options_.classes >= 2, "cgan: needs at least 2 classes, got " + std::to_string(options_.classes));
  require(options_.embedding >= 1, "cgan: --embedding must be positive, got " + std::to_string(options_.embedding));
  require(options_.mismatch_weight >= 0.0 && options_.mismatch_weight <= 1.0,
          "cgan: --mismatch-weight must be in [0, 1], got " + std::to_string(options_.mismatch_weight));
  if (options_.condition == ConditionKind::text) {
    vocabulary_ = Vocabulary(options_.descriptions.training);
    require(vocabulary_.size() >= 1, "cgan: the descriptions have no words");
    class_wordings_.resize(static_cast<std::size_t>(options_.classes));
    const auto& wordings = options_.descriptions.training;
    wording_bags_.resize(vocabulary_.size(), static_cast<Index>(wordings.size()));
    for (std::size_t w = 0; w < wordings.size(); ++w) {
      require(wordings[w].label >= 0 && wordings[w].label < options_.classes,
              "cgan: a wording's class " + std::to_string(wordings[w].label) + " is not in [0, " +
                  std::to_string(options_.classes) + ")");
      wording_bags_.col(static_cast<Index>(w)) = vocabulary_.bag(wordings[w].text);
      class_wordings_[static_cast<std::size_t>(wordings[w].label)].push_back(static_cast<Index>(w));
    }
    for (Index k = 0; k < options_.classes; ++k)
      require(!class_wordings_[static_cast<std::size_t>(k)].empty(),
              "cgan: class " + std::to_string(k) + " has no description");
  }
  condition_.add_linear(networks_.discriminator_store, options_.embedding);
}

Index ConditionalGanModel::condition_size() const { return condition_.in_size(); }

std::string ConditionalGanModel::hyperparameters() const {
  std::ostringstream out;
  out << networks_.describe() << ", condition=" << condition_kind_name(options_.condition)
      << ", classes=" << options_.classes << ", embedding=" << options_.embedding
      << ", mismatch_weight=" << options_.mismatch_weight;
  if (options_.condition == ConditionKind::text)
    out << ", vocabulary=" << vocabulary_.size() << ", wordings=" << options_.descriptions.training.size();
  return out.str();
}

void ConditionalGanModel::initialize(Rng& rng) {
  networks_.initialize(rng);
  const float std = options_.network.architecture == GanArchitecture::dcgan ? 0.02f : 0.0f;
  condition_.initialize(networks_.discriminator_store, rng, std);
}

VectorF ConditionalGanModel::draw_condition(Index label, Rng& rng) const {
  require(label >= 0 && label < options_.classes, "cgan: label " + std::to_string(label) + " is not a class in [0, " +
                                                      std::to_string(options_.classes) + ")");
  if (options_.condition == ConditionKind::label) {
    VectorF c = VectorF::Zero(options_.classes);
    c(label) = 1.0f;
    return c;
  }
  const std::vector<Index>& columns = class_wordings_[static_cast<std::size_t>(label)];
  return wording_bags_.col(columns[rng.uniform_index(columns.size())]);
}

Matrix ConditionalGanModel::sample_conditions(const Matrix& conditions, Rng& rng) const {
  const Index n = conditions.cols(), latent = options_.network.latent;
  Matrix inputs(latent + condition_size(), n);
  std::vector<Rng> streams;
  for (Index j = 0; j < n; ++j) {
    streams.push_back(rng.split(static_cast<std::uint64_t>(j)));
    inputs.col(j).head(latent) = networks_.draw_latent(1, streams.back());
  }
  inputs.bottomRows(condition_size()) = conditions;
  rng.next_u64();  // the caller's stream moves on
  const Matrix g = networks_.generate(inputs);
  Matrix out(g.rows(), n);
  for (Index j = 0; j < n; ++j) out.col(j) = networks_.scale.to_data(g.col(j), streams[static_cast<std::size_t>(j)]);
  return out;
}

Matrix ConditionalGanModel::sample_label(Index label, Index n, Rng& rng) const {
  Matrix conditions(condition_size(), n);
  for (Index j = 0; j < n; ++j) {
    Rng column = rng.split(0x434f4e44ULL).split(static_cast<std::uint64_t>(j));  // "COND"
    conditions.col(j) = draw_condition(label, column);
  }
  return sample_conditions(conditions, rng);
}

Matrix ConditionalGanModel::sample_text(const std::string& text, Index n, Rng& rng) const {
  if (options_.condition != ConditionKind::text)
    throw Error("text '" + excerpt(text) + "': this cgan is conditioned on labels (--condition label); give a label");
  const VectorF bag = vocabulary_.bag(text);
  return sample_conditions(bag.replicate(1, n), rng);
}

Matrix ConditionalGanModel::sample(Index n, Rng& rng) const {
  Matrix conditions(condition_size(), n);
  for (Index j = 0; j < n; ++j) {
    Rng column = rng.split(0x434f4e44ULL).split(static_cast<std::uint64_t>(j));
    const auto label = static_cast<Index>(column.uniform_index(static_cast<std::uint64_t>(options_.classes)));
    conditions.col(j) = draw_condition(label, column);
  }
  return sample_conditions(conditions, rng);
}

Matrix ConditionalGanModel::generate_training_scale(Index n, Rng& rng) const {
  Matrix inputs(options_.network.latent + condition_size(), n);
  inputs.topRows(options_.network.latent) = networks_.draw_latent(n, rng);
  for (Index j = 0; j < n; ++j) {
    const auto label = static_cast<Index>(rng.uniform_index(static_cast<std::uint64_t>(options_.classes)));
    inputs.col(j).tail(condition_size()) = draw_condition(label, rng);
  }
  return networks_.generate(inputs);
}

ShardLoss ConditionalGanModel::loss_and_grad(Player player, ConstMatrixRef real, std::span<const std::int64_t> labels,
                                             Rng& rng, GameNorms& norms, std::span<float> grad) const {
  const Index n = real.cols(), latent = options_.network.latent, v = condition_size();
  require(static_cast<Index>(labels.size()) == n, "cgan: a shard of " + std::to_string(n) + " examples has " +
                                                      std::to_string(labels.size()) + " labels");
  // Draws, in this order: z, the shard's conditions, (discriminator) the wrong classes' conditions.
  Matrix inputs(latent + v, n);  // [z; c]
  inputs.topRows(latent) = networks_.draw_latent(n, rng);
  for (Index j = 0; j < n; ++j) {
    const std::int64_t y = labels[static_cast<std::size_t>(j)];
    require(y >= 0 && y < options_.classes, "cgan: label " + std::to_string(y) + " is not a class in [0, " +
                                                std::to_string(options_.classes) + ")");
    inputs.col(j).tail(v) = draw_condition(static_cast<Index>(y), rng);
  }
  auto& g_norms = norms[static_cast<std::size_t>(Player::generator)];
  auto& d_norms = norms[static_cast<std::size_t>(Player::discriminator)];
  const ParameterStore& d_store = networks_.discriminator_store;
  std::vector<ad::BatchNormState> no_norms;  // the encoder has no batch norm
  ad::Tape& tape = player_tape(player);
  const ad::Var g_in = tape.constant(inputs);
  const ad::Var c = tape.constant(inputs.bottomRows(v));  // [V, n]
  ShardLoss out;
  if (player == Player::discriminator) {
    Matrix wrong(v, n);  // another class's condition for each example
    for (Index j = 0; j < n; ++j) {
      const auto other = static_cast<Index>(rng.uniform_index(static_cast<std::uint64_t>(options_.classes - 1)));
      const Index y = labels[static_cast<std::size_t>(j)];
      wrong.col(j) = draw_condition(other < y ? other : other + 1, rng);
    }
    const ad::Var fake = networks_.generator.forward(tape, g_in, networks_.generator_store, {}, g_norms, true);
    const ad::Var e_right = condition_.forward(tape, c, d_store, grad, no_norms, true);  // [E, n]
    const ad::Var e_wrong = condition_.forward(tape, tape.constant(wrong), d_store, grad, no_norms, true);
    const ad::Var o_real = networks_.discriminator.forward(tape, tape.constant(real), d_store, grad, d_norms, true);
    const ad::Var o_fake = networks_.discriminator.forward(tape, fake, d_store, grad, d_norms, true);
    const ad::Var d_real = projection_logit(o_real, e_right), d_wrong = projection_logit(o_real, e_wrong),
                  d_fake = projection_logit(o_fake, e_right);  // [1, n] each
    const ad::Var loss = matching_aware_loss(d_real, d_wrong, d_fake, static_cast<float>(options_.mismatch_weight));
    tape.backward(loss);
    out.loss = loss.value()(0, 0);
    out.real_output = discriminator_output_sum(d_real.value(), AdversarialLoss::non_saturating);
    out.fake_output = discriminator_output_sum(d_fake.value(), AdversarialLoss::non_saturating);
    out.extra = discriminator_output_sum(d_wrong.value(), AdversarialLoss::non_saturating);
    out.real_count = out.fake_count = n;
    return out;
  }
  // The discriminator and its encoder are frozen: the gradient flows to the generator only.
  const ad::Var fake = networks_.generator.forward(tape, g_in, networks_.generator_store, grad, g_norms, true);
  const ad::Var e_right = condition_.forward(tape, c, d_store, {}, no_norms, true);
  const ad::Var d_fake = projection_logit(networks_.discriminator.forward(tape, fake, d_store, {}, d_norms, true), e_right);
  const ad::Var loss = generator_loss(d_fake, AdversarialLoss::non_saturating);
  tape.backward(loss);
  out.loss = loss.value()(0, 0);
  out.fake_output = discriminator_output_sum(d_fake.value(), AdversarialLoss::non_saturating);
  out.fake_count = n;
  return out;
}

void ConditionalGanModel::save(const H5Group& g) const {
  save_network_options(g, options_.network);
  g.set_attr("condition", condition_kind_name(options_.condition));
  g.set_attr("classes", static_cast<std::int64_t>(options_.classes));
  g.set_attr("embedding", static_cast<std::int64_t>(options_.embedding));
  g.set_attr("mismatch_weight", options_.mismatch_weight);
  if (options_.condition == ConditionKind::text) {
    g.set_attr("class_names", join(options_.descriptions.class_names, "\n"));
    g.set_attr("wordings", wordings_to_lines(options_.descriptions.training));
    g.set_attr("held_out_wordings", wordings_to_lines(options_.descriptions.held_out));
  }
  networks_.save(g);
}

std::unique_ptr<Model> ConditionalGanModel::load(const H5Group& g, const DataSpec& spec) {
  CganOptions options;
  options.network = load_network_options(g);
  options.condition = parse_condition_kind(g.attr_string("condition"));
  options.classes = read_int_attr(g, "classes", 2, 1 << 20);
  options.embedding = read_int_attr(g, "embedding", 1, 1 << 20);
  options.mismatch_weight = read_real_attr(g, "mismatch_weight", 0.0, 1.0);
  if (options.condition == ConditionKind::text) {
    std::istringstream names(g.attr_string("class_names"));
    for (std::string name; std::getline(names, name);) options.descriptions.class_names.push_back(name);
    options.descriptions.training = wordings_from_lines(g.attr_string("wordings"), options.classes, g.where("wordings"));
    options.descriptions.held_out =
        wordings_from_lines(g.attr_string("held_out_wordings"), options.classes, g.where("held_out_wordings"));
  }
  auto model = std::make_unique<ConditionalGanModel>("cgan", spec, options);
  model->networks_.load(g);
  return model;
}

}  // namespace logp
