#pragma once
// A random ordering of D dimensions drawn from a seed, exactly as `--ordering random` does.
#include <vector>

#include "logp/models/ordering.hpp"

namespace logp::testing {

inline std::vector<Index> random_ordering(Index dim, std::uint64_t seed) {
  return Ordering::from_option("random", seed, dim).permutation();
}

}  // namespace logp::testing
