#include "logp/models/rnade/rnade_kernel.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace logp {
namespace {

// Examples that go through the positions together: their a, h and da stay in L2 for H <= 500.
constexpr Index kBlock = 64;

template <typename T>
using ArrayX = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>;
template <typename T>
using RowArrayX = Eigen::Array<T, 1, Eigen::Dynamic>;

// Scratch for one position's mixture terms over a block of B examples.
template <typename T>
struct MixtureScratch {
  ArrayX<T> log_scale;   // K x B, max(s, log min_scale)
  ArrayX<T> inv_scale;   // K x B, 1 / sigma
  ArrayX<T> z;           // K x B, (x - mu) / sigma
  ArrayX<T> terms;       // K x B, log pi_j + log N(x; mu_j, sigma_j), then responsibilities
  RowArrayX<T> top;      // 1 x B, a column maximum
  RowArrayX<T> lse_alpha;  // 1 x B, log sum_j exp(alpha_j)
  RowArrayX<T> lse;        // 1 x B, log p(x_d | x_<d)
};

// One position for a block. out: 3K x B, [alpha; mu; s] of each example; x_d: 1 x B.
// Adds log p(x_d | x_<d) (nats) to log_prob (B). When d_out is given, writes dNLL/d[alpha; mu; s]
// into it (3K x B): pi - r, -r z / sigma, and -r (z^2 - 1) above the floor (0 below it), with r
// the responsibilities.
template <typename T, typename Row>
void mixture_terms(Index K, T log_min_scale, const MatrixX<T>& out, const Row& x_d, MixtureScratch<T>& m,
                   Eigen::Ref<Vector> log_prob, MatrixX<T>* d_out) {
  const T half_log_2pi = static_cast<T>(0.5 * std::log(2.0 * std::numbers::pi));
  m.log_scale = out.bottomRows(K).array().max(log_min_scale);
  m.inv_scale = (-m.log_scale).exp();
  m.z = (x_d.replicate(K, 1).array() - out.middleRows(K, K).array()) * m.inv_scale;
  m.top = out.topRows(K).array().colwise().maxCoeff();
  m.lse_alpha = m.top + (out.topRows(K).array().rowwise() - m.top).exp().colwise().sum().log();
  m.terms = (out.topRows(K).array().rowwise() - m.lse_alpha) - T(0.5) * m.z.square() - m.log_scale - half_log_2pi;
  m.top = m.terms.colwise().maxCoeff();
  m.lse = m.top + (m.terms.rowwise() - m.top).exp().colwise().sum().log();
  log_prob += m.lse.template cast<double>().transpose().matrix();
  if (d_out == nullptr) return;
  m.terms = (m.terms.rowwise() - m.lse).exp();  // responsibilities r_j, K x B
  d_out->topRows(K) = ((out.topRows(K).array().rowwise() - m.lse_alpha).exp() - m.terms).matrix();
  d_out->middleRows(K, K) = (-m.terms * m.z * m.inv_scale).matrix();
  d_out->bottomRows(K) =
      (out.bottomRows(K).array() > log_min_scale).select(m.terms * (T(1) - m.z.square()), T(0)).matrix();
}

// h = act(rho a), H x B.
template <typename T>
void activate(Activation activation, T rho, const MatrixX<T>& a, MatrixX<T>& h) {
  if (activation == Activation::sigmoid)
    h = (rho * a.array()).logistic().matrix();
  else
    h = (rho * a.array()).max(T(0)).matrix();
}

template <typename T>
void log_prob_block(const RnadeWeights<T>& w, const std::vector<Index>& order, const RnadeShape& shape,
                    const Eigen::Ref<const MatrixX<T>>& x, Eigen::Ref<Vector> log_prob) {
  const Index K = shape.components;
  const Index batch = x.cols();
  const T log_min_scale = static_cast<T>(std::log(shape.min_scale));
  MatrixX<T> a = w.c.replicate(1, batch);  // H x B
  MatrixX<T> h(a.rows(), batch);           // H x B
  MatrixX<T> out(3 * K, batch);            // 3K x B
  MixtureScratch<T> scratch;
  log_prob.setZero();
  for (const Index d : order) {
    activate<T>(shape.activation, w.rho(d), a, h);
    out.noalias() = w.V.middleCols(3 * K * d, 3 * K).transpose() * h;  // [3K x H] x [H x B]
    out.colwise() += w.b.col(d);
    mixture_terms<T>(K, log_min_scale, out, x.row(d), scratch, log_prob, nullptr);
    a.noalias() += w.W.col(d) * x.row(d);  // [H x 1] x [1 x B]
  }
}

template <typename T>
double nll_and_grad_block(const RnadeWeights<T>& w, const std::vector<Index>& order, const RnadeShape& shape,
                          const Eigen::Ref<const MatrixX<T>>& x, RnadeGradients<T>& grad) {
  const Index K = shape.components;
  const Index batch = x.cols();
  const Index hidden = w.c.size();
  const T log_min_scale = static_cast<T>(std::log(shape.min_scale));
  // a_{D+1} = c + W x: every position's input added at once (one GEMM).
  MatrixX<T> a = w.c.replicate(1, batch);  // H x B
  a.noalias() += w.W * x;
  MatrixX<T> da_sum = MatrixX<T>::Zero(hidden, batch);  // sum over positions after k of dNLL/da
  MatrixX<T> h(hidden, batch), dh(hidden, batch);      // H x B
  MatrixX<T> out(3 * K, batch), d_out(3 * K, batch);   // 3K x B
  MixtureScratch<T> scratch;
  Vector log_prob = Vector::Zero(batch);
  for (auto k = order.rbegin(); k != order.rend(); ++k) {
    const Index d = *k;
    // x_d feeds every later position: dW[:, d] += sum of their da times x_d; then a_{k+1} -> a_k.
    grad.W.col(d).noalias() += da_sum * x.row(d).transpose();  // [H x B] x [B x 1]
    if (k + 1 == order.rend())
      a = w.c.replicate(1, batch);  // a_1 = c exactly, not c plus the rounding left by D subtractions
    else
      a.noalias() -= w.W.col(d) * x.row(d);
    const T rho = w.rho(d);
    activate<T>(shape.activation, rho, a, h);
    const Eigen::Map<const MatrixX<T>> V_d(w.V.data() + hidden * 3 * K * d, hidden, 3 * K);  // H x 3K
    out.noalias() = V_d.transpose() * h;                  // [3K x H] x [H x B]
    out.colwise() += w.b.col(d);
    mixture_terms<T>(K, log_min_scale, out, x.row(d), scratch, log_prob, &d_out);
    grad.b.col(d) += d_out.rowwise().sum();
    grad.V.middleCols(3 * K * d, 3 * K).noalias() += h * d_out.transpose();  // [H x B] x [B x 3K]
    dh.noalias() = V_d * d_out;                                                // [H x 3K] x [3K x B]
    // dNLL/d(rho a) = dh act'(rho a); act' from h: relu: h > 0, sigmoid: h (1 - h).
    if (shape.activation == Activation::sigmoid)
      dh.array() *= h.array() * (T(1) - h.array());
    else
      dh = (h.array() > T(0)).select(dh.array(), T(0)).matrix();
    grad.rho(d) += (dh.array() * a.array()).sum();
    da_sum.noalias() += rho * dh;
  }
  grad.c.noalias() += da_sum.rowwise().sum();
  return -log_prob.sum();
}

}  // namespace

