#pragma once
// One dense layer y = W x + b on a tape, as a single node, for float (training) and double
// (gradient checks): the scalar-templated path of Mlp (mlp.hpp).
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>

#include <algorithm>
#include <span>
#include <string>
#include <variant>

#include "logp/autodiff/tape.hpp"
#include "logp/core/error.hpp"
#include "logp/core/gemm.hpp"
#include "logp/train/parameter_store.hpp"

namespace logp::nn {

namespace detail {

// One dense layer y = W x + b on a tape, as a single node that reads W and b in place from the
// flat parameter vector and whose backward adds dW = G x^T and db = row sums of G straight into
// the gradient buffer (one GEMM accumulating into the buffer: no copy of W into a node, no
// per-node gradient matrix to zero and add). Only x's gradient goes through the tape.
// The node's state (ad::DenseBuffers) holds W's and b's offsets and shape and the two buffers
// (which outlive the tape's backward pass: the caller owns both).
//
// Each GEMM is cut into row blocks that depend only on the matrix shape (near-equal sizes of
// about 256 rows, an even number of them when more than one) and the blocks run in parallel (TBB): every output element is computed by
// the same code on the same block whatever the thread count, so results are bit-identical for
// any number of threads, and one shard of a whole batch still uses every core.

// Calls block_fn(first_row, row_count) for near-equal blocks of [0, rows), in parallel.
template <class BlockFn>
void for_row_blocks(Index rows, BlockFn&& block_fn) {
  constexpr Index target_rows = 256;
  Index blocks = std::max<Index>(1, (rows + target_rows / 2) / target_rows);
  if (blocks > 1 && blocks % 2 == 1) ++blocks;  // an even count balances two cores
  const auto block = [&](Index b) {
    const Index first = rows * b / blocks, last = rows * (b + 1) / blocks;
    block_fn(first, last - first);
  };
  if (blocks == 1) return block(0);
  tbb::parallel_for(tbb::blocked_range<Index>(0, blocks, 1), [&](const tbb::blocked_range<Index>& range) {
    for (Index b = range.begin(); b != range.end(); ++b) block(b);
  }, tbb::simple_partitioner());
}

template <class T>
void dense_backward(ad::BasicTape<T>& tape, ad::BasicNode<T>& n) {
  using MatrixT = ad::MatrixOf<T>;
  const ad::DenseBuffers<T>& buffers = std::get<ad::DenseBuffers<T>>(n.state);
  const Index out = buffers.rows, in = buffers.cols;
  const Eigen::Map<const MatrixT> w(buffers.values + buffers.weight_offset, out, in);
  Eigen::Map<MatrixT> dw(buffers.grad + buffers.weight_offset, out, in);
  Eigen::Map<MatrixT> db(buffers.grad + buffers.bias_offset, out, 1);
  const MatrixT& x = tape.node(n.inputs[0]).value;
  for_row_blocks(out, [&](Index first, Index count) {
    fixed_shape_gemm<T>(n.grad.middleRows(first, count), Op::none, x, Op::transpose, dw.middleRows(first, count), T(1));  // [out, in]
    db.middleRows(first, count).noalias() += n.grad.middleRows(first, count).rowwise().sum();  // [out, 1]
  });
  if (!tape.needs_grad(n.inputs[0])) return;
  MatrixT& dx = tape.grad_accumulator(n.inputs[0]);  // [in, N]
  for_row_blocks(in, [&](Index first, Index count) {
    fixed_shape_gemm<T>(w.middleCols(first, count), Op::transpose, n.grad, Op::none, dx.middleRows(first, count), T(1));
  });
}

// x: [in, N] -> W x + b: [out, N].
template <class T>
ad::BasicVar<T> dense(ad::BasicVar<T> x, const ParameterBlock& weight, const ParameterBlock& bias,
                      std::span<const T> values, std::span<T> grad) {
  using MatrixT = ad::MatrixOf<T>;
  require(x.rows() == weight.cols, "dense layer: input has " + std::to_string(x.rows()) + " rows, " + weight.name +
                                       " is " + std::to_string(weight.rows) + "x" + std::to_string(weight.cols));
  ad::BasicTape<T>& tape = *x.tape;
  const ad::BasicVar<T> y = tape.push(&dense_backward<T>, {x});
  ad::BasicNode<T>& n = tape.node(y);
  n.needs_grad = true;  // the parameters need it even when x does not
  n.state = ad::DenseBuffers<T>{.values = values.data(),
                                .grad = grad.data(),
                                .weight_offset = weight.offset,
                                .bias_offset = bias.offset,
                                .rows = weight.rows,
                                .cols = weight.cols};
  const Eigen::Map<const MatrixT> w(values.data() + weight.offset, weight.rows, weight.cols);
  const Eigen::Map<const MatrixT> b(values.data() + bias.offset, bias.rows, 1);
  const MatrixT& input = x.value();
  n.value.resize(weight.rows, x.cols());
  for_row_blocks(weight.rows, [&](Index first, Index count) {
    n.value.middleRows(first, count).colwise() = b.col(0).segment(first, count);  // then += W x: one pass
    gemm_for<T>(tape.column_places(), w.middleRows(first, count), Op::none, input, Op::none,
                n.value.middleRows(first, count), T(1));
  });
  return y;
}

}  // namespace detail

}  // namespace logp::nn
