// The semi-supervised GAN (include/logp/models/gan/sgan.hpp).
#include "logp/models/gan/sgan.hpp"

#include <algorithm>

#include "logp/autodiff/ops.hpp"
#include "logp/core/error.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/model_loading.hpp"
#include "logp/models/gan/adversarial_loss.hpp"

namespace logp {
namespace {

// The stream (split of the shard's) of the discriminator's Gaussian noise and dropout masks.
constexpr std::uint64_t kNoiseStream = 0x4E4F495345ULL;  // "NOISE"

}  // namespace

template <class T>
ad::BasicVar<T> sgan_unsupervised_loss(ad::BasicVar<T> real, ad::BasicVar<T> fake) {
  // -log sigmoid(lse(real)) - log(1 - sigmoid(lse(fake))): the GAN's with lse as the logit.
  return discriminator_loss(ad::log_sum_exp(real), ad::log_sum_exp(fake), AdversarialLoss::non_saturating);
}

template <class T>
ad::BasicVar<T> sgan_generator_loss(ad::BasicVar<T> fake) {
  return generator_loss(ad::log_sum_exp(fake), AdversarialLoss::non_saturating);  // softplus(-lse)
}

template <class T>
ad::BasicVar<T> sgan_feature_matching_loss(ad::BasicVar<T> real, ad::BasicVar<T> fake) {
  require(real.rows() == fake.rows() && real.cols() > 0 && fake.cols() > 0,
          "sgan_feature_matching_loss: features of " + std::to_string(real.rows()) + " and " +
              std::to_string(fake.rows()) + " rows on " + std::to_string(real.cols()) + " and " +
              std::to_string(fake.cols()) + " examples");
  ad::BasicTape<T>& tape = *fake.tape;
  const auto column_mean = [&](ad::BasicVar<T> f) {  // [F, n] x [n, 1] -> [F, 1]
    return ad::matmul(f, tape.constant(ad::MatrixOf<T>::Constant(f.cols(), 1, T(1) / static_cast<T>(f.cols()))));
  };
  const ad::BasicVar<T> difference = ad::sub(column_mean(real), column_mean(fake));  // [F, 1]
  return ad::scale(ad::sum(ad::square(difference)), static_cast<T>(fake.cols()));
}

std::string sgan_generator_loss_name(SganGeneratorLoss loss) {
  switch (loss) {
    case SganGeneratorLoss::feature_matching: return "feature-matching";
    case SganGeneratorLoss::non_saturating: return "non-saturating";
  }
  return "unknown";
}

SganGeneratorLoss parse_sgan_generator_loss(const std::string& text) {
  for (SganGeneratorLoss loss : {SganGeneratorLoss::feature_matching, SganGeneratorLoss::non_saturating})
    if (sgan_generator_loss_name(loss) == text) return loss;
  throw Error("unknown sgan generator loss '" + text + "' (feature-matching, non-saturating)");
}

template <class T>
ad::BasicVar<T> sgan_supervised_loss(ad::BasicVar<T> logits, std::span<const std::int64_t> labels) {
  const Index classes = logits.rows(), n = logits.cols();
  require(static_cast<Index>(labels.size()) == n, "sgan_supervised_loss: " + std::to_string(labels.size()) +
                                                      " labels for " + std::to_string(n) + " examples");
  ad::MatrixOf<T> minus_one_hot = ad::MatrixOf<T>::Zero(classes, n);  // [K, n]
  for (Index j = 0; j < n; ++j) {
    const std::int64_t y = labels[static_cast<std::size_t>(j)];
    require(y >= 0 && y < classes, "sgan_supervised_loss: label " + std::to_string(y) + " outside [0, " +
                                       std::to_string(classes) + ")");
    minus_one_hot(static_cast<Index>(y), j) = T(-1);
  }
  return ad::sum(ad::mul(ad::log_softmax(logits), logits.tape->constant(minus_one_hot)));
}

std::vector<Index> choose_labelled_examples(std::span<const std::int64_t> labels, Index classes, Index per_class,
                                            std::uint64_t seed) {
  require(classes >= 1 && per_class >= 1, "choose_labelled_examples: classes and labels per class must be positive");
  std::vector<std::vector<Index>> by_class(static_cast<std::size_t>(classes));
  for (std::size_t i = 0; i < labels.size(); ++i) {
    require(labels[i] >= 0 && labels[i] < classes, "label " + std::to_string(labels[i]) + " of example " +
                                                       std::to_string(i) + " is outside [0, " +
                                                       std::to_string(classes) + ")");
    by_class[static_cast<std::size_t>(labels[i])].push_back(static_cast<Index>(i));
  }
  const Rng streams = Rng(seed).split(0x4C4142454CULL);  // "LABEL"
  std::vector<Index> chosen;
  for (Index k = 0; k < classes; ++k) {
    std::vector<Index>& pool = by_class[static_cast<std::size_t>(k)];
    Rng rng = streams.split(static_cast<std::uint64_t>(k));
    const Index take = std::min<Index>(per_class, static_cast<Index>(pool.size()));
    for (Index i = 0; i < take; ++i) {  // a partial Fisher-Yates shuffle: the first `take` entries
      const auto j = i + static_cast<Index>(rng.uniform_index(static_cast<std::uint64_t>(pool.size()) - i));
      std::swap(pool[static_cast<std::size_t>(i)], pool[static_cast<std::size_t>(j)]);
    }
    chosen.insert(chosen.end(), pool.begin(), pool.begin() + take);
  }
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

Index classes_of_labels(const DatasetSplit& train) {
  if (!train.has_labels())
    throw Error(train.where() + ": has no labels (y); this model needs a labelled training split");
  const std::vector<std::int64_t> labels = train.read_labels();
  require(!labels.empty(), train.where() + ": no examples");
  const auto [low, high] = std::minmax_element(labels.begin(), labels.end());
  require(*low >= 0, train.where() + ": labels must be class indices 0, 1, ...; found " + std::to_string(*low));
  require(*high >= 1, train.where() + ": the labels name a single class; a classifier needs at least 2");
  return static_cast<Index>(*high + 1);
}

SganModel::SganModel(std::string type, DataSpec spec, const SganOptions& options)
    : NetworkGame(std::move(type), spec,
                  GanNetworks(spec, options.network, options.network.latent, std::max<Index>(1, options.classes))),
      options_(options) {
  require(options_.classes >= 2, "sgan: needs at least 2 classes, got " + std::to_string(options_.classes));
  require(options_.labels_per_class >= 1,
          "sgan: --labels-per-class must be positive, got " + std::to_string(options_.labels_per_class));
}

std::string SganModel::hyperparameters() const {
  return networks_.describe() + ", generator_loss=" + sgan_generator_loss_name(options_.generator_loss) +
         ", classes=" + std::to_string(options_.classes) +
         ", labels_per_class=" + std::to_string(options_.labels_per_class) +
         ", label_seed=" + std::to_string(options_.label_seed) +
         (options_.supervised_only ? ", supervised_only" : "");
}

void SganModel::prepare(const DatasetSplit& train) {
  if (!train.has_labels())
    throw Error(train.where() + ": has no labels (y); the semi-supervised GAN needs a labelled training split");
  const std::vector<std::int64_t> labels = train.read_labels();
  labelled_indices_ =
      choose_labelled_examples(labels, options_.classes, options_.labels_per_class, options_.label_seed);
  const auto m = static_cast<Index>(labelled_indices_.size());
  labelled_x_.resize(dim(), m);
  labelled_y_.resize(static_cast<std::size_t>(m));
  Index next = 0;  // the next chosen index to fill (they are increasing)
  for_each_batch(train, 4096, [&](Index first, const Matrix& batch) {
    for (; next < m && labelled_indices_[static_cast<std::size_t>(next)] < first + batch.cols(); ++next) {
      const Index i = labelled_indices_[static_cast<std::size_t>(next)];
      labelled_x_.col(next) = batch.col(i - first);
      labelled_y_[static_cast<std::size_t>(next)] = labels[static_cast<std::size_t>(i)];
    }
  });
  labelled_x_ = to_training_scale(labelled_x_);
}

Matrix SganModel::generate_training_scale(Index n, Rng& rng) const {
  return networks_.generate(networks_.draw_latent(n, rng));
}

Matrix SganModel::sample(Index n, Rng& rng) const {
  const Matrix g = generate_training_scale(n, rng);
  return networks_.scale.to_data(g, rng);
}

std::vector<std::int64_t> SganModel::classify(ConstMatrixRef x) const {
  require(x.rows() == dim(), "sgan classify: examples have " + std::to_string(x.rows()) + " values, the model " +
                                 std::to_string(dim()));
  const Matrix logits = networks_.discriminate(to_training_scale(x));  // [K, N]
  std::vector<std::int64_t> labels(static_cast<std::size_t>(x.cols()));
  for (Index j = 0; j < logits.cols(); ++j) {
    Index best = 0;
    logits.col(j).maxCoeff(&best);
    labels[static_cast<std::size_t>(j)] = best;
  }
  return labels;
}

ShardLoss SganModel::loss_and_grad(Player player, ConstMatrixRef real, std::span<const std::int64_t> /*labels*/,
                                   Rng& rng, GameNorms& norms, std::span<float> grad) const {
  require(!labelled_y_.empty(), "sgan: no labelled examples (prepare() was not called with the training split)");
  const Index n = real.cols();
  auto& g_norms = norms[static_cast<std::size_t>(Player::generator)];
  auto& d_norms = norms[static_cast<std::size_t>(Player::discriminator)];
  const nn::LayerStack& d_net = networks_.discriminator;
  const ParameterStore& d_store = networks_.discriminator_store;
  ShardLoss out;
  ad::Tape& tape = player_tape(player);
  if (player == Player::generator) {
    if (options_.supervised_only) return out;  // the baseline leaves the generator alone
    const ad::Var z = tape.constant(networks_.draw_latent(n, rng));  // [latent, n]
    Rng noise = rng.split(kNoiseStream);  // the discriminator's noise and dropout, after the latents
    const ad::Var fake = networks_.generator.forward(tape, z, networks_.generator_store, grad, g_norms, true);
    // D frozen. Feature matching stops at the penultimate features (before the regularizers of the
    // last layer); the rest still runs on the generated features for the progress lines' D(G(z))
    // (its node gets no gradient).
    const Index penultimate = d_net.penultimate_layers();
    ad::Var loss;
    ad::Var logits;  // [K, n]
    if (options_.generator_loss == SganGeneratorLoss::feature_matching) {
      const ad::Var real_features = tape.constant(  // [F, n], no gradient
          d_net.forward_prefix(tape, tape.constant(real), d_store, {}, d_norms, true, penultimate, &noise).value());
      const ad::Var fake_features = d_net.forward_prefix(tape, fake, d_store, {}, d_norms, true, penultimate, &noise);
      loss = sgan_feature_matching_loss(real_features, fake_features);
      logits = d_net.forward_suffix(tape, tape.constant(fake_features.value()), d_store, {}, d_norms, true,
                                    penultimate, &noise);
    } else {
      logits = d_net.forward(tape, fake, d_store, {}, d_norms, true, &noise);
      loss = sgan_generator_loss(logits);
    }
    tape.backward(loss);
    out.loss = loss.value()(0, 0);
    out.fake_output = discriminator_output_sum(ad::log_sum_exp(logits).value(), AdversarialLoss::non_saturating);
    out.fake_count = n;
    return out;
  }
  // The shard's draws: latents first (as every GAN of the family), then the labelled examples.
  const Matrix z = networks_.draw_latent(n, rng);
  Matrix labelled(dim(), n);
  std::vector<std::int64_t> labels(static_cast<std::size_t>(n));
  for (Index j = 0; j < n; ++j) {
    const auto i = static_cast<Index>(rng.uniform_index(labelled_y_.size()));
    labelled.col(j) = labelled_x_.col(i);
    labels[static_cast<std::size_t>(j)] = labelled_y_[static_cast<std::size_t>(i)];
  }
  // The discriminator's noise and dropout, after those draws: the labelled examples' first, so the
  // supervised-only baseline draws the same noise on them as the semi-supervised model.
  Rng noise = rng.split(kNoiseStream);
  const ad::Var labelled_logits =
      d_net.forward(tape, tape.constant(labelled), d_store, grad, d_norms, true, &noise);
  const ad::Var supervised = sgan_supervised_loss(labelled_logits, labels);
  ad::Var loss = supervised;
  if (options_.supervised_only) {  // D(x) of the progress lines: on the labelled examples
    out.real_output =
        discriminator_output_sum(ad::log_sum_exp(labelled_logits).value(), AdversarialLoss::non_saturating);
  } else {
    // The generator is frozen: its fakes enter as values.
    const ad::Var fake =
        networks_.generator.forward(tape, tape.constant(z), networks_.generator_store, {}, g_norms, true);
    const ad::Var real_logits = d_net.forward(tape, tape.constant(real), d_store, grad, d_norms, true, &noise);
    const ad::Var fake_logits = d_net.forward(tape, fake, d_store, grad, d_norms, true, &noise);
    loss = ad::add(supervised, sgan_unsupervised_loss(real_logits, fake_logits));
    out.real_output = discriminator_output_sum(ad::log_sum_exp(real_logits).value(), AdversarialLoss::non_saturating);
    out.fake_output = discriminator_output_sum(ad::log_sum_exp(fake_logits).value(), AdversarialLoss::non_saturating);
    out.fake_count = n;
  }
  tape.backward(loss);
  out.loss = loss.value()(0, 0);
  out.extra = supervised.value()(0, 0);
  out.real_count = n;
  return out;
}

void SganModel::save(const H5Group& g) const {
  save_network_options(g, options_.network);
  g.set_attr("generator_loss", sgan_generator_loss_name(options_.generator_loss));
  g.set_attr("classes", static_cast<std::int64_t>(options_.classes));
  g.set_attr("labels_per_class", static_cast<std::int64_t>(options_.labels_per_class));
  g.set_attr("label_seed", static_cast<std::int64_t>(options_.label_seed));
  g.set_attr("supervised_only", static_cast<std::int64_t>(options_.supervised_only ? 1 : 0));
  g.set_attr("labelled_count", static_cast<std::int64_t>(labelled_indices_.size()));
  const std::vector<std::int64_t> indices(labelled_indices_.begin(), labelled_indices_.end());
  if (!indices.empty())  // empty for a model never trained
    g.write<std::int64_t>("labelled_indices", {static_cast<std::uint64_t>(indices.size())}, indices.data());
  networks_.save(g);
}

std::unique_ptr<Model> SganModel::load(std::string type, const H5Group& g, const DataSpec& spec) {
  SganOptions options;
  options.network = load_network_options(g);
  // Files written before the option existed trained with the non-saturating loss.
  options.generator_loss = g.has_attr("generator_loss") ? parse_sgan_generator_loss(g.attr_string("generator_loss"))
                                                        : SganGeneratorLoss::non_saturating;
  options.classes = read_int_attr(g, "classes", 2, INT64_MAX);  // sizes are checked against the stored blocks
  options.labels_per_class = read_int_attr(g, "labels_per_class", 0, INT64_MAX);
  options.label_seed = static_cast<std::uint64_t>(g.attr_int("label_seed"));
  options.supervised_only = g.attr_int("supervised_only") != 0;
  auto model = std::make_unique<SganModel>(std::move(type), spec, options);
  model->networks_.load(g);
  const std::int64_t labelled_count = read_int_attr(g, "labelled_count", 0, INT64_MAX);
  if (labelled_count > 0 || g.has("labelled_indices"))
    require_stored_dims(g, "labelled_indices", {static_cast<std::uint64_t>(labelled_count)},
                        "attribute labelled_count = " + std::to_string(labelled_count));
  const std::vector<std::int64_t> indices =
      g.has("labelled_indices") ? g.read<std::int64_t>("labelled_indices") : std::vector<std::int64_t>{};
  model->labelled_indices_.assign(indices.begin(), indices.end());
  return model;
}

#define LOGP_INSTANTIATE(T)                                                                              \
  template ad::BasicVar<T> sgan_unsupervised_loss(ad::BasicVar<T>, ad::BasicVar<T>);                     \
  template ad::BasicVar<T> sgan_generator_loss(ad::BasicVar<T>);                                         \
  template ad::BasicVar<T> sgan_feature_matching_loss(ad::BasicVar<T>, ad::BasicVar<T>);                 \
  template ad::BasicVar<T> sgan_supervised_loss(ad::BasicVar<T>, std::span<const std::int64_t>);
LOGP_INSTANTIATE(float)
LOGP_INSTANTIATE(double)
#undef LOGP_INSTANTIATE

}  // namespace logp
