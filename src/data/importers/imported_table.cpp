#include "logp/data/importers/imported_table.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>

#include "logp/core/error.hpp"
#include "logp/core/text.hpp"

namespace logp {
namespace {

// A value as a person would write it: "3", "0.5", "nan", "inf".
std::string format_number(double v) {
  std::ostringstream out;
  out.precision(10);
  out << v;
  return out.str();
}

bool is_integer(double v) { return std::isfinite(v) && v == std::floor(v); }

}  // namespace

double ImportedTable::value(Index example, Index column) const {
  const size_t k = static_cast<size_t>(example * d + column);
  return is_bytes ? bytes[k] : numbers[k];
}

std::string ImportedTable::locate(Index example, Index column) const {
  std::string where = source + ": example " + std::to_string(first_example + example);
  if (!lines.empty()) where += " (line " + std::to_string(lines[static_cast<size_t>(example)]) + ")";
  where += ", column " + std::to_string(column);
  if (!column_names.empty()) where += " ('" + excerpt(column_names[static_cast<size_t>(column)]) + "')";
  return where;
}

std::vector<std::uint8_t> to_discrete(const ImportedTable& table, const DataSpec& spec) {
  require(spec.is_discrete(), table.source + ": to_discrete needs a binary or categorical spec");
  const std::string expected = "expected an integer 0.." + std::to_string(spec.levels - 1) + " for " +
                               std::string(to_string(spec.kind)) + " data";
  std::vector<std::uint8_t> out(static_cast<size_t>(table.n * table.d));
  for (Index i = 0; i < table.n; ++i)
    for (Index j = 0; j < table.d; ++j) {
      const double v = table.value(i, j);
      if (!is_integer(v) || v < 0 || v >= spec.levels)
        throw Error(table.locate(i, j) + ": value " + format_number(v) + " is not valid (" + expected + ")");
      out[static_cast<size_t>(i * table.d + j)] = static_cast<std::uint8_t>(v);
    }
  return out;
}

std::vector<float> to_real(const ImportedTable& table) {
  constexpr double kFloatMax = std::numeric_limits<float>::max();
  std::vector<float> out(static_cast<size_t>(table.n * table.d));
  for (Index i = 0; i < table.n; ++i)
    for (Index j = 0; j < table.d; ++j) {
      const double v = table.value(i, j);
      if (!std::isfinite(v))
        throw Error(table.locate(i, j) + ": value " + format_number(v) + " is not finite (NaN or inf in real data)");
      if (std::abs(v) > kFloatMax)
        throw Error(table.locate(i, j) + ": value " + format_number(v) + " does not fit in float32");
      out[static_cast<size_t>(i * table.d + j)] = static_cast<float>(v);
    }
  return out;
}

namespace {

// Column c of the table as integer labels; the error names the file, example and column.
std::vector<std::int64_t> labels_from_column(const ImportedTable& table, Index c) {
  std::vector<std::int64_t> labels(static_cast<size_t>(table.n));
  for (Index i = 0; i < table.n; ++i) {
    const double v = table.value(i, c);
    if (!is_integer(v) || std::abs(v) > 9.0e15)
      throw Error(table.locate(i, c) + ": label " + format_number(v) + " is not an integer");
    labels[static_cast<size_t>(i)] = static_cast<std::int64_t>(v);
  }
  return labels;
}

}  // namespace

std::vector<std::int64_t> to_labels(const ImportedTable& table) {
  if (table.d != 1)
    throw Error(table.source + ": a labels file must hold one value per example, found " + std::to_string(table.d));
  return labels_from_column(table, 0);
}

Index find_column(const ImportedTable& table, const std::string& column) {
  if (table.d == 0) throw Error(table.source + ": has no columns");
  if (column == "first") return 0;
  if (column == "last") return table.d - 1;
  if (!column.empty() && column.find_first_not_of("0123456789") == std::string::npos) {
    Index index = 0;
    const auto [end, ec] = std::from_chars(column.data(), column.data() + column.size(), index);
    if (ec != std::errc() || end != column.data() + column.size() || index >= table.d)
      throw Error(table.source + ": label column " + excerpt(column) + " is past the last column (" +
                  std::to_string(table.d - 1) + "; columns count from 0)");
    return index;
  }
  for (size_t j = 0; j < table.column_names.size(); ++j)
    if (table.column_names[j] == column) return static_cast<Index>(j);
  if (table.column_names.empty())
    throw Error(table.source + ": label column '" + excerpt(column) +
                "' names a column but the file has no header (use first, last or a 0-based index)");
  throw Error(table.source + ": no column named '" + excerpt(column) + "' in the header");
}

namespace {

// Removes column c from a row-major n x d array, in place.
template <typename T>
void erase_column(std::vector<T>& values, Index n, Index d, Index c) {
  size_t write = 0;
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < d; ++j)
      if (j != c) values[write++] = values[static_cast<size_t>(i * d + j)];
  values.resize(write);
}

}  // namespace

void take_label_column(ImportedTable& table, const std::string& column) {
  if (table.item_shape.size() > 1)
    throw Error(table.source + ": a label column needs a 2-D table N x D, this file holds N x " +
                std::to_string(table.item_shape[0]) + " x ... values per example");
  const Index c = find_column(table, column);
  if (table.d == 1)
    throw Error(table.source + ": taking the label column would leave no values (the file has one column)");
  table.labels = labels_from_column(table, c);
  if (table.is_bytes)
    erase_column(table.bytes, table.n, table.d, c);
  else
    erase_column(table.numbers, table.n, table.d, c);
  if (!table.column_names.empty()) table.column_names.erase(table.column_names.begin() + c);
  table.d -= 1;
  table.item_shape.clear();
}

}  // namespace logp
