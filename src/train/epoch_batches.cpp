#include "logp/train/epoch_batches.hpp"

#include <numeric>

#include "logp/core/error.hpp"
#include "logp/train/parallel_gradient.hpp"

namespace logp {

std::vector<Index> random_permutation(Index n, Rng& rng) {
  std::vector<Index> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), Index{0});
  for (Index i = n - 1; i > 0; --i)
    std::swap(order[static_cast<size_t>(i)], order[rng.uniform_index(static_cast<std::uint64_t>(i + 1))]);
  return order;
}

EpochBatches::EpochBatches(const DatasetSplit& data, Index batch_size, Index block_examples)
    : data_(data), batch_size_(batch_size) {
  require(batch_size > 0, "--batch-size must be positive, got " + std::to_string(batch_size));
  require(data.size() > 0, data.where() + ": no examples to train on");
  const Index one_gigabyte = (Index{1} << 30) / static_cast<Index>(sizeof(float) * data.dim());
  block_examples_ = block_examples > 0 ? block_examples : std::max<Index>(one_gigabyte, batch_size);
  block_examples_ = std::min(block_examples_, data.size());
}

Index EpochBatches::batches_per_epoch() const {
  Index batches = 0;
  for (Index first = 0; first < data_.size(); first += block_examples_)
    batches += (std::min(block_examples_, data_.size() - first) + batch_size_ - 1) / batch_size_;
  return batches;
}

const Matrix& EpochBatches::block(Index index) {
  if (index != cached_index_) {
    const Index first = index * block_examples_;
    cached_ = data_.read(first, std::min(block_examples_, data_.size() - first));
    cached_index_ = index;
  }
  return cached_;
}

void EpochBatches::for_each(std::uint64_t seed, int epoch, const std::function<void(Index, const Matrix&)>& fn) {
  for_each_indexed(seed, epoch, [&](Index index, const Matrix& batch, std::span<const Index>) { fn(index, batch); });
}

void EpochBatches::for_each_indexed(std::uint64_t seed, int epoch,
                                    const std::function<void(Index, const Matrix&, std::span<const Index>)>& fn) {
  Rng rng = Rng(seed).split(static_cast<std::uint64_t>(epoch));
  const Index blocks = (data_.size() + block_examples_ - 1) / block_examples_;
  Index batch_index = 0;
  Matrix batch;
  std::vector<Index> indices;
  for (Index b : random_permutation(blocks, rng)) {
    const Matrix& examples = block(b);
    const std::vector<Index> order = random_permutation(examples.cols(), rng);
    for (Index first = 0; first < examples.cols(); first += batch_size_) {
      const Index count = std::min(batch_size_, examples.cols() - first);
      batch.resize(examples.rows(), count);
      indices.resize(static_cast<size_t>(count));
      for (Index j = 0; j < count; ++j) {
        const Index k = order[static_cast<size_t>(first + j)];
        batch.col(j) = examples.col(k);
        indices[static_cast<size_t>(j)] = b * block_examples_ + k;
      }
      fn(batch_index++, batch, indices);
    }
  }
}

void EpochBatches::for_each_part(std::uint64_t seed, int epoch, Index shard_size, const Communicator& ranks,
                                 const std::function<void(Index, Index, const Matrix&)>& fn) {
  Rng rng = Rng(seed).split(static_cast<std::uint64_t>(epoch));  // as for_each_indexed draws it
  const Index blocks = (data_.size() + block_examples_ - 1) / block_examples_;
  Index batch_index = 0;
  Matrix part;
  std::vector<Index> needed;     // block positions this rank's parts use, increasing
  std::vector<Index> column_of;  // block position -> column of `mine` (-1: not read)
  for (Index b : random_permutation(blocks, rng)) {
    const Index block_first = b * block_examples_;
    const Index block_size = std::min(block_examples_, data_.size() - block_first);
    const std::vector<Index> order = random_permutation(block_size, rng);
    const auto columns = [&](Index first) {  // this rank's columns of the batch starting at `first`
      return rank_columns(std::min(batch_size_, block_size - first), shard_size, ranks.rank(), ranks.size());
    };
    column_of.assign(static_cast<std::size_t>(block_size), -1);
    for (Index first = 0; first < block_size; first += batch_size_) {
      const RankRange mine = columns(first);
      for (Index j = mine.begin; j < mine.end; ++j)
        column_of[static_cast<std::size_t>(order[static_cast<std::size_t>(first + j)])] = 0;
    }
    needed.clear();
    for (Index k = 0; k < block_size; ++k)
      if (column_of[static_cast<std::size_t>(k)] == 0) {
        column_of[static_cast<std::size_t>(k)] = static_cast<Index>(needed.size());
        needed.push_back(block_first + k);
      }
    const bool whole = static_cast<Index>(needed.size()) == block_size;
    Matrix read_part;
    if (!whole) read_part = data_.read_examples(needed);
    const Matrix& examples = whole ? block(b) : read_part;  // column column_of[k] is block position k
    for (Index first = 0; first < block_size; first += batch_size_) {
      const Index count = std::min(batch_size_, block_size - first);
      const RankRange mine = columns(first);
      part.resize(data_.dim(), mine.size());
      for (Index j = mine.begin; j < mine.end; ++j)
        part.col(j - mine.begin) =
            examples.col(column_of[static_cast<std::size_t>(order[static_cast<std::size_t>(first + j)])]);
      fn(batch_index++, count, part);
    }
  }
}

}  // namespace logp
