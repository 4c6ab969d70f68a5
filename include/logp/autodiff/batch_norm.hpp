#pragma once
// Batch normalization over examples (and pixels, for images).
#include <Eigen/Core>

#include "logp/autodiff/tape.hpp"

namespace logp::ad {

// Running statistics of one batch-norm layer: one entry per channel.
template <class T>
struct BasicBatchNormState {
  Eigen::Matrix<T, Eigen::Dynamic, 1> running_mean;  // [C]
  Eigen::Matrix<T, Eigen::Dynamic, 1> running_var;   // [C], unbiased batch variances, averaged
  T momentum = T(0.1);   // running = (1 - momentum) running + momentum batch
  T epsilon = T(1e-5);   // added to the variance before the square root

  explicit BasicBatchNormState(Index channels)
      : running_mean(Eigen::Matrix<T, Eigen::Dynamic, 1>::Zero(channels)),
        running_var(Eigen::Matrix<T, Eigen::Dynamic, 1>::Ones(channels)) {}
  Index channels() const { return running_mean.size(); }
};
using BatchNormState = BasicBatchNormState<float>;

// x: [P*C, N] with C = state.channels() (P = 1 for dense features; P = H*W for images in the
// layout of conv.hpp, where row r is channel r % C); gamma, beta: [C, 1] -> [P*C, N].
// training: normalizes with the batch mean and (biased) variance of each channel over P*N
// entries, and updates state's running statistics (not thread-safe: one state per shard, or
// update from one shard only). Not training: normalizes with the running statistics.
template <class T>
BasicVar<T> batch_norm(BasicVar<T> x, BasicVar<T> gamma, BasicVar<T> beta, BasicBatchNormState<T>& state,
                       bool training);

}  // namespace logp::ad
