#include "logp/train/parallel_gradient.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/partitioner.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>

#include "logp/core/error.hpp"

namespace logp {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

RankRange rank_columns(Index batch_columns, Index shard_size, int rank, int ranks) {
  require(shard_size > 0, "shard size must be positive, got " + std::to_string(shard_size));
  const Index shards = std::max<Index>(1, (batch_columns + shard_size - 1) / shard_size);
  const RankRange mine = rank_range(shards, rank, ranks);
  return {std::min(mine.begin * shard_size, batch_columns), std::min(mine.end * shard_size, batch_columns)};
}

double ShardGradients::compute(const Trainable& model, ConstMatrixRef batch, Index shard_size, const Rng& rng,
                               std::span<float> grad, float scale, bool* finite) {
  const RankRange columns = rank_columns(batch.cols(), shard_size, ranks_.rank(), ranks_.size());
  return compute_part(model, batch.middleCols(columns.begin, columns.size()), batch.cols(), shard_size, rng, grad,
                      scale, finite);
}

double ShardGradients::compute_part(const Trainable& model, ConstMatrixRef columns_of_rank, Index batch_columns,
                                    Index shard_size, const Rng& rng, std::span<float> grad, float scale,
                                    bool* finite) {
  const RankRange columns = rank_columns(batch_columns, shard_size, ranks_.rank(), ranks_.size());
  require(columns_of_rank.cols() == columns.size(), "ShardGradients: " + std::to_string(columns_of_rank.cols()) +
                                             " columns given for this rank's " + std::to_string(columns.size()));
  require(model.parameters().size() == parameters_ && static_cast<Index>(grad.size()) == parameters_,
          "parallel_objective_and_grad: gradient buffer of " + std::to_string(grad.size()) + " and workspace of " +
              std::to_string(parameters_) + " for " + std::to_string(model.parameters().size()) + " parameters");
  const Index shards = std::max<Index>(1, (batch_columns + shard_size - 1) / shard_size);
  const int rank = ranks_.rank(), ranks = ranks_.size();
  const RankRange mine = rank_range(shards, rank, ranks);  // this rank's shards
  const bool last_rank = rank == ranks - 1;
  if (static_cast<Index>(shards_.size()) < mine.size()) {
    shards_.resize(static_cast<std::size_t>(mine.size()));
    clean_ = false;
  }
  if (!clean_) {  // first use, or an earlier call stopped (threw) before the sum re-zeroed them
    for (Buffer& buffer : shards_) buffer.assign(static_cast<std::size_t>(parameters_), 0.0f);
    clean_ = true;
  }
  clean_ = false;
  my_objectives_.assign(static_cast<std::size_t>(mine.size()), 0.0);

  // Each shard adds its gradient into its own (zero) buffer, whichever thread runs it; shards_[i]
  // holds shard mine.begin + i.
  tbb::parallel_for(tbb::blocked_range<Index>(0, mine.size(), 1), [&](const tbb::blocked_range<Index>& range) {
    for (Index i = range.begin(); i != range.end(); ++i) {
      const Index shard = mine.begin + i;
      Buffer& buffer = shards_[static_cast<std::size_t>(i)];
      const Index first = shard * shard_size;  // in the batch; columns_of_rank starts at columns.begin
      const Index count = std::min(shard_size, batch_columns - first);
      Rng shard_rng = rng.split(static_cast<std::uint64_t>(shard));
      my_objectives_[static_cast<std::size_t>(i)] =
          model.objective_and_grad(columns_of_rank.middleCols(first - columns.begin, count), shard_rng,
                                   std::span<float>(buffer.data(), buffer.size()));
    }
  }, tbb::simple_partitioner());

  // The running sum of shards 0 .. mine.begin-1, from the previous rank.
  const auto receive_start = std::chrono::steady_clock::now();
  if (rank > 0) ranks_.receive(grad, rank - 1);
  const double receive_seconds = seconds_since(receive_start);

  // grad = scale * (shard 0 + shard 1 + ...), each element summed in shard order; each buffer is
  // zeroed again while its chunk is in cache, ready for the next batch. The scale and the
  // finiteness check belong to the last rank (the only one when there is one).
  constexpr Index chunk = 1 << 13;
  const Index chunks = (parameters_ + chunk - 1) / chunk;
  const bool all_finite = tbb::parallel_reduce(
      tbb::blocked_range<Index>(0, chunks, 1), true,
      [&](const tbb::blocked_range<Index>& range, bool ok) {
        for (Index c = range.begin(); c != range.end(); ++c) {
          const Index begin = c * chunk, size = std::min(chunk, parameters_ - begin);
          Eigen::Map<VectorF> sum(grad.data() + begin, size);
          for (Index i = 0; i < mine.size(); ++i) {
            Eigen::Map<VectorF> part(shards_[static_cast<std::size_t>(i)].data() + begin, size);
            if (mine.begin + i == 0)
              sum = part;
            else
              sum += part;
            part.setZero();
          }
          if (last_rank) {
            if (scale != 1.0f) sum *= scale;
            ok = ok && sum.allFinite();
          }
        }
        return ok;
      },
      std::logical_and<bool>(), tbb::simple_partitioner());
  clean_ = true;

  const auto pass_start = std::chrono::steady_clock::now();
  if (!last_rank) ranks_.send(grad, rank + 1);
  ranks_.broadcast(grad, ranks - 1);
  objectives_.resize(static_cast<std::size_t>(shards));
  ranks_.all_gather(my_objectives_, objectives_, rank_counts(shards, ranks));
  if (ranks > 1) communication_seconds_ += receive_seconds + seconds_since(pass_start);
  if (finite != nullptr)
    *finite = last_rank ? all_finite : Eigen::Map<const VectorF>(grad.data(), parameters_).allFinite();

  double objective = 0.0;
  for (double value : objectives_) objective += value;
  return objective;
}

double parallel_objective_and_grad(const Trainable& model, ConstMatrixRef batch, Index shard_size, const Rng& rng,
                             std::span<float> grad) {
  ShardGradients workspace(model.parameters().size());
  return workspace.compute(model, batch, shard_size, rng, grad);
}

}  // namespace logp
