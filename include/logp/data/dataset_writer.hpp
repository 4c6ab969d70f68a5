#pragma once
// Writing a logp dataset file (layout in dataset.hpp). The file is built under a temporary name
// and renamed into place by commit(); an exception before then leaves nothing behind.
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

  // rows: n examples, each spec.dim values, example-major (N x D row-major). labels: n or empty.
  // Values are checked against the spec (0/1, below levels) before anything is written.
  void add_split(const std::string& name, const std::vector<std::uint8_t>& rows,
                 const std::vector<std::int64_t>& labels);
  void add_split(const std::string& name, const std::vector<float>& rows,
                 const std::vector<std::int64_t>& labels);

  void commit();  // closes the file and renames it into place

 private:
  void write_attributes(const H5Group& group) const;
  void check_labels(const std::string& name, size_t n, const std::vector<std::int64_t>& labels) const;

  DataSpec spec_;
  std::map<std::string, std::string> provenance_;
  AtomicOutput output_;
  std::unique_ptr<H5File> file_;
};

}  // namespace logp
