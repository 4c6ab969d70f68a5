// The weighted L1 distance (include/logp/autodiff/l1_loss.hpp). saved: sign(a - target).
#include "logp/autodiff/l1_loss.hpp"

#include "op_support.hpp"

namespace logp::ad {

namespace {

// L = sum w |a - t|: da = G w s, dt = -G w s, dw = G |a - t|, s = sign(a - t).
template <class T>
void weighted_l1_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const T g = n.grad(0, 0);
  const MatrixOf<T>& w = tape.node(n.inputs[2]).value;
  if (tape.needs_grad(n.inputs[0]) || tape.needs_grad(n.inputs[1])) {
    const MatrixOf<T> gws = (g * w.array() * n.saved.array()).matrix();
    tape.add_grad(n.inputs[0], gws);
    tape.add_grad(n.inputs[1], -gws);
  }
  if (tape.needs_grad(n.inputs[2])) {
    const MatrixOf<T>& a = tape.node(n.inputs[0]).value;
    const MatrixOf<T>& t = tape.node(n.inputs[1]).value;
    tape.add_grad(n.inputs[2], (g * (a - t).array().abs()).matrix());
  }
}

}  // namespace

template <class T>
BasicVar<T> weighted_l1(BasicVar<T> a, BasicVar<T> target, BasicVar<T> weights) {
  detail::require_same_tape("weighted_l1", a, target);
  detail::require_same_tape("weighted_l1", a, weights);
  detail::require_same_shape("weighted_l1", a, target);
  detail::require_same_shape("weighted_l1", a, weights);
  const BasicVar<T> out = a.tape->push(&weighted_l1_backward<T>, {a, target, weights});
  BasicNode<T>& n = a.tape->node(out);
  const MatrixOf<T>& x = a.value();
  const MatrixOf<T>& t = target.value();
  const MatrixOf<T>& w = weights.value();
  n.saved.resize(x.rows(), x.cols());
  T sum = T(0);  // in memory order: the same sum for any instruction set
  for (Index i = 0; i < x.size(); ++i) {
    const T d = x.data()[i] - t.data()[i];
    n.saved.data()[i] = d > T(0) ? T(1) : (d < T(0) ? T(-1) : T(0));
    sum += w.data()[i] * (d < T(0) ? -d : d);
  }
  n.value.resize(1, 1);
  n.value(0, 0) = sum;
  return out;
}

template BasicVar<float> weighted_l1(BasicVar<float>, BasicVar<float>, BasicVar<float>);
template BasicVar<double> weighted_l1(BasicVar<double>, BasicVar<double>, BasicVar<double>);

}  // namespace logp::ad
