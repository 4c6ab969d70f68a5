#include "logp/models/gan/stargan_entry.hpp"

#include "logp/models/gan/gan_fit.hpp"
#include "logp/models/gan/sgan.hpp"
#include "logp/models/gan/stargan.hpp"

namespace logp {
namespace {

class StarGanFit final : public AdversarialModelFit<StarGanModel, StarGanOptions> {
 public:
  StarGanFit() : AdversarialModelFit("stargan") {
    options_.add("channels", "C, the channels of the first conv layer of both networks (then 2C)",
                 model_options_.channels, Range::positive);
    options_.add("cycle-weight", "lambda_rec: weight of the reconstruction (cycle) L1 loss",
                 model_options_.cycle_weight, Range::non_negative);
    options_.add("class-weight", "lambda_cls: weight of the domain classification loss", model_options_.class_weight,
                 Range::non_negative);
    declare_training();
  }

  std::unique_ptr<Model> fit(const FitContext& context) override {
    model_options_.classes = classes_of_labels(context.train);  // K from the training labels
    return AdversarialModelFit::fit(context);
  }
};

}  // namespace

ModelEntry stargan_entry() {
  return {"stargan",
          "StarGAN (Choi et al. 2018): one generator translates an image into any class (logp translate); draws no "
          "samples",
          ModelKind::implicit, [] { return std::unique_ptr<ModelFit>(new StarGanFit()); },
          [](const H5Group& g, const DataSpec& spec) { return StarGanModel::load(g, spec); }};
}

}  // namespace logp
