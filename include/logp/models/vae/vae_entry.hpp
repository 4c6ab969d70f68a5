#pragma once
// The registry entry of the VAE, and the dense-network options it shares with the autoencoder.
#include "logp/models/model_entry.hpp"
#include "logp/models/vae/vae_network.hpp"

namespace logp {

ModelEntry vae_entry();
void declare_activation_option(OptionList& options, VaeActivation& activation);

}  // namespace logp
