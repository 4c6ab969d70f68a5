#include "logp/models/autoencoder/autoencoder_entry.hpp"

#include "logp/models/autoencoder/autoencoder.hpp"
#include "logp/models/training_fit.hpp"

namespace logp {
namespace {

class AutoencoderFit final : public TrainedModelFit<AutoencoderModel, AutoencoderOptions> {
 public:
  AutoencoderFit() {
    options_.add("hidden-layers", "encoder hidden sizes, e.g. 500,500 (the decoder mirrors them)",
                 model_options_.hidden);
    options_.add("latent", "code (bottleneck) size", model_options_.code, Range::positive);
    options_.add_activation(model_options_.activation, kVaeActivations);
    declare_training();
  }
};

}  // namespace

ModelEntry autoencoder_entry() {
  return {"autoencoder", "deterministic autoencoder: reconstruction error, a score (never a likelihood)",
          ModelKind::score, [] { return std::unique_ptr<ModelFit>(new AutoencoderFit); }, &AutoencoderModel::load};
}

}  // namespace logp
