#pragma once
// The registry entry of the progressive GAN (models/gan/progan.hpp).
#include "logp/models/model_entry.hpp"

namespace logp {

ModelEntry progan_entry();

}  // namespace logp
