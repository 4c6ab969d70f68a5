#include "logp/models/gan/progan_entry.hpp"

#include "logp/models/gan/gan_fit.hpp"
#include "logp/models/gan/progan.hpp"

namespace logp {
namespace {

class ProganFit final : public AdversarialModelFit<ProganModel, ProganOptions> {
 public:
  ProganFit() : AdversarialModelFit("progan") {
    options_.add("latent", "latent size (z ~ N(0, I))", model_options_.latent, Range::positive);
    options_.add("channels", "feature maps at every resolution", model_options_.channels, Range::positive);
    options_.add("stage-steps", "schedule: steps at each resolution after its fade-in (the last: to the end)",
                 model_options_.schedule.stage_steps, Range::positive);
    options_.add("fade-steps", "schedule: steps over which a new resolution fades in (alpha 0 -> 1)",
                 model_options_.schedule.fade_steps, Range::positive);
    options_.add_choice("loss", "the players' losses", model_options_.loss,
                        {{"non-saturating", AdversarialLoss::non_saturating},
                         {"minimax", AdversarialLoss::minimax},
                         {"least-squares", AdversarialLoss::least_squares}});
    // Karras et al.'s Adam: learning rate 1e-3, beta1 0, beta2 0.99 (equalized learning rates).
    for (OptimizerOptions* o : {&training_.discriminator_optimizer, &training_.generator_optimizer}) {
      o->learning_rate = 1e-3;
      o->beta1 = 0.0;
      o->beta2 = 0.99;
    }
    declare_training();
  }
};

}  // namespace

ModelEntry progan_entry() {
  return {"progan",
          "progressive GAN (Karras et al. 2018): grows 1/4 -> 1/2 -> full resolution with fade-in, images; samples only",
          ModelKind::implicit, [] { return std::unique_ptr<ModelFit>(new ProganFit()); },
          [](const H5Group& g, const DataSpec& spec) { return ProganModel::load(g, spec); }};
}

}  // namespace logp
