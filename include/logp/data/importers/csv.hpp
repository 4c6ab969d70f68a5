#pragma once
// Reading numeric CSV tables: one example per line, comma-separated numbers (or another
// separator), every line with the same number of columns. Plain or gzip-compressed (file_bytes.hpp).
//
// Blank lines are ignored; fields are trimmed of spaces and of surrounding double quotes; quoted
// fields with commas inside are not supported (this is a reader for numbers). Line numbers in
// messages count from 1, columns from 0.
#include <memory>
#include <string>
#include <string_view>

#include "logp/core/types.hpp"
#include "logp/data/importers/imported_table.hpp"
#include "logp/data/importers/table_stream.hpp"

namespace logp {

enum class CsvHeader {
  detect,   // the first line is a header iff none of its fields is a number
  present,  // the first line is a header
  absent,   // every line is data
};
CsvHeader parse_csv_header(std::string_view text);  // "auto" | "yes" | "no"

struct CsvOptions {
  CsvHeader header = CsvHeader::detect;
  Index skip_rows = 0;   // lines dropped before the header or data (e.g. scikit-learn's "N,D,names" line)
  char separator = ',';  // ' ' means any run of spaces and tabs (numpy.loadtxt's default)
};

// "," ";" "|" ... a single character, "tab", or "space" (runs of whitespace).
char parse_csv_separator(std::string_view text);

// N x D numbers (doubles), the line of each example and the header names, if any.
// Errors name the file, line and column: a field that is not a number, a line with a different
// number of columns, a file with no data lines.
ImportedTable read_csv(const std::string& path, const CsvOptions& options = {});

// The same file as a stream of blocks (table_stream.hpp). Opening it parses the whole file once
// (every error above comes from opening, and N is then known); blocks parse their lines again.
std::unique_ptr<TableStream> open_csv(const std::string& path, const CsvOptions& options = {});

}  // namespace logp
