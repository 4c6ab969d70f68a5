// Log densities and divergences per column (include/logp/autodiff/density.hpp).
#include "logp/autodiff/density.hpp"

#include <numbers>

#include "op_support.hpp"

namespace logp::ad {

namespace {

using detail::require_same_shape;
using detail::require_same_tape;

// Adds e(i,j) g(j) into node id's gradient: the per-column gradient G [1,N] of a [D,N] array
// expression's column sums.
template <class T, class Expr>
void add_times_column_grad(BasicTape<T>& tape, int id, const Expr& e, const MatrixOf<T>& g) {
  tape.add_grad(id, (e.rowwise() * g.row(0).array()).matrix());
}

// sum_i x l - softplus(l): d l = g (x - sigmoid(l)), d x = g l.
template <class T>
void bernoulli_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const MatrixOf<T>& l = tape.node(n.inputs[0]).value;
  const MatrixOf<T>& x = tape.node(n.inputs[1]).value;
  if (tape.needs_grad(n.inputs[0]))
    add_times_column_grad<T>(tape, n.inputs[0], x.array() - l.array().logistic(), n.grad);
  if (tape.needs_grad(n.inputs[1])) add_times_column_grad<T>(tape, n.inputs[1], l.array(), n.grad);
}

// With z = (x - m) e^{-s} (kept in saved): d x = -g z e^{-s}, d m = g z e^{-s}, d s = g (z^2 - 1).
template <class T>
void gaussian_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const MatrixOf<T>& s = tape.node(n.inputs[2]).value;
  const MatrixOf<T>& z = n.saved;
  const bool dx = tape.needs_grad(n.inputs[0]), dm = tape.needs_grad(n.inputs[1]);
  if (dx || dm) {
    const MatrixOf<T> dmean = ((z.array() * (-s.array()).exp()).rowwise() * n.grad.row(0).array()).matrix();
    if (dx) tape.add_grad(n.inputs[0], -dmean);
    if (dm) tape.add_grad(n.inputs[1], dmean);
  }
  if (tape.needs_grad(n.inputs[2]))
    add_times_column_grad<T>(tape, n.inputs[2], z.array().square() - T(1), n.grad);
}

// sum_i (m^2 + e^{2s} - 1 - 2s) / 2: d m = g m, d s = g (e^{2s} - 1).
template <class T>
void kl_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const MatrixOf<T>& m = tape.node(n.inputs[0]).value;
  const MatrixOf<T>& s = tape.node(n.inputs[1]).value;
  if (tape.needs_grad(n.inputs[0])) add_times_column_grad<T>(tape, n.inputs[0], m.array(), n.grad);
  if (tape.needs_grad(n.inputs[1]))
    add_times_column_grad<T>(tape, n.inputs[1], (T(2) * s.array()).exp() - T(1), n.grad);
}

}  // namespace

template <class T>
BasicVar<T> bernoulli_log_prob(BasicVar<T> logits, BasicVar<T> x) {
  require_same_tape("bernoulli_log_prob", logits, x);
  require_same_shape("bernoulli_log_prob", logits, x);
  const BasicVar<T> out = logits.tape->push(&bernoulli_backward<T>, {logits, x});
  const MatrixOf<T>& l = logits.value();
  // softplus(l) = max(l, 0) + log(1 + e^-|l|)
  logits.tape->node(out).value =
      (x.value().array() * l.array() - l.array().max(T(0)) - (-l.array().abs()).exp().log1p())
          .colwise()
          .sum();
  return out;
}

template <class T>
BasicVar<T> gaussian_log_prob(BasicVar<T> x, BasicVar<T> mean, BasicVar<T> log_scale) {
  require_same_tape("gaussian_log_prob", x, mean);
  require_same_tape("gaussian_log_prob", x, log_scale);
  require_same_shape("gaussian_log_prob (x, mean)", x, mean);
  require_same_shape("gaussian_log_prob (x, log_scale)", x, log_scale);
  const BasicVar<T> out = x.tape->push(&gaussian_backward<T>, {x, mean, log_scale});
  BasicNode<T>& n = x.tape->node(out);
  const MatrixOf<T>& s = log_scale.value();
  n.saved = ((x.value() - mean.value()).array() * (-s.array()).exp()).matrix();
  const T half_log_two_pi = T(0.5) * std::log(T(2) * std::numbers::pi_v<T>);
  n.value = (-half_log_two_pi - s.array() - T(0.5) * n.saved.array().square()).colwise().sum();
  return out;
}

template <class T>
BasicVar<T> kl_diag_gaussian_standard(BasicVar<T> mean, BasicVar<T> log_scale) {
  require_same_tape("kl_diag_gaussian_standard", mean, log_scale);
  require_same_shape("kl_diag_gaussian_standard", mean, log_scale);
  const BasicVar<T> out = mean.tape->push(&kl_backward<T>, {mean, log_scale});
  const MatrixOf<T>& m = mean.value();
  const MatrixOf<T>& s = log_scale.value();
  mean.tape->node(out).value =
      (T(0.5) * (m.array().square() + (T(2) * s.array()).exp() - T(1) - T(2) * s.array())).colwise().sum();
  return out;
}

#define LOGP_INSTANTIATE(T)                                                                  \
  template BasicVar<T> bernoulli_log_prob(BasicVar<T>, BasicVar<T>);                         \
  template BasicVar<T> gaussian_log_prob(BasicVar<T>, BasicVar<T>, BasicVar<T>);             \
  template BasicVar<T> kl_diag_gaussian_standard(BasicVar<T>, BasicVar<T>);
LOGP_INSTANTIATE(float)
LOGP_INSTANTIATE(double)
#undef LOGP_INSTANTIATE

}  // namespace logp::ad
