#pragma once
// All trainable parameters of a model in one contiguous float buffer, with named blocks.
//
// Optimizers, checkpoints and gradient reductions see one flat vector; a model sees its matrices
// through Block views. A gradient buffer has the same layout, so the same Block views it.
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "logp/core/types.hpp"

namespace logp {

class H5Group;

// A rows x cols column-major matrix at `offset` in a flat buffer.
struct ParameterBlock {
  std::string name;
  Index offset = 0;
  Index rows = 0;
  Index cols = 0;
  Index size() const { return rows * cols; }

  Eigen::Map<Matrix> in(std::span<float> buffer) const {
    return Eigen::Map<Matrix>(buffer.data() + offset, rows, cols);
  }
  Eigen::Map<const Matrix> in(std::span<const float> buffer) const {
    return Eigen::Map<const Matrix>(buffer.data() + offset, rows, cols);
  }
};

class ParameterStore {
 public:
  // Appends a zero-filled block and returns its index in blocks(). Names must be unique.
  std::size_t add(const std::string& name, Index rows, Index cols);

  Index size() const { return static_cast<Index>(values_.size()); }
  std::span<float> values() { return values_; }
  std::span<const float> values() const { return values_; }
  std::vector<float> copy_values() const { return {values_.begin(), values_.end()}; }
  const std::vector<ParameterBlock>& blocks() const { return blocks_; }
  const ParameterBlock& block(std::size_t index) const { return blocks_.at(index); }

  Eigen::Map<Matrix> matrix(std::size_t index) { return blocks_.at(index).in(values()); }
  Eigen::Map<const Matrix> matrix(std::size_t index) const { return blocks_.at(index).in(values()); }

  // One float32 dataset per block, named after it; load checks names and shapes.
  void save(const H5Group& g) const;
  void load(const H5Group& g);

 private:
  // Aligned as Eigen's own matrices are: the vectorized reductions (dot products) then add in
  // the same order in every process, which keeps training reproducible bit for bit.
  std::vector<float, Eigen::aligned_allocator<float>> values_;
  std::vector<ParameterBlock> blocks_;
};

}  // namespace logp
