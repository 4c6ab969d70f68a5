#include "logp/train/trainer.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "logp/core/error.hpp"
#include "logp/core/progress.hpp"
#include "logp/eval/score.hpp"
#include "logp/parallel/communicator.hpp"
#include "logp/train/checkpoint.hpp"
#include "logp/train/epoch_batches.hpp"
#include "logp/train/parallel_gradient.hpp"

namespace logp {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Mean validation objective over the first `examples` validation examples (0: all of them),
// streamed in chunks and computed in parallel over fixed blocks (and over ranks), summed per
// chunk of 4096 in input order.
double validation_objective(const Trainable& model, const DatasetSplit& valid, Index examples) {
  constexpr Index chunk = 4096;
  const Index count = examples > 0 ? std::min(examples, valid.size()) : valid.size();
  const auto objective = [&model](ConstMatrixRef x) { return model.validation_objective(x); };
  const Vector values = sharded_map_columns(valid.head(count), chunk, objective);
  double sum = 0.0;
  for (Index first = 0; first < count; first += chunk) {
    const Vector part = values.segment(first, std::min(chunk, count - first));  // a chunk as it was computed
    sum += part.sum();
  }
  return sum / static_cast<double>(count);
}

void append_log_line(const std::string& path, int epoch, double train_nll, double valid_nll, bool has_valid,
                     double examples_per_second, double seconds, double learning_rate) {
  if (path.empty()) return;
  std::ofstream log(path, std::ios::app);
  if (!log) throw Error(path + ": cannot append to the training log");
  log << std::setprecision(10) << "{\"epoch\": " << epoch << ", \"train_nll\": " << train_nll;
  if (has_valid) log << ", \"valid_nll\": " << valid_nll;
  log << ", \"examples_per_second\": " << examples_per_second << ", \"seconds\": " << seconds
      << ", \"learning_rate\": " << learning_rate << "}\n";
}

// Every setting that changes the trained model, for the checkpoint (see CheckpointKey).
CheckpointKey training_key(const Model& described, const DatasetSplit& train, const DatasetSplit* valid,
                           const TrainOptions& options) {
  CheckpointKey key;
  key.add("model", std::string(described.type()));
  key.add("hyperparameters", described.hyperparameters());
  key.add("seed", std::to_string(options.seed));
  key.add("batch size", std::to_string(options.batch_size));
  key.add("shard size", std::to_string(options.shard_size));
  key.add("block examples", std::to_string(options.block_examples));
  key.add("training data", data_fingerprint(train));
  key.add("validation data", valid ? data_fingerprint(valid->head(options.valid_examples > 0
                                                                       ? std::min(options.valid_examples, valid->size())
                                                                       : valid->size()))
                                   : std::string("none"));
  add_optimizer_settings(key, "", options.optimizer);
  return key;
}

void require_finite_parameters(const Trainable& model, int epoch, const std::string& checkpoint) {
  const std::span<const float> values = model.parameters().values();
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i]))
      throw Error("training diverged at epoch " + std::to_string(epoch + 1) + ": parameter " + std::to_string(i) +
                  " is not finite; " +
                  (checkpoint.empty() ? std::string("no checkpoint was kept") : "the last good checkpoint is " + checkpoint) +
                  "; try a lower --learning-rate or --clip-norm");
}

// The line that stays after an epoch: "epoch 3/20: train NLL 93.10, valid NLL 94.02 (best), ...".
std::string epoch_line(const ObjectiveNames& names, int epoch, int max_epochs, double train_nll, const double* valid_nll,
                       bool best, double examples_per_second, double seconds, double eta_seconds) {
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, "epoch %d/%d: train %s %.3f", epoch + 1, max_epochs, names.train.c_str(),
                train_nll);
  std::string line = buffer;
  if (valid_nll) {
    std::snprintf(buffer, sizeof buffer, ", valid %s %.3f%s", names.valid.c_str(), *valid_nll, best ? " (best)" : "");
    line += buffer;
  }
  std::snprintf(buffer, sizeof buffer, ", %.0f examples/s, ", examples_per_second);
  line += buffer + format_duration(seconds);
  if (eta_seconds > 0) line += "; at most " + format_duration(eta_seconds) + " left";
  return line;
}

}  // namespace

