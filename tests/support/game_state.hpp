#pragma once
// Helpers for the tests of two-player models (models/gan): small training settings and a model's
// whole trained state as one vector, for bit-for-bit comparisons.
#include <vector>

#include "logp/models/gan/adversarial_game.hpp"
#include "logp/models/gan/adversarial_trainer.hpp"

namespace logp::testing {

// Batches of 16 in shards of 4, seed 5.
inline AdversarialTrainOptions tiny_training(int epochs) {
  AdversarialTrainOptions options;
  options.epochs = epochs;
  options.batch_size = 16;
  options.shard_size = 4;
  options.seed = 5;
  return options;
}

// Both players' parameters, then every batch-norm running mean and variance.
inline std::vector<float> game_state(const AdversarialGame& game) {
  std::vector<float> values = game.parameters(Player::generator).copy_values();
  const std::vector<float> d = game.parameters(Player::discriminator).copy_values();
  values.insert(values.end(), d.begin(), d.end());
  for (const auto& player_norms : game.norms())
    for (const ad::BatchNormState& state : player_norms) {
      values.insert(values.end(), state.running_mean.data(), state.running_mean.data() + state.channels());
      values.insert(values.end(), state.running_var.data(), state.running_var.data() + state.channels());
    }
  return values;
}

}  // namespace logp::testing
