#include "logp/data/importers/file_bytes.hpp"

#include <zlib.h>

#include <filesystem>

#include "logp/core/error.hpp"

namespace logp {

std::string read_file_bytes(const std::string& path) {
  if (!std::filesystem::exists(path)) throw Error(path + ": no such file");
  if (std::filesystem::is_directory(path)) throw Error(path + ": is a directory, not a file");
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file) throw Error(path + ": cannot open for reading");
  std::string bytes;
  char chunk[1 << 16];
  for (;;) {
    const int got = gzread(file, chunk, sizeof chunk);
    if (got < 0) {
      gzclose(file);
      throw Error(path + ": corrupt gzip stream");
    }
    if (got == 0) break;
    bytes.append(chunk, static_cast<size_t>(got));
  }
  // gzclose reports a truncated gzip stream (missing trailer) as Z_BUF_ERROR.
  if (gzclose(file) != Z_OK) throw Error(path + ": gzip stream ends early (truncated file?)");
  return bytes;
}

}  // namespace logp
