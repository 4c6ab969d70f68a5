#include "logp/models/nade/nade_entry.hpp"

#include "logp/core/error.hpp"
#include "logp/models/nade/deep_nade.hpp"
#include "logp/models/nade/nade.hpp"
#include "logp/models/nade/nade_options.hpp"
#include "logp/models/training_fit.hpp"

namespace logp {
namespace {

class NadeFit final : public TrainedModelFit<NadeModel, NadeOptions> {
 public:
  NadeFit() {
    options_.add("hidden", "hidden units", model_options_.hidden, Range::positive);
    declare_activation_option(options_, model_options_.activation);
    declare_ordering_options(options_, model_options_.ordering, model_options_.ordering_seed);
    declare_training();
  }
};

class DeepNadeFit final : public ModelFit {
 public:
  DeepNadeFit() {
    options_.add("hidden", "hidden units per layer", deep_.hidden, Range::positive);
    options_.add("layers", "hidden layers, 1 or 2", deep_.layers, Range::positive);
    declare_activation_option(options_, deep_.activation);
    options_.add("orderings",
                 "K, orderings in the saved model's evaluation ensemble (early stopping uses the first alone)",
                 deep_.orderings, Range::positive);
    declare_ordering_options(options_, deep_.ordering, deep_.ordering_seed);
    declare_training_options(options_, training_);
  }
  std::unique_ptr<Model> fit(const FitContext& context) override {
    // Training does not depend on the ensemble: early stopping watches the first ordering alone (K
    // times cheaper than the ensemble), the saved model has all K.
    DeepNadeOptions single = deep_;
    single.orderings = 1;
    auto model = std::make_unique<DeepNadeModel>(context.train.spec(), single);
    train_for_fit(*model, context, training_);
    model->set_ensemble_size(deep_.orderings);
    return model;
  }

 private:
  DeepNadeOptions deep_;
  TrainingSettings training_;
};

}  // namespace

ModelEntry nade_entry() {
  return {"nade", "NADE (binary data), one ordering, exact log-likelihood", ModelKind::exact_density,
          [] { return std::unique_ptr<ModelFit>(new NadeFit); }, &NadeModel::load};
}

ModelEntry deep_nade_entry() {
  return {"nade-oa", "order-agnostic deep NADE (binary data), exact for an ensemble of orderings",
          ModelKind::exact_density, [] { return std::unique_ptr<ModelFit>(new DeepNadeFit); }, &DeepNadeModel::load};
}

}  // namespace logp
