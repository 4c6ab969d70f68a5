#pragma once
// Maximum-likelihood training by minibatch stochastic gradient, with early stopping on a
// validation split, a JSON-lines log, per-epoch checkpoints and resume.
//
// Each step: the batch gradient from ShardGradients (deterministic over threads, buffers reused), divided
// by the batch size, then Optimizer::step. After each epoch: the validation NLL (exact scoring,
// in parallel), the best parameters kept, a checkpoint written. Same seed, same data => the same
// model whatever the thread count, and a resumed run ends with the model of an unbroken one.
#include <optional>
#include <string>
#include <vector>

#include "logp/data/dataset.hpp"
#include "logp/train/optimizer.hpp"
#include "logp/train/trainable.hpp"

namespace logp {

struct TrainOptions {
  Index batch_size = 100;
  Index shard_size = 25;        // columns per TBB task; part of the result's definition
  int max_epochs = 20;
  int patience = 5;             // stop after this many epochs without a better valid NLL
  std::uint64_t seed = 0;       // data order and per-shard randomness
  OptimizerOptions optimizer;
  std::string checkpoint;       // empty: no checkpoints
  bool resume = false;          // continue from `checkpoint` if it exists
  std::string log;              // JSON lines, one per epoch; empty: none
  Index block_examples = 0;     // examples held in memory for shuffling; 0: up to ~1 GB
  Index valid_examples = 0;     // early stopping on the first N validation examples; 0: all
                                // (for models whose exact scoring is expensive, e.g. nade-oa)
  bool progress = false;        // report epochs and batches through core/progress.hpp (its mode decides)
  int stop_after_epochs = 0;    // for tests of resume: return after this many epochs (0: off)
};

// The objectives per epoch (nats per example for likelihoods; names from objective_names()).
struct TrainingCurve {
  struct Epoch {
    int epoch = 0;        // 1-based
    double train = 0.0;   // mean over the epoch's batches
    double valid = 0.0;   // NaN without a validation split
  };
  std::string train_name = "NLL", valid_name = "NLL";
  bool is_likelihood = true;
  std::vector<Epoch> epochs;
};

struct TrainResult {
  int epochs_done = 0;
  int best_epoch = -1;
  double best_valid_nll = 0.0;  // nats per example; meaningful when best_epoch >= 0
  double final_train_nll = 0.0; // nats per example, mean over the last epoch's batches
  bool stopped_early = false;
  double seconds = 0.0;
  double examples_per_second = 0.0;  // training throughput: examples / seconds of gradient steps
  double communication_seconds = 0.0;  // of the gradient steps, in messages between ranks (0 for one process)
  TrainingCurve curve;                 // the epochs of this run (a resumed run: those after the checkpoint)
};

// Trains `model` in place (ending with the best-validation parameters when valid is given).
// Throws logp::Error on divergence (NaN/inf objective or gradient), naming the epoch and batch;
// the last good checkpoint stays on disk.
TrainResult train_model(Trainable& model, const DatasetSplit& train, const DatasetSplit* valid,
                        const TrainOptions& options);

}  // namespace logp
