#pragma once
// Helpers shared by the op sources: shape checks with messages that name the op and shapes,
// and the explicit instantiation of each op for float (training) and double (checks).
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
  require(a.rows() == b.rows() && a.cols() == b.cols(),
          std::string("autodiff ") + op + ": shapes differ, " + shape_text(a) + " and " + shape_text(b));
}

template <class T>
void require_same_tape(const char* op, const BasicVar<T>& a, const BasicVar<T>& b) {
  require(a.tape != nullptr && a.tape == b.tape, std::string("autodiff ") + op + ": operands on different tapes");
}

// Adds op_a(A) op_b(B) into node id's gradient (assigns on first touch), as one gradient_gemm.
template <class T>
void add_product_grad(BasicTape<T>& tape, int id, GemmIn<T> a, Op op_a, GemmIn<T> b, Op op_b) {
  BasicNode<T>& n = tape.node(id);
  if (!n.needs_grad) return;
  if (n.grad_written) {
    gradient_gemm<T>(a, op_a, b, op_b, n.grad, T(1));
  } else {
    n.grad.resize(op_a == Op::none ? a.rows() : a.cols(), op_b == Op::none ? b.cols() : b.rows());
    gradient_gemm<T>(a, op_a, b, op_b, n.grad);
    n.grad_written = true;
  }
}

}  // namespace logp::ad::detail
