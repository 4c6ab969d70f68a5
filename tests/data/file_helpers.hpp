#pragma once
// Small file writers and a CLI runner for the data tests.
#include <sys/wait.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"

namespace logp::testing {

inline void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}


// A .npy file: magic, version, header dict padded with spaces to a multiple of 64 bytes, data.
// `shape` is the Python tuple text, e.g. "(2, 3)" or "(4,)".
inline std::string npy_bytes(const std::string& descr, const std::string& shape, const void* data, size_t bytes,
                             bool fortran_order = false, int major_version = 1) {
  std::string dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran_order ? "True" : "False") +
                     ", 'shape': " + shape + ", }";
  const size_t prefix = major_version == 1 ? 10 : 12;
  while ((prefix + dict.size() + 1) % 64 != 0) dict += ' ';
  dict += '\n';
  std::string out = "\x93NUMPY";
  out += static_cast<char>(major_version);
  out += '\0';
  const size_t length = dict.size();
  for (size_t k = 0; k < prefix - 8; ++k) out += static_cast<char>((length >> (8 * k)) & 0xff);
  out += dict;
  out.append(static_cast<const char*>(data), bytes);
  return out;
}

template <typename T>
std::string npy_of(const std::string& descr, const std::string& shape, const std::vector<T>& values,
                   bool fortran_order = false, int major_version = 1) {
  return npy_bytes(descr, shape, values.data(), values.size() * sizeof(T), fortran_order, major_version);
}

// The header and values of an IDX file: 0, 0, type, rank, big-endian sizes, then the values.
inline std::string idx_bytes(unsigned type, const std::vector<std::uint32_t>& dims, const std::string& values) {
  std::string out = {'\0', '\0', static_cast<char>(type), static_cast<char>(dims.size())};
  for (std::uint32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((d >> shift) & 0xff);
  return out + values;
}

}  // namespace logp::testing
