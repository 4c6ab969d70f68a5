#pragma once
// The gradient of a minibatch, computed by TBB over fixed-size shards.
//
// The batch is cut into shards of `shard_size` columns; shard k draws from rng.split(k) and adds
// its gradient into a buffer of its own. The buffers are then summed element by element in shard
// order (0, 1, 2, ...), in parallel over ranges of parameters: every element's sum is the same
// sequence of float additions whatever the thread count, so the trained model is bit-identical
// for any thread count.
//
// Across the ranks of a parallel run (Communicator, R ranks), rank r computes the contiguous
// shards rank_range(shards, r, R) and the sum stays the same sequence of additions: rank r
// receives the running sum of shards 0..first-1 from rank r-1, adds its own shards in order and
// passes the sum on; the last rank scales it and broadcasts it. The gradient, and so the trained
// model, is bit-identical to the single-process one for any R (R may exceed the shard count:
// ranks without shards pass the sum on). Messages: R-1 hops of the gradient, then one broadcast.
//
// ShardGradients keeps the per-shard buffers between batches (a trainer makes one and reuses it):
// a step allocates nothing, the buffers stay mapped (no page faults, no munmap per step), and
// the sum zeroes each buffer chunk while it is in cache instead of a separate memset pass.
#include <span>
#include <vector>

#include <Eigen/Core>

#include "logp/core/rng.hpp"
#include "logp/parallel/communicator.hpp"
#include "logp/train/trainable.hpp"

namespace logp {

class ShardGradients {
 public:
  // Buffers for a model of `parameters` floats; the batch's shards are spread over `ranks`.
  explicit ShardGradients(Index parameters, const Communicator& ranks = world())
      : parameters_(parameters), ranks_(ranks) {}

  // Returns the objective summed over the columns of batch (D x B) and writes (overwrites)
  // `scale` times the summed gradient into grad (parameters floats). Sets *finite (when given) to
  // whether every written gradient entry is finite (checked during the sum, no extra pass).
  double compute(const Trainable& model, ConstMatrixRef batch, Index shard_size, const Rng& rng,
                 std::span<float> grad, float scale = 1.0f, bool* finite = nullptr);

  // The same for a rank that holds only its own columns of the batch: `part` is columns
  // rank_columns(batch_columns, shard_size, rank, R) of the batch of `batch_columns` columns.
  double compute_part(const Trainable& model, ConstMatrixRef part, Index batch_columns, Index shard_size,
                      const Rng& rng, std::span<float> grad, float scale = 1.0f, bool* finite = nullptr);

  // Seconds this rank spent in messages (waiting for the previous rank's sum included), over all calls.
  double communication_seconds() const { return communication_seconds_; }

 private:
  using Buffer = std::vector<float, Eigen::aligned_allocator<float>>;
  Index parameters_;
  const Communicator& ranks_;
  double communication_seconds_ = 0.0;
  std::vector<Buffer> shards_;      // shard k's gradient; all zero between calls (the sum re-zeroes them)
  bool clean_ = false;              // shards_ are all zero
  std::vector<double> objectives_;  // per shard
  std::vector<double> my_objectives_;  // this rank's shards'
};

// The columns [begin, end) of a batch of `batch_columns` columns that rank `rank` of `ranks`
// computes: those of its shards rank_range(shards, rank, ranks) (empty when it has no shard).
RankRange rank_columns(Index batch_columns, Index shard_size, int rank, int ranks);

// One batch with buffers of its own (allocates per call; trainers use ShardGradients).
double parallel_objective_and_grad(const Trainable& model, ConstMatrixRef batch, Index shard_size, const Rng& rng,
                             std::span<float> grad);

}  // namespace logp
