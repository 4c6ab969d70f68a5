#pragma once
// A block of the flat parameter vector as a tape leaf, in the tape's scalar: the PixelRNN layers
// run on a float tape to train and on a double tape for the gradient checks.
#include <span>

#include "logp/autodiff/tape.hpp"
#include "logp/train/parameter_store.hpp"

namespace logp::nn {

// values, grad: the flat parameter vector and gradient buffer (layout of the store's blocks);
// backward() adds d loss / d block into the block of grad.
template <class T>
ad::BasicVar<T> tape_parameter(ad::BasicTape<T>& tape, const ParameterBlock& block, std::span<const T> values,
                               std::span<T> grad) {
  return tape.parameter(Eigen::Map<const ad::MatrixOf<T>>(values.data() + block.offset, block.rows, block.cols),
                        Eigen::Map<ad::MatrixOf<T>>(grad.data() + block.offset, block.rows, block.cols));
}

}  // namespace logp::nn
