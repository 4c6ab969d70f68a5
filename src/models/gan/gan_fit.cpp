// The GAN family's fits (include/logp/models/gan/gan_fit.hpp).
#include "logp/models/gan/gan_fit.hpp"

#include <iomanip>
#include <ostream>

namespace logp {

void declare_network_options(OptionList& options, GanNetworkOptions& network) {
  options.add_choice("architecture", "networks: mlp, or dcgan (strided convolutions, batch norm; images)",
                     network.architecture, {{"mlp", GanArchitecture::mlp}, {"dcgan", GanArchitecture::dcgan}});
  options.add("latent", "latent size (z ~ N(0, I))", network.latent, Range::positive);
  options.add("hidden-layers", "mlp: the generator's hidden sizes, e.g. 256,512 (the discriminator's reversed)",
              network.hidden);
  options.add("channels", "dcgan: C, the channels of the first conv layer (then 2C)", network.channels, Range::positive);
}

void declare_adversarial_training_options(OptionList& options, AdversarialTrainOptions& training) {
  options.add("epochs", "training: epochs", training.epochs, Range::positive);
  options.add("batch-size", "training: real examples per step", training.batch_size, Range::positive);
  options.add("shard-size", "training: examples per parallel task (part of the result's definition)",
              training.shard_size, Range::positive);
  options.add("max-steps", "training: stop after this many steps (0: run every epoch)", training.max_steps,
              Range::non_negative);
  options.add("discriminator-steps", "training: discriminator updates per generator update",
              training.discriminator_steps, Range::positive);
  options.add("learning-rate", "training: Adam step size of the discriminator",
              training.discriminator_optimizer.learning_rate, Range::positive);
  options.add("generator-learning-rate", "training: Adam step size of the generator",
              training.generator_optimizer.learning_rate, Range::positive);
  options.add("beta1", "training: Adam beta1 of both players", training.discriminator_optimizer.beta1,
              Range::probability);
  options.add("seed", "training: initialization, data order, latent draws", training.seed);
  options.add("checkpoint", "training: checkpoint file written every epoch", training.checkpoint);
  options.add_flag("resume", "training: continue from --checkpoint if it exists", training.resume);
  options.add("log", "training: JSON-lines log, one line per epoch", training.log);
}

AdversarialTrainResult train_game_for_fit(AdversarialGame& game, const FitContext& context,
                                          const AdversarialTrainOptions& training) {
  AdversarialTrainOptions options = training;
  options.generator_optimizer.beta1 = options.discriminator_optimizer.beta1;  // one --beta1 for both
  Rng init_rng(options.seed);
  game.initialize(init_rng);
  const AdversarialTrainResult result = train_adversarial(game, context.train, options, &context.log);
  context.log << std::fixed << std::setprecision(2) << "trained " << result.steps << " steps (" << result.epochs_done
              << " epochs) at " << result.steps_per_second << " steps/s, " << std::setprecision(0)
              << result.examples_per_second << " examples/s";
  if (!result.epochs.empty()) {
    const AdversarialEpoch& last = result.epochs.back();
    context.log << std::setprecision(4) << "; last epoch: D loss " << last.discriminator_loss << ", G loss "
                << last.generator_loss << ", D(x) " << last.real_output << ", D(G(z)) " << last.fake_output;
  }
  if (result.collapse_epoch >= 0) context.log << "; mode collapse suspected at epoch " << result.collapse_epoch + 1;
  context.log << " (losses, not likelihoods: this model has no density)\n" << std::defaultfloat;
  return result;
}

}  // namespace logp
