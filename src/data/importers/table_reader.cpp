#include "logp/data/importers/table_reader.hpp"

#include "logp/core/error.hpp"
#include "logp/data/importers/idx.hpp"
#include "logp/data/importers/npy.hpp"

namespace logp {
namespace {

ImportedTable table_from_idx(const std::string& path) {
  IdxArray array = read_idx(path);
  if (array.dims.empty() || array.dims[0] == 0) throw Error(path + ": IDX file holds no examples");
  ImportedTable table;
  table.source = path;
  table.n = static_cast<Index>(array.dims[0]);
  table.d = static_cast<Index>(array.count() / array.dims[0]);
  if (table.d == 0) throw Error(path + ": examples have 0 values (a 0 in the IDX dimensions)");
  for (size_t k = 1; k < array.dims.size(); ++k) table.item_shape.push_back(static_cast<Index>(array.dims[k]));
  table.is_bytes = !array.is_float;
  if (table.is_bytes) table.bytes = std::move(array.bytes);
  else table.numbers.assign(array.floats.begin(), array.floats.end());
  return table;
}

}  // namespace

std::string_view to_string(TableFormat format) {
  switch (format) {
    case TableFormat::idx: return "idx";
    case TableFormat::csv: return "csv";
    case TableFormat::npy: return "npy";
  }
  return "unknown";
}

TableFormat parse_table_format(std::string_view text) {
  if (text == "idx") return TableFormat::idx;
  if (text == "csv") return TableFormat::csv;
  if (text == "npy") return TableFormat::npy;
  throw Error("unknown input format '" + std::string(text) + "' (expected idx, csv or npy)");
}

ImportedTable read_table(TableFormat format, const std::string& path, const CsvOptions& csv) {
  switch (format) {
    case TableFormat::idx: return table_from_idx(path);
    case TableFormat::csv: return read_csv(path, csv);
    case TableFormat::npy: return read_npy(path);
  }
  throw Error("unknown input format");
}

}  // namespace logp
