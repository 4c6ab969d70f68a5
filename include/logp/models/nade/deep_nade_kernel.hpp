#pragma once
// The order-agnostic deep NADE computations (Uria, Murray & Larochelle 2014, "A deep and
// tractable density estimator"), templated on the scalar so that tests can run them in double;
// the model trains in float.
//
// One network serves every ordering. Its input for an example x (D) and a mask m (D, 1 where
// the dimension is already observed) is concat(x ⊙ m, m):
//   a1 = W1 concat(x ⊙ m, m) + b1, h1 = act(a1)                (H; W1 is H x 2D)
//   a2 = W2 h1 + b2,              h2 = act(a2)                (H; two layers only)
//   logit = V^T h_last + c                                    (D; one Bernoulli per dimension)
// and p(x_i = 1 | x ⊙ m) = sigmoid(logit_i) for every unobserved i.
//
// Exact log-likelihood for an ordering o: log p_o(x) = sum_k log p(x_{o_k} | x_{o_<k}), one
// network pass per position k with the mask of o_0..o_{k-1}. Layer 1 is a running sum over the
// positions (a1 at k+1 = a1 at k + W1[:, o_k] x_{o_k} + W1[:, D + o_k]) and only logit_{o_k} is needed
// at position k, so an example costs O(D H) for one layer and one (H x H) x (H x D) GEMM plus
// O(D H) for two: 2 D H^2 flops, 0.39 GFLOP at D=784, H=500 (not the 2 GFLOP of D naive passes).
#include <vector>

#include "logp/core/rng.hpp"
#include "logp/core/types.hpp"
#include "logp/models/nade/nade_kernel.hpp"  // Activation, MatrixX, VectorX

namespace logp {

struct DeepNadeShape {
  Index dim = 0;     // D
  Index hidden = 0;  // H, units per hidden layer
  int layers = 1;    // 1 or 2
  Activation activation = Activation::relu;
};

template <typename T>
struct DeepNadeWeights {
  // H x 2D, layer 1 on the input concat(x ⊙ m, m): column d < D weighs x_d m_d, column D + d weighs m_d.
  Eigen::Map<const MatrixX<T>> W1;
  Eigen::Map<const VectorX<T>> b1;  // H
  Eigen::Map<const MatrixX<T>> W2;  // H x H (0 x 0 with one layer)
  Eigen::Map<const VectorX<T>> b2;  // H (empty with one layer)
  Eigen::Map<const MatrixX<T>> V;   // H x D: column d, the output weights of dimension d
  Eigen::Map<const VectorX<T>> c;   // D: output biases
};

template <typename T>
struct DeepNadeGradients {  // same shapes as DeepNadeWeights
  Eigen::Map<MatrixX<T>> W1;
  Eigen::Map<VectorX<T>> b1;
  Eigen::Map<MatrixX<T>> W2;
  Eigen::Map<VectorX<T>> b2;
  Eigen::Map<MatrixX<T>> V;
  Eigen::Map<VectorX<T>> c;
};

// Views of a flat parameter vector laid out as the model's ParameterStore: W1, b1, [W2, b2], V, c,
// each column-major. deep_nade_parameter_count gives its length.
Index deep_nade_parameter_count(const DeepNadeShape& shape);
template <typename T>
DeepNadeWeights<T> deep_nade_weights(const DeepNadeShape& shape, const T* theta);
template <typename T>
DeepNadeGradients<T> deep_nade_gradients(const DeepNadeShape& shape, T* grad);

// The order-agnostic draw for each column of a D x n batch: d uniform on 0..D-1, then the first
// d dimensions of a uniformly random ordering (a partial Fisher-Yates shuffle: the same
// distribution as drawing the whole ordering), which become observed. mask: D x n, 1 = observed;
// weight(j) = D / (D - d_j). Consumes rng in column order.
template <typename T>
void draw_order_agnostic_masks(Index dim, Index n, Rng& rng, MatrixX<T>& mask, Vector& weight);

// For fixed masks: returns sum_j weight(j) * sum_{i : mask(i,j) = 0} -log p(x_ij | x_j ⊙ m_j)
// (nats) and ADDS its gradient into grad. x, mask: D x B (0/1); weight: B.
template <typename T>
double deep_nade_masked_nll_and_grad(const DeepNadeWeights<T>& w, const DeepNadeShape& shape,
                                     const Eigen::Ref<const MatrixX<T>>& x, const Eigen::Ref<const MatrixX<T>>& mask,
                                     const Eigen::Ref<const Vector>& weight, DeepNadeGradients<T>& grad);

// The training objective: masks drawn by draw_order_agnostic_masks, then the masked NLL above.
// For every example its expectation over the draws is the NLL averaged over all D! orderings,
//   E_{d,o}[ D/(D-d) sum_{i unobserved} -log p(x_i | x_{o_<d}) ] = E_o[ -log p_o(x) ],
// because, given d, each of the D-d unobserved dimensions is equally likely to be o_d: the sum
// is D-d times an unbiased estimate of the position-d term of -log p_o(x), and averaging
// D * (that term) over the D values of d gives the sum over the positions. Adds into grad.
template <typename T>
double deep_nade_order_agnostic_nll_and_grad(const DeepNadeWeights<T>& w, const DeepNadeShape& shape,
                                             const Eigen::Ref<const MatrixX<T>>& x, Rng& rng,
                                             DeepNadeGradients<T>& grad);

// out(j) = log p_o(x_j) in nats for the ordering `order` (a permutation of 0..D-1): exact, D
// network passes per example, batched over the positions. Each example is computed on its own
// (one GEMM over its D positions), so its value never depends on the rest of the batch.
template <typename T>
void deep_nade_log_prob(const DeepNadeWeights<T>& w, const DeepNadeShape& shape, const std::vector<Index>& order,
                        const Eigen::Ref<const MatrixX<T>>& x, Eigen::Ref<Vector> out);

}  // namespace logp
