// StarGAN (include/logp/models/gan/stargan.hpp).
#include "logp/models/gan/stargan.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

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

double grid_mean_sum(const Matrix& d) { return static_cast<double>(d.sum()) / static_cast<double>(d.rows()); }

// f(tape, x_block) -> [rows, kEvaluationBlock] over fixed blocks of x's columns (the last padded
// with copies of its first column), so a column's value does not depend on n; TBB-parallel.
template <class F>
Matrix evaluate_blocks(const Matrix& x, Index rows, const F& f) {
  Matrix out(rows, x.cols());
  const Index blocks = (x.cols() + kEvaluationBlock - 1) / kEvaluationBlock;
  tbb::parallel_for(tbb::blocked_range<Index>(0, blocks), [&](const tbb::blocked_range<Index>& range) {
    ad::Tape tape;
    for (Index b = range.begin(); b < range.end(); ++b) {
      const Index first = b * kEvaluationBlock, count = std::min(kEvaluationBlock, x.cols() - first);
      tape.clear();
      out.middleCols(first, count) = f(tape, first, count).value().leftCols(count);
    }
  });
  return out;
}

}  // namespace

StarGanModel::StarGanModel(std::string type, const DataSpec& spec, const StarGanOptions& options)
    : Model(spec),
      type_(std::move(type)),
      options_(options),
      scale_(spec),
      first_("generator", spec.dim),
      target_("target", options.classes),
      body_("generator_body", 0),
      trunk_("critic", spec.dim),
      source_("critic_source", 0),
      class_("critic_class", 0) {
  require(type_ == "stargan", "StarGanModel: type must be stargan, got " + type_);
  check_translation_image(spec, "stargan");
  require(options_.classes >= 2, "stargan: needs at least 2 classes, got " + std::to_string(options_.classes));
  require(options_.channels >= 1, "stargan: --channels must be positive, got " + std::to_string(options_.channels));
  require(options_.cycle_weight >= 0.0 && options_.class_weight >= 0.0,
          "stargan: --cycle-weight and --class-weight must be non-negative");
  const Index height = spec.shape[0], width = spec.shape[1], colors = spec.shape[2], c = options_.channels;
  first_.add_conv(generator_store_, height, width, c, 4, 2, 1);  // -> (H/2, W/2, C)
  target_.add_linear(generator_store_, first_.out_size());
  body_ = nn::LayerStack("generator_body", first_.out_size());
  add_translation_generator_body(body_, generator_store_, height, width, c, colors, scale_.bounded());
  add_patch_trunk(trunk_, discriminator_store_, height, width, c);
  source_ = nn::LayerStack("critic_source", trunk_.out_size());
  add_patch_head(source_, discriminator_store_, height, width, 1);
  class_ = nn::LayerStack("critic_class", trunk_.out_size());
  class_.add_linear(discriminator_store_, options_.classes);
}

std::string StarGanModel::hyperparameters() const {
  std::ostringstream out;
  out << "classes=" << options_.classes << ", channels=" << options_.channels
      << ", cycle_weight=" << options_.cycle_weight << ", class_weight=" << options_.class_weight;
  return out.str();
}

Matrix StarGanModel::sample(Index, Rng&) const {
  throw Error("stargan translates the images it is given and draws none: use logp translate --model M --data FILE "
              "--to CLASS");
}

void StarGanModel::initialize(Rng& rng) {
  for (const nn::LayerStack* g : {&first_, &target_, &body_}) g->initialize(generator_store_, rng, kTranslationWeightStd);
  for (const nn::LayerStack* d : {&trunk_, &source_, &class_})
    d->initialize(discriminator_store_, rng, kTranslationWeightStd);
}

Matrix StarGanModel::one_hot(std::span<const std::int64_t> classes) const {
  Matrix out = Matrix::Zero(options_.classes, static_cast<Index>(classes.size()));
  for (std::size_t j = 0; j < classes.size(); ++j) {
    require(classes[j] >= 0 && classes[j] < options_.classes, "stargan: class " + std::to_string(classes[j]) +
                                                                  " is not in [0, " + std::to_string(options_.classes) + ")");
    out(classes[j], static_cast<Index>(j)) = 1.0f;
  }
  return out;
}

