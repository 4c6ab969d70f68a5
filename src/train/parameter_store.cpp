#include "logp/train/parameter_store.hpp"

#include "logp/core/error.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/model_loading.hpp"

namespace logp {

std::size_t ParameterStore::add(const std::string& name, Index rows, Index cols) {
  for (const ParameterBlock& block : blocks_)
    require(block.name != name, "ParameterStore: block '" + name + "' added twice");
  require(rows >= 0 && cols >= 0, "ParameterStore: block '" + name + "' has a negative shape");
  StoredBlocksGuard::check_block(name, rows, cols);  // while a model file is loaded: no more than it stores
  blocks_.push_back({name, size(), rows, cols});
  values_.resize(static_cast<std::size_t>(size() + rows * cols), 0.0f);
  return blocks_.size() - 1;
}

void ParameterStore::save(const H5Group& g) const {
  for (const ParameterBlock& block : blocks_)
    g.write<float>(block.name, {static_cast<std::uint64_t>(block.cols), static_cast<std::uint64_t>(block.rows)},
                   values_.data() + block.offset);
}

void ParameterStore::load(const H5Group& g) {
  for (const ParameterBlock& block : blocks_) {
    const std::vector<std::uint64_t> dims = g.dims(block.name);  // checked before anything is read
    const bool shape_ok = dims.size() == 2 && static_cast<Index>(dims[0]) == block.cols &&
                          static_cast<Index>(dims[1]) == block.rows;
    if (!shape_ok) {
      std::string stored;
      for (std::size_t i = 0; i < dims.size(); ++i) stored += (i ? " x " : "") + std::to_string(dims[i]);
      throw Error(g.where(block.name) + ": stored as " + (stored.empty() ? "a scalar" : stored) + ", expected " +
                  std::to_string(block.cols) + " x " + std::to_string(block.rows) + " (a " + std::to_string(block.rows) +
                  " x " + std::to_string(block.cols) + " parameter block)");
    }
    const std::vector<float> stored = g.read<float>(block.name);
    require_finite(stored, g.where(block.name));
    std::copy(stored.begin(), stored.end(), values_.begin() + block.offset);
  }
}

}  // namespace logp
