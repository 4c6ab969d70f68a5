#include "logp/models/gan/cyclegan_entry.hpp"

#include "logp/core/error.hpp"
#include "logp/models/gan/cyclegan.hpp"
#include "logp/models/gan/gan_fit.hpp"

namespace logp {
namespace {

class CycleGanFit final : public AdversarialModelFit<CycleGanModel, CycleGanOptions> {
 public:
  CycleGanFit() : AdversarialModelFit("cyclegan") {
    options_.add("domain-a", "domain A: the class whose examples are translated to B (e.g. 7, sneakers)",
                 model_options_.domain_a);
    options_.add("domain-b", "domain B: the class whose examples are translated to A (e.g. 9, ankle boots)",
                 model_options_.domain_b);
    options_.add("channels", "C, the channels of the first conv layer of every network (then 2C)",
                 model_options_.channels, Range::positive);
    options_.add("cycle-weight", "lambda: weight of the cycle-consistency L1 loss", model_options_.cycle_weight,
                 Range::non_negative);
    options_.add("identity-fraction", "weight of the identity L1 loss as a fraction of --cycle-weight",
                 model_options_.identity_fraction, Range::non_negative);
    declare_training();
  }

  std::unique_ptr<Model> fit(const FitContext& context) override {
    if (model_options_.domain_a < 0 || model_options_.domain_b < 0)
      throw Error("cyclegan: give the two domains as classes, e.g. --domain-a 7 --domain-b 9");
    return AdversarialModelFit::fit(context);
  }
};

}  // namespace

ModelEntry cyclegan_entry() {
  return {"cyclegan",
          "CycleGAN (Zhu et al. 2017): unpaired translation between two classes (logp translate); draws no samples",
          ModelKind::implicit, [] { return std::unique_ptr<ModelFit>(new CycleGanFit()); },
          [](const H5Group& g, const DataSpec& spec) { return CycleGanModel::load(g, spec); }};
}

}  // namespace logp
