// The adversarial trainer (include/logp/models/gan/adversarial_trainer.hpp).
#include "logp/models/gan/adversarial_trainer.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "logp/core/error.hpp"
#include "logp/io/atomic_output.hpp"
#include "logp/io/h5.hpp"
#include "logp/nn/layer_stack.hpp"
#include "logp/train/checkpoint.hpp"
#include "logp/train/epoch_batches.hpp"

namespace logp {
namespace {

constexpr Index kDiversityExamples = 256;
const char* player_name(Player p) { return p == Player::discriminator ? "discriminator" : "generator"; }

// One player's update: shard buffers kept between steps.
class PlayerStep {
 public:
  PlayerStep(Player player, Index parameters, const OptimizerOptions& options)
      : player_(player), optimizer_(options, parameters), total_(static_cast<std::size_t>(parameters)) {}

  // Computes the player's gradient on real (D x n) over shards, updates its parameters, merges
  // the shards' batch statistics into game.norms(). Returns the summed shard losses.
  // labels: real's labels for a conditional game, else empty.
  ShardLoss run(AdversarialGame& game, const Matrix& real, std::span<const std::int64_t> labels, Index shard_size,
                const Rng& rng, int epoch, Index step) {
    const Index n = real.cols(), shards = (n + shard_size - 1) / shard_size;
    const std::size_t size = total_.size();
    if (static_cast<Index>(grads_.size()) < shards) {
      grads_.resize(static_cast<std::size_t>(shards), std::vector<float>(size));
      norms_.resize(static_cast<std::size_t>(shards));
      losses_.resize(static_cast<std::size_t>(shards));
    }
    const GameNorms& master = game.norms();
    tbb::parallel_for(tbb::blocked_range<Index>(0, shards, 1), [&](const tbb::blocked_range<Index>& range) {
      for (Index s = range.begin(); s < range.end(); ++s) {
        const auto k = static_cast<std::size_t>(s);
        const Index first = s * shard_size, count = std::min(shard_size, n - first);
        std::fill(grads_[k].begin(), grads_[k].end(), 0.0f);
        norms_[k] = master;  // pending statistics are empty in the master copies
        Rng shard_rng = rng.split(static_cast<std::uint64_t>(s));
        const std::span<const std::int64_t> shard_labels =
            labels.empty() ? labels : labels.subspan(static_cast<std::size_t>(first), static_cast<std::size_t>(count));
        losses_[k] = game.loss_and_grad(player_, real.middleCols(first, count), shard_labels, shard_rng, norms_[k],
                                        grads_[k]);
      }
    }, tbb::simple_partitioner());
    ShardLoss sum;
    std::fill(total_.begin(), total_.end(), 0.0f);
    for (Index s = 0; s < shards; ++s) {  // shard order: the same float sums for any thread count
      const auto k = static_cast<std::size_t>(s);
      for (std::size_t i = 0; i < size; ++i) total_[i] += grads_[k][i];
      sum.loss += losses_[k].loss;
      sum.real_output += losses_[k].real_output;
      sum.fake_output += losses_[k].fake_output;
      sum.real_count += losses_[k].real_count;
      sum.fake_count += losses_[k].fake_count;
      sum.extra += losses_[k].extra;
    }
    const float inv_n = 1.0f / static_cast<float>(n);
    bool finite = std::isfinite(sum.loss);
    for (float& g : total_) {
      g *= inv_n;
      finite = finite && std::isfinite(g);
    }
    if (!finite)
      throw Error("adversarial training diverged at epoch " + std::to_string(epoch + 1) + ", step " +
                  std::to_string(step + 1) + ": the " + player_name(player_) + "'s loss or gradient is not finite (" +
                  std::to_string(sum.loss / static_cast<double>(n)) + " per example)");
    optimizer_.step(game.parameters(player_).values(), total_, epoch);
    GameNorms& merged = game.norms();
    for (std::size_t p = 0; p < merged.size(); ++p)
      for (std::size_t i = 0; i < merged[p].size(); ++i) {
        for (Index s = 0; s < shards; ++s) ad::merge_batch_statistics(merged[p][i], norms_[static_cast<std::size_t>(s)][p][i]);
        ad::fold_batch_statistics(merged[p][i]);
      }
    return sum;
  }

