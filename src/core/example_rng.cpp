#include "logp/core/example_rng.hpp"

#include <bit>

namespace logp {
namespace {

// splitmix64's finalizer: a bijective 64-bit mix.
std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

Rng example_rng(std::uint64_t seed, const float* column, Index dim) {
  std::uint64_t hash = mix64(seed ^ 0x9e3779b97f4a7c15ULL);
  for (Index i = 0; i < dim; ++i) hash = mix64(hash ^ std::bit_cast<std::uint32_t>(column[i]));
  return Rng(hash ^ static_cast<std::uint64_t>(dim));
}

}  // namespace logp
