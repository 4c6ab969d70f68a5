#pragma once
// A random ordering of D dimensions drawn from a seed, exactly as `--ordering random` does.
#include <vector>

#include "logp/models/nade/nade.hpp"

namespace logp::testing {

inline std::vector<Index> random_ordering(Index dim, std::uint64_t seed) {
  NadeOptions options;
  options.ordering = "random";
  options.ordering_seed = seed;
  return make_ordering(options, dim);
}

}  // namespace logp::testing
