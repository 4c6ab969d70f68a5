#pragma once
// Batch normalization over examples (and pixels, for images).
#include <Eigen/Core>

#include "logp/autodiff/tape.hpp"

namespace logp::ad {

// Running statistics of one batch-norm layer: one entry per channel, and the statistics of the
// training batches seen since they were last folded into the running ones.
template <class T>
struct BasicBatchNormState {
  using VectorT = Eigen::Matrix<T, Eigen::Dynamic, 1>;
  VectorT running_mean;  // [C]
  VectorT running_var;   // [C], unbiased batch variances, averaged
  T momentum = T(0.1);   // running = (1 - momentum) running + momentum batch
  T epsilon = T(1e-5);   // added to the variance before the square root

  // Pending batch statistics per channel (Chan et al.'s pairwise form): entries seen, their mean
  // and their sum of squared deviations from it. Several forward passes (shards) add up here.
  T batch_count = 0;
  VectorT batch_mean;  // [C]
  VectorT batch_m2;    // [C]

  explicit BasicBatchNormState(Index channels)
      : running_mean(VectorT::Zero(channels)), running_var(VectorT::Ones(channels)),
        batch_mean(VectorT::Zero(channels)), batch_m2(VectorT::Zero(channels)) {}
  Index channels() const { return running_mean.size(); }
};
using BatchNormState = BasicBatchNormState<float>;

// Adds from's pending batch statistics into into's: the statistics of the two sets of entries
// pooled (equal to one pass over all of them up to rounding). Merging shards in a fixed order
// gives the same result for any thread count.
template <class T>
void merge_batch_statistics(BasicBatchNormState<T>& into, const BasicBatchNormState<T>& from);

// Moves the running statistics momentum of the way to the pending batch mean and unbiased
// variance, then clears the pending statistics. Nothing pending: nothing changes.
template <class T>
void fold_batch_statistics(BasicBatchNormState<T>& state);

// x: [P*C, N] with C = state.channels() (P = 1 for dense features; P = H*W for images in the
// layout of conv.hpp, where row r is channel r % C); gamma, beta: [C, 1] -> [P*C, N].
// training: normalizes with the batch mean and (biased) variance of each channel over P*N
// entries and adds them to state's pending batch statistics (not thread-safe: one state per
// shard, merged afterwards); fold_batch_statistics moves them into the running statistics. Not
// training: normalizes with the running statistics.
template <class T>
BasicVar<T> batch_norm(BasicVar<T> x, BasicVar<T> gamma, BasicVar<T> beta, BasicBatchNormState<T>& state,
                       bool training);

}  // namespace logp::ad
