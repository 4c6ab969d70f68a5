#pragma once
// Every discrete example of a small space, for exact-normalization checks.
#include <cmath>

#include "logp/core/types.hpp"
#include "logp/model.hpp"

namespace logp::testing {

// All levels^dim examples as a dim x levels^dim matrix (first dimension varies fastest).
inline Matrix all_examples(Index dim, int levels) {
  Index count = 1;
  for (Index i = 0; i < dim; ++i) count *= levels;
  Matrix x(dim, count);
  for (Index j = 0; j < count; ++j) {
    Index code = j;
    for (Index i = 0; i < dim; ++i) {
      x(i, j) = static_cast<float>(code % levels);
      code /= levels;
    }
  }
  return x;
}

// sum over every example of exp(log_prob), in double.
inline double total_probability(const DensityModel& model) {
  const Matrix x = all_examples(model.dim(), model.data_spec().levels);
  return model.log_prob(x).array().exp().sum();
}

}  // namespace logp::testing
