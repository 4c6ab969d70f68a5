// Elementwise functions (include/logp/autodiff/elementwise.hpp). Each backward reads the
// forward's output or input; nothing extra is stored but leaky_relu's slope (state: LeakySlope).
#include "logp/autodiff/elementwise.hpp"

#include "op_support.hpp"

namespace logp::ad {

namespace {

template <class T>
const MatrixOf<T>& input_value(BasicTape<T>& tape, const BasicNode<T>& n) {
  return tape.node(n.inputs[0]).value;
}

// y = sigmoid(a): da = g y (1 - y).
template <class T>
void sigmoid_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  tape.add_grad(n.inputs[0], (n.grad.array() * n.value.array() * (T(1) - n.value.array())).matrix());
}

// y = tanh(a): da = g (1 - y^2).
template <class T>
void tanh_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  tape.add_grad(n.inputs[0], (n.grad.array() * (T(1) - n.value.array().square())).matrix());
}

// The relu family's backward, da = g where a > 0 and negative_slope g elsewhere, by plain loops
// (the compiler vectorizes them, while Eigen 3.4's select() runs one scalar at a time: a fifth of
// a DCGAN step), written straight into the input's gradient: assigned on its first touch, added
// after that.
template <class T>
void add_sign_gated_grad(BasicTape<T>& tape, BasicNode<T>& n, T negative_slope) {
  BasicNode<T>& in = tape.node(n.inputs[0]);
  if (!in.needs_grad) return;
  const MatrixOf<T>& a = in.value;
  const bool first = !in.grad_written;
  if (first) in.grad.resize(a.rows(), a.cols());
  in.grad_written = true;
  const T* pa = a.data();
  const T* pg = n.grad.data();
  T* out = in.grad.data();
  const Index size = a.size();
  if (negative_slope == T(0)) {  // exactly 0 where a <= 0, whatever g is
    if (first)
      for (Index i = 0; i < size; ++i) out[i] = pa[i] > T(0) ? pg[i] : T(0);
    else
      for (Index i = 0; i < size; ++i) out[i] += pa[i] > T(0) ? pg[i] : T(0);
  } else {
    if (first)
      for (Index i = 0; i < size; ++i) out[i] = pa[i] > T(0) ? pg[i] : negative_slope * pg[i];
    else
      for (Index i = 0; i < size; ++i) out[i] += pa[i] > T(0) ? pg[i] : negative_slope * pg[i];
  }
}

// y = max(a, 0): da = g [a > 0].
template <class T>
void relu_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  add_sign_gated_grad(tape, n, T(0));
}

// da = g [a > 0] + slope g [a <= 0]; state: LeakySlope.
template <class T>
void leaky_relu_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  add_sign_gated_grad(tape, n, std::get<LeakySlope<T>>(n.state).negative_slope);
}

// y = log(1 + e^a): da = g sigmoid(a).
template <class T>
void softplus_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const MatrixOf<T>& a = input_value(tape, n);
  tape.add_grad(n.inputs[0], (n.grad.array() * a.array().logistic()).matrix());
}

// y = e^a: da = g y.
template <class T>
void exp_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  tape.add_grad(n.inputs[0], n.grad.cwiseProduct(n.value));
}

// y = log a: da = g / a.
template <class T>
void log_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const MatrixOf<T>& a = input_value(tape, n);
  tape.add_grad(n.inputs[0], n.grad.cwiseQuotient(a));
}

// y = a^2: da = 2 g a.
template <class T>
void square_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const MatrixOf<T>& a = input_value(tape, n);
  tape.add_grad(n.inputs[0], T(2) * n.grad.cwiseProduct(a));
}

}  // namespace

template <class T>
BasicVar<T> sigmoid(BasicVar<T> a) {
  const BasicVar<T> out = a.tape->push(&sigmoid_backward<T>, {a});
  a.tape->node(out).value = a.value().array().logistic().matrix();
  return out;
}

template <class T>
BasicVar<T> tanh(BasicVar<T> a) {
  const BasicVar<T> out = a.tape->push(&tanh_backward<T>, {a});
  a.tape->node(out).value = a.value().array().tanh().matrix();
  return out;
}

template <class T>
BasicVar<T> relu(BasicVar<T> a) {
  const BasicVar<T> out = a.tape->push(&relu_backward<T>, {a});
  a.tape->node(out).value = a.value().cwiseMax(T(0));
  return out;
}

template <class T>
BasicVar<T> leaky_relu(BasicVar<T> a, std::type_identity_t<T> slope) {
  const BasicVar<T> out = a.tape->push(&leaky_relu_backward<T>, {a});
  BasicNode<T>& n = a.tape->node(out);
  n.state = LeakySlope<T>{slope};
  n.value = a.value().cwiseMax(T(0)) + slope * a.value().cwiseMin(T(0));  // exact: one term is 0
  return out;
}

template <class T>
BasicVar<T> softplus(BasicVar<T> a) {
  const BasicVar<T> out = a.tape->push(&softplus_backward<T>, {a});
  // max(a, 0) + log(1 + e^-|a|): no overflow for large a, no cancellation for small.
  a.tape->node(out).value = (a.value().array().max(T(0)) + (-a.value().array().abs()).exp().log1p()).matrix();
  return out;
}

template <class T>
BasicVar<T> exp(BasicVar<T> a) {
  const BasicVar<T> out = a.tape->push(&exp_backward<T>, {a});
  a.tape->node(out).value = a.value().array().exp().matrix();
  return out;
}

template <class T>
BasicVar<T> log(BasicVar<T> a) {
  const BasicVar<T> out = a.tape->push(&log_backward<T>, {a});
  a.tape->node(out).value = a.value().array().log().matrix();
  return out;
}

template <class T>
BasicVar<T> square(BasicVar<T> a) {
  const BasicVar<T> out = a.tape->push(&square_backward<T>, {a});
  a.tape->node(out).value = a.value().array().square().matrix();
  return out;
}

#define LOGP_INSTANTIATE(T)                                                \
  template BasicVar<T> sigmoid(BasicVar<T>);                               \
  template BasicVar<T> tanh(BasicVar<T>);                                  \
  template BasicVar<T> relu(BasicVar<T>);                                  \
  template BasicVar<T> leaky_relu(BasicVar<T>, std::type_identity_t<T>);   \
  template BasicVar<T> softplus(BasicVar<T>);                              \
  template BasicVar<T> exp(BasicVar<T>);                                   \
  template BasicVar<T> log(BasicVar<T>);                                   \
  template BasicVar<T> square(BasicVar<T>);
LOGP_INSTANTIATE(float)
LOGP_INSTANTIATE(double)
#undef LOGP_INSTANTIATE

}  // namespace logp::ad
