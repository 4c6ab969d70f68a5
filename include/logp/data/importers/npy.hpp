#pragma once
// Reading NumPy .npy files (format versions 1.0, 2.0 and 3.0), plain or gzip-compressed.
//
// A .npy file is the magic "\x93NUMPY", a version, a little-endian header length, a header that
// is a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (N, ...)} and the
// values in C order, or in Fortran order (first index fastest: numpy writes it for a transposed
// array, MATLAB and scipy for theirs). logp reads little-endian (or byte-sized) bool, integer and
// float arrays: |b1 |u1 |i1 <u2 <i2 <u4 <i4 <u8 <i8 <f4 <f8, in either order; a Fortran array is
// transposed while it is decoded. Shape (N, d1, d2, ...)
// is read as N examples of D = d1*d2*... values (element [n, i, j] is example n's value
// (i, j) whatever the order); shape (N,) as N examples of one value.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "logp/data/importers/imported_table.hpp"
#include "logp/data/importers/table_stream.hpp"

namespace logp {

struct NpyHeader {
  std::string descr;                   // dtype, e.g. "<f4", "|u1"
  bool fortran_order = false;
  std::vector<std::uint64_t> shape;    // (N, ...)
};

// Parses the header dict text; `path` names the file in errors.
NpyHeader parse_npy_header(std::string_view dict, const std::string& path);

// |u1 and |b1 arrays are kept as bytes, the others as doubles (imported_table.hpp).
// Refused with an error naming the file: a bad magic or version, a big-endian or unsupported
// dtype, a 0-d array, fewer (or more) data bytes than the shape says.
ImportedTable read_npy(const std::string& path);

// The same file as a stream of blocks (table_stream.hpp), with the same checks. A C-order array
// is read block by block; a Fortran-order one (example n's values spread over the whole file) is
// read and transposed whole when the stream opens, so it costs its size in memory (save it with
// np.ascontiguousarray to stream it).
std::unique_ptr<TableStream> open_npy(const std::string& path);

}  // namespace logp
