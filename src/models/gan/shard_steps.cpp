// The common end of a player's step on one shard (include/logp/models/gan/shard_steps.hpp).
#include "logp/models/gan/shard_steps.hpp"

namespace logp {

ShardLoss finish_discriminator_step(ad::Tape& tape, const ad::Var& d_real, const ad::Var& d_fake, AdversarialLoss loss) {
  const ad::Var objective = discriminator_loss(d_real, d_fake, loss);
  tape.backward(objective);
  ShardLoss out;
  out.loss = objective.value()(0, 0);
  out.real_output = discriminator_output_sum(d_real.value(), loss);
  out.fake_output = discriminator_output_sum(d_fake.value(), loss);
  out.real_count = d_real.cols();
  out.fake_count = d_fake.cols();
  return out;
}

ShardLoss finish_generator_step(ad::Tape& tape, const ad::Var& d_fake, AdversarialLoss loss) {
  const ad::Var objective = generator_loss(d_fake, loss);
  tape.backward(objective);
  ShardLoss out;
  out.loss = objective.value()(0, 0);
  out.fake_output = discriminator_output_sum(d_fake.value(), loss);
  out.fake_count = d_fake.cols();
  return out;
}

}  // namespace logp
