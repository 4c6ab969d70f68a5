// Products, sums and scalings (include/logp/autodiff/arithmetic.hpp).
#include "logp/autodiff/arithmetic.hpp"

#include "op_support.hpp"

namespace logp::ad {

namespace {

using detail::require_same_shape;
using detail::require_same_tape;
using detail::shape_text;

// [M,K] x [K,N] -> [M,N]; dA = G B^T [M,K], dB = A^T G [K,N].
template <class T>
void matmul_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const MatrixOf<T>& a = tape.node(n.inputs[0]).value;
  const MatrixOf<T>& b = tape.node(n.inputs[1]).value;
  detail::add_product_grad<T>(tape, n.inputs[0], n.grad, Op::none, b, Op::transpose);
  detail::add_product_grad<T>(tape, n.inputs[1], a, Op::transpose, n.grad, Op::none);
}

template <class T>
void add_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  tape.add_grad(n.inputs[0], n.grad);
  tape.add_grad(n.inputs[1], n.grad);
}

template <class T>
void sub_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  tape.add_grad(n.inputs[0], n.grad);
  tape.add_grad(n.inputs[1], -n.grad);
}

template <class T>
void mul_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const MatrixOf<T>& a = tape.node(n.inputs[0]).value;
  const MatrixOf<T>& b = tape.node(n.inputs[1]).value;
  tape.add_grad(n.inputs[0], n.grad.cwiseProduct(b));
  tape.add_grad(n.inputs[1], n.grad.cwiseProduct(a));
}

// state: ScaleFactor (y = factor a): da = factor g.
template <class T>
void scale_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  tape.add_grad(n.inputs[0], std::get<ScaleFactor<T>>(n.state).factor * n.grad);
}

template <class T>
void identity_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  tape.add_grad(n.inputs[0], n.grad);
}

// [M,N] + [M,1]: d bias = row sums of G.
template <class T>
void add_bias_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  tape.add_grad(n.inputs[0], n.grad);
  tape.add_grad(n.inputs[1], n.grad.rowwise().sum());
}

// [M,N] * [1,N]: dA = G * w per column, dw = column sums of G .* A.
template <class T>
void scale_columns_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const MatrixOf<T>& a = tape.node(n.inputs[0]).value;
  const MatrixOf<T>& w = tape.node(n.inputs[1]).value;
  if (tape.needs_grad(n.inputs[0]))
    tape.add_grad(n.inputs[0], (n.grad.array().rowwise() * w.row(0).array()).matrix());
  if (tape.needs_grad(n.inputs[1]))
    tape.add_grad(n.inputs[1], n.grad.cwiseProduct(a).colwise().sum());
}

}  // namespace

template <class T>
BasicVar<T> matmul(BasicVar<T> a, BasicVar<T> b) {
  require_same_tape("matmul", a, b);
  if (!(a.cols() == b.rows()))
    throw Error("autodiff matmul: inner dimensions differ, " + shape_text(a) + " x " + shape_text(b));
  BasicTape<T>& tape = *a.tape;
  const BasicVar<T> out = tape.push(&matmul_backward<T>, {a, b});
  MatrixOf<T>& value = tape.node(out).value;
  value.resize(a.rows(), b.cols());
  gemm_for<T>(tape.column_places(), a.value(), Op::none, b.value(), Op::none, value);
  return out;
}

template <class T>
BasicVar<T> add(BasicVar<T> a, BasicVar<T> b) {
  require_same_tape("add", a, b);
  require_same_shape("add", a, b);
  const BasicVar<T> out = a.tape->push(&add_backward<T>, {a, b});
  a.tape->node(out).value = a.value() + b.value();
  return out;
}

template <class T>
BasicVar<T> sub(BasicVar<T> a, BasicVar<T> b) {
  require_same_tape("sub", a, b);
  require_same_shape("sub", a, b);
  const BasicVar<T> out = a.tape->push(&sub_backward<T>, {a, b});
  a.tape->node(out).value = a.value() - b.value();
  return out;
}

template <class T>
BasicVar<T> mul(BasicVar<T> a, BasicVar<T> b) {
  require_same_tape("mul", a, b);
  require_same_shape("mul", a, b);
  const BasicVar<T> out = a.tape->push(&mul_backward<T>, {a, b});
  a.tape->node(out).value = a.value().cwiseProduct(b.value());
  return out;
}

template <class T>
BasicVar<T> scale(BasicVar<T> a, std::type_identity_t<T> s) {
  const BasicVar<T> out = a.tape->push(&scale_backward<T>, {a});
  BasicNode<T>& n = a.tape->node(out);
  n.state = ScaleFactor<T>{s};
  n.value = s * a.value();
  return out;
}

template <class T>
BasicVar<T> add_scalar(BasicVar<T> a, std::type_identity_t<T> s) {
  const BasicVar<T> out = a.tape->push(&identity_backward<T>, {a});
  a.tape->node(out).value = (a.value().array() + s).matrix();
  return out;
}

template <class T>
BasicVar<T> add_bias(BasicVar<T> a, BasicVar<T> bias) {
  require_same_tape("add_bias", a, bias);
  if (!(bias.cols() == 1 && bias.rows() == a.rows()))
    throw Error("autodiff add_bias: bias must be " + std::to_string(a.rows()) + "x1 for a " + shape_text(a) +
                " input, got " + shape_text(bias));
  const BasicVar<T> out = a.tape->push(&add_bias_backward<T>, {a, bias});
  a.tape->node(out).value = a.value().colwise() + bias.value().col(0);
  return out;
}

template <class T>
BasicVar<T> scale_columns(BasicVar<T> a, BasicVar<T> w) {
  require_same_tape("scale_columns", a, w);
  if (!(w.rows() == 1 && w.cols() == a.cols()))
    throw Error("autodiff scale_columns: weights must be 1x" + std::to_string(a.cols()) + " for a " + shape_text(a) +
                " input, got " + shape_text(w));
  const BasicVar<T> out = a.tape->push(&scale_columns_backward<T>, {a, w});
  a.tape->node(out).value = (a.value().array().rowwise() * w.value().row(0).array()).matrix();
  return out;
}

#define LOGP_INSTANTIATE(T)                                                      \
  template BasicVar<T> matmul(BasicVar<T>, BasicVar<T>);                         \
  template BasicVar<T> add(BasicVar<T>, BasicVar<T>);                            \
  template BasicVar<T> sub(BasicVar<T>, BasicVar<T>);                            \
  template BasicVar<T> mul(BasicVar<T>, BasicVar<T>);                            \
  template BasicVar<T> scale(BasicVar<T>, std::type_identity_t<T>);              \
  template BasicVar<T> add_scalar(BasicVar<T>, std::type_identity_t<T>);         \
  template BasicVar<T> add_bias(BasicVar<T>, BasicVar<T>);                       \
  template BasicVar<T> scale_columns(BasicVar<T>, BasicVar<T>);
LOGP_INSTANTIATE(float)
LOGP_INSTANTIATE(double)
#undef LOGP_INSTANTIATE

}  // namespace logp::ad
