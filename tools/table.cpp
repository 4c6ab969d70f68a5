#include "table.hpp"

#include <algorithm>

#include "logp/core/error.hpp"

namespace logp::cli {
namespace {

// Display columns of a UTF-8 string: every byte that is not a continuation byte.
size_t display_width(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

Table::Table(std::vector<std::string> header, std::vector<bool> right_aligned) : right_aligned_(std::move(right_aligned)) {
  require(header.size() == right_aligned_.size(), "Table: one alignment per column");
  rows_.push_back(std::move(header));
}

void Table::add_row(std::vector<std::string> cells) {
  require(cells.size() == right_aligned_.size(), "Table: row has " + std::to_string(cells.size()) + " cells, expected " +
                                                     std::to_string(right_aligned_.size()));
  rows_.push_back(std::move(cells));
}

void Table::print(std::ostream& out) const {
  std::vector<size_t> widths(right_aligned_.size(), 0);
  for (const auto& row : rows_)
    for (size_t k = 0; k < row.size(); ++k) widths[k] = std::max(widths[k], display_width(row[k]));
  for (const auto& row : rows_) {
    for (size_t k = 0; k < row.size(); ++k) {
      const std::string padding(widths[k] - display_width(row[k]), ' ');
      out << (k ? "  " : "") << (right_aligned_[k] ? padding + row[k] : row[k] + (k + 1 < row.size() ? padding : ""));
    }
    out << "\n";
  }
}

std::string Footnotes::cell(const std::string& short_text, const std::string& full) {
  if (display_width(full) <= kMaxCell) return full;
  auto found = std::find(notes_.begin(), notes_.end(), full);
  if (found == notes_.end()) found = notes_.insert(notes_.end(), full);
  return short_text + " [" + std::to_string(found - notes_.begin() + 1) + "]";
}

void Footnotes::print(std::ostream& out) const {
  for (size_t k = 0; k < notes_.size(); ++k) out << "[" << k + 1 << "] " << notes_[k] << "\n";
}

}  // namespace logp::cli
