#pragma once
// The minibatches of one training epoch, shuffled, in bounded memory.
//
// The split is read in blocks of at most `block_examples` examples; each epoch visits the blocks
// in a random order and the examples of a block in a random order. When the whole split fits in
// one block (the default for data up to ~1 GB) this is a full shuffle and the block is read
// once. The order depends only on (seed, epoch), so a resumed run sees the same batches.
#include <functional>
#include <span>

#include "logp/core/rng.hpp"
#include "logp/data/dataset.hpp"

namespace logp {

class EpochBatches {
 public:
  EpochBatches(const DatasetSplit& data, Index batch_size, Index block_examples = 0);

  Index batches_per_epoch() const;
  // Calls fn(batch_index, batch) for every minibatch (D x <= batch_size) of `epoch`.
  void for_each(std::uint64_t seed, int epoch, const std::function<void(Index, const Matrix&)>& fn);
  // The same batches, with the split indices of each batch's columns (e.g. to look up labels).
  void for_each_indexed(std::uint64_t seed, int epoch,
                        const std::function<void(Index, const Matrix&, std::span<const Index>)>& fn);

 private:
  const Matrix& block(Index index);

  const DatasetSplit& data_;
  Index batch_size_;
  Index block_examples_;
  Index cached_index_ = -1;
  Matrix cached_;
};

// A random permutation of 0..n-1 (Fisher-Yates with rng.uniform_index).
std::vector<Index> random_permutation(Index n, Rng& rng);

}  // namespace logp
