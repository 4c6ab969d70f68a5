#pragma once
// Training checkpoints: everything a killed run needs to continue exactly where it stopped.
//
// Layout (HDF5, written atomically after every epoch):
//   /            attribute format="logp-checkpoint"
//   /settings    one string attribute per setting that defines the result (CheckpointKey): model,
//                hyperparameters, seed, batch and shard size, optimizer settings, the training and
//                validation data (location, shape, content hash); a resume compares them one by one
//                and refuses, naming the first that differs
//   /trainer     attributes epochs_done, best_epoch, best_valid_nll, epochs_since_best
//   /parameters  the current parameters (ParameterStore::save)
//   /best        the parameters with the best validation NLL so far
//   /optimizer   the optimizer's moments and step count
#include <string>
#include <utility>
#include <vector>

#include "logp/data/dataset.hpp"
#include "logp/train/optimizer.hpp"
#include "logp/train/trainable.hpp"

namespace logp {

struct TrainerState {
  int epochs_done = 0;
  int best_epoch = -1;                 // -1: no validation yet
  double best_valid_nll = 0.0;         // nats per example
  int epochs_since_best = 0;
  std::vector<float> best_parameters;  // empty: the current ones
};

// What must match for a resume: (name, value as text) pairs, in the order they are reported.
// A setting left out here is one a resume may change without changing the result (--epochs,
// --patience, --checkpoint, --log, thread count).
struct CheckpointKey {
  std::vector<std::pair<std::string, std::string>> settings;
  void add(std::string name, std::string value) { settings.emplace_back(std::move(name), std::move(value)); }
};

// "N x D, kind, fnv1a64 <hex>" (FNV-1a over the float32 values) of a split's examples (one streamed pass): equal for the same data
// wherever the file lies, different for other examples, another order or another shape.
std::string data_fingerprint(const DatasetSplit& split);

// The optimizer's settings, each named with `prefix` ("generator " for a second optimizer).
void add_optimizer_settings(CheckpointKey& key, const std::string& prefix, const OptimizerOptions& options);

// Drops the lines of epochs after `epochs_done` from a JSON-lines training log ({"epoch": N, ...}),
// so that a resumed run logs each epoch once even when the last run was killed between writing
// the epoch's line and renaming its checkpoint. No-op when the log is absent or already agrees.
void truncate_log_after(const std::string& path, int epochs_done);

// Writes the key as attributes of g; check_key throws "<path>: the checkpoint was made with
// <name> <stored>, this run has <value>; ..." for the first setting that differs or is missing.
void save_key(const H5Group& g, const CheckpointKey& key);
void check_key(const H5Group& g, const CheckpointKey& key, const std::string& path);

void save_checkpoint(const std::string& path, const CheckpointKey& key, const Trainable& model,
                     const Optimizer& optimizer, const TrainerState& state);

// Restores parameters, optimizer and state; throws if the checkpoint was made with another key.
TrainerState load_checkpoint(const std::string& path, const CheckpointKey& key, Trainable& model,
                             Optimizer& optimizer);

}  // namespace logp
