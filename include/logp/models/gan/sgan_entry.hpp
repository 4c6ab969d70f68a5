#pragma once
// The semi-supervised GAN's registry entry: sgan (models/gan/sgan.hpp).
#include "logp/models/model_entry.hpp"

namespace logp {

ModelEntry sgan_entry();

}  // namespace logp