ad::Var StarGanModel::generate(ad::Tape& tape, ad::Var x, ad::Var classes, std::span<float> grad) const {
  std::vector<ad::BatchNormState> none;
  const ad::Var h = ad::add(first_.forward(tape, x, generator_store_, grad, none, true),
                            target_.forward(tape, classes, generator_store_, grad, none, true));
  return body_.forward(tape, h, generator_store_, grad, none, true);
}

Index StarGanModel::target_class(const std::string& to) const {
  Index label = -1;
  const auto [end, error] = std::from_chars(to.data(), to.data() + to.size(), label);
  if (error == std::errc() && end == to.data() + to.size() && label >= 0 && label < options_.classes) return label;
  throw Error("--to '" + excerpt(to) + "': this stargan translates into classes 0.." +
              std::to_string(options_.classes - 1) + "; give a class number");
}

bool StarGanModel::translates(Index label, Index target) const {
  return label >= 0 && label < options_.classes && label != target;
}

Matrix StarGanModel::translate_training_scale(const Matrix& x, std::span<const std::int64_t> targets) const {
  const Matrix classes = one_hot(targets);
  return evaluate_blocks(x, x.rows(), [&](ad::Tape& tape, Index first, Index count) {
    Matrix xb(x.rows(), kEvaluationBlock), cb(classes.rows(), kEvaluationBlock);
    xb.leftCols(count) = x.middleCols(first, count);
    cb.leftCols(count) = classes.middleCols(first, count);
    for (Index j = count; j < kEvaluationBlock; ++j) {
      xb.col(j) = x.col(first);
      cb.col(j) = classes.col(first);
    }
    return generate(tape, tape.constant(xb), tape.constant(cb), {});
  });
}

Matrix StarGanModel::classify_training_scale(const Matrix& x) const {
  std::vector<ad::BatchNormState> none;
  return evaluate_blocks(x, options_.classes, [&](ad::Tape& tape, Index first, Index count) {
    Matrix xb(x.rows(), kEvaluationBlock);
    xb.leftCols(count) = x.middleCols(first, count);
    for (Index j = count; j < kEvaluationBlock; ++j) xb.col(j) = x.col(first);
    const ad::Var h = trunk_.forward(tape, tape.constant(xb), discriminator_store_, {}, none, false);
    return class_.forward(tape, h, discriminator_store_, {}, none, false);
  });
}

Matrix StarGanModel::translate(ConstMatrixRef x, Index target, Rng& rng) const {
  require(target >= 0 && target < options_.classes, "stargan: class " + std::to_string(target) + " is not in [0, " +
                                                          std::to_string(options_.classes) + ")");
  const std::vector<std::int64_t> targets(static_cast<std::size_t>(x.cols()), target);
  const Matrix g = translate_training_scale(scale_.to_training(x), targets);
  Matrix out(g.rows(), g.cols());
  for (Index j = 0; j < g.cols(); ++j) {
    Rng column = rng.split(static_cast<std::uint64_t>(j));
    out.col(j) = scale_.to_data(g.col(j), column);
  }
  rng.next_u64();  // the caller's stream moves on
  return out;
}

void StarGanModel::prepare(const DatasetSplit& train) {
  require(train.has_labels(), train.where() + ": has no labels (y); stargan takes its domains from the labels");
  const Index n = std::min(kPreviewImages, train.size());
  preview_ = scale_.to_training(train.read(0, n));
  preview_labels_ = train.read_labels();
  preview_labels_.resize(static_cast<std::size_t>(n));
  for (std::int64_t& y : preview_labels_) {
    require(y >= 0 && y < options_.classes, train.where() + ": label " + std::to_string(y) + " is not in [0, " +
                                                std::to_string(options_.classes) + ")");
    y = (y + 1) % options_.classes;
  }
}

Matrix StarGanModel::generate_training_scale(Index n, Rng&) const {
  require(preview_.cols() >= 1, "stargan: no training images kept (prepare was not called)");
  const Index k = std::min(n, preview_.cols());
  return translate_training_scale(preview_.leftCols(k), std::span(preview_labels_).first(static_cast<std::size_t>(k)));
}

