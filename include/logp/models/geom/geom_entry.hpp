#pragma once
// The registry entry of this family (models/model_entry.hpp).
#include "logp/models/model_entry.hpp"

namespace logp {

ModelEntry geom_entry();

}  // namespace logp
