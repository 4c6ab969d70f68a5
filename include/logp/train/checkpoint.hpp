#pragma once
// Training checkpoints: everything a killed run needs to continue exactly where it stopped.
//
// Layout (HDF5, written atomically after every epoch):
//   /            attributes format="logp-checkpoint", model_type, hyperparameters, seed,
//                batch_size, shard_size (a resume with other settings is refused)
//   /trainer     attributes epochs_done, best_epoch, best_valid_nll, epochs_since_best
//   /parameters  the current parameters (ParameterStore::save)
//   /best        the parameters with the best validation NLL so far
//   /optimizer   the optimizer's moments and step count
#include <string>
#include <vector>

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

struct CheckpointKey {  // what must match for a resume
  std::string model_type;
  std::string hyperparameters;
  std::uint64_t seed = 0;
  Index batch_size = 0;
  Index shard_size = 0;
};

void save_checkpoint(const std::string& path, const CheckpointKey& key, const Trainable& model,
                     const Optimizer& optimizer, const TrainerState& state);

// Restores parameters, optimizer and state; throws if the checkpoint was made with another key.
TrainerState load_checkpoint(const std::string& path, const CheckpointKey& key, Trainable& model,
                             Optimizer& optimizer);

}  // namespace logp
