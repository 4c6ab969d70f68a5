#include "logp/data/importers/idx.hpp"

#include <zlib.h>

#include <bit>
#include <filesystem>
#include <memory>

#include "logp/core/error.hpp"

namespace logp {
namespace {

// A gzip-or-plain input stream (zlib reads uncompressed files transparently).
class GzInput {
 public:
  explicit GzInput(const std::string& path) : path_(path), file_(gzopen(path.c_str(), "rb")) {
    if (!std::filesystem::exists(path)) throw Error(path + ": no such file");
    if (!file_) throw Error(path + ": cannot open for reading");
  }
  ~GzInput() {
    if (file_) gzclose(file_);
  }
  GzInput(const GzInput&) = delete;
  GzInput& operator=(const GzInput&) = delete;

  void read(void* out, std::uint64_t bytes, const char* what) {
    auto* cursor = static_cast<unsigned char*>(out);
    while (bytes > 0) {
      const unsigned step = static_cast<unsigned>(std::min<std::uint64_t>(bytes, 1u << 30));
      const int got = gzread(file_, cursor, step);
      if (got < 0) throw Error(path_ + ": corrupt gzip stream while reading the " + what);
      if (got == 0) throw Error(path_ + ": file ends early while reading the " + what + " (truncated?)");
      cursor += got;
      bytes -= static_cast<std::uint64_t>(got);
    }
  }

  // The bytes left after what has been read (0 at the end of the file), counted in pieces.
  std::uint64_t count_rest() {
    std::vector<unsigned char> piece(1 << 16);
    std::uint64_t rest = 0;
    for (;;) {
      const int got = gzread(file_, piece.data(), static_cast<unsigned>(piece.size()));
      if (got < 0) throw Error(path_ + ": corrupt gzip stream after the IDX values");
      if (got == 0) return rest;
      rest += static_cast<std::uint64_t>(got);
    }
  }

  // Reads `bytes` bytes in pieces that grow with what was read (64 KB, then doubling, at most
  // 64 MB), so that a corrupt header claiming a huge size fails at the end of the file having
  // allocated about twice the file, not the claimed size.
  std::vector<std::uint8_t> read_bytes(std::uint64_t bytes, const char* what) {
    constexpr std::uint64_t kFirst = std::uint64_t{1} << 16, kLargest = std::uint64_t{1} << 26;
    std::vector<std::uint8_t> out;
    while (out.size() < bytes) {
      const std::uint64_t piece = std::min(kLargest, std::max<std::uint64_t>(kFirst, out.size()));
      const std::uint64_t step = std::min(piece, bytes - out.size());
      const size_t old_size = out.size();
      out.resize(old_size + step);
      read(out.data() + old_size, step, what);
    }
    return out;
  }

 private:
  std::string path_;
  gzFile file_;
};

std::uint32_t big_endian_u32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

}  // namespace

std::uint64_t IdxArray::count() const {
  std::uint64_t n = 1;
  for (std::uint64_t d : dims) n *= d;
  return n;
}

IdxArray read_idx(const std::string& path) {
  GzInput in(path);
  unsigned char magic[4];
  in.read(magic, 4, "IDX header");
  const unsigned type = magic[2];
  const unsigned rank = magic[3];
  if (magic[0] != 0 || magic[1] != 0 || (type != 0x08 && type != 0x0D) || rank == 0 || rank > 8)
    throw Error(path + ": not an IDX file of unsigned bytes or float32 (header bytes " + std::to_string(magic[0]) +
                " " + std::to_string(magic[1]) + " " + std::to_string(type) + " " + std::to_string(rank) + ")");
  IdxArray array;
  for (unsigned r = 0; r < rank; ++r) {
    unsigned char size[4];
    in.read(size, 4, "IDX header");
    array.dims.push_back(big_endian_u32(size));
  }
  // The declared size in bytes, refused when it overflows (up to 8 dimensions of 2^32 - 1 each).
  std::uint64_t n = 1, bytes = type == 0x08 ? 1 : 4;
  for (std::uint64_t d : array.dims)
    if (__builtin_mul_overflow(n, d, &n) || __builtin_mul_overflow(bytes, d, &bytes))
      throw Error(path + ": its header declares more values than any file can hold (corrupt header?)");
  if (type == 0x08) {
    array.bytes = in.read_bytes(n, "IDX values");
  } else {
    array.is_float = true;
    const std::vector<std::uint8_t> raw = in.read_bytes(bytes, "IDX values");
    array.floats.resize(n);
    for (std::uint64_t k = 0; k < n; ++k)
      array.floats[k] = std::bit_cast<float>(big_endian_u32(raw.data() + 4 * k));
  }
  if (const std::uint64_t rest = in.count_rest(); rest > 0)
    throw Error(path + ": " + std::to_string(rest) + " bytes after the " + std::to_string(n) +
                " values its header declares (trailing data, or wrong dimensions in the header?)");
  return array;
}

}  // namespace logp
