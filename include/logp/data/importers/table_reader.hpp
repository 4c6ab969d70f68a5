#pragma once
// One entry point over the importers: an input file of a given format as an ImportedTable.
#include <memory>
#include <string>
#include <string_view>

#include "logp/data/importers/csv.hpp"
#include "logp/data/importers/imported_table.hpp"
#include "logp/data/importers/table_stream.hpp"

namespace logp {

enum class TableFormat { idx, csv, npy };

std::string_view to_string(TableFormat format);
TableFormat parse_table_format(std::string_view text);  // "idx" | "csv" | "npy"

// IDX: (N, d1, ...) unsigned bytes or float32 (importers/idx.hpp); CSV: csv.hpp (with `csv`);
// NPY: npy.hpp. Every format gives N examples of D = d1*d2*... values.
ImportedTable read_table(TableFormat format, const std::string& path, const CsvOptions& csv = {});

// The same input as a stream of blocks of examples (table_stream.hpp), for inputs of any size.
std::unique_ptr<TableStream> open_table(TableFormat format, const std::string& path, const CsvOptions& csv = {});

}  // namespace logp
