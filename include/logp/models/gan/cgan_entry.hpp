#pragma once
// The conditional GAN's registry entry: cgan (models/gan/cgan.hpp).
#include "logp/models/model_entry.hpp"

namespace logp {

ModelEntry cgan_entry();

}  // namespace logp