template <typename T>
void rnade_log_prob(const RnadeWeights<T>& w, const std::vector<Index>& order, const RnadeShape& shape,
                    const Eigen::Ref<const MatrixX<T>>& x, Eigen::Ref<Vector> out) {
  for (Index first = 0; first < x.cols(); first += kBlock) {
    const Index count = std::min(kBlock, x.cols() - first);
    log_prob_block<T>(w, order, shape, x.middleCols(first, count), out.segment(first, count));
  }
}

template <typename T>
double rnade_nll_and_grad(const RnadeWeights<T>& w, const std::vector<Index>& order, const RnadeShape& shape,
                          const Eigen::Ref<const MatrixX<T>>& x, RnadeGradients<T>& grad) {
  double nll = 0.0;
  for (Index first = 0; first < x.cols(); first += kBlock) {
    const Index count = std::min(kBlock, x.cols() - first);
    nll += nll_and_grad_block<T>(w, order, shape, x.middleCols(first, count), grad);
  }
  return nll;
}

template void rnade_log_prob<float>(const RnadeWeights<float>&, const std::vector<Index>&, const RnadeShape&,
                                    const Eigen::Ref<const MatrixX<float>>&, Eigen::Ref<Vector>);
template void rnade_log_prob<double>(const RnadeWeights<double>&, const std::vector<Index>&, const RnadeShape&,
                                     const Eigen::Ref<const MatrixX<double>>&, Eigen::Ref<Vector>);
template double rnade_nll_and_grad<float>(const RnadeWeights<float>&, const std::vector<Index>&, const RnadeShape&,
                                          const Eigen::Ref<const MatrixX<float>>&, RnadeGradients<float>&);
template double rnade_nll_and_grad<double>(const RnadeWeights<double>&, const std::vector<Index>&, const RnadeShape&,
                                           const Eigen::Ref<const MatrixX<double>>&, RnadeGradients<double>&);

}  // namespace logp
