#include "logp/models/vae/vae_entry.hpp"

#include "logp/models/training_fit.hpp"
#include "logp/models/vae/vae.hpp"

namespace logp {
namespace {

class VaeFit final : public ModelFit {
 public:
  VaeFit() {
    options_.add("hidden-layers", "encoder hidden sizes, e.g. 500,500 (the decoder mirrors them)", vae_.hidden);
    options_.add("latent", "latent dimensions", vae_.latent, Range::positive);
    options_.add_activation(vae_.activation, kDenseStackActivations);
    options_.add("likelihood", "decoder: bernoulli (binary data) | gaussian (real data); empty: from the data",
                 vae_.likelihood);
    options_.add_choice("objective", "training objective: elbo (analytic KL, 1 draw) | iwae (k draws)", vae_.objective,
                        {{"elbo", VaeBound::elbo}, {"iwae", VaeBound::iwae}});
    options_.add("train-samples", "k of the iwae objective", vae_.train_samples, Range::positive);
    declare_training_options(options_, training_);
  }
  // Early stopping watches the validation ELBO (one draw per example, the model's default estimator).
  std::unique_ptr<Model> fit(const FitContext& context) override {
    auto model = std::make_unique<VaeModel>(context.train.spec(), vae_);
    train_for_fit(*model, context, training_);
    return model;
  }

 private:
  VaeOptions vae_;
  TrainingSettings training_;
};

}  // namespace

ModelEntry vae_entry() {
  return {"vae", "variational autoencoder: ELBO (a lower bound) or IWAE (an estimate)", ModelKind::bound,
          [] { return std::unique_ptr<ModelFit>(new VaeFit); }, &VaeModel::load};
}

}  // namespace logp
