#pragma once
// The registry entry of this family (models/model_entry.hpp).
#include "logp/models/model_entry.hpp"

namespace logp {

ModelEntry gaussian_entry();
ModelEntry gmm_entry();
ModelEntry kde_entry();

}  // namespace logp