ShardLoss StarGanModel::loss_and_grad(Player player, ConstMatrixRef real, std::span<const std::int64_t> labels,
                                      Rng& rng, GameNorms&, std::span<float> grad) const {
  const Index n = real.cols(), k = options_.classes;
  require(static_cast<Index>(labels.size()) == n, "stargan: a shard of " + std::to_string(n) + " examples has " +
                                                      std::to_string(labels.size()) + " labels");
  std::vector<std::int64_t> targets(labels.size());  // uniform among the other K - 1 classes
  for (std::size_t j = 0; j < labels.size(); ++j) {
    const auto other = static_cast<std::int64_t>(rng.uniform_index(static_cast<std::uint64_t>(k - 1)));
    targets[j] = other < labels[j] ? other : other + 1;
  }
  const bool training_g = player == Player::generator;
  const std::span<float> g_grad = training_g ? grad : std::span<float>{};
  const std::span<float> d_grad = training_g ? std::span<float>{} : grad;
  std::vector<ad::BatchNormState> none;
  ad::Tape& tape = player_tape(player);
  const ad::Var x = tape.constant(Matrix(real));
  const ad::Var source_classes = tape.constant(one_hot(labels)), target_classes = tape.constant(one_hot(targets));
  const auto lambda_cls = static_cast<float>(options_.class_weight), lambda_rec = static_cast<float>(options_.cycle_weight);
  const ad::Var fake = generate(tape, x, target_classes, g_grad);
  const ad::Var fake_features = trunk_.forward(tape, fake, discriminator_store_, d_grad, none, true);
  const ad::Var d_fake = source_.forward(tape, fake_features, discriminator_store_, d_grad, none, true);  // [P, n]
  ShardLoss out;
  out.fake_output = grid_mean_sum(d_fake.value());
  out.fake_count = n;
  ad::Var loss;
  if (!training_g) {
    const ad::Var real_features = trunk_.forward(tape, x, discriminator_store_, d_grad, none, true);
    const ad::Var d_real = source_.forward(tape, real_features, discriminator_store_, d_grad, none, true);
    const ad::Var logits = class_.forward(tape, real_features, discriminator_store_, d_grad, none, true);  // [K, n]
    loss = ad::add(ad::add(patch_least_squares(d_real, 1.0f, 0.5f), patch_least_squares(d_fake, 0.0f, 0.5f)),
                   ad::scale(class_cross_entropy(logits, source_classes), lambda_cls));
    out.real_output = grid_mean_sum(d_real.value());
    out.real_count = n;
  } else {
    const ad::Var logits = class_.forward(tape, fake_features, discriminator_store_, {}, none, true);
    const ad::Var cycle = mean_l1_loss(generate(tape, fake, source_classes, g_grad), x);
    loss = ad::add(ad::add(patch_least_squares(d_fake, 1.0f, 1.0f),
                           ad::scale(class_cross_entropy(logits, target_classes), lambda_cls)),
                   ad::scale(cycle, lambda_rec));
    out.extra = cycle.value()(0, 0);
  }
  tape.backward(loss);
  out.loss = loss.value()(0, 0);
  return out;
}

void StarGanModel::save(const H5Group& g) const {
  g.set_attr("classes", static_cast<std::int64_t>(options_.classes));
  g.set_attr("channels", static_cast<std::int64_t>(options_.channels));
  g.set_attr("cycle_weight", options_.cycle_weight);
  g.set_attr("class_weight", options_.class_weight);
  generator_store_.save(g.create_group("generator"));
  discriminator_store_.save(g.create_group("discriminator"));
}

std::unique_ptr<Model> StarGanModel::load(const H5Group& g, const DataSpec& spec) {
  StarGanOptions options;
  options.classes = read_int_attr(g, "classes", 2, 1 << 16);
  options.channels = read_int_attr(g, "channels", 1, 1 << 16);
  options.cycle_weight = read_real_attr(g, "cycle_weight", 0.0, 1e6);
  options.class_weight = read_real_attr(g, "class_weight", 0.0, 1e6);
  auto model = std::make_unique<StarGanModel>("stargan", spec, options);
  model->generator_store_.load(g.group("generator"));
  model->discriminator_store_.load(g.group("discriminator"));
  return model;
}

}  // namespace logp
