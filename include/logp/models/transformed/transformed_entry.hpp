#pragma once
// The registry entry of the `transformed` wrapper (loaded, never fitted on its own) and the
// transform options every continuous model declares (--dequantize, --logit, --standardize, ...).
#include "logp/models/model_entry.hpp"
#include "logp/models/transformed/transformed_steps.hpp"

namespace logp {

ModelEntry transformed_entry();
void declare_transform_options(OptionList& options, TransformOptions& transform);

}  // namespace logp
