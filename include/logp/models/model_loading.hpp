#pragma once
// Reading a model group from a file that may be corrupt or crafted.
//
// Every hyperparameter read through these helpers is range-checked, and every parameter block
// a model allocates while it is being loaded is checked against the stored arrays' shapes (from
// their HDF5 dataspaces, without reading them) before the memory is allocated. So a file whose
// attribute says hidden = 2^20 next to a 64-unit weight matrix is refused in microseconds
// instead of allocating gigabytes. Errors are one line naming the file, object and value:
//   "m.h5:/model: attribute hidden = -3 must be in 1..1048576"
//   "m.h5:/model/parameters/W: stored as 784 x 64 but the attributes of /model (hidden = 1048576)
//    ask for 784 x 1048576"
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "logp/core/types.hpp"

namespace logp {

class H5Group;

// An integer attribute of g that must lie in lo..hi.
std::int64_t read_int_attr(const H5Group& g, const std::string& name, std::int64_t lo, std::int64_t hi);
// A finite real attribute of g that must lie in [lo, hi]; with lo_open, lo itself is refused.
double read_real_attr(const H5Group& g, const std::string& name, double lo, double hi, bool lo_open = false);

// A 1-D integer attribute of layer sizes, each positive (an empty list is allowed).
std::vector<Index> read_sizes_attr(const H5Group& g, const std::string& name);

// The shape of a stored dataset (HDF5 order), which must equal `expected`; `implied_by` names what
// implied the expected shape ("attribute hidden = 64"). Reads only the dataspace.
void require_stored_dims(const H5Group& g, const std::string& dataset, const std::vector<std::uint64_t>& expected,
                         const std::string& implied_by);

// Throws unless every value is finite, naming `where` and the first bad position.
void require_finite(std::span<const float> values, const std::string& where);
void require_finite(std::span<const double> values, const std::string& where);

// While one is alive on this thread, ParameterStore::add refuses a block unless a dataset of the
// same name and shape (cols x rows, as ParameterStore::save writes it) is stored somewhere under
// the model group. load_model_of_type installs one for every model it loads; nested loads (the
// transform wrapper's inner model) install their own.
class StoredBlocksGuard {
 public:
  explicit StoredBlocksGuard(const H5Group& model_group);
  ~StoredBlocksGuard();
  StoredBlocksGuard(const StoredBlocksGuard&) = delete;
  StoredBlocksGuard& operator=(const StoredBlocksGuard&) = delete;

  // Called by ParameterStore::add (no-op when no guard is alive).
  static void check_block(const std::string& name, Index rows, Index cols);

 private:
  std::string where_;                                            // "m.h5:/model"
  std::string asking_;  // "the attributes of /model (hidden = 64)"
  std::multimap<std::string, std::pair<std::string, std::vector<std::uint64_t>>> stored_;  // name -> (where, dims)
  StoredBlocksGuard* previous_;
};

}  // namespace logp
