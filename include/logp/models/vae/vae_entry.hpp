#pragma once
// The registry entry of the VAE.
#include "logp/models/model_entry.hpp"
#include "logp/models/vae/vae_objective.hpp"

namespace logp {

ModelEntry vae_entry();

}  // namespace logp
