// CycleGAN (include/logp/models/gan/cyclegan.hpp).
#include "logp/models/gan/cyclegan.hpp"

#include <charconv>
#include <sstream>

#include "logp/autodiff/ops.hpp"
#include "logp/core/error.hpp"
#include "logp/core/text.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/gan/translation_loss.hpp"
#include "logp/models/gan/translation_networks.hpp"
#include "logp/models/model_loading.hpp"

namespace logp {
namespace {

constexpr Index kPreviewImages = 256;

// The columns of real whose label is `label`, as one [D, k] matrix.
Matrix columns_of(ConstMatrixRef real, std::span<const std::int64_t> labels, Index label) {
  std::vector<Index> kept;
  for (std::size_t j = 0; j < labels.size(); ++j)
    if (labels[j] == label) kept.push_back(static_cast<Index>(j));
  Matrix out(real.rows(), static_cast<Index>(kept.size()));
  for (std::size_t k = 0; k < kept.size(); ++k) out.col(static_cast<Index>(k)) = real.col(kept[k]);
  return out;
}

// Sum over images of the mean output of each image's grid d: [P, n].
double grid_mean_sum(const Matrix& d) { return static_cast<double>(d.sum()) / static_cast<double>(d.rows()); }

}  // namespace

CycleGanModel::CycleGanModel(std::string type, const DataSpec& spec, const CycleGanOptions& options)
    : Model(spec),
      type_(std::move(type)),
      options_(options),
      scale_(spec),
      a_to_b_("a_to_b", spec.dim),
      b_to_a_("b_to_a", spec.dim),
      critic_a_("critic_a", spec.dim),
      critic_b_("critic_b", spec.dim) {
  require(type_ == "cyclegan", "CycleGanModel: type must be cyclegan, got " + type_);
  check_translation_image(spec, "cyclegan");
  require(options_.domain_a >= 0 && options_.domain_b >= 0 && options_.domain_a != options_.domain_b,
          "cyclegan: --domain-a and --domain-b must be two different classes, got " +
              std::to_string(options_.domain_a) + " and " + std::to_string(options_.domain_b));
  require(options_.channels >= 1, "cyclegan: --channels must be positive, got " + std::to_string(options_.channels));
  require(options_.cycle_weight >= 0.0 && options_.identity_fraction >= 0.0,
          "cyclegan: --cycle-weight and --identity-fraction must be non-negative");
  const Index height = spec.shape[0], width = spec.shape[1], colors = spec.shape[2];
  for (nn::LayerStack* g : {&a_to_b_, &b_to_a_})
    add_translation_generator(*g, generator_store_, height, width, options_.channels, colors, scale_.bounded());
  for (nn::LayerStack* d : {&critic_a_, &critic_b_})
    add_patch_discriminator(*d, discriminator_store_, height, width, options_.channels, 1);
}

std::string CycleGanModel::hyperparameters() const {
  std::ostringstream out;
  out << "domain_a=" << options_.domain_a << ", domain_b=" << options_.domain_b << ", channels=" << options_.channels
      << ", cycle_weight=" << options_.cycle_weight << ", identity_fraction=" << options_.identity_fraction;
  return out.str();
}

Matrix CycleGanModel::sample(Index, Rng&) const {
  throw Error("cyclegan translates the images it is given and draws none: use logp translate --model M --data FILE "
              "--to A|B");
}

void CycleGanModel::initialize(Rng& rng) {
  a_to_b_.initialize(generator_store_, rng, kTranslationWeightStd);
  b_to_a_.initialize(generator_store_, rng, kTranslationWeightStd);
  critic_a_.initialize(discriminator_store_, rng, kTranslationWeightStd);
  critic_b_.initialize(discriminator_store_, rng, kTranslationWeightStd);
}

Index CycleGanModel::target_class(const std::string& to) const {
  if (to == "A" || to == "a") return options_.domain_a;
  if (to == "B" || to == "b") return options_.domain_b;
  Index label = -1;
  const auto [end, error] = std::from_chars(to.data(), to.data() + to.size(), label);
  if (error == std::errc() && end == to.data() + to.size() && (label == options_.domain_a || label == options_.domain_b))
    return label;
  throw Error("--to '" + excerpt(to) + "': this cyclegan translates between class " + std::to_string(options_.domain_a) +
              " (A) and class " + std::to_string(options_.domain_b) + " (B); give A, B, " +
              std::to_string(options_.domain_a) + " or " + std::to_string(options_.domain_b));
}

bool CycleGanModel::translates(Index label, Index target) const {
  return (target == options_.domain_b && label == options_.domain_a) ||
         (target == options_.domain_a && label == options_.domain_b);
}

Matrix CycleGanModel::translate_training_scale(const Matrix& x, Index target) const {
  require(target == options_.domain_a || target == options_.domain_b,
          "cyclegan: class " + std::to_string(target) + " is neither domain");
  const nn::LayerStack& g = target == options_.domain_b ? a_to_b_ : b_to_a_;
  return evaluate_network(g, generator_store_, norms_[static_cast<std::size_t>(Player::generator)], x);  // no norms
}

Matrix CycleGanModel::translate(ConstMatrixRef x, Index target, Rng& rng) const {
  const Matrix g = translate_training_scale(scale_.to_training(x), target);
  Matrix out(g.rows(), g.cols());
  for (Index j = 0; j < g.cols(); ++j) {
    Rng column = rng.split(static_cast<std::uint64_t>(j));
    out.col(j) = scale_.to_data(g.col(j), column);
  }
  rng.next_u64();  // the caller's stream moves on
  return out;
}

void CycleGanModel::prepare(const DatasetSplit& train) {
  require(train.has_labels(), train.where() + ": has no labels (y); cyclegan takes its two domains from the labels");
  const std::vector<std::int64_t> labels = train.read_labels();
  Index count_a = 0, count_b = 0;
  std::vector<Index> preview;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] == options_.domain_a && count_a++ < kPreviewImages) preview.push_back(static_cast<Index>(i));
    count_b += labels[i] == options_.domain_b;
  }
  for (const auto& [name, label, count] : {std::tuple{"A", options_.domain_a, count_a}, {"B", options_.domain_b, count_b}})
    require(count >= 2, train.where() + ": has " + std::to_string(count) + " examples of domain " + name + " (class " +
                            std::to_string(label) + "); cyclegan needs at least 2 of each domain");
  preview_.resize(data_spec().dim, static_cast<Index>(preview.size()));
  for (std::size_t k = 0; k < preview.size(); ++k)
    preview_.col(static_cast<Index>(k)) = scale_.to_training(train.read(preview[k], 1)).col(0);
}

