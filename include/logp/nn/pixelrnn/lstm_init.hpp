#pragma once
// Initial weights shared by the PixelRNN LSTM layers.
#include "logp/core/rng.hpp"
#include "logp/core/types.hpp"

namespace logp::nn {

// w(o, k) uniform on +-sqrt(3 / fan_in(o)) times mask(o, k), fan_in(o) = the taps row o keeps
// (unit variance of each pre-activation for unit-variance inputs). mask: w's shape, 0 or 1.
void masked_uniform(Eigen::Map<Matrix> w, const MatrixD& mask, Rng& rng);
// Gate biases [4h, 1] in the order input, forget, output, content: forget 1, the others 0.
void lstm_gate_bias(Eigen::Map<Matrix> b);

}  // namespace logp::nn
