#include "logp/models/gan/sgan_entry.hpp"

#include "logp/models/gan/gan_fit.hpp"
#include "logp/models/gan/sgan.hpp"

namespace logp {
namespace {

class SganFit final : public AdversarialModelFit<SganModel, SganOptions> {
 public:
  SganFit() : AdversarialModelFit("sgan") {
    declare_network_options(options_, model_options_.network);
    GanNetworkOptions& network = model_options_.network;
    options_.add("discriminator-layers",
                 "mlp: the discriminator's hidden sizes, e.g. 1000,500,250,250,250 (default: --hidden-layers "
                 "reversed)",
                 network.discriminator_hidden);
    options_.add("input-noise", "discriminator: std of the Gaussian noise on its input in training (0: none)",
                 network.input_noise, Range::non_negative);
    options_.add("hidden-noise",
                 "discriminator: std of the Gaussian noise on each hidden layer's input in training (0: none)",
                 network.hidden_noise, Range::non_negative);
    options_.add("discriminator-dropout",
                 "discriminator: dropout probability before each weight layer in training (0: none)",
                 network.dropout, Range::probability);
    options_.add_choice("generator-loss",
                        "the generator's loss: feature-matching (Salimans et al. 2016: the discriminator's "
                        "penultimate-layer means) or non-saturating",
                        model_options_.generator_loss,
                        {{"feature-matching", SganGeneratorLoss::feature_matching},
                         {"non-saturating", SganGeneratorLoss::non_saturating}});
    options_.add("labels-per-class", "labelled training examples per class (the rest train unlabelled)",
                 model_options_.labels_per_class, Range::positive);
    options_.add_flag("supervised-only",
                      "the baseline: the same discriminator on the same labelled examples, no generator",
                      model_options_.supervised_only);
    declare_training();
  }

  std::unique_ptr<Model> fit(const FitContext& context) override {
    model_options_.classes = classes_of_labels(context.train);  // K from the training labels
    model_options_.label_seed = training_.seed;
    return AdversarialModelFit::fit(context);
  }
};

}  // namespace

ModelEntry sgan_entry() {
  return {"sgan",
          "semi-supervised GAN (Salimans et al. 2016): K-class discriminator, a few labels; samples and classifies",
          ModelKind::implicit, [] { return std::unique_ptr<ModelFit>(new SganFit()); },
          [](const H5Group& g, const DataSpec& spec) { return SganModel::load("sgan", g, spec); }};
}

}  // namespace logp
