#include "logp/models/autoencoder/autoencoder_entry.hpp"

#include "logp/models/autoencoder/autoencoder.hpp"
#include "logp/models/training_fit.hpp"

namespace logp {
namespace {

class AutoencoderFit final : public ModelFit {
 public:
  AutoencoderFit() {
    options_.add("hidden-layers", "encoder hidden sizes, e.g. 500,500 (the decoder mirrors them)", autoencoder_.hidden);
    options_.add("latent", "code (bottleneck) size", autoencoder_.code, Range::positive);
    options_.add_activation(autoencoder_.activation, kDenseStackActivations);
    declare_training_options(options_, training_);
  }
  std::unique_ptr<Model> fit(const FitContext& context) override {
    auto model = std::make_unique<AutoencoderModel>(context.train.spec(), autoencoder_);
    train_for_fit(*model, context, training_);
    return model;
  }

 private:
  AutoencoderOptions autoencoder_;
  TrainingSettings training_;
};

}  // namespace

ModelEntry autoencoder_entry() {
  return {"autoencoder", "deterministic autoencoder: reconstruction error, a score (never a likelihood)",
          ModelKind::score, [] { return std::unique_ptr<ModelFit>(new AutoencoderFit); }, &AutoencoderModel::load};
}

}  // namespace logp
