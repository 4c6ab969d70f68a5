#pragma once
// Writing a logp dataset file (layout in dataset.hpp). The file is built under a temporary name
// and renamed into place by commit(); an exception before then leaves nothing behind.
//
// Two ways to fill it: add_split() with a whole split in memory (the file is built in memory,
// H5File::create), or, for data too large for that, a writer made for a known number of
// examples and splits streamed in blocks of rows (begin_split, write_rows, end_split): that
// file is written on disk as it goes, in space reserved up front (H5File::create_reserved), so
// memory stays at one block of rows whatever N is.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "logp/data/data_spec.hpp"
#include "logp/io/atomic_output.hpp"
#include "logp/io/h5.hpp"

namespace logp {

class DatasetWriter {
 public:
  // spec.dim and spec.shape describe every split; provenance strings are stored on each x.
  DatasetWriter(std::string path, DataSpec spec, std::map<std::string, std::string> provenance);
  // A writer on disk for `examples` examples in all splits together (each with a label or not).
  DatasetWriter(std::string path, DataSpec spec, std::map<std::string, std::string> provenance,
                std::uint64_t examples);

  // rows: n examples, each spec.dim values, example-major (N x D row-major). labels: n or empty.
  // Values are checked against the spec (0/1, below levels) before anything is written.
  void add_split(const std::string& name, const std::vector<std::uint8_t>& rows,
                 const std::vector<std::int64_t>& labels);
  void add_split(const std::string& name, const std::vector<float>& rows,
                 const std::vector<std::int64_t>& labels);

  // A split of n examples, written as blocks of rows: rows first.. of /name/x (each block is
  // checked like add_split's values, messages count examples from 0 in the split), then the
  // n labels (or none) by end_split.
  void begin_split(const std::string& name, std::uint64_t n);
  void write_rows(const std::string& name, std::uint64_t first, const std::vector<std::uint8_t>& rows);
  void write_rows(const std::string& name, std::uint64_t first, const std::vector<float>& rows);
  void end_split(const std::string& name, const std::vector<std::int64_t>& labels);

  void commit();  // closes the file and renames it into place

 private:
  void write_attributes(const H5Group& group) const;
  void check_labels(const std::string& name, size_t n, const std::vector<std::int64_t>& labels) const;
  template <typename T>
  void write_checked_rows(const std::string& name, std::uint64_t first, const std::vector<T>& rows);

  DataSpec spec_;
  std::map<std::string, std::string> provenance_;
  AtomicOutput output_;
  std::unique_ptr<H5File> file_;
  std::map<std::string, std::uint64_t> sizes_;  // N of each split begun
};

}  // namespace logp
