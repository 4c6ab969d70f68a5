#pragma once
// Reading one split of a logp dataset file, in chunks.
//
// File layout: a group per split (/train, /valid, /test), each with
//   x: N x D, uint8 (binary, categorical) or float32 (real); attributes kind, levels, shape
//      (H, W, C for images) and provenance strings (source, binarize_rule, ...);
//   y: N labels (int64), optional.
// HDF5 stores x row-major N x D, which is the memory of a column-major D x N batch.
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "logp/core/types.hpp"
#include "logp/data/data_spec.hpp"
#include "logp/io/h5.hpp"

namespace logp {

class DatasetSplit {
 public:
  // Opens file:/split/x and checks its dtype and attributes; nothing is read yet.
  static DatasetSplit open(const std::string& file, const std::string& split);

  const DataSpec& spec() const { return spec_; }
  Index size() const { return size_; }  // N
  Index dim() const { return spec_.dim; }
  const std::string& file() const { return group_.file(); }
  const std::string& split() const { return split_; }
  std::string where() const { return group_.where("x"); }  // "file.h5:/test/x"

  // Examples first .. first+count-1 as a D x count batch. Values are checked: 0/1 for binary,
  // below `levels` for categorical, finite for real; the error names the example and dimension.
  Matrix read(Index first, Index count) const;
  Matrix read_all() const { return read(0, size_); }
  // The examples `indices` (strictly increasing) as a D x indices.size() batch, in that order, in
  // bounded memory: nearby indices (gaps of at most kExampleGap) are read together, at most
  // kReadWindow examples per read, and only the wanted columns are kept.
  Matrix read_examples(std::span<const Index> indices) const;
  static constexpr Index kExampleGap = 8;
  static constexpr Index kReadWindow = 1024;

  // The same split restricted to its first min(n, N) examples (and labels): for evaluations too
  // costly for the whole split (e.g. an importance-weighted estimate with k = 5000).
  DatasetSplit head(Index n) const;

  bool has_labels() const;
  std::vector<std::int64_t> read_labels() const;  // N labels

  // Provenance attributes of x (source, binarize_rule, ...), excluding kind/levels/shape.
  std::map<std::string, std::string> provenance() const;

 private:
  DatasetSplit(H5Group group, std::string split, DataSpec spec, Index size, bool is_uint8);
  H5Group group_;
  std::string split_;
  DataSpec spec_;
  Index size_;
  Index stored_size_;  // N in the file (size_ is smaller for a head())
  bool is_uint8_;
};

// Calls fn(first, batch) for consecutive batches of at most `batch_size` examples, so that a
// split larger than memory is processed in bounded memory.
void for_each_batch(const DatasetSplit& data, Index batch_size,
                    const std::function<void(Index first, const Matrix& batch)>& fn);

// The names of the splits present in a dataset file (among train, valid, test).
std::vector<std::string> list_splits(const std::string& file);

}  // namespace logp
