#pragma once
// How `logp fit` trains the GAN family: the network and adversarial-training options declared
// once, one training run (initialize from the seed, train, print a summary), and the fit of a
// game-trained model built as ModelT(type, spec, OptionsT).
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "logp/models/gan/adversarial_trainer.hpp"
#include "logp/models/gan/gan_networks.hpp"
#include "logp/models/model_entry.hpp"

namespace logp {

// --architecture, --latent, --hidden-layers, --channels.
void declare_network_options(OptionList& options, GanNetworkOptions& network);
// --epochs, --batch-size, --shard-size, --max-steps, --discriminator-steps, --learning-rate,
// --beta1, --seed, --checkpoint, --resume, --log.
void declare_adversarial_training_options(OptionList& options, AdversarialTrainOptions& training);

// Initializes game from training.seed, trains it on context.train with progress on context.log,
// and prints a summary line.
AdversarialTrainResult train_game_for_fit(AdversarialGame& game, const FitContext& context,
                                          const AdversarialTrainOptions& training);

// The fit of a model trained as a game, built as ModelT(type, spec, OptionsT). A family declares
// its options on model_options_ in its constructor, then calls declare_training().
template <class ModelT, class OptionsT>
class AdversarialModelFit : public ModelFit {
 public:
  explicit AdversarialModelFit(std::string type) : type_(std::move(type)) {}

  std::unique_ptr<Model> fit(const FitContext& context) override {
    auto model = std::make_unique<ModelT>(type_, context.train.spec(), model_options_);
    result_ = train_game_for_fit(*model, context, training_);
    return model;
  }
  std::vector<std::pair<std::string, double>> statistics() const override {
    return {{"steps", static_cast<double>(result_.steps)},
            {"steps_per_second", result_.steps_per_second},
            {"examples_per_second", result_.examples_per_second},
            {"training_seconds", result_.seconds},
            {"collapse_epoch", result_.collapse_epoch >= 0 ? result_.collapse_epoch + 1.0 : 0.0}};
  }

 protected:
  void declare_training() { declare_adversarial_training_options(options_, training_); }
  std::string type_;
  OptionsT model_options_;
  AdversarialTrainOptions training_;
  AdversarialTrainResult result_;
};

}  // namespace logp
