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
#include "logp/parallel/communicator.hpp"

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
  // The same batches for rank ranks.rank() of a parallel run that computes only its shards'
  // columns (rank_columns(batch columns, shard_size, ...), parallel_gradient.hpp): calls
  // fn(batch_index, batch_columns, part) with part = those columns of the batch (D x <= batch).
  // A rank reads only the examples its parts need in a block (DatasetSplit::read_examples), about
  // 1/R of it, once per epoch and block; a rank that needs the whole block (R = 1) reads it as
  // for_each does (once, while it is the only block).
  void for_each_part(std::uint64_t seed, int epoch, Index shard_size, const Communicator& ranks,
                     const std::function<void(Index, Index, const Matrix&)>& fn);

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