Matrix CycleGanModel::generate_training_scale(Index n, Rng&) const {
  require(preview_.cols() >= 1, "cyclegan: no domain-A images kept (prepare was not called)");
  return translate_training_scale(preview_.leftCols(std::min(n, preview_.cols())), options_.domain_b);
}

ShardLoss CycleGanModel::loss_and_grad(Player player, ConstMatrixRef real, std::span<const std::int64_t> labels, Rng&,
                                       GameNorms&, std::span<float> grad) const {
  require(static_cast<Index>(labels.size()) == real.cols(), "cyclegan: a shard of " + std::to_string(real.cols()) +
                                                                " examples has " + std::to_string(labels.size()) + " labels");
  const Matrix a = columns_of(real, labels, options_.domain_a), b = columns_of(real, labels, options_.domain_b);
  ShardLoss out;
  if (a.cols() + b.cols() == 0) return out;  // no image of either domain in this shard
  const bool training_g = player == Player::generator;
  const std::span<float> g_grad = training_g ? grad : std::span<float>{};  // the frozen player: constants
  const std::span<float> d_grad = training_g ? std::span<float>{} : grad;
  std::vector<ad::BatchNormState> none;
  ad::Tape& tape = player_tape(player);
  std::vector<ad::Var> terms;
  const auto add = [&](ad::Var term, float weight) { terms.push_back(weight == 1.0f ? term : ad::scale(term, weight)); };
  const auto lambda = static_cast<float>(options_.cycle_weight);
  const auto lambda_id = static_cast<float>(options_.cycle_weight * options_.identity_fraction);
  // One direction: real images x of one domain, translated by `to` and back by `back`, judged by
  // `judge` (the other domain's critic) and `own` (their own domain's critic).
  const auto direction = [&](const Matrix& x, const nn::LayerStack& to, const nn::LayerStack& back,
                             const nn::LayerStack& own, const nn::LayerStack& judge) {
    if (x.cols() == 0) return;
    const ad::Var vx = tape.constant(x);
    const ad::Var fake = to.forward(tape, vx, generator_store_, g_grad, none, true);  // [D, n]
    if (!training_g) {
      const ad::Var d_real = own.forward(tape, vx, discriminator_store_, d_grad, none, true);     // [P, n]
      const ad::Var d_fake = judge.forward(tape, fake, discriminator_store_, d_grad, none, true);  // [P, n]
      add(patch_least_squares(d_real, 1.0f, 0.5f), 1.0f);
      add(patch_least_squares(d_fake, 0.0f, 0.5f), 1.0f);
      out.real_output += grid_mean_sum(d_real.value());
      out.fake_output += grid_mean_sum(d_fake.value());
      out.real_count += x.cols();
      out.fake_count += x.cols();
      return;
    }
    const ad::Var d_fake = judge.forward(tape, fake, discriminator_store_, {}, none, true);
    add(patch_least_squares(d_fake, 1.0f, 1.0f), 1.0f);
    const ad::Var cycle = mean_l1_loss(back.forward(tape, fake, generator_store_, g_grad, none, true), vx);
    add(cycle, lambda);
    if (lambda_id > 0.0f) add(mean_l1_loss(back.forward(tape, vx, generator_store_, g_grad, none, true), vx), lambda_id);
    out.fake_output += grid_mean_sum(d_fake.value());
    out.fake_count += x.cols();
    out.extra += cycle.value()(0, 0);
  };
  direction(a, a_to_b_, b_to_a_, critic_a_, critic_b_);
  direction(b, b_to_a_, a_to_b_, critic_b_, critic_a_);
  ad::Var loss = terms.front();
  for (std::size_t k = 1; k < terms.size(); ++k) loss = ad::add(loss, terms[k]);
  tape.backward(loss);
  out.loss = loss.value()(0, 0);
  return out;
}

