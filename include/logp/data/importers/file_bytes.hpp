#pragma once
// The whole content of an input file, read through zlib so that a gzip-compressed file
// (wine.csv.gz, x.npy.gz) is decompressed transparently and a plain file is read as it is.
#include <string>

namespace logp {

// Throws Error naming the path if the file is missing, unreadable or a corrupt gzip stream.
std::string read_file_bytes(const std::string& path);

}  // namespace logp
