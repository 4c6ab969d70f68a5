#pragma once
// The registry entry of PixelRNN (models/model_entry.hpp).
#include "logp/models/model_entry.hpp"

namespace logp {

ModelEntry pixelrnn_entry();

}  // namespace logp
