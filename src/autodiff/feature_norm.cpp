// Pixel norm and the minibatch standard deviation (include/logp/autodiff/feature_norm.hpp).
// pixel_norm saves r_j = 1 / sqrt(mean_i a_ij^2 + eps) per column (saved: [1, M]);
// minibatch_stddev saves the centred rows divided by F N s_f (saved: [F, N]).
#include "logp/autodiff/feature_norm.hpp"

#include <cmath>

#include "op_support.hpp"

namespace logp::ad {

namespace {

// Plain loops, not Eigen's vectorized reductions, so the sums do not depend on the instruction set.
template <class T>
T dot(const T* a, const T* b, Index size) {
  T sum = T(0);
  for (Index i = 0; i < size; ++i) sum += a[i] * b[i];
  return sum;
}

// y = a r, r = (mean a^2 + eps)^(-1/2): da = r g - (r^3 / C) a (a . g), per column.
template <class T>
void pixel_norm_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  if (!tape.needs_grad(n.inputs[0])) return;
  const MatrixOf<T>& a = tape.node(n.inputs[0]).value;
  MatrixOf<T>& g = tape.grad_accumulator(n.inputs[0]);
  const T inv_c = T(1) / static_cast<T>(a.rows());
  for (Index j = 0; j < a.cols(); ++j) {
    const T r = n.saved(0, j);
    const T ag = dot(a.col(j).data(), n.grad.col(j).data(), a.rows());
    g.col(j) += r * n.grad.col(j) - (r * r * r * inv_c * ag) * a.col(j);
  }
}

// s = mean_f sqrt(var_f + eps): da_fn = G (a_fn - mean_f) / (F N s_f) (the mean's own derivative
// sums to zero over n).
template <class T>
void minibatch_stddev_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  tape.add_grad(n.inputs[0], (n.grad(0, 0) * n.saved).eval());
}

}  // namespace

template <class T>
BasicVar<T> pixel_norm(BasicVar<T> a, std::type_identity_t<T> eps) {
  if (!(a.rows() >= 1 && eps > T(0)))
    throw Error("autodiff pixel_norm: needs at least one row and eps > 0, got " + detail::shape_text(a));
  const BasicVar<T> out = a.tape->push(&pixel_norm_backward<T>, {a});
  BasicNode<T>& n = a.tape->node(out);
  const MatrixOf<T>& x = a.value();
  n.saved.resize(1, x.cols());
  n.value.resize(x.rows(), x.cols());
  const T inv_c = T(1) / static_cast<T>(x.rows());
  for (Index j = 0; j < x.cols(); ++j) {
    const T r = T(1) / std::sqrt(dot(x.col(j).data(), x.col(j).data(), x.rows()) * inv_c + eps);
    n.saved(0, j) = r;
    n.value.col(j) = r * x.col(j);
  }
  return out;
}

template <class T>
BasicVar<T> minibatch_stddev(BasicVar<T> a, std::type_identity_t<T> eps) {
  if (!(a.cols() >= 2 && a.rows() >= 1 && eps > T(0)))
    throw Error("autodiff minibatch_stddev: needs at least 2 columns (examples), got " + detail::shape_text(a));
  const BasicVar<T> out = a.tape->push(&minibatch_stddev_backward<T>, {a});
  BasicNode<T>& n = a.tape->node(out);
  const MatrixOf<T>& x = a.value();
  const T count = static_cast<T>(x.cols()), features = static_cast<T>(x.rows());
  n.saved.resize(x.rows(), x.cols());
  T total = T(0);
  for (Index f = 0; f < x.rows(); ++f) {
    T sum = T(0), squares = T(0);
    for (Index e = 0; e < x.cols(); ++e) sum += x(f, e);
    const T mean = sum / count;
    for (Index e = 0; e < x.cols(); ++e) {
      n.saved(f, e) = x(f, e) - mean;
      squares += n.saved(f, e) * n.saved(f, e);
    }
    const T s = std::sqrt(squares / count + eps);
    total += s;
    n.saved.row(f) /= features * count * s;
  }
  n.value.resize(1, 1);
  n.value(0, 0) = total / features;
  return out;
}

template BasicVar<float> pixel_norm(BasicVar<float>, float);
template BasicVar<double> pixel_norm(BasicVar<double>, double);
template BasicVar<float> minibatch_stddev(BasicVar<float>, float);
template BasicVar<double> minibatch_stddev(BasicVar<double>, double);

}  // namespace logp::ad
