#pragma once
// A 1-D convolution along lines of positions, by im2col + one GEMM: the k x 1 convolutions of the
// Row LSTM (along an image row) and the 2 x 1 state-to-state convolution of the Diagonal LSTM
// (along a column of the skewed map), PixelRNN (van den Oord et al. 2016).
//
// Layout: x [L*C, M] holds M lines of L positions with C channels, entry (p*C + c, m). A batch of
// images [H*W*C, N] is, in memory, the [W*C, H*N] matrix of its rows (autodiff/reshape.hpp), so
// one call convolves every row of every image at once.
#include "logp/autodiff/tape.hpp"

namespace logp::ad {

// x: [L*C, M], weight: [C_out, k*C] (column t*C + c: tap t reads position p + t - pad, zero
// outside 0..L-1), bias: [C_out, 1] -> [L*C_out, M], entry (p*C_out + o, m):
//   y(p, o) = bias(o) + sum_{t, c} weight(o, t*C + c) x(p + t - pad, c).
// 0 <= pad < k; channels = C.
template <class T>
BasicVar<T> line_conv(BasicVar<T> x, BasicVar<T> weight, BasicVar<T> bias, Index channels, Index kernel, Index pad);

// base + line_conv(x, weight) without a bias, in one node: a recurrent step's gates, the
// input-to-state part (base [L*C_out, M]) plus the state-to-state convolution of the previous
// state (x [L*C, M], weight [C_out, k*C]) -> [L*C_out, M].
template <class T>
BasicVar<T> add_line_conv(BasicVar<T> base, BasicVar<T> x, BasicVar<T> weight, Index channels, Index kernel,
                          Index pad);

}  // namespace logp::ad
