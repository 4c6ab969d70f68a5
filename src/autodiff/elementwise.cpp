// Elementwise functions (include/logp/autodiff/elementwise.hpp). Each backward reads the
// forward's output or input; nothing extra is stored but leaky_relu's slope (state: LeakySlope).
#include "logp/autodiff/elementwise.hpp"

#include <algorithm>

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

// The relu family's backward, da = g where a > 0 and negative_slope g elsewhere (exactly 0 there
// when the slope is 0, whatever g is), written straight into the input's gradient: assigned on its
// first touch, added after that. By Eigen's packets: Eigen 3.4's select() runs one scalar at a
// time, and -O2 vectorizes no plain loop here (it would need alias checks and a remainder loop),
// so a scalar loop branched on each sign (a fifth of a DCGAN step). Each entry is the same one
// select, one product and one sum in every lane width: the values do not depend on the ISA.
template <class T, bool kAdd>
void sign_gated(const T* a, const T* g, T* out, Index size, T negative_slope) {
  namespace ei = Eigen::internal;
  using Packet = typename ei::packet_traits<T>::type;
  constexpr Index kLanes = ei::packet_traits<T>::size;
  const bool leaky = negative_slope != T(0);
  const Packet zero = ei::pset1<Packet>(T(0)), slope = ei::pset1<Packet>(negative_slope);
  const auto gate = [&](const T* pa, const T* pg, T* po) {
    const Packet vg = ei::ploadu<Packet>(pg);
    Packet v = ei::pselect(ei::pcmp_lt(zero, ei::ploadu<Packet>(pa)), vg, leaky ? ei::pmul(slope, vg) : zero);
    if constexpr (kAdd) v = ei::padd(ei::ploadu<Packet>(po), v);
    ei::pstoreu(po, v);
  };
  Index i = 0;
  for (; i + kLanes <= size; i += kLanes) gate(a + i, g + i, out + i);
  if (i == size) return;
  // The last partial packet through the same packet ops (a scalar loop could be compiled with a
  // fused multiply-add that the packets do not use).
  T ta[kLanes] = {}, tg[kLanes] = {}, to[kLanes] = {};
  std::copy(a + i, a + size, ta);
  std::copy(g + i, g + size, tg);
  std::copy(out + i, out + size, to);
  gate(ta, tg, to);
  std::copy(to, to + (size - i), out + i);
}

template <class T>
void add_sign_gated_grad(BasicTape<T>& tape, BasicNode<T>& n, T negative_slope) {
  BasicNode<T>& in = tape.node(n.inputs[0]);
  if (!in.needs_grad) return;
  const MatrixOf<T>& a = in.value;
  const bool first = !in.grad_written;
  if (first) in.grad.resize(a.rows(), a.cols());
  in.grad_written = true;
  if (first)
    sign_gated<T, false>(a.data(), n.grad.data(), in.grad.data(), a.size(), negative_slope);
  else
    sign_gated<T, true>(a.data(), n.grad.data(), in.grad.data(), a.size(), negative_slope);
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
