#pragma once
// The NADE computations (Larochelle & Murray 2011), templated on the scalar so that tests can
// run them in double; the model trains in float.
//
// For an ordering o and binary x (D x B, one example per column):
//   a_0 = c,  a_{k+1} = a_k + W[:, o_k] x_{o_k}            (H x B pre-activations)
//   h_k = act(a_k),  logit_k = b[o_k] + V[:, o_k] . h_k       (act: sigmoid or relu)
//   log p(x) = sum_k x_{o_k} logit_k - softplus(logit_k)
// Cost O(D H) per example. objective_and_grad never stores the D x H activations: it computes
// a_D = c + W x with one GEMM and walks the positions backwards, recovering each a_k by
// subtracting W[:, o_k] x_{o_k}, with value and gradient in that one pass.
#include <vector>

#include "logp/core/types.hpp"
#include "logp/nn/activation.hpp"

namespace logp {


template <typename T>
using MatrixX = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
template <typename T>
using VectorX = Eigen::Matrix<T, Eigen::Dynamic, 1>;

template <typename T>
struct NadeWeights {
  Eigen::Map<const MatrixX<T>> W;  // H x D, column d: input weights of dimension d
  Eigen::Map<const MatrixX<T>> V;  // H x D, column d: output weights of dimension d
  Eigen::Map<const VectorX<T>> b;  // D, output biases
  Eigen::Map<const VectorX<T>> c;  // H, hidden biases
};

template <typename T>
struct NadeGradients {  // same shapes as NadeWeights
  Eigen::Map<MatrixX<T>> W;
  Eigen::Map<MatrixX<T>> V;
  Eigen::Map<VectorX<T>> b;
  Eigen::Map<VectorX<T>> c;
};

// out(j) = log p(x_j) in nats, one per column of x (D x B).
template <typename T>
void nade_log_prob(const NadeWeights<T>& w, const std::vector<Index>& order, Activation activation,
                   const Eigen::Ref<const MatrixX<T>>& x, Eigen::Ref<Vector> out);

// Returns sum_j -log p(x_j) (nats) and ADDS its gradient into grad.
template <typename T>
double nade_nll_and_grad(const NadeWeights<T>& w, const std::vector<Index>& order, Activation activation,
                         const Eigen::Ref<const MatrixX<T>>& x, NadeGradients<T>& grad);

}  // namespace logp
