// The registry entries of InfoGAN and the adversarial autoencoder
// (include/logp/models/gan/infogan_entry.hpp).
#include "logp/models/gan/infogan_entry.hpp"

#include "logp/models/gan/aae.hpp"
#include "logp/models/gan/gan_fit.hpp"
#include "logp/models/gan/infogan.hpp"

namespace logp {
namespace {

class InfoGanFit final : public AdversarialModelFit<InfoGanModel, InfoGanOptions> {
 public:
  InfoGanFit() : AdversarialModelFit("infogan") {
    // Chen et al. 2016 train G at 1e-3 and D/Q at 2e-4; with G at 2e-4 too, the code is carried by
    // small changes rather than by the class (benchmarks/results/gan-fmnist/infogan_aae.md).
    training_.generator_optimizer.learning_rate = 1e-3;
    declare_network_options(options_, model_options_.network);
    options_.add("categories", "K, the values of the categorical code", model_options_.categories, Range::positive);
    options_.add("continuous", "C, the continuous codes (uniform on [-1, 1])", model_options_.continuous,
                 Range::non_negative);
    options_.add("info-weight", "lambda, the weight of the information loss in both players' losses",
                 model_options_.info_weight, Range::non_negative);
    options_.add("continuous-weight", "the continuous codes' weight inside the information loss",
                 model_options_.continuous_weight, Range::non_negative);
    declare_training();
  }
};

class AaeFit final : public AdversarialModelFit<AaeModel, AaeOptions> {
 public:
  AaeFit() : AdversarialModelFit("aae") {
    options_.add("latent", "code size (prior N(0, I))", model_options_.latent, Range::positive);
    options_.add("hidden-layers", "encoder hidden sizes, e.g. 512,512 (the decoder mirrors them)", model_options_.hidden);
    options_.add("discriminator-hidden", "the code discriminator's hidden sizes", model_options_.discriminator_hidden);
    options_.add("adversarial-weight", "weight of the encoder's adversarial loss beside the reconstruction error",
                 model_options_.adversarial_weight, Range::non_negative);
    declare_training();
  }
};

}  // namespace

ModelEntry infogan_entry() {
  return {"infogan",
          "InfoGAN (Chen et al. 2016): GAN with categorical and continuous codes and a mutual-information term; "
          "samples only",
          ModelKind::implicit, [] { return std::unique_ptr<ModelFit>(new InfoGanFit); }, &InfoGanModel::load};
}

ModelEntry aae_entry() {
  return {"aae",
          "adversarial autoencoder (Makhzani et al. 2016): reconstruction error, a score (never a likelihood); "
          "samples by decoding prior draws",
          ModelKind::score, [] { return std::unique_ptr<ModelFit>(new AaeFit); }, &AaeModel::load};
}

}  // namespace logp
