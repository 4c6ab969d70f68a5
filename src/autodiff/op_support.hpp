#pragma once
// Helpers shared by the op sources: shape checks with messages that name the op and shapes,
// and the explicit instantiation of each op for float (training) and double (checks).
// The ops' checks are written `if (!ok) throw Error(message)` rather than require(ok, message):
// require's message string would be built on every call (5 % of a Row LSTM training step).
#include <string>

#include "logp/autodiff/tape.hpp"
#include "logp/core/gemm.hpp"

namespace logp::ad::detail {

template <class T>
std::string shape_text(const BasicVar<T>& v) {
  return std::to_string(v.rows()) + "x" + std::to_string(v.cols());
}

template <class T>
void require_same_shape(const char* op, const BasicVar<T>& a, const BasicVar<T>& b) {
  if (!(a.rows() == b.rows() && a.cols() == b.cols()))
    throw Error(std::string("autodiff ") + op + ": shapes differ, " + shape_text(a) + " and " + shape_text(b));
}

template <class T>
void require_same_tape(const char* op, const BasicVar<T>& a, const BasicVar<T>& b) {
  if (!(a.tape != nullptr && a.tape == b.tape))
    throw Error(std::string("autodiff ") + op + ": operands on different tapes");
}

// Adds op_a(A) op_b(B) [M, N] into node id's gradient (assigns on first touch), as one
// fixed_shape_gemm. The node keeps its own shape; its storage is seen as [M, N] (a 1x1
// convolution's input [H*W*C, N] is the [C, H*W*N] product it gets).
template <class T>
void add_product_grad(BasicTape<T>& tape, int id, GemmIn<T> a, Op op_a, GemmIn<T> b, Op op_b) {
  BasicNode<T>& n = tape.node(id);
  if (!n.needs_grad) return;
  const Index rows = op_a == Op::none ? a.rows() : a.cols(), cols = op_b == Op::none ? b.cols() : b.rows();
  if (!(rows * cols == n.value.size()))
    throw Error("autodiff: a product gradient of " + std::to_string(rows) + "x" + std::to_string(cols) +
                " for a node of " + std::to_string(n.value.rows()) + "x" + std::to_string(n.value.cols()));
  const T beta = n.grad_written ? T(1) : T(0);
  if (!n.grad_written) n.grad.resize(n.value.rows(), n.value.cols());
  fixed_shape_gemm<T>(a, op_a, b, op_b, Eigen::Map<MatrixOf<T>>(n.grad.data(), rows, cols), beta);
  n.grad_written = true;
}

}  // namespace logp::ad::detail
