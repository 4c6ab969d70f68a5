#pragma once
// The registry entry of the part-to-whole GAN (models/gan/part2whole.hpp).
#include "logp/models/model_entry.hpp"

namespace logp {

ModelEntry part2whole_entry();

}  // namespace logp
