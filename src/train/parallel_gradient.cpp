#include "logp/train/parallel_gradient.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_reduce.h>
#include <tbb/partitioner.h>

#include <algorithm>
#include <vector>

#include "logp/core/error.hpp"

namespace logp {
namespace {

// The reduction body: one gradient buffer per leaf of the split tree.
class ShardGradient {
 public:
  ShardGradient(const TrainableModel& model, ConstMatrixRef batch, Index shard_size, const Rng& rng)
      : model_(model), batch_(batch), shard_size_(shard_size), rng_(rng),
        grad_(static_cast<size_t>(model.parameters().size()), 0.0f) {}
  ShardGradient(ShardGradient& other, tbb::split)
      : model_(other.model_), batch_(other.batch_), shard_size_(other.shard_size_), rng_(other.rng_),
        grad_(other.grad_.size(), 0.0f) {}

  void operator()(const tbb::blocked_range<Index>& shards) {
    for (Index shard = shards.begin(); shard != shards.end(); ++shard) {
      const Index first = shard * shard_size_;
      const Index count = std::min(shard_size_, batch_.cols() - first);
      Rng shard_rng = rng_.split(static_cast<std::uint64_t>(shard));
      objective_ += model_.nll_and_grad(batch_.middleCols(first, count), shard_rng, grad_);
    }
  }

  void join(const ShardGradient& right) {
    objective_ += right.objective_;
    Eigen::Map<VectorF>(grad_.data(), static_cast<Index>(grad_.size())) +=
        Eigen::Map<const VectorF>(right.grad_.data(), static_cast<Index>(right.grad_.size()));
  }

  double objective() const { return objective_; }
  const std::vector<float>& grad() const { return grad_; }

 private:
  const TrainableModel& model_;
  ConstMatrixRef batch_;
  Index shard_size_;
  const Rng& rng_;
  std::vector<float> grad_;
  double objective_ = 0.0;
};

}  // namespace

double parallel_nll_and_grad(const TrainableModel& model, ConstMatrixRef batch, Index shard_size, const Rng& rng,
                             std::span<float> grad) {
  require(shard_size > 0, "shard size must be positive, got " + std::to_string(shard_size));
  require(static_cast<Index>(grad.size()) == model.parameters().size(),
          "parallel_nll_and_grad: gradient buffer of " + std::to_string(grad.size()) + " for " +
              std::to_string(model.parameters().size()) + " parameters");
  const Index shards = (batch.cols() + shard_size - 1) / shard_size;
  ShardGradient body(model, batch, shard_size, rng);
  tbb::parallel_deterministic_reduce(tbb::blocked_range<Index>(0, shards, 1), body, tbb::simple_partitioner());
  std::copy(body.grad().begin(), body.grad().end(), grad.begin());
  return body.objective();
}

}  // namespace logp