void CycleGanModel::save(const H5Group& g) const {
  g.set_attr("domain_a", static_cast<std::int64_t>(options_.domain_a));
  g.set_attr("domain_b", static_cast<std::int64_t>(options_.domain_b));
  g.set_attr("channels", static_cast<std::int64_t>(options_.channels));
  g.set_attr("cycle_weight", options_.cycle_weight);
  g.set_attr("identity_fraction", options_.identity_fraction);
  generator_store_.save(g.create_group("generator"));
  discriminator_store_.save(g.create_group("discriminator"));
}

std::unique_ptr<Model> CycleGanModel::load(const H5Group& g, const DataSpec& spec) {
  CycleGanOptions options;
  options.domain_a = read_int_attr(g, "domain_a", 0, 1 << 20);
  options.domain_b = read_int_attr(g, "domain_b", 0, 1 << 20);
  options.channels = read_int_attr(g, "channels", 1, 1 << 16);
  options.cycle_weight = read_real_attr(g, "cycle_weight", 0.0, 1e6);
  options.identity_fraction = read_real_attr(g, "identity_fraction", 0.0, 1e6);
  auto model = std::make_unique<CycleGanModel>("cyclegan", spec, options);
  model->generator_store_.load(g.group("generator"));
  model->discriminator_store_.load(g.group("discriminator"));
  return model;
}

}  // namespace logp
