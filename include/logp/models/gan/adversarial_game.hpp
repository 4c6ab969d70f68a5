#pragma once
// What the adversarial trainer needs of a model trained as a two-player game (the GAN family):
// two parameter stores, each player's loss and gradient on a shard of examples, and the
// batch-norm running statistics of the networks. These models have no density: nothing here is
// a likelihood, and the trainer prints losses, never NLLs.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "logp/autodiff/batch_norm.hpp"
#include "logp/autodiff/tape.hpp"
#include "logp/core/rng.hpp"
#include "logp/data/dataset.hpp"
#include "logp/model.hpp"
#include "logp/train/parameter_store.hpp"
#include "logp/train/training_tape.hpp"

namespace logp {

// The player that judges (the discriminator) and the one that is judged (the generator; for the
// adversarial autoencoder, the autoencoder whose encoder is the generator of codes).
enum class Player { discriminator = 0, generator = 1 };
inline constexpr std::array<Player, 2> kPlayers = {Player::discriminator, Player::generator};

// Batch-norm states of both players' networks (index: the Player), one set per training shard.
using GameNorms = std::array<std::vector<ad::BatchNormState>, 2>;

// One shard's loss for one player, summed over its examples.
struct ShardLoss {
  double loss = 0.0;         // the player's objective
  double real_output = 0.0;  // the discriminator's output summed over real examples (discriminator_output_sum)
  double fake_output = 0.0;  // ... over generated ones
  Index real_count = 0, fake_count = 0;
  double extra = 0.0;        // a model-specific term (AdversarialGame::extra_name), summed
};

// The calling thread's training tape for player's loss (train/training_tape.hpp): one slot per
// player, since the two players' graphs differ.
inline ad::Tape& player_tape(Player player) { return training_tape(static_cast<std::size_t>(player)); }

class AdversarialGame {
 public:
  virtual ~AdversarialGame() = default;

  // The model being trained (type, hyperparameters and data spec key checkpoints).
  virtual const Model& trained_model() const = 0;
  virtual ParameterStore& parameters(Player player) = 0;
  virtual const ParameterStore& parameters(Player player) const = 0;
  // The running statistics of the networks each player owns (the trainer merges shards' copies).
  virtual GameNorms& norms() = 0;
  virtual const GameNorms& norms() const = 0;

  virtual void initialize(Rng& rng) = 0;

  // real: D x n training examples in the training scale (to_training_scale); labels: their n
  // class labels when the game is conditional() (the trainer reads them from the training split),
  // else empty. Returns the player's loss summed over the shard and ADDS its gradient with
  // respect to the player's own parameters into grad (parameters(player).size() floats). norms:
  // this shard's copies, whose pending batch statistics the trainer merges. Safe to call
  // concurrently on different shards.
  virtual ShardLoss loss_and_grad(Player player, ConstMatrixRef real, std::span<const std::int64_t> labels, Rng& rng,
                                  GameNorms& norms, std::span<float> grad) const = 0;
  // True for games that need the real examples' labels (the conditional GAN): the trainer then
  // refuses a training split without labels and passes each shard's labels to loss_and_grad.
  virtual bool conditional() const { return false; }

  // Stored values (D x N) -> the scale the networks train on (e.g. [-1, 1] for pixels).
  virtual Matrix to_training_scale(ConstMatrixRef x) const = 0;
  // n generated examples in the training scale (running batch-norm statistics), for the
  // trainer's collapse check.
  virtual Matrix generate_training_scale(Index n, Rng& rng) const = 0;
  // The name of ShardLoss::extra in progress lines ("" when the model has none).
  virtual std::string extra_name() const { return ""; }
  // Called once before training with the training split (e.g. to pick labelled examples).
  virtual void prepare(const DatasetSplit& train) { (void)train; }
  // The trainer's step count, for games with a schedule (progan): the 0-based step about to be
  // trained before each step, the last step trained before progress checks and at the end.
  virtual void at_step(Index step) { (void)step; }
  // Appended to each progress line when not empty (e.g. "resolution 14x14, alpha 0.50").
  virtual std::string progress_note() const { return ""; }
};

}  // namespace logp
