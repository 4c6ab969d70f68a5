#pragma once
// A random stream tied to one example's content, for stochastic values that log_prob must return
// reproducibly: dequantization noise, the VAE's importance samples. The stream depends only on
// (seed, the example's float bits), so a value is the same whatever the batch, block or thread
// that computes it, and parallel scoring equals serial scoring bit for bit.
#include <cstdint>

#include "logp/core/rng.hpp"
#include "logp/core/types.hpp"

namespace logp {

// column: one example (D floats). Identical examples get identical streams (by design: the
// value is a function of the example).
Rng example_rng(std::uint64_t seed, const float* column, Index dim);

}  // namespace logp
