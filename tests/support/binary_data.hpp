#pragma once
// Small hand-made datasets for tests.
#include "logp/core/rng.hpp"
#include "logp/data/data_spec.hpp"

namespace logp::testing {

// n random examples of dimension dim with values 0..levels-1; each dimension leans towards a
// different value so that fitted models are not uniform.
inline Matrix random_discrete(Index dim, Index n, int levels, std::uint64_t seed) {
  Rng rng(seed);
  Matrix x(dim, n);
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i < dim; ++i) {
      const bool copy_previous = i > 0 && rng.uniform() < 0.6;
      x(i, j) = copy_previous ? x(i - 1, j) : static_cast<float>(rng.uniform_index(static_cast<std::uint64_t>(levels)));
    }
  return x;
}

inline DataSpec discrete_spec(Index dim, int levels, std::vector<Index> shape = {}) {
  return DataSpec{levels == 2 ? DataKind::binary : DataKind::categorical, levels, dim, std::move(shape)};
}

}  // namespace logp::testing
