#include "logp/models/registry.hpp"

#include <string>

#include "logp/core/error.hpp"
#include "logp/core/text.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/autoencoder/autoencoder.hpp"
#include "logp/models/bernoulli/bernoulli.hpp"
#include "logp/models/nade/deep_nade.hpp"
#include "logp/models/classic/gaussian.hpp"
#include "logp/models/classic/gmm.hpp"
#include "logp/models/classic/kde.hpp"
#include "logp/models/nade/nade.hpp"
#include "logp/models/markov/markov.hpp"
#include "logp/models/pixelrnn/pixelrnn.hpp"
#include "logp/models/rnade/rnade.hpp"
#include "logp/models/transformed/transformed.hpp"
#include "logp/models/vae/vae.hpp"

namespace logp {
namespace {

using Loader = std::unique_ptr<Model> (*)(const H5Group&, const DataSpec&);

struct Entry {
  std::string_view type;
  Loader load;
};

// One line per model type.
constexpr Entry kRegistry[] = {
    {"bernoulli", &BernoulliModel::load},
    {"nade", &NadeModel::load},
    {"markov", &MarkovModel::load},
    {"nade-oa", &DeepNadeModel::load},
    {"rnade", &RnadeModel::load},
    {"transformed", &TransformedModel::load},
    {"gaussian", &GaussianModel::load},
    {"gmm", &GmmModel::load},
    {"kde", &KdeModel::load},
    {"vae", &VaeModel::load},
    {"autoencoder", &AutoencoderModel::load},
    {"pixelrnn", &PixelRnnModel::load},
};

}  // namespace

std::unique_ptr<Model> load_model_of_type(std::string_view type, const H5Group& g, const DataSpec& spec) {
  for (const Entry& entry : kRegistry)
    if (entry.type == type) return entry.load(g, spec);
  throw Error(g.file() + ": unknown model type '" + std::string(type) + "' (this logp knows: " +
              join(registered_model_types(), ", ") + ")");
}

std::vector<std::string_view> registered_model_types() {
  std::vector<std::string_view> types;
  for (const Entry& entry : kRegistry) types.push_back(entry.type);
  return types;
}

}  // namespace logp
