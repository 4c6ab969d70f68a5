#include "logp/models/vae/vae_entry.hpp"

#include "logp/models/training_fit.hpp"
#include "logp/models/vae/vae.hpp"

namespace logp {
namespace {

// Early stopping watches the validation ELBO (one draw per example, the model's default estimator).
class VaeFit final : public TrainedModelFit<VaeModel, VaeOptions> {
 public:
  VaeFit() {
    VaeOptions& vae = model_options_;
    options_.add("hidden-layers", "encoder hidden sizes, e.g. 500,500 (the decoder mirrors them)", vae.hidden);
    options_.add("latent", "latent dimensions", vae.latent, Range::positive);
    options_.add_activation(vae.activation, kVaeActivations);
    options_.add("likelihood", "decoder: bernoulli (binary data) | gaussian (real data); empty: from the data",
                 vae.likelihood);
    options_.add_choice("objective", "training objective: elbo (analytic KL, 1 draw) | iwae (k draws)", vae.objective,
                        {{"elbo", VaeBound::elbo}, {"iwae", VaeBound::iwae}});
    options_.add("train-samples", "k of the iwae objective", vae.train_samples, Range::positive);
    declare_training();
  }
};

}  // namespace

ModelEntry vae_entry() {
  return {"vae", "variational autoencoder: ELBO (a lower bound) or IWAE (an estimate)", ModelKind::bound,
          [] { return std::unique_ptr<ModelFit>(new VaeFit); }, &VaeModel::load};
}

}  // namespace logp
