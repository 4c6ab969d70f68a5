// Reductions and log-space normalizations (include/logp/autodiff/reduce.hpp).
#include "logp/autodiff/reduce.hpp"

#include <cmath>
#include <limits>

#include "op_support.hpp"

namespace logp::ad {

namespace {

using detail::shape_text;

// d a = g for every entry.
template <class T>
void sum_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const MatrixOf<T>& a = tape.node(n.inputs[0]).value;
  tape.add_grad(n.inputs[0], MatrixOf<T>::Constant(a.rows(), a.cols(), n.grad(0, 0)));
}

template <class T>
void mean_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const MatrixOf<T>& a = tape.node(n.inputs[0]).value;
  const T share = n.grad(0, 0) / static_cast<T>(a.size());
  tape.add_grad(n.inputs[0], MatrixOf<T>::Constant(a.rows(), a.cols(), share));
}

// [1,N] -> [M,N]: g repeated down each column.
template <class T>
void sum_rows_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const Index rows = tape.node(n.inputs[0]).value.rows();
  tape.add_grad(n.inputs[0], n.grad.replicate(rows, 1));
}

// y(j) = log sum_i e^{a(i,j)}: d a(i,j) = g(j) softmax(a)(i,j) = g(j) e^{a(i,j) - y(j)}.
// A column of -inf has no gradient (its softmax is undefined); it gets 0.
template <class T>
void log_sum_exp_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const MatrixOf<T>& a = tape.node(n.inputs[0]).value;
  MatrixOf<T>& ga = tape.grad_accumulator(n.inputs[0]);
  for (Index j = 0; j < a.cols(); ++j) {
    const T top = n.value(0, j);
    if (!std::isfinite(top)) continue;
    ga.col(j).array() += n.grad(0, j) * (a.col(j).array() - top).exp();
  }
}

// y = a - lse(a) per column: d a = g - softmax(a) sum_i g(i), softmax = e^y.
template <class T>
void log_softmax_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const Eigen::Array<T, 1, Eigen::Dynamic> total = n.grad.colwise().sum().array();
  tape.add_grad(n.inputs[0], (n.grad.array() - n.value.array().exp().rowwise() * total).matrix());
}

// y(j) = log mean_{i<k} e^{a(j k + i)}: d a(j k + i) = g(j) e^{a(j k + i) - y(j)} / k.
// state: GroupSize k.
template <class T>
void log_mean_exp_groups_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const MatrixOf<T>& a = tape.node(n.inputs[0]).value;
  const Index k = std::get<GroupSize>(n.state).size;
  const T log_k = std::log(static_cast<T>(k));
  MatrixOf<T>& ga = tape.grad_accumulator(n.inputs[0]);
  for (Index j = 0; j < n.value.cols(); ++j) {
    const T top = n.value(0, j);
    if (!std::isfinite(top)) continue;
    ga.row(0).segment(j * k, k).array() +=
        n.grad(0, j) * (a.row(0).segment(j * k, k).array() - top - log_k).exp();
  }
}

// log sum exp of a vector expression, shifted by its max; -inf (or the max, if +inf/NaN) when
// the max is not finite.
template <class T, class Vec>
T stable_log_sum_exp(const Vec& v) {
  const T top = v.maxCoeff();
  if (!std::isfinite(top)) return top;
  return top + std::log((v.array() - top).exp().sum());
}

}  // namespace

template <class T>
BasicVar<T> sum(BasicVar<T> a) {
  const BasicVar<T> out = a.tape->push(&sum_backward<T>, {a});
  a.tape->node(out).value.setConstant(1, 1, a.value().sum());
  return out;
}

template <class T>
BasicVar<T> mean(BasicVar<T> a) {
  require(a.value().size() > 0, "autodiff mean: empty input " + shape_text(a));
  const BasicVar<T> out = a.tape->push(&mean_backward<T>, {a});
  a.tape->node(out).value.setConstant(1, 1, a.value().mean());
  return out;
}

template <class T>
BasicVar<T> sum_rows(BasicVar<T> a) {
  const BasicVar<T> out = a.tape->push(&sum_rows_backward<T>, {a});
  a.tape->node(out).value = a.value().colwise().sum();
  return out;
}

template <class T>
BasicVar<T> log_sum_exp(BasicVar<T> a) {
  require(a.rows() > 0, "autodiff log_sum_exp: input has no rows (" + shape_text(a) + ")");
  const BasicVar<T> out = a.tape->push(&log_sum_exp_backward<T>, {a});
  BasicNode<T>& n = a.tape->node(out);
  const MatrixOf<T>& x = a.value();
  n.value.resize(1, x.cols());
  for (Index j = 0; j < x.cols(); ++j) n.value(0, j) = stable_log_sum_exp<T>(x.col(j));
  return out;
}

template <class T>
BasicVar<T> log_softmax(BasicVar<T> a) {
  require(a.rows() > 0, "autodiff log_softmax: input has no rows (" + shape_text(a) + ")");
  const BasicVar<T> out = a.tape->push(&log_softmax_backward<T>, {a});
  BasicNode<T>& n = a.tape->node(out);
  const MatrixOf<T>& x = a.value();
  n.value.resize(x.rows(), x.cols());
  for (Index j = 0; j < x.cols(); ++j) n.value.col(j) = x.col(j).array() - stable_log_sum_exp<T>(x.col(j));
  return out;
}

template <class T>
BasicVar<T> log_mean_exp_groups(BasicVar<T> a, Index k) {
  require(k >= 1 && a.rows() == 1 && a.cols() % k == 0,
          "autodiff log_mean_exp_groups: needs a 1 x (N*k) input with k >= 1, got " + shape_text(a) +
              " and k = " + std::to_string(k));
  const BasicVar<T> out = a.tape->push(&log_mean_exp_groups_backward<T>, {a});
  BasicNode<T>& n = a.tape->node(out);
  n.state = GroupSize{k};
  const MatrixOf<T>& x = a.value();
  const Index groups = x.cols() / k;
  const T log_k = std::log(static_cast<T>(k));
  n.value.resize(1, groups);
  for (Index j = 0; j < groups; ++j) n.value(0, j) = stable_log_sum_exp<T>(x.row(0).segment(j * k, k)) - log_k;
  return out;
}

#define LOGP_INSTANTIATE(T)                                      \
  template BasicVar<T> sum(BasicVar<T>);                         \
  template BasicVar<T> mean(BasicVar<T>);                        \
  template BasicVar<T> sum_rows(BasicVar<T>);                    \
  template BasicVar<T> log_sum_exp(BasicVar<T>);                 \
  template BasicVar<T> log_softmax(BasicVar<T>);                 \
  template BasicVar<T> log_mean_exp_groups(BasicVar<T>, Index);
LOGP_INSTANTIATE(float)
LOGP_INSTANTIATE(double)
#undef LOGP_INSTANTIATE

}  // namespace logp::ad
