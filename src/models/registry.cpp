#include "logp/models/registry.hpp"

#include <string>

#include "logp/core/error.hpp"
#include "logp/core/text.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/autoencoder/autoencoder_entry.hpp"
#include "logp/models/bernoulli/bernoulli_entry.hpp"
#include "logp/models/classic/classic_entries.hpp"
#include "logp/models/gan/cgan_entry.hpp"
#include "logp/models/gan/cyclegan_entry.hpp"
#include "logp/models/gan/stargan_entry.hpp"
#include "logp/models/gan/gan_entry.hpp"
#include "logp/models/gan/infogan_entry.hpp"
#include "logp/models/gan/part2whole_entry.hpp"
#include "logp/models/gan/progan_entry.hpp"
#include "logp/models/gan/sgan_entry.hpp"
#include "logp/models/geom/geom_entry.hpp"
#include "logp/models/markov/markov_entry.hpp"
#include "logp/models/model_loading.hpp"
#include "logp/models/nade/nade_entry.hpp"
#include "logp/models/pixelrnn/pixelrnn_entry.hpp"
#include "logp/models/rnade/rnade_entry.hpp"
#include "logp/models/transformed/transformed_entry.hpp"
#include "logp/models/vae/vae_entry.hpp"

namespace logp {

std::string_view to_string(ModelKind kind) {
  switch (kind) {
    case ModelKind::exact_density: return "exact density";
    case ModelKind::bound: return "bound or estimate";
    case ModelKind::score: return "score";
    case ModelKind::implicit: return "implicit (samples only)";
  }
  return "unknown";
}

const std::vector<ModelEntry>& model_entries() {
  // One line per model type.
  static const std::vector<ModelEntry> entries = {
      bernoulli_entry(), markov_entry(), nade_entry(),        deep_nade_entry(), rnade_entry(), gaussian_entry(),
      gmm_entry(),       kde_entry(),    transformed_entry(), vae_entry(),       autoencoder_entry(),
      pixelrnn_entry(),  gan_entry(),    dcgan_entry(),       lsgan_entry(),
      sgan_entry(),      infogan_entry(), aae_entry(),       cgan_entry(),      geom_entry(),
      progan_entry(),    part2whole_entry(),
      cyclegan_entry(),  stargan_entry(),
  };
  return entries;
}

const ModelEntry& model_entry(std::string_view type) {
  for (const ModelEntry& entry : model_entries())
    if (entry.type == type) return entry;
  throw Error("unknown model type '" + std::string(type) + "' (this logp knows: " +
              join(registered_model_types(), ", ") + ")");
}

std::unique_ptr<Model> load_model_of_type(std::string_view type, const H5Group& g, const DataSpec& spec) {
  for (const ModelEntry& entry : model_entries())
    if (entry.type == type) {
      const StoredBlocksGuard stored(g);  // parameter blocks are checked against the file before allocation
      try {
        return entry.load(g, spec);
      } catch (const Error& e) {
        // A check inside a model's constructor speaks of options; say which file holds the values.
        const std::string message = e.what();
        if (message.find(g.file()) != std::string::npos) throw;
        throw Error(g.file() + ":" + g.path() + ": invalid stored model: " + message);
      }
    }
  throw Error(g.file() + ": unknown model type '" + std::string(type) + "' (this logp knows: " +
              join(registered_model_types(), ", ") + ")");
}

std::vector<std::string_view> registered_model_types() {
  std::vector<std::string_view> types;
  for (const ModelEntry& entry : model_entries()) types.push_back(entry.type);
  return types;
}

}  // namespace logp
