#pragma once
// The registry entries of InfoGAN (models/gan/infogan.hpp) and the adversarial autoencoder
// (models/gan/aae.hpp).
#include "logp/models/model_entry.hpp"

namespace logp {

ModelEntry infogan_entry();
ModelEntry aae_entry();

}  // namespace logp