TrainResult train_model(Trainable& model, const DatasetSplit& train, const DatasetSplit* valid,
                        const TrainOptions& options) {
  const Model& described = model.trained_model();
  described.data_spec().check_accepts(train.spec(), train.where());
  if (valid) described.data_spec().check_accepts(valid->spec(), valid->where());
  if (valid) require(valid->size() > 0, valid->where() + ": the validation split is empty (use --valid-split none)");
  require(options.max_epochs > 0, "--epochs must be positive, got " + std::to_string(options.max_epochs));
  // patience 0 would stop before the first epoch and return the untrained model.
  require(options.patience > 0, "--patience must be positive, got " + std::to_string(options.patience));
  require(options.batch_size > 0 && options.shard_size > 0,
          "--batch-size and --shard-size must be positive, got " + std::to_string(options.batch_size) + " and " +
              std::to_string(options.shard_size));
  require(options.valid_examples >= 0,
          "--valid-examples must be 0 (all) or positive, got " + std::to_string(options.valid_examples));

  // In a parallel run (world(), docs/mpi.md) every rank takes every step; rank 0 alone writes the
  // log and the checkpoints.
  const bool writer = world().rank() == 0;
  const CheckpointKey key = options.checkpoint.empty() ? CheckpointKey{} : training_key(described, train, valid, options);
  Optimizer optimizer(options.optimizer, model.parameters().size());
  TrainerState state;
  if (options.resume && !options.checkpoint.empty() && std::filesystem::exists(options.checkpoint)) {
    state = load_checkpoint(options.checkpoint, key, model, optimizer);
    if (writer) truncate_log_after(options.log, state.epochs_done);
  } else if (!options.log.empty() && writer) {
    std::ofstream truncate(options.log, std::ios::trunc);
    if (!truncate) throw Error(options.log + ": cannot write the training log");
  }

  EpochBatches batches(train, options.batch_size, options.block_examples);
  const Index batches_per_epoch = batches.batches_per_epoch();
  std::vector<float, Eigen::aligned_allocator<float>> grad(static_cast<size_t>(model.parameters().size()));
  ShardGradients shard_gradients(model.parameters().size());  // per-shard buffers, reused every batch
  TrainResult result;
  const Clock::time_point run_start = Clock::now();
  Index examples_seen = 0;
  double train_seconds_total = 0.0;  // gradient steps only, for the throughput
  int epochs_this_run = 0;
  const ObjectiveNames names = model.objective_names();
  result.curve.train_name = names.train;
  result.curve.valid_name = names.valid;
  result.curve.is_likelihood = names.is_likelihood;

  while (state.epochs_done < options.max_epochs && !(valid && state.epochs_since_best >= options.patience)) {
    const int epoch = state.epochs_done;
    const Clock::time_point epoch_start = Clock::now();
    double objective_sum = 0.0;
    Index epoch_examples = 0;
    std::optional<Progress> progress;  // silent unless options.progress and the CLI's mode say so
    if (options.progress && writer)  // rank 0 alone reports
      progress.emplace("epoch " + std::to_string(epoch + 1) + "/" + std::to_string(options.max_epochs), train.size(),
                       "examples");
    // This rank's columns of each batch (all of it on one process): a rank reads only its rows.
    batches.for_each_part(options.seed, epoch, options.shard_size, world(), [&](Index batch_index, Index batch_columns,
                                                                               const Matrix& part) {
      const Rng batch_rng = Rng(options.seed).split(static_cast<std::uint64_t>(epoch)).split(
          static_cast<std::uint64_t>(batch_index) + 1);
      // grad = the batch's mean gradient (the sum over shards divided by the batch size).
      bool finite_gradient = true;
      const double objective = shard_gradients.compute_part(model, part, batch_columns, options.shard_size, batch_rng,
                                                            grad, 1.0f / static_cast<float>(batch_columns),
                                                            &finite_gradient);
      if (!std::isfinite(objective) || !finite_gradient) {
        std::ostringstream message;
        message << "training diverged at epoch " << epoch + 1 << ", batch " << batch_index + 1 << " (objective "
                << objective << (finite_gradient ? "" : ", non-finite gradient") << "); "
                << (options.checkpoint.empty() ? "no checkpoint was kept"
                                               : "the last good checkpoint is " + options.checkpoint)
                << "; try a lower --learning-rate or --clip-norm";
        throw Error(message.str());
      }
      optimizer.step(model.parameters().values(), grad, epoch);
      objective_sum += objective;
      epoch_examples += batch_columns;
      if (progress) {
        char detail[128];
        std::snprintf(detail, sizeof detail, "batch %ld/%ld, train %s %.3f", static_cast<long>(batch_index + 1),
                      static_cast<long>(batches_per_epoch), names.train.c_str(),
                      objective_sum / static_cast<double>(epoch_examples));
        progress->set_detail(detail);
        progress->advance(batch_columns);
      }
    });
    const double train_seconds = seconds_since(epoch_start);
    examples_seen += epoch_examples;
    train_seconds_total += train_seconds;
    result.final_train_nll = objective_sum / static_cast<double>(epoch_examples);

    require_finite_parameters(model, epoch, options.checkpoint);  // never validated, logged or saved
    double valid_nll = 0.0;
    bool best = false;
    if (valid) {
      if (progress) {
        progress->set_detail("validating on " + valid->where());
        progress->advance(0);  // a (rate-limited) redraw with the new detail
      }
      valid_nll = validation_objective(model, *valid, options.valid_examples);
      if (std::isnan(valid_nll))
        throw Error("training diverged at epoch " + std::to_string(epoch + 1) + ": the validation objective is NaN on " +
                    valid->where());
      if (state.best_epoch < 0 || valid_nll < state.best_valid_nll) {
        state.best_epoch = epoch;
        state.best_valid_nll = valid_nll;
        state.epochs_since_best = 0;
        state.best_parameters = model.parameters().copy_values();
        best = true;
      } else {
        ++state.epochs_since_best;
      }
    }
    state.epochs_done = epoch + 1;
    result.curve.epochs.push_back({epoch + 1, result.final_train_nll, valid ? valid_nll : std::nan("")});
    if (progress) {
      const double epoch_seconds = seconds_since(epoch_start);
      progress->step(epoch_line(names, epoch, options.max_epochs, result.final_train_nll, valid ? &valid_nll : nullptr, best,
                                static_cast<double>(epoch_examples) / train_seconds, epoch_seconds,
                                epoch_seconds * (options.max_epochs - state.epochs_done)));
    }
    if (writer)
      append_log_line(options.log, epoch + 1, result.final_train_nll, valid_nll, valid != nullptr,
                      static_cast<double>(epoch_examples) / train_seconds, seconds_since(epoch_start),
                      scheduled_learning_rate(options.optimizer, epoch));
    if (!options.checkpoint.empty() && writer) save_checkpoint(options.checkpoint, key, model, optimizer, state);
    if (options.stop_after_epochs > 0 && ++epochs_this_run >= options.stop_after_epochs) break;
  }

  if (!state.best_parameters.empty()) {
    const std::span<float> values = model.parameters().values();
    std::copy(state.best_parameters.begin(), state.best_parameters.end(), values.begin());
  }
  result.epochs_done = state.epochs_done;
  result.best_epoch = state.best_epoch;
  result.best_valid_nll = state.best_valid_nll;
  result.stopped_early = valid && state.epochs_since_best >= options.patience;
  result.seconds = seconds_since(run_start);
  result.communication_seconds = shard_gradients.communication_seconds();
  result.examples_per_second =
      train_seconds_total > 0 ? static_cast<double>(examples_seen) / train_seconds_total : 0.0;
  return result;
}

}  // namespace logp
