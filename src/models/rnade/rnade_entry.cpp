#include "logp/models/rnade/rnade_entry.hpp"

#include "logp/models/nade/nade_options.hpp"
#include "logp/models/rnade/rnade.hpp"
#include "logp/models/training_fit.hpp"
#include "logp/models/transformed/transformed.hpp"
#include "logp/models/transformed/transformed_entry.hpp"

namespace logp {
namespace {

class RnadeFit final : public ModelFit {
 public:
  RnadeFit() {
    options_.add("hidden", "hidden units", rnade_.hidden, Range::positive);
    options_.add("components", "K, Gaussians per conditional", rnade_.components, Range::positive);
    declare_activation_option(options_, rnade_.activation);
    options_.add("min-scale", "floor on every Gaussian's sigma, in transformed units", rnade_.min_scale,
                 Range::positive);
    declare_ordering_options(options_, rnade_.ordering, rnade_.ordering_seed);
    declare_transform_options(options_, transform_);
    declare_training_options(options_, training_);
  }

  // Trained on the transformed data; the wrapper (when the transform is not the identity) adds
  // the log-Jacobian, so log_prob is on the data's original scale.
  std::unique_ptr<Model> fit(const FitContext& context) override {
    const DataTransform transform = DataTransform::fit(transform_, context.train);
    auto inner = std::make_unique<RnadeModel>(transform.output_spec(), rnade_);
    if (transform.is_identity()) {
      train_for_fit(*inner, context, training_);
      return inner;
    }
    auto model = std::make_unique<TrainableTransformedModel>(transform, std::move(inner));
    train_for_fit(*model, context, training_);
    return model;
  }

 private:
  RnadeOptions rnade_;
  TransformOptions transform_;
  TrainingSettings training_;
};

}  // namespace

ModelEntry rnade_entry() {
  return {"rnade", "RNADE: NADE with mixture-of-Gaussian conditionals (real data)", ModelKind::exact_density,
          [] { return std::unique_ptr<ModelFit>(new RnadeFit); }, &RnadeModel::load};
}

}  // namespace logp
