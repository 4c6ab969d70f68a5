#pragma once
// Reinterpreting a node's column-major storage with another shape: no copy of meaning, only of
// the numbers. A batch of images [H*W*C, N] is, in memory, [C, H*W*N] (a column per pixel) and
// [W*C, H*N] (a column per image row); see autodiff/conv.hpp for the image layout.
#include "logp/autodiff/tape.hpp"

namespace logp::ad {

// [M,N] -> [rows, cols] with rows * cols == M * N, the entries in the same memory order.
template <class T> BasicVar<T> reshape(BasicVar<T> a, Index rows, Index cols);

}  // namespace logp::ad
