#include "logp/train/parameter_store.hpp"

#include "logp/core/error.hpp"
#include "logp/io/h5.hpp"

namespace logp {

std::size_t ParameterStore::add(const std::string& name, Index rows, Index cols) {
  for (const ParameterBlock& block : blocks_)
    require(block.name != name, "ParameterStore: block '" + name + "' added twice");
  require(rows >= 0 && cols >= 0, "ParameterStore: block '" + name + "' has a negative shape");
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
    std::vector<std::uint64_t> dims;
    const std::vector<float> stored = g.read<float>(block.name, &dims);
    const bool shape_ok = dims.size() == 2 && static_cast<Index>(dims[0]) == block.cols &&
                          static_cast<Index>(dims[1]) == block.rows;
    if (!shape_ok)
      throw Error(g.where(block.name) + ": expected a " + std::to_string(block.rows) + " x " +
                  std::to_string(block.cols) + " parameter block (stored as " + std::to_string(block.cols) + " x " +
                  std::to_string(block.rows) + ")");
    std::copy(stored.begin(), stored.end(), values_.begin() + block.offset);
  }
}

}  // namespace logp
