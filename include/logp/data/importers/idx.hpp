#pragma once
// Reading IDX files (the MNIST / Fashion-MNIST format), plain or gzip-compressed.
//
// An IDX file is a big-endian header (0, 0, type code, rank, then rank uint32 sizes) followed by
// the values in row-major order. logp reads the unsigned-byte type (0x08), which is what the
// image and label files use, and float32 (0x0D). A file that ends early, or holds bytes after the
// values its header declares, is refused with the file and the byte count named.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "logp/data/importers/table_stream.hpp"

namespace logp {

struct IdxArray {
  std::vector<std::uint64_t> dims;   // e.g. (60000, 28, 28) for images, (60000) for labels
  bool is_float = false;             // type 0x0D (float32) rather than 0x08 (unsigned byte)
  std::vector<std::uint8_t> bytes;   // the values of a type 0x08 file
  std::vector<float> floats;         // the values of a type 0x0D file
  std::uint64_t count() const;       // product of dims
};

IdxArray read_idx(const std::string& path);

// The file as a stream of blocks of examples (table_stream.hpp): shape (N, d1, ...) is N examples
// of D = d1*d2*... values (bytes, or float32 as doubles). Same checks as read_idx, and a file
// with N = 0 or D = 0 is refused.
std::unique_ptr<TableStream> open_idx(const std::string& path);

}  // namespace logp
