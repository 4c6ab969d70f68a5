#pragma once
// The random number generator: xoshiro256** seeded through splitmix64.
//
// There is no global RNG: every function that draws takes an Rng&. The draws are defined here
// bit for bit (no std:: distributions, whose output differs between standard libraries), so a
// seed gives the same samples on every platform. `split(k)` derives an independent stream for
// shard k, which keeps parallel work deterministic.
#include <array>
#include <cstdint>

namespace logp {

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0);

  std::uint64_t next_u64();
  double uniform();                             // [0, 1), 53 random bits
  double normal();                              // N(0, 1), Box-Muller
  std::uint64_t uniform_index(std::uint64_t n); // uniform on {0, ..., n-1}, unbiased
  Rng split(std::uint64_t stream) const;        // an independent generator for stream `stream`

 private:
  std::array<std::uint64_t, 4> state_;
};

}  // namespace logp
