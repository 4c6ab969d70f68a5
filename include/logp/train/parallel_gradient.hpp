#pragma once
// The gradient of a minibatch, computed by TBB over fixed-size shards.
//
// The batch is cut into shards of `shard_size` columns; each shard's objective and gradient go
// into a buffer of their own, and buffers are summed by parallel_deterministic_reduce with a
// simple_partitioner: the split tree depends only on the number of shards, so the sum (and the
// trained model) is bit-identical for any thread count. Shard k draws from rng.split(k).
#include <span>

#include "logp/core/rng.hpp"
#include "logp/train/trainable.hpp"

namespace logp {

// Returns the objective summed over the columns of batch (D x B) and writes (overwrites) the
// summed gradient into grad (parameters().size() floats).
double parallel_nll_and_grad(const TrainableModel& model, ConstMatrixRef batch, Index shard_size, const Rng& rng,
                             std::span<float> grad);

}  // namespace logp
