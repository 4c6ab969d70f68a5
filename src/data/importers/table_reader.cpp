#include "logp/data/importers/table_reader.hpp"

#include "logp/core/error.hpp"
#include "logp/data/importers/idx.hpp"
#include "logp/data/importers/npy.hpp"

namespace logp {

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

std::unique_ptr<TableStream> open_table(TableFormat format, const std::string& path, const CsvOptions& csv) {
  switch (format) {
    case TableFormat::idx: return open_idx(path);
    case TableFormat::csv: return open_csv(path, csv);
    case TableFormat::npy: return open_npy(path);
  }
  throw Error("unknown input format");
}

ImportedTable read_table(TableFormat format, const std::string& path, const CsvOptions& csv) {
  return read_whole(*open_table(format, path, csv));
}

}  // namespace logp
