#pragma once
// CycleGAN's registry entry: cyclegan (models/gan/cyclegan.hpp).
#include "logp/models/model_entry.hpp"

namespace logp {

ModelEntry cyclegan_entry();

}  // namespace logp
