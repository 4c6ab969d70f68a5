#pragma once
// Part-to-whole generation (the direction of Lee et al. 2018, "Unsupervised holistic image
// generation from key local patches", in small): a generator that sees K square patches of an
// image, as the masked image and the mask, and draws the whole image; a discriminator that
// judges whole images; and a patch reconstruction loss that makes the generated image keep the
// given patches.
//
//   G: [x * m; m; z] (2D + latent) -> D, the family's networks (--architecture, dcgan default)
//   D: whole images -> 1 (unconditional)
//   D loss: the family's adversarial loss on real x and G's images
//   G loss: adversarial + patch_weight * mean over the given values |G - x|
//                       + whole_weight * mean over all values |G - x|   (per example, summed)
// m marks `patches` random squares of patch_size pixels per example (models/gan/patch_masks.hpp),
// drawn from the shard's stream; x * m and |G - x| are in the training scale [-1, 1].
#include <memory>
#include <string>

#include "logp/models/gan/adversarial_loss.hpp"
#include "logp/models/gan/network_game.hpp"
#include "logp/models/patch_completer.hpp"

namespace logp {

struct PartToWholeOptions {
  GanNetworkOptions network;
  AdversarialLoss loss = AdversarialLoss::non_saturating;
  Index patches = 3;          // K
  Index patch_size = 7;       // pixels per side
  double patch_weight = 10.0;  // the L1 on the given patches
  double whole_weight = 0.0;   // the L1 on the whole image (0: off)
};

class PartToWholeModel final : public NetworkGame, public PatchCompleter {
 public:
  PartToWholeModel(std::string type, DataSpec spec, const PartToWholeOptions& options);

  std::string hyperparameters() const override;
  // Completions of no patch at all (an empty mask): what G draws from z alone.
  Matrix sample(Index n, Rng& rng) const override;
  void save(const H5Group& g) const override;
  static std::unique_ptr<Model> load(const H5Group& g, const DataSpec& spec);

  // AdversarialGame (the rest: NetworkGame). extra: the patch L1 (per example, training scale).
  ShardLoss loss_and_grad(Player player, ConstMatrixRef real, std::span<const std::int64_t> labels, Rng& rng,
                          GameNorms& norms, std::span<float> grad) const override;
  Matrix generate_training_scale(Index n, Rng& rng) const override;
  std::string extra_name() const override { return "patch L1"; }

  // PatchCompleter
  Index patch_size() const override { return options_.patch_size; }
  Matrix complete(ConstMatrixRef x, ConstMatrixRef mask, Rng& rng) const override;

  const PartToWholeOptions& options() const { return options_; }

 private:
  // [x * m; m; z] for x in the training scale, z drawn column by column from rng.
  Matrix generator_inputs(const Matrix& x, const Matrix& mask, Rng& rng) const;
  // Completions in the training scale; z column j from rng.split(j).
  Matrix complete_training_scale(const Matrix& x, const Matrix& mask, const Rng& rng) const;

  PartToWholeOptions options_;
};

}  // namespace logp
