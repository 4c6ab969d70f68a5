#include "logp/data/importers/file_bytes.hpp"

#include <algorithm>
#include <filesystem>
#include <utility>

#include "logp/core/error.hpp"

namespace logp {

GzInput::GzInput(const std::string& path) : path_(path) {
  if (!std::filesystem::exists(path)) throw Error(path + ": no such file");
  if (std::filesystem::is_directory(path)) throw Error(path + ": is a directory, not a file");
  file_ = gzopen(path.c_str(), "rb");
  if (!file_) throw Error(path + ": cannot open for reading");
  std::error_code ec;
  disk_size_ = std::filesystem::file_size(path, ec);
  gzbuffer(file_, 1 << 16);
}

GzInput::~GzInput() {
  if (file_) gzclose(file_);
}

void GzInput::finish() {
  if (!file_) return;
  // gzclose reports a truncated gzip stream (missing trailer) as Z_BUF_ERROR.
  const int status = gzclose(std::exchange(file_, nullptr));
  if (status != Z_OK) throw Error(path_ + ": gzip stream ends early (truncated file?)");
}

std::uint64_t GzInput::read_up_to(void* out, std::uint64_t bytes, const char* what) {
  auto* cursor = static_cast<unsigned char*>(out);
  std::uint64_t done = 0;
  while (done < bytes && file_) {
    const unsigned step = static_cast<unsigned>(std::min<std::uint64_t>(bytes - done, 1u << 30));
    const int got = gzread(file_, cursor + done, step);
    if (got < 0) throw Error(path_ + ": corrupt gzip stream while reading the " + what);
    if (got == 0) finish();
    done += static_cast<std::uint64_t>(got);
  }
  return done;
}

void GzInput::read(void* out, std::uint64_t bytes, const char* what) {
  if (read_up_to(out, bytes, what) < bytes)
    throw Error(path_ + ": file ends early while reading the " + what + " (truncated?)");
}

std::uint64_t GzInput::count_rest(const char* what) {
  std::string piece(1 << 16, '\0');
  std::uint64_t rest = 0;
  while (file_) rest += read_up_to(piece.data(), piece.size(), what);
  return rest;
}

std::string read_file_bytes(const std::string& path) {
  GzInput in(path);
  std::string bytes;
  std::string piece(1 << 16, '\0');
  for (;;) {
    const std::uint64_t got = in.read_up_to(piece.data(), piece.size(), "file");
    bytes.append(piece.data(), got);
    if (got < piece.size()) return bytes;
  }
}

}  // namespace logp
