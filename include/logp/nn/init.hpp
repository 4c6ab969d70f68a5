#pragma once
// Weight initialization schemes, drawn from an explicit Rng (bit-reproducible).
#include <Eigen/Core>

#include "logp/core/rng.hpp"
#include "logp/core/types.hpp"

namespace logp::nn {

// Uniform on [-a, a], a = sqrt(6 / (fan_in + fan_out)) (Glorot & Bengio 2010), for tanh and
// sigmoid layers. fan_in = cols, fan_out = rows of w ([out, in]).
void glorot_uniform(Eigen::Map<Matrix> w, Rng& rng);
// w = scale * N(0, 1) draws in memory order, each draw rounded to float before scaling (the
// initialization of the NADE family, whose scales are chosen per model).
void fill_normal(Eigen::Map<Matrix> w, float scale, Rng& rng);
// Normal with standard deviation sqrt(2 / fan_in) (He et al. 2015), for relu layers.
void he_normal(Eigen::Map<Matrix> w, Rng& rng);

}  // namespace logp::nn
