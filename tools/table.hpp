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

// Cells too long for a table (a transformed model's whole chain): the cell gets a short text and a
// mark, "rnade+deq+logit+std [1]", and the full text is printed under the table as "[1] ...".
class Footnotes {
 public:
  static constexpr size_t kMaxCell = 48;  // display columns of a cell shown in full

  // `full` when it fits in kMaxCell, else `short_text` and a mark (the same full text, the same mark).
  std::string cell(const std::string& short_text, const std::string& full);
  void print(std::ostream& out) const;  // nothing when no cell was shortened

 private:
  std::vector<std::string> notes_;
};

}  // namespace logp::cli
