#include "logp/models/nade_kernel.hpp"

#include <cmath>

namespace logp {
namespace {

// h = act(a), one column.
template <typename T, typename In, typename Out>
void activate(NadeActivation activation, const In& a, Out& h) {
  if (activation == NadeActivation::sigmoid)
    h = a.array().logistic();
  else
    h = a.array().max(T(0));
}

// log(1 + exp(z)) in double.
inline double softplus_of(double z) { return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); }

}  // namespace

template <typename T>
void nade_log_prob(const NadeWeights<T>& w, const std::vector<Index>& order, NadeActivation activation,
                   const Eigen::Ref<const MatrixX<T>>& x, Eigen::Ref<Vector> out) {
  const Index batch = x.cols();
  MatrixX<T> a = w.c.replicate(1, batch);  // H x B
  out.setZero();
  for (const Index d : order) {
    for (Index j = 0; j < batch; ++j) {
      // V_d . act(a): one fused, vectorized pass; h is never stored.
      const T dot = activation == NadeActivation::sigmoid
                        ? w.V.col(d).dot(a.col(j).array().logistic().matrix())
                        : w.V.col(d).dot(a.col(j).array().max(T(0)).matrix());
      const double logit = static_cast<double>(w.b(d) + dot);
      const double xd = static_cast<double>(x(d, j));
      out(j) += xd * logit - softplus_of(logit);
      if (x(d, j) != T(0)) a.col(j).noalias() += x(d, j) * w.W.col(d);
    }
  }
}

template <typename T>
double nade_nll_and_grad(const NadeWeights<T>& w, const std::vector<Index>& order, NadeActivation activation,
                         const Eigen::Ref<const MatrixX<T>>& x, NadeGradients<T>& grad) {
  const Index batch = x.cols();
  const Index hidden = w.c.size();
  // a_D = c + W x: every position's input added at once (one GEMM).
  MatrixX<T> a = w.c.replicate(1, batch);
  a.noalias() += w.W * x;
  MatrixX<T> da_sum = MatrixX<T>::Zero(hidden, batch);  // sum over positions after k of dNLL/da
  VectorX<T> h(hidden);
  double nll = 0.0;
  for (auto k = order.rbegin(); k != order.rend(); ++k) {
    const Index d = *k;
    for (Index j = 0; j < batch; ++j) {
      const T xd = x(d, j);
      if (xd != T(0)) {
        // a_{k+1} -> a_k, and x_d feeds every later position: dW[:, d] += x_d * sum of their da.
        grad.W.col(d).noalias() += xd * da_sum.col(j);
        a.col(j).noalias() -= xd * w.W.col(d);
      }
      activate<T>(activation, a.col(j), h);
      const double logit = static_cast<double>(w.b(d) + w.V.col(d).dot(h));
      nll += softplus_of(logit) - static_cast<double>(xd) * logit;
      // dNLL/dlogit = sigmoid(logit) - x_d
      const T dlogit = static_cast<T>(1.0 / (1.0 + std::exp(-logit)) - static_cast<double>(xd));
      grad.b(d) += dlogit;
      grad.V.col(d).noalias() += dlogit * h;
      if (activation == NadeActivation::sigmoid)
        da_sum.col(j).array() += dlogit * w.V.col(d).array() * h.array() * (T(1) - h.array());
      else
        da_sum.col(j).array() += (h.array() > T(0)).select(dlogit * w.V.col(d).array(), T(0));
    }
  }
  grad.c.noalias() += da_sum.rowwise().sum();
  return nll;
}

template void nade_log_prob<float>(const NadeWeights<float>&, const std::vector<Index>&, NadeActivation,
                                   const Eigen::Ref<const MatrixX<float>>&, Eigen::Ref<Vector>);
template void nade_log_prob<double>(const NadeWeights<double>&, const std::vector<Index>&, NadeActivation,
                                    const Eigen::Ref<const MatrixX<double>>&, Eigen::Ref<Vector>);
template double nade_nll_and_grad<float>(const NadeWeights<float>&, const std::vector<Index>&, NadeActivation,
                                         const Eigen::Ref<const MatrixX<float>>&, NadeGradients<float>&);
template double nade_nll_and_grad<double>(const NadeWeights<double>&, const std::vector<Index>&, NadeActivation,
                                          const Eigen::Ref<const MatrixX<double>>&, NadeGradients<double>&);

}  // namespace logp
