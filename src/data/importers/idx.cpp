#include "logp/data/importers/idx.hpp"

#include <bit>
#include <memory>

#include "logp/core/error.hpp"
#include "logp/data/importers/file_bytes.hpp"

namespace logp {
namespace {

std::uint32_t big_endian_u32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

struct IdxHeader {
  std::vector<std::uint64_t> dims;
  bool is_float = false;
  std::uint64_t count = 1;  // values
  std::uint64_t bytes = 1;  // bytes of the values
};

IdxHeader read_header(GzInput& in, const std::string& path) {
  unsigned char magic[4];
  in.read(magic, 4, "IDX header");
  const unsigned type = magic[2];
  const unsigned rank = magic[3];
  if (magic[0] != 0 || magic[1] != 0 || (type != 0x08 && type != 0x0D) || rank == 0 || rank > 8)
    throw Error(path + ": not an IDX file of unsigned bytes or float32 (header bytes " + std::to_string(magic[0]) +
                " " + std::to_string(magic[1]) + " " + std::to_string(type) + " " + std::to_string(rank) + ")");
  IdxHeader header;
  header.is_float = type == 0x0D;
  header.bytes = header.is_float ? 4 : 1;
  for (unsigned r = 0; r < rank; ++r) {
    unsigned char size[4];
    in.read(size, 4, "IDX header");
    header.dims.push_back(big_endian_u32(size));
  }
  // The declared size in bytes, refused when it overflows (up to 8 dimensions of 2^32 - 1 each).
  for (std::uint64_t d : header.dims)
    if (__builtin_mul_overflow(header.count, d, &header.count) || __builtin_mul_overflow(header.bytes, d, &header.bytes))
      throw Error(path + ": its header declares more values than any file can hold (corrupt header?)");
  return header;
}

// Reads `bytes` bytes in pieces that grow with what was read (64 KB, then doubling, at most
// 64 MB), so that a corrupt header claiming a huge size fails at the end of the file having
// allocated about twice the file, not the claimed size.
std::vector<std::uint8_t> read_growing(GzInput& in, std::uint64_t bytes, const char* what) {
  constexpr std::uint64_t kFirst = std::uint64_t{1} << 16, kLargest = std::uint64_t{1} << 26;
  std::vector<std::uint8_t> out;
  while (out.size() < bytes) {
    const std::uint64_t piece = std::min(kLargest, std::max<std::uint64_t>(kFirst, out.size()));
    const std::uint64_t step = std::min(piece, bytes - out.size());
    const size_t old_size = out.size();
    out.resize(old_size + step);
    in.read(out.data() + old_size, step, what);
  }
  return out;
}

// float32 values from big-endian bytes.
void decode_floats(const std::uint8_t* raw, std::uint64_t n, float* out) {
  for (std::uint64_t k = 0; k < n; ++k) out[k] = std::bit_cast<float>(big_endian_u32(raw + 4 * k));
}

void refuse_trailing_data(GzInput& in, const std::string& path, std::uint64_t count) {
  if (const std::uint64_t rest = in.count_rest("data after the IDX values"); rest > 0)
    throw Error(path + ": " + std::to_string(rest) + " bytes after the " + std::to_string(count) +
                " values its header declares (trailing data, or wrong dimensions in the header?)");
}

// An IDX file (N, d1, ...) read in blocks of examples, straight from the file.
class IdxStream : public TableStream {
 public:
  explicit IdxStream(const std::string& path) : path_(path), in_(path), idx_(read_header(in_, path)) {
    if (idx_.dims[0] == 0) throw Error(path + ": IDX file holds no examples");
    header_.source = path;
    header_.n = static_cast<Index>(idx_.dims[0]);
    header_.d = static_cast<Index>(idx_.count / idx_.dims[0]);
    if (header_.d == 0) throw Error(path + ": examples have 0 values (a 0 in the IDX dimensions)");
    // A header claiming more than the file can hold would otherwise allocate a huge block.
    if (idx_.bytes / idx_.dims[0] > in_.disk_size() * 1032 + 1024)
      throw Error(path + ": file ends early while reading the IDX values (truncated?)");
    for (size_t k = 1; k < idx_.dims.size(); ++k) header_.item_shape.push_back(static_cast<Index>(idx_.dims[k]));
    header_.is_bytes = !idx_.is_float;
  }

 protected:
  void read_block(ImportedTable& block) override {
    const std::uint64_t values = static_cast<std::uint64_t>(block.n * block.d);
    if (block.is_bytes) {
      block.bytes.resize(values);
      in_.read(block.bytes.data(), values, "IDX values");
    } else {
      raw_.resize(4 * values);
      in_.read(raw_.data(), raw_.size(), "IDX values");
      floats_.resize(values);
      decode_floats(raw_.data(), values, floats_.data());
      block.numbers.assign(floats_.begin(), floats_.end());
    }
    if (block.first_example + block.n == header_.n) refuse_trailing_data(in_, path_, idx_.count);
  }

 private:
  std::string path_;
  GzInput in_;
  IdxHeader idx_;
  std::vector<std::uint8_t> raw_;  // one block of float32 bytes
  std::vector<float> floats_;
};

}  // namespace

std::uint64_t IdxArray::count() const {
  std::uint64_t n = 1;
  for (std::uint64_t d : dims) n *= d;
  return n;
}

IdxArray read_idx(const std::string& path) {
  GzInput in(path);
  const IdxHeader header = read_header(in, path);
  IdxArray array;
  array.dims = header.dims;
  array.is_float = header.is_float;
  if (!header.is_float) {
    array.bytes = read_growing(in, header.count, "IDX values");
  } else {
    const std::vector<std::uint8_t> raw = read_growing(in, header.bytes, "IDX values");
    array.floats.resize(header.count);
    decode_floats(raw.data(), header.count, array.floats.data());
  }
  refuse_trailing_data(in, path, header.count);
  return array;
}

std::unique_ptr<TableStream> open_idx(const std::string& path) { return std::make_unique<IdxStream>(path); }

}  // namespace logp