  Optimizer& optimizer() { return optimizer_; }

 private:
  Player player_;
  Optimizer optimizer_;
  std::vector<float> total_;
  std::vector<std::vector<float>> grads_;  // per shard
  std::vector<GameNorms> norms_;           // per shard
  std::vector<ShardLoss> losses_;          // per shard
};

struct Checkpoint {
  int epochs_done = 0;
  Index steps = 0;
};

void save_norms(const H5Group& g, const GameNorms& norms) {
  for (Player p : kPlayers) nn::LayerStack::save_norm_states(g.create_group(player_name(p)), norms[static_cast<std::size_t>(p)]);
}

void load_norms(const H5Group& g, GameNorms& norms) {
  for (Player p : kPlayers) nn::LayerStack::load_norm_states(g.group(player_name(p)), norms[static_cast<std::size_t>(p)]);
}

// "N labels, fnv1a64 H": FNV-1a over the labels' 64-bit values, one step per label.
std::string labels_fingerprint(const std::vector<std::int64_t>& labels) {
  std::uint64_t hash = 14695981039346656037ull;
  for (std::int64_t y : labels) hash = (hash ^ static_cast<std::uint64_t>(y)) * 1099511628211ull;
  std::ostringstream text;
  text << labels.size() << " labels, fnv1a64 " << std::hex << std::setw(16) << std::setfill('0') << hash;
  return text.str();
}

// Every setting that changes the trained game (see CheckpointKey); --epochs and --max-steps only
// say where to stop. labels: a conditional game's training labels (else empty).
CheckpointKey adversarial_key(const AdversarialGame& game, const DatasetSplit& train, const AdversarialTrainOptions& options,
                              const std::vector<std::int64_t>& labels) {
  CheckpointKey key;
  key.add("model", std::string(game.trained_model().type()));
  key.add("hyperparameters", game.trained_model().hyperparameters());
  key.add("seed", std::to_string(options.seed));
  key.add("batch size", std::to_string(options.batch_size));
  key.add("shard size", std::to_string(options.shard_size));
  key.add("discriminator steps", std::to_string(options.discriminator_steps));
  key.add("training data", data_fingerprint(train));
  if (game.conditional()) key.add("training labels", labels_fingerprint(labels));
  add_optimizer_settings(key, "discriminator ", options.discriminator_optimizer);
  add_optimizer_settings(key, "generator ", options.generator_optimizer);
  return key;
}

void save_checkpoint(const std::string& path, const AdversarialGame& game, const CheckpointKey& key,
                     std::array<PlayerStep*, 2> steps, const Checkpoint& state) {
  AtomicOutput output(path);
  {
    const H5File file = H5File::create(output.temp_path());
    const H5Group root = file.root();
    root.set_attr("format", std::string("logp-adversarial-checkpoint"));
    save_key(root.create_group("settings"), key);
    root.set_attr("epochs_done", static_cast<std::int64_t>(state.epochs_done));
    root.set_attr("steps", static_cast<std::int64_t>(state.steps));
    for (Player p : kPlayers) {
      const H5Group g = root.create_group(player_name(p));
      game.parameters(p).save(g.create_group("parameters"));
      steps[static_cast<std::size_t>(p)]->optimizer().save(g.create_group("optimizer"));
    }
    save_norms(root.create_group("norms"), game.norms());
    file.flush();
  }
  output.commit();
}

Checkpoint load_checkpoint(const std::string& path, AdversarialGame& game, const CheckpointKey& key,
                           std::array<PlayerStep*, 2> steps) {
  const H5File file = H5File::open(path);
  const H5Group root = file.root();
  require(root.has_attr("format") && root.attr_string("format") == "logp-adversarial-checkpoint",
          path + ": not a logp adversarial-training checkpoint");
  require(root.has("settings"),
          path + ": the checkpoint does not record its settings (an older logp?); start afresh without --resume");
  check_key(root.group("settings"), key, path);
  for (Player p : kPlayers) {
    const H5Group g = root.group(player_name(p));
    game.parameters(p).load(g.group("parameters"));
    steps[static_cast<std::size_t>(p)]->optimizer().load(g.group("optimizer"));
  }
  load_norms(root.group("norms"), game.norms());
  return {static_cast<int>(root.attr_int("epochs_done")), root.attr_int("steps")};
}

void write_log_line(const std::string& path, const AdversarialEpoch& e, const std::string& extra_name) {
  std::ofstream out(path, std::ios::app);
  require(static_cast<bool>(out), path + ": cannot append to the training log");
  nlohmann::json line{{"epoch", e.epoch + 1},
                      {"discriminator_loss", e.discriminator_loss},
                      {"generator_loss", e.generator_loss},
                      {"d_real", e.real_output},
                      {"d_fake", e.fake_output},
                      {"diversity_ratio", e.diversity_ratio},
                      {"collapse_suspected", e.collapse_suspected},
                      {"seconds", e.seconds}};
  if (!extra_name.empty()) line[extra_name] = e.extra;
  out << line.dump() << "\n";
  require(static_cast<bool>(out.flush()), path + ": write failed (disk full?)");
}

}  // namespace

double mean_pairwise_distance(const Matrix& x) {
  require(x.cols() >= 2, "mean_pairwise_distance: needs at least 2 columns, got " + std::to_string(x.cols()));
  const MatrixD xd = x.cast<double>();
  const Eigen::VectorXd norms = xd.colwise().squaredNorm().transpose();
  const MatrixD gram = xd.transpose() * xd;
  double sum = 0.0;
  for (Index j = 0; j < xd.cols(); ++j)
    for (Index i = j + 1; i < xd.cols(); ++i) sum += std::sqrt(std::max(0.0, norms(i) + norms(j) - 2.0 * gram(i, j)));
  return sum / (0.5 * static_cast<double>(xd.cols()) * static_cast<double>(xd.cols() - 1));
}

AdversarialTrainResult train_adversarial(AdversarialGame& game, const DatasetSplit& train,
                                         const AdversarialTrainOptions& options, std::ostream* progress) {
  require(options.batch_size >= 1 && options.shard_size >= 1 && options.epochs >= 1 &&
              options.discriminator_steps >= 1,
          "adversarial training: batch size, shard size, epochs and discriminator steps must be positive");
  require(train.size() >= 2, train.where() + ": adversarial training needs at least 2 examples");
  game.prepare(train);
  PlayerStep discriminator(Player::discriminator, game.parameters(Player::discriminator).size(),
                           options.discriminator_optimizer);
  PlayerStep generator(Player::generator, game.parameters(Player::generator).size(), options.generator_optimizer);
  std::vector<std::int64_t> labels, batch_labels;  // a conditional game's training labels, and a batch's
  if (game.conditional()) {
    require(train.has_labels(), train.where() + ": has no labels (y); a conditional GAN needs a labelled training split");
    labels = train.read_labels();
  }
  Checkpoint state;
  const CheckpointKey key = options.checkpoint.empty() ? CheckpointKey{} : adversarial_key(game, train, options, labels);
  if (options.resume && !options.checkpoint.empty() && std::filesystem::exists(options.checkpoint)) {
    state = load_checkpoint(options.checkpoint, game, key, {&discriminator, &generator});
    if (!options.log.empty()) truncate_log_after(options.log, state.epochs_done);
    if (progress) *progress << "resumed from " << options.checkpoint << " after epoch " << state.epochs_done << "\n";
  }
  const Matrix reference =
      game.to_training_scale(train.read(0, std::min<Index>(kDiversityExamples, train.size())));
  const double reference_distance = mean_pairwise_distance(reference);
  const Rng step_streams = Rng(options.seed).split(0x5354455053ULL);  // "STEPS"
  EpochBatches batches(train, options.batch_size);
  AdversarialTrainResult result;
  double step_seconds = 0.0;  // time in training steps only (not checks, logs or checkpoints)
  Index examples = 0;
  int epochs_this_run = 0;
  for (int epoch = state.epochs_done; epoch < options.epochs; ++epoch) {
    if (options.max_steps > 0 && state.steps >= options.max_steps) break;
    const auto epoch_start = std::chrono::steady_clock::now();
    ShardLoss d_sum, g_sum;
    batches.for_each_indexed(options.seed, epoch, [&](Index, const Matrix& batch, std::span<const Index> indices) {
      if (options.max_steps > 0 && state.steps >= options.max_steps) return;
      const auto step_start = std::chrono::steady_clock::now();
      game.at_step(state.steps);
      const Matrix real = game.to_training_scale(batch);
      batch_labels.clear();
      if (!labels.empty())
        for (Index i : indices) batch_labels.push_back(labels[static_cast<std::size_t>(i)]);
      const Rng rng = step_streams.split(static_cast<std::uint64_t>(state.steps));
      for (int k = 0; k < options.discriminator_steps; ++k) {
        const ShardLoss d = discriminator.run(game, real, batch_labels, options.shard_size, rng.split(static_cast<std::uint64_t>(k)),
                                              epoch, state.steps);
        d_sum.loss += d.loss / options.discriminator_steps;
        d_sum.real_output += d.real_output / options.discriminator_steps;
        d_sum.fake_output += d.fake_output / options.discriminator_steps;
        d_sum.real_count += k == 0 ? d.real_count : 0;
        d_sum.fake_count += k == 0 ? d.fake_count : 0;
        d_sum.extra += d.extra / options.discriminator_steps;
      }
      const ShardLoss g = generator.run(game, real, batch_labels, options.shard_size, rng.split(0x47454EULL), epoch, state.steps);
      g_sum.loss += g.loss;
      g_sum.extra += g.extra;
      examples += real.cols();
      step_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - step_start).count();
      ++state.steps;
      ++result.steps;
    });
    game.at_step(std::max<Index>(0, state.steps - 1));
    AdversarialEpoch e;
    e.epoch = epoch;
    const double n = static_cast<double>(std::max<Index>(1, d_sum.real_count));
    e.discriminator_loss = d_sum.loss / n;
    e.generator_loss = g_sum.loss / n;
    e.real_output = d_sum.real_output / n;
    e.fake_output = d_sum.fake_output / static_cast<double>(std::max<Index>(1, d_sum.fake_count));
    e.extra = (d_sum.extra + g_sum.extra) / n;
    Rng diversity_rng = Rng(options.seed).split(0x444956ULL);  // the same latents every epoch
    e.diversity_ratio = mean_pairwise_distance(game.generate_training_scale(reference.cols(), diversity_rng)) /
                        std::max(reference_distance, 1e-30);
    e.collapse_suspected = e.diversity_ratio < options.collapse_ratio;
    if (e.collapse_suspected && result.collapse_epoch < 0) result.collapse_epoch = epoch;
    e.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start).count();
    state.epochs_done = epoch + 1;
    result.epochs.push_back(e);
    if (progress) {
      *progress << std::fixed << std::setprecision(4) << "epoch " << epoch + 1 << "/" << options.epochs << ": D loss "
                << e.discriminator_loss << ", G loss " << e.generator_loss << ", D(x) " << e.real_output
                << ", D(G(z)) " << e.fake_output;
      if (!game.extra_name().empty()) *progress << ", " << game.extra_name() << " " << e.extra;
      if (!game.progress_note().empty()) *progress << ", " << game.progress_note();
      *progress << std::setprecision(2) << ", sample diversity " << e.diversity_ratio << " of the data's, "
                << std::setprecision(1) << e.seconds << " s" << std::defaultfloat << "\n";
      if (e.collapse_suspected)
        *progress << "warning: mode collapse suspected at epoch " << epoch + 1 << ": generated examples are "
                  << e.diversity_ratio << " times as spread as the data (below " << options.collapse_ratio << ")\n";
    }
    if (!options.log.empty()) write_log_line(options.log, e, game.extra_name());
    if (!options.checkpoint.empty()) save_checkpoint(options.checkpoint, game, key, {&discriminator, &generator}, state);
    ++epochs_this_run;
    if (options.stop_after_epochs > 0 && epochs_this_run >= options.stop_after_epochs) break;
  }
  game.at_step(std::max<Index>(0, state.steps - 1));
  result.epochs_done = state.epochs_done;
  result.seconds = step_seconds;
  result.steps_per_second = result.seconds > 0 ? static_cast<double>(result.steps) / result.seconds : 0.0;
  result.examples_per_second = result.seconds > 0 ? static_cast<double>(examples) / result.seconds : 0.0;
  return result;
}

}  // namespace logp
