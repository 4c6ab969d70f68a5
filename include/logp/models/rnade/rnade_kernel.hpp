#pragma once
// The RNADE computations (Uria, Murray & Larochelle 2013), templated on the scalar so that tests
// can run them in double; the model trains in float.
//
// For an ordering o and real x (D x B, one example per column), with H hidden units and K
// mixture components per conditional:
//   a_1 = c,  a_{k+1} = a_k + W[:, o_k] x_{o_k}                  (H x B pre-activations)
//   h_k = act(rho_d a_k)           with d = o_k                  (act: relu or sigmoid)
//   [alpha; mu; s] = V_d^T h_k + b_d                             (3K: logits, means, log-scales)
//   sigma_j = exp(max(s_j, log min_scale))                       (the variance floor)
//   log p(x_d | x_<d) = log_sum_exp_j(log_softmax(alpha)_j + log N(x_d; mu_j, sigma_j))
// and log p(x) is the sum over positions, in nats. Cost O(D H K) per example.
// objective_and_grad never stores the D x H activations: it computes a_{D+1} = c + W x with one GEMM
// and walks the positions backwards, recovering each a_k by subtracting W[:, o_k] x_{o_k}, with
// value and gradient in that one pass. A block of examples goes through each position together,
// so the output layer of a position is one GEMM (3K x H by H x B) rather than B GEMVs.
// Below the floor (s_j < log min_scale) sigma is constant in s_j and its gradient is 0.
#include <vector>

#include "logp/core/types.hpp"
#include "logp/models/nade/nade_kernel.hpp"

namespace logp {

struct RnadeShape {
  Index components = 10;       // K
  Activation activation = Activation::relu;
  double min_scale = 1e-3;     // floor on every sigma_j, in the data's units (> 0)
};

template <typename T>
struct RnadeWeights {
  Eigen::Map<const MatrixX<T>> W;    // H x D, column d: input weights of dimension d
  Eigen::Map<const MatrixX<T>> V;    // H x 3KD, columns 3Kd .. 3Kd+3K-1: dimension d's outputs
                                     // (K logits, then K means, then K log-scales)
  Eigen::Map<const MatrixX<T>> b;    // 3K x D, column d: dimension d's output biases
  Eigen::Map<const VectorX<T>> c;    // H, hidden biases
  Eigen::Map<const VectorX<T>> rho;  // D, rho[d]: scale of the pre-activation at dimension d
};

template <typename T>
struct RnadeGradients {  // same shapes as RnadeWeights
  Eigen::Map<MatrixX<T>> W;
  Eigen::Map<MatrixX<T>> V;
  Eigen::Map<MatrixX<T>> b;
  Eigen::Map<VectorX<T>> c;
  Eigen::Map<VectorX<T>> rho;
};

// out(j) = log p(x_j) in nats (a density in x's units), one per column of x (D x B).
template <typename T>
void rnade_log_prob(const RnadeWeights<T>& w, const std::vector<Index>& order, const RnadeShape& shape,
                    const Eigen::Ref<const MatrixX<T>>& x, Eigen::Ref<Vector> out);

// Returns sum_j -log p(x_j) (nats) and ADDS its gradient into grad.
template <typename T>
double rnade_nll_and_grad(const RnadeWeights<T>& w, const std::vector<Index>& order, const RnadeShape& shape,
                          const Eigen::Ref<const MatrixX<T>>& x, RnadeGradients<T>& grad);

}  // namespace logp
