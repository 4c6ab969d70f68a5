#include "logp/models/gan/part2whole_entry.hpp"

#include "logp/models/gan/gan_fit.hpp"
#include "logp/models/gan/part2whole.hpp"

namespace logp {
namespace {

class PartToWholeFit final : public AdversarialModelFit<PartToWholeModel, PartToWholeOptions> {
 public:
  PartToWholeFit() : AdversarialModelFit("part2whole") {
    model_options_.network.architecture = GanArchitecture::dcgan;
    declare_network_options(options_, model_options_.network);
    options_.add_choice("loss", "the players' adversarial losses", model_options_.loss,
                        {{"non-saturating", AdversarialLoss::non_saturating},
                         {"minimax", AdversarialLoss::minimax},
                         {"least-squares", AdversarialLoss::least_squares}});
    options_.add("patches", "K, the square patches the generator is given per image", model_options_.patches,
                 Range::positive);
    options_.add("patch-size", "the patches' side in pixels", model_options_.patch_size, Range::positive);
    options_.add("patch-weight", "weight of the L1 on the given patches", model_options_.patch_weight,
                 Range::non_negative);
    options_.add("whole-weight", "weight of the L1 on the whole image (0: off)", model_options_.whole_weight,
                 Range::non_negative);
    declare_training();
  }
};

}  // namespace

ModelEntry part2whole_entry() {
  return {"part2whole",
          "part-to-whole GAN (after Lee et al. 2018): whole images from K patches, images; `logp complete`",
          ModelKind::implicit, [] { return std::unique_ptr<ModelFit>(new PartToWholeFit()); },
          [](const H5Group& g, const DataSpec& spec) { return PartToWholeModel::load(g, spec); }};
}

}  // namespace logp
