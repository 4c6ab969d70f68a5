#include "logp/models/nade/deep_nade_kernel.hpp"

#include <cmath>
#include <numeric>
#include <utility>

#include "logp/core/math.hpp"

namespace logp {
namespace {

// a <- act(a), in place, every entry.
template <typename T>
void activate(Activation activation, MatrixX<T>& a) {
  if (activation == Activation::sigmoid)
    a = a.array().logistic();
  else
    a = a.array().max(T(0));
}

// da <- da ⊙ act'(a), written with h = act(a): sigmoid' = h (1 - h), relu' = [h > 0].
template <typename T>
void backprop_activation(Activation activation, const MatrixX<T>& h, MatrixX<T>& da) {
  if (activation == Activation::sigmoid)
    da.array() *= h.array() * (T(1) - h.array());
  else
    da.array() *= (h.array() > T(0)).template cast<T>();
}

struct Layout {  // offsets of the blocks in the flat parameter vector
  Index w1, b1, w2, b2, v, c, end;
  explicit Layout(const DeepNadeShape& s) {
    const Index hd = s.hidden * s.dim;
    const Index hh = s.layers == 2 ? s.hidden * s.hidden : 0;
    const Index h2 = s.layers == 2 ? s.hidden : 0;
    w1 = 0;
    b1 = w1 + 2 * hd;
    w2 = b1 + s.hidden;
    b2 = w2 + hh;
    v = b2 + h2;
    c = v + hd;
    end = c + s.dim;
  }
};

}  // namespace

Index deep_nade_parameter_count(const DeepNadeShape& shape) { return Layout(shape).end; }

template <typename T>
DeepNadeWeights<T> deep_nade_weights(const DeepNadeShape& s, const T* p) {
  const Layout at(s);
  const Index h2 = s.layers == 2 ? s.hidden : 0;
  using M = Eigen::Map<const MatrixX<T>>;
  using V = Eigen::Map<const VectorX<T>>;
  return {M(p + at.w1, s.hidden, 2 * s.dim), V(p + at.b1, s.hidden),
          M(p + at.w2, h2, h2),          V(p + at.b2, h2),              M(p + at.v, s.hidden, s.dim),
          V(p + at.c, s.dim)};
}

template <typename T>
DeepNadeGradients<T> deep_nade_gradients(const DeepNadeShape& s, T* p) {
  const Layout at(s);
  const Index h2 = s.layers == 2 ? s.hidden : 0;
  using M = Eigen::Map<MatrixX<T>>;
  using V = Eigen::Map<VectorX<T>>;
  return {M(p + at.w1, s.hidden, 2 * s.dim), V(p + at.b1, s.hidden),
          M(p + at.w2, h2, h2),          V(p + at.b2, h2),              M(p + at.v, s.hidden, s.dim),
          V(p + at.c, s.dim)};
}

template <typename T>
void draw_order_agnostic_masks(Index dim, Index n, Rng& rng, MatrixX<T>& mask, Vector& weight) {
  mask.setZero(dim, n);
  weight.resize(n);
  std::vector<Index> order(static_cast<size_t>(dim));
  for (Index j = 0; j < n; ++j) {
    std::iota(order.begin(), order.end(), Index(0));
    const Index observed = static_cast<Index>(rng.uniform_index(static_cast<std::uint64_t>(dim)));
    for (Index t = 0; t < observed; ++t) {  // o_t: uniform over the dimensions not yet drawn
      const Index s = t + static_cast<Index>(rng.uniform_index(static_cast<std::uint64_t>(dim - t)));
      std::swap(order[static_cast<size_t>(t)], order[static_cast<size_t>(s)]);
      mask(order[static_cast<size_t>(t)], j) = T(1);
    }
    weight(j) = static_cast<double>(dim) / static_cast<double>(dim - observed);
  }
}

template <typename T>
double deep_nade_masked_nll_and_grad(const DeepNadeWeights<T>& w, const DeepNadeShape& shape,
                                     const Eigen::Ref<const MatrixX<T>>& x, const Eigen::Ref<const MatrixX<T>>& mask,
                                     const Eigen::Ref<const Vector>& weight, DeepNadeGradients<T>& grad) {
  const Index batch = x.cols();
  const bool two_layers = shape.layers == 2;

  // Forward. Shapes: [H, 2D] x [2D, B] -> [H, B]; [H, H] x [H, B] -> [H, B]; [D, H] x [H, B] -> [D, B].
  const Index dim = x.rows();
  MatrixX<T> input(2 * dim, batch);  // concat(x ⊙ m, m), one column per example
  input.topRows(dim) = x.cwiseProduct(mask);
  input.bottomRows(dim) = mask;
  MatrixX<T> h1 = w.b1.replicate(1, batch);
  h1.noalias() += w.W1 * input;
  activate<T>(shape.activation, h1);
  MatrixX<T> h2;
  if (two_layers) {
    h2 = w.b2.replicate(1, batch);
    h2.noalias() += w.W2 * h1;
    activate<T>(shape.activation, h2);
  }
  const MatrixX<T>& top = two_layers ? h2 : h1;
  MatrixX<T> logit = w.c.replicate(1, batch);
  logit.noalias() += w.V.transpose() * top;

  // Bernoulli terms of the unobserved dimensions: softplus(l) - x l, and dNLL/dl = sigmoid(l) - x,
  // each column scaled by its weight D / (D - d). Vectorized in T, summed per column in double.
  using ArrayT = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>;
  const ArrayT unobserved = T(1) - mask.array();
  const ArrayT terms =
      unobserved * (logit.array().max(T(0)) + (-logit.array().abs()).exp().log1p() - x.array() * logit.array());
  double nll = 0.0;
  for (Index j = 0; j < batch; ++j) nll += weight(j) * terms.col(j).template cast<double>().sum();
  MatrixX<T> dlogit = (unobserved * (logit.array().logistic() - x.array())).matrix();
  dlogit *= weight.template cast<T>().asDiagonal();

  // Backward, adding into grad.
  grad.c.noalias() += dlogit.rowwise().sum();
  grad.V.noalias() += top * dlogit.transpose();  // [H, B] x [B, D]
  MatrixX<T> dtop = w.V * dlogit;                // [H, D] x [D, B] -> [H, B]
  backprop_activation<T>(shape.activation, top, dtop);
  MatrixX<T> da1;
  if (two_layers) {
    grad.W2.noalias() += dtop * h1.transpose();  // [H, B] x [B, H]
    grad.b2.noalias() += dtop.rowwise().sum();
    da1.noalias() = w.W2.transpose() * dtop;     // [H, H] x [H, B]
    backprop_activation<T>(shape.activation, h1, da1);
  } else {
    da1 = std::move(dtop);
  }
  grad.W1.noalias() += da1 * input.transpose();  // [H, B] x [B, 2D]
  grad.b1.noalias() += da1.rowwise().sum();
  return nll;
}

template <typename T>
double deep_nade_order_agnostic_nll_and_grad(const DeepNadeWeights<T>& w, const DeepNadeShape& shape,
                                             const Eigen::Ref<const MatrixX<T>>& x, Rng& rng,
                                             DeepNadeGradients<T>& grad) {
  MatrixX<T> mask;
  Vector weight;
  draw_order_agnostic_masks<T>(shape.dim, x.cols(), rng, mask, weight);
  return deep_nade_masked_nll_and_grad<T>(w, shape, x, mask, weight, grad);
}

template <typename T>
void deep_nade_log_prob(const DeepNadeWeights<T>& w, const DeepNadeShape& shape, const std::vector<Index>& order,
                        const Eigen::Ref<const MatrixX<T>>& x, Eigen::Ref<Vector> out) {
  const Index dim = shape.dim, hidden = shape.hidden;
  const bool two_layers = shape.layers == 2;
  // Shared by every example of this ordering: the mask's part of a1 at each position,
  // mask_part[:, k] = b1 + sum_{t<k} W1[:, D + o_t], and the output weights in ordering order.
  MatrixX<T> mask_part(hidden, dim), v_ordered(hidden, dim);
  VectorX<T> c_ordered(dim);
  mask_part.col(0) = w.b1;
  for (Index k = 0; k < dim; ++k) {
    const Index d = order[static_cast<size_t>(k)];
    if (k + 1 < dim) mask_part.col(k + 1) = mask_part.col(k) + w.W1.col(dim + d);
    v_ordered.col(k) = w.V.col(d);
    c_ordered(k) = w.c(d);
  }
  MatrixX<T> h1(hidden, dim), h2(two_layers ? hidden : 0, dim);  // column k: position k
  VectorX<T> value_part(hidden);
  Eigen::Matrix<T, 1, Eigen::Dynamic> logit(dim);
  for (Index j = 0; j < x.cols(); ++j) {
    // Layer 1 at every position: a running sum over the values observed so far.
    value_part.setZero();
    for (Index k = 0; k < dim; ++k) {
      h1.col(k) = mask_part.col(k) + value_part;
      const Index d = order[static_cast<size_t>(k)];
      if (x(d, j) != T(0)) value_part.noalias() += x(d, j) * w.W1.col(d);
    }
    activate<T>(shape.activation, h1);
    if (two_layers) {
      h2 = w.b2.replicate(1, dim);
      h2.noalias() += w.W2 * h1;  // [H, H] x [H, D]: the one GEMM, all positions at once
      activate<T>(shape.activation, h2);
    }
    // logit_k = c[o_k] + V[:, o_k] . h_k: only the dimension predicted at position k.
    logit = c_ordered.transpose() + (v_ordered.array() * (two_layers ? h2 : h1).array()).colwise().sum().matrix();
    double total = 0.0;
    for (Index k = 0; k < dim; ++k) {
      const double lk = static_cast<double>(logit(k));
      total += static_cast<double>(x(order[static_cast<size_t>(k)], j)) * lk - log1p_exp(lk);
    }
    out(j) = total;
  }
}

#define LOGP_DEEP_NADE_INSTANTIATE(T)                                                                              \
  template DeepNadeWeights<T> deep_nade_weights<T>(const DeepNadeShape&, const T*);                               \
  template DeepNadeGradients<T> deep_nade_gradients<T>(const DeepNadeShape&, T*);                                 \
  template void draw_order_agnostic_masks<T>(Index, Index, Rng&, MatrixX<T>&, Vector&);                           \
  template double deep_nade_masked_nll_and_grad<T>(const DeepNadeWeights<T>&, const DeepNadeShape&,               \
                                                   const Eigen::Ref<const MatrixX<T>>&,                           \
                                                   const Eigen::Ref<const MatrixX<T>>&,                           \
                                                   const Eigen::Ref<const Vector>&, DeepNadeGradients<T>&);      \
  template double deep_nade_order_agnostic_nll_and_grad<T>(const DeepNadeWeights<T>&, const DeepNadeShape&,       \
                                                           const Eigen::Ref<const MatrixX<T>>&, Rng&,             \
                                                           DeepNadeGradients<T>&);                                \
  template void deep_nade_log_prob<T>(const DeepNadeWeights<T>&, const DeepNadeShape&, const std::vector<Index>&, \
                                      const Eigen::Ref<const MatrixX<T>>&, Eigen::Ref<Vector>);

LOGP_DEEP_NADE_INSTANTIATE(float)
LOGP_DEEP_NADE_INSTANTIATE(double)
#undef LOGP_DEEP_NADE_INSTANTIATE

}  // namespace logp
