#include "logp/train/parallel_gradient.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/partitioner.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "logp/core/error.hpp"

namespace logp {

double ShardGradients::compute(const TrainableModel& model, ConstMatrixRef batch, Index shard_size, const Rng& rng,
                               std::span<float> grad, float scale, bool* finite) {
  require(shard_size > 0, "shard size must be positive, got " + std::to_string(shard_size));
  require(model.parameters().size() == parameters_ && static_cast<Index>(grad.size()) == parameters_,
          "parallel_nll_and_grad: gradient buffer of " + std::to_string(grad.size()) + " and workspace of " +
              std::to_string(parameters_) + " for " + std::to_string(model.parameters().size()) + " parameters");
  const Index shards = std::max<Index>(1, (batch.cols() + shard_size - 1) / shard_size);
  if (static_cast<Index>(shards_.size()) < shards - 1) shards_.resize(static_cast<std::size_t>(shards - 1));
  objectives_.assign(static_cast<std::size_t>(shards), 0.0);

  // Each shard: zero its buffer, add its gradient. Independent of which thread runs it.
  tbb::parallel_for(tbb::blocked_range<Index>(0, shards, 1), [&](const tbb::blocked_range<Index>& range) {
    for (Index shard = range.begin(); shard != range.end(); ++shard) {
      std::span<float> target = grad;
      if (shard > 0) {
        Buffer& buffer = shards_[static_cast<std::size_t>(shard - 1)];
        buffer.resize(static_cast<std::size_t>(parameters_));
        target = std::span<float>(buffer.data(), buffer.size());
      }
      std::fill(target.begin(), target.end(), 0.0f);
      const Index first = shard * shard_size;
      const Index count = std::min(shard_size, batch.cols() - first);
      Rng shard_rng = rng.split(static_cast<std::uint64_t>(shard));
      objectives_[static_cast<std::size_t>(shard)] = model.nll_and_grad(batch.middleCols(first, count), shard_rng, target);
    }
  }, tbb::simple_partitioner());

  // grad = scale * (shard 0 + shard 1 + ...), each element summed in shard order.
  constexpr Index chunk = 1 << 14;
  const Index chunks = (parameters_ + chunk - 1) / chunk;
  const bool all_finite = tbb::parallel_reduce(
      tbb::blocked_range<Index>(0, chunks, 1), true,
      [&](const tbb::blocked_range<Index>& range, bool ok) {
        for (Index c = range.begin(); c != range.end(); ++c) {
          const Index begin = c * chunk, size = std::min(chunk, parameters_ - begin);
          Eigen::Map<VectorF> sum(grad.data() + begin, size);
          for (Index shard = 1; shard < shards; ++shard)
            sum += Eigen::Map<const VectorF>(shards_[static_cast<std::size_t>(shard - 1)].data() + begin, size);
          if (scale != 1.0f) sum *= scale;
          ok = ok && sum.allFinite();
        }
        return ok;
      },
      std::logical_and<bool>(), tbb::simple_partitioner());
  if (finite != nullptr) *finite = all_finite;

  double objective = 0.0;
  for (double value : objectives_) objective += value;
  return objective;
}

double parallel_nll_and_grad(const TrainableModel& model, ConstMatrixRef batch, Index shard_size, const Rng& rng,
                             std::span<float> grad) {
  ShardGradients workspace(model.parameters().size());
  return workspace.compute(model, batch, shard_size, rng, grad);
}

}  // namespace logp
