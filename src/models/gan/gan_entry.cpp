#include "logp/models/gan/gan_entry.hpp"

#include "logp/models/gan/gan.hpp"
#include "logp/models/gan/gan_fit.hpp"

namespace logp {
namespace {

class GanFit final : public AdversarialModelFit<GanModel, GanOptions> {
 public:
  GanFit(std::string type, GanArchitecture architecture, AdversarialLoss loss) : AdversarialModelFit(std::move(type)) {
    model_options_.network.architecture = architecture;
    model_options_.loss = loss;
    declare_network_options(options_, model_options_.network);
    options_.add_choice("loss", "the players' losses", model_options_.loss,
                        {{"non-saturating", AdversarialLoss::non_saturating},
                         {"minimax", AdversarialLoss::minimax},
                         {"least-squares", AdversarialLoss::least_squares}});
    declare_training();
  }
};

}  // namespace

ModelEntry gan_entry() {
  return {"gan", "GAN (Goodfellow et al. 2014), MLP networks: samples only, judged by eval-samples",
          ModelKind::implicit,
          [] { return std::unique_ptr<ModelFit>(new GanFit("gan", GanArchitecture::mlp, AdversarialLoss::non_saturating)); },
          [](const H5Group& g, const DataSpec& spec) { return GanModel::load("gan", g, spec); }};
}

ModelEntry dcgan_entry() {
  return {"dcgan", "DCGAN (Radford et al. 2016): convolutional GAN with batch norm, images; samples only",
          ModelKind::implicit,
          [] { return std::unique_ptr<ModelFit>(new GanFit("dcgan", GanArchitecture::dcgan, AdversarialLoss::non_saturating)); },
          [](const H5Group& g, const DataSpec& spec) { return GanModel::load("dcgan", g, spec); }};
}

ModelEntry lsgan_entry() {
  return {"lsgan", "LSGAN (Mao et al. 2017): least-squares losses, DCGAN networks; samples only",
          ModelKind::implicit,
          [] { return std::unique_ptr<ModelFit>(new GanFit("lsgan", GanArchitecture::dcgan, AdversarialLoss::least_squares)); },
          [](const H5Group& g, const DataSpec& spec) { return GanModel::load("lsgan", g, spec); }};
}

}  // namespace logp
