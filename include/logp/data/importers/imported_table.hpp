#pragma once
// An imported table: N examples of D numbers as read from a CSV, NPY or IDX file, before they
// are checked against a data kind and written as a logp dataset (dataset_writer.hpp).
//
// Values are kept as the file gave them: bytes for 8-bit files (NPY |u1 and |b1, IDX type 0x08),
// doubles otherwise, so that "is this an integer in 0..levels-1?" is asked of the original
// number, not of a float32 rounding of it.
#include <cstdint>
#include <string>
#include <vector>

#include "logp/core/types.hpp"
#include "logp/data/data_spec.hpp"

namespace logp {

struct ImportedTable {
  std::string source;                      // the file it came from, for messages
  Index first_example = 0;                 // a block of a larger table (table_stream.hpp): its first row there
  Index n = 0;                             // N examples (rows)
  Index d = 0;                             // D values per example (columns)
  bool is_bytes = false;                   // values are in `bytes` rather than `numbers`
  std::vector<std::uint8_t> bytes;         // N x D, row-major (example-major)
  std::vector<double> numbers;             // N x D, row-major (example-major)
  std::vector<std::string> column_names;   // D header names (CSV with a header), else empty
  std::vector<std::int64_t> lines;         // CSV: 1-based line of each of the n examples, else empty
  std::vector<Index> item_shape;           // dims after N in an NPY/IDX file, e.g. (28, 28)
  std::vector<std::int64_t> labels;        // N labels, or empty

  double value(Index example, Index column) const;
  // "wine.csv: example 3 (line 5), column 2 ('ash')": where a value is, for error messages
  // (example counts from the file's first, first_example + example).
  std::string locate(Index example, Index column) const;
};

// The values as uint8 for a binary or categorical spec (N x D row-major). Every value must be an
// integer in 0..spec.levels-1; the error names the file, example, column and value.
std::vector<std::uint8_t> to_discrete(const ImportedTable& table, const DataSpec& spec);

// The values as float32 (N x D row-major). NaN, inf and values beyond float32's range are
// refused with the file, example and column.
std::vector<float> to_real(const ImportedTable& table);

// A table of one column (a labels file) as N integer labels; non-integers are refused.
std::vector<std::int64_t> to_labels(const ImportedTable& table);

// The column named by `column`: "first", "last", a 0-based index, or a header name.
Index find_column(const ImportedTable& table, const std::string& column);

// Moves column `column` (see find_column) out of the values into the labels: D shrinks by one.
void take_label_column(ImportedTable& table, const std::string& column);

}  // namespace logp
