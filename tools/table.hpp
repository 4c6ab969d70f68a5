#pragma once
// A plain-text table for human output: columns sized to their widest cell (UTF-8 aware, so
// "±" counts as one column), text left-aligned and numbers right-aligned.
#include <ostream>
#include <string>
#include <vector>

namespace logp::cli {

class Table {
 public:
  // right_aligned[k]: whether column k holds numbers.
  Table(std::vector<std::string> header, std::vector<bool> right_aligned);
  void add_row(std::vector<std::string> cells);
  void print(std::ostream& out) const;

 private:
  std::vector<std::vector<std::string>> rows_;  // header first
  std::vector<bool> right_aligned_;
};

}  // namespace logp::cli
