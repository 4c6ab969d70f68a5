#pragma once
// What the model fuzzers do with a model that loaded: score two all-zero examples (a valid
// example of every data kind) when it has a density. Loading validated the model, so its values
// must be finite or -inf (an example outside the support); NaN or +inf is a silent wrong answer.
#include <cmath>
#include <memory>

#include "logp/model.hpp"

namespace logp::fuzz {

inline void use_model(const Model& model) {
  const auto* density = dynamic_cast<const DensityModel*>(&model);
  if (density == nullptr || model.data_spec().dim > (1 << 16)) return;
  const Matrix x = Matrix::Zero(model.data_spec().dim, 2);
  const Vector values = density->log_prob(x);
  for (Index i = 0; i < values.size(); ++i)
    if (std::isnan(values[i]) || values[i] == INFINITY) __builtin_trap();
}

}  // namespace logp::fuzz
