#pragma once
// The gradient of a minibatch, computed by TBB over fixed-size shards.
//
// The batch is cut into shards of `shard_size` columns; shard k draws from rng.split(k) and adds
// its gradient into a buffer of its own. The buffers are then summed element by element in shard
// order (0, 1, 2, ...), in parallel over ranges of parameters: every element's sum is the same
// sequence of float additions whatever the thread count, so the trained model is bit-identical
// for any thread count.
//
// ShardGradients keeps the per-shard buffers between batches (a trainer makes one and reuses it):
// a step allocates nothing, the buffers stay mapped (no page faults, no munmap per step), and
// the sum zeroes each buffer chunk while it is in cache instead of a separate memset pass.
#include <span>
#include <vector>

#include <Eigen/Core>

#include "logp/core/rng.hpp"
#include "logp/train/trainable.hpp"

namespace logp {

class ShardGradients {
 public:
  // Buffers for a model of `parameters` floats.
  explicit ShardGradients(Index parameters) : parameters_(parameters) {}

  // Returns the objective summed over the columns of batch (D x B) and writes (overwrites)
  // `scale` times the summed gradient into grad (parameters floats). Sets *finite (when given) to
  // whether every written gradient entry is finite (checked during the sum, no extra pass).
  double compute(const Trainable& model, ConstMatrixRef batch, Index shard_size, const Rng& rng,
                 std::span<float> grad, float scale = 1.0f, bool* finite = nullptr);

 private:
  using Buffer = std::vector<float, Eigen::aligned_allocator<float>>;
  Index parameters_;
  std::vector<Buffer> shards_;      // shard k's gradient; all zero between calls (the sum re-zeroes them)
  bool clean_ = false;              // shards_ are all zero
  std::vector<double> objectives_;  // per shard
};

// One batch with buffers of its own (allocates per call; trainers use ShardGradients).
double parallel_objective_and_grad(const Trainable& model, ConstMatrixRef batch, Index shard_size, const Rng& rng,
                             std::span<float> grad);

}  // namespace logp
