#pragma once
// StarGAN's registry entry: stargan (models/gan/stargan.hpp).
#include "logp/models/model_entry.hpp"

namespace logp {

ModelEntry stargan_entry();

}  // namespace logp
