#pragma once
// The common end of a player's step on one training shard (gan/dcgan/lsgan, progan, part2whole):
// backward from the player's loss on its tape, and the ShardLoss the adversarial trainer reports.
// d_real, d_fake: the discriminator's outputs on the shard's n real and n generated examples, [1, n].
#include "logp/autodiff/tape.hpp"
#include "logp/models/gan/adversarial_game.hpp"
#include "logp/models/gan/adversarial_loss.hpp"

namespace logp {

// The discriminator's step: backward from discriminator_loss(d_real, d_fake); both outputs summed.
ShardLoss finish_discriminator_step(ad::Tape& tape, const ad::Var& d_real, const ad::Var& d_fake, AdversarialLoss loss);

// The generator's step: backward from generator_loss(d_fake); the fakes' outputs summed.
ShardLoss finish_generator_step(ad::Tape& tape, const ad::Var& d_fake, AdversarialLoss loss);

}  // namespace logp
