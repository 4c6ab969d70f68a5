#pragma once
// Training a two-player game (models/gan/adversarial_game.hpp) by alternating minibatch steps,
// each player with its own Adam.
//
// Each step: `discriminator_steps` discriminator updates, then one generator update, on the same
// minibatch of real examples. A player's gradient is computed by TBB over fixed-size shards
// (shard s draws its latents from the step's stream split s) and summed in shard order, so the
// result is bit-identical for any thread count. Each shard normalizes with its own batch
// statistics; their pending statistics are merged in shard order and folded into the running
// ones after every update (autodiff/batch_norm.hpp). After each epoch: a progress line with both
// losses and D(x), D(G(z)); a collapse check (the mean pairwise distance of 256 generated
// examples against that of 256 training examples); a checkpoint. A NaN or infinite loss or
// gradient stops training with an error naming the epoch and step; the last checkpoint stays.
#include <iosfwd>
#include <string>
#include <vector>

#include "logp/data/dataset.hpp"
#include "logp/models/gan/adversarial_game.hpp"
#include "logp/train/optimizer.hpp"

namespace logp {

struct AdversarialTrainOptions {
  int epochs = 5;
  Index batch_size = 64;
  Index shard_size = 32;          // examples per TBB task (and per batch-norm batch); part of the result's definition
  Index max_steps = 0;            // stop after this many steps in all (0: run every epoch)
  int discriminator_steps = 1;    // discriminator updates per generator update
  OptimizerOptions discriminator_optimizer = dcgan_adam();
  OptimizerOptions generator_optimizer = dcgan_adam();
  std::uint64_t seed = 0;         // data order and latent draws (initialization: the fit's seed)
  double collapse_ratio = 0.1;    // collapse suspected below this diversity ratio
  std::string checkpoint;         // written after every epoch; empty: none
  bool resume = false;            // continue from `checkpoint` if it exists
  std::string log;                // JSON lines, one per epoch; empty: none
  int stop_after_epochs = 0;      // for tests of resume: return after this many epochs (0: off)

  // Adam with the settings of Radford et al. 2016: learning rate 2e-4, beta1 0.5.
  static OptimizerOptions dcgan_adam() {
    OptimizerOptions o;
    o.learning_rate = 2e-4;
    o.beta1 = 0.5;
    return o;
  }
};

// Means over one epoch's examples.
struct AdversarialEpoch {
  int epoch = 0;                  // 0-based
  double discriminator_loss = 0;  // per example
  double generator_loss = 0;      // per example
  double real_output = 0;         // mean D(x) (a probability for the logit losses)
  double fake_output = 0;         // mean D(G(z)) during the discriminator's updates
  double extra = 0;               // per example, the game's extra term (if any)
  double diversity_ratio = 0;     // generated / real mean pairwise distance
  bool collapse_suspected = false;
  double seconds = 0;
};

struct AdversarialTrainResult {
  int epochs_done = 0;
  Index steps = 0;                // generator updates in all (including resumed ones)
  double seconds = 0;             // this run's time in training steps (without checks and checkpoints)
  double steps_per_second = 0;    // this run's steps / seconds
  double examples_per_second = 0;
  std::vector<AdversarialEpoch> epochs;  // this run's epochs
  int collapse_epoch = -1;        // first epoch with a suspected collapse (0-based), -1: none
};

// Trains game in place from its current parameters (initialize first). progress: one line per
// epoch, or null.
AdversarialTrainResult train_adversarial(AdversarialGame& game, const DatasetSplit& train,
                                         const AdversarialTrainOptions& options, std::ostream* progress);

// Mean Euclidean distance over all pairs of columns of x (D x n, n >= 2).
double mean_pairwise_distance(const Matrix& x);

}  // namespace logp
