#include "logp/data/importers/npy.hpp"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cstring>

#include "logp/core/error.hpp"
#include "logp/core/text.hpp"
#include "logp/data/importers/file_bytes.hpp"
#include "logp/data/importers/table_stream.hpp"

namespace logp {
namespace {

static_assert(std::endian::native == std::endian::little, "the .npy reader assumes a little-endian machine");

constexpr std::string_view kMagic = "\x93NUMPY";

// A cursor over the header dict, which is a small subset of Python literal syntax.
class DictParser {
 public:
  DictParser(std::string_view text, const std::string& path) : text_(text), path_(path) {}

  NpyHeader parse() {
    NpyHeader header;
    bool has_descr = false, has_order = false, has_shape = false;
    expect('{');
    while (!take('}')) {
      const std::string key = string_literal();
      expect(':');
      if (key == "descr") {
        if (peek() == '[') fail("structured dtypes (records) are not supported; save a plain numeric array");
        header.descr = string_literal();
        has_descr = true;
      } else if (key == "fortran_order") {
        header.fortran_order = boolean();
        has_order = true;
      } else if (key == "shape") {
        header.shape = tuple();
        has_shape = true;
      } else {
        fail("unexpected key '" + excerpt(key) + "' in the header");
      }
      if (!take(',')) {
        expect('}');
        break;
      }
    }
    if (!has_descr || !has_order || !has_shape)
      fail("the header lacks one of 'descr', 'fortran_order', 'shape'");
    return header;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw Error(path_ + ": not a valid .npy header (" + what + "): " + excerpt(text_, 80));
  }
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  char peek() {
    skip_space();
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }
  bool take(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  void expect(char c) {
    if (!take(c)) fail(std::string("expected '") + c + "'");
  }
  std::string string_literal() {
    const char quote = peek();
    if (quote != '\'' && quote != '"') fail("expected a quoted string");
    const size_t end = text_.find(quote, pos_ + 1);
    if (end == std::string_view::npos) fail("unterminated string");
    std::string value(text_.substr(pos_ + 1, end - pos_ - 1));
    pos_ = end + 1;
    return value;
  }
  bool boolean() {
    skip_space();
    for (const auto& [word, value] : {std::pair{std::string_view("True"), true}, {std::string_view("False"), false}})
      if (text_.substr(pos_).starts_with(word)) {
        pos_ += word.size();
        return value;
      }
    fail("expected True or False");
  }
  std::vector<std::uint64_t> tuple() {
    std::vector<std::uint64_t> values;
    expect('(');
    while (!take(')')) {
      skip_space();
      const size_t start = pos_;
      std::uint64_t v = 0;
      while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_])))
        v = v * 10 + static_cast<std::uint64_t>(text_[pos_++] - '0');
      if (pos_ == start) fail("expected a non-negative integer in the shape");
      take('L');  // Python 2 long literals
      values.push_back(v);
      if (!take(',')) {
        expect(')');
        break;
      }
    }
    return values;
  }

  std::string_view text_;
  const std::string& path_;
  size_t pos_ = 0;
};

// The element type of a descr such as "<f4": kind 'b', 'u', 'i' or 'f' and a size in bytes.
struct Dtype {
  char kind;
  size_t size;
};

Dtype parse_dtype(const std::string& descr, const std::string& path) {
  const std::string supported = "supported: |b1 |u1 |i1 <u2 <i2 <u4 <i4 <u8 <i8 <f4 <f8";
  if (descr.size() != 3) throw Error(path + ": dtype '" + excerpt(descr) + "' is not supported (" + supported + ")");
  const char order = descr[0], kind = descr[1];
  const size_t size = static_cast<size_t>(descr[2] - '0');
  const bool known = (kind == 'b' && size == 1) || (kind == 'u' && (size == 1 || size == 2 || size == 4 || size == 8)) ||
                     (kind == 'i' && (size == 1 || size == 2 || size == 4 || size == 8)) ||
                     (kind == 'f' && (size == 4 || size == 8));
  if (!known) throw Error(path + ": dtype '" + descr + "' is not supported (" + supported + ")");
  if (order == '>' && size > 1)
    throw Error(path + ": dtype '" + descr + "' is big-endian; save it as little-endian (a.astype(a.dtype.newbyteorder('<')))");
  if (order != '<' && order != '|' && order != '=' && order != '>')
    throw Error(path + ": dtype '" + descr + "' has an unknown byte order");
  return {kind, size};
}

// Calls visit(k, source) for the values in C (row-major) order, k = 0..count-1, with `source` the
// value's position in the file: k itself for C order; for Fortran order (first index fastest) an
// odometer over the C-order index gives it, so a Fortran array is transposed while it is decoded,
// into the output and nothing else.
template <typename Visit>
void for_each_in_c_order(const std::vector<std::uint64_t>& shape, bool fortran_order, std::uint64_t count,
                         Visit visit) {
  if (!fortran_order || shape.size() < 2) {
    for (std::uint64_t k = 0; k < count; ++k) visit(k, k);
    return;
  }
  std::vector<std::uint64_t> index(shape.size(), 0), stride(shape.size());
  std::uint64_t step = 1;
  for (size_t axis = 0; axis < shape.size(); ++axis) {
    stride[axis] = step;  // Fortran strides: axis 0 is contiguous
    step *= shape[axis];
  }
  std::uint64_t source = 0;
  for (std::uint64_t k = 0; k < count; ++k) {
    visit(k, source);
    for (size_t axis = shape.size(); axis-- > 0;) {  // the last axis moves fastest in C order
      if (++index[axis] < shape[axis]) {
        source += stride[axis];
        break;
      }
      source -= stride[axis] * (shape[axis] - 1);
      index[axis] = 0;
    }
  }
}

template <typename T>
void decode_as_doubles(const char* data, const NpyHeader& header, std::uint64_t count, std::vector<double>& out) {
  out.resize(count);
  for_each_in_c_order(header.shape, header.fortran_order, count, [&](std::uint64_t k, std::uint64_t source) {
    T v;
    std::memcpy(&v, data + source * sizeof(T), sizeof(T));
    out[k] = static_cast<double>(v);
  });
}

void decode_values(const Dtype& dtype, const NpyHeader& header, const char* data, std::uint64_t count,
                   ImportedTable& table) {
  if (dtype.size == 1 && dtype.kind != 'i') {
    table.is_bytes = true;
    table.bytes.resize(count);
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(data);
    for_each_in_c_order(header.shape, header.fortran_order, count,
                        [&](std::uint64_t k, std::uint64_t source) { table.bytes[k] = bytes[source]; });
    return;
  }
  switch (dtype.kind) {
    case 'i':
      if (dtype.size == 1) decode_as_doubles<std::int8_t>(data, header, count, table.numbers);
      if (dtype.size == 2) decode_as_doubles<std::int16_t>(data, header, count, table.numbers);
      if (dtype.size == 4) decode_as_doubles<std::int32_t>(data, header, count, table.numbers);
      if (dtype.size == 8) decode_as_doubles<std::int64_t>(data, header, count, table.numbers);
      break;
    case 'u':
      if (dtype.size == 2) decode_as_doubles<std::uint16_t>(data, header, count, table.numbers);
      if (dtype.size == 4) decode_as_doubles<std::uint32_t>(data, header, count, table.numbers);
      if (dtype.size == 8) decode_as_doubles<std::uint64_t>(data, header, count, table.numbers);
      break;
    default:  // 'f'
      if (dtype.size == 4) decode_as_doubles<float>(data, header, count, table.numbers);
      if (dtype.size == 8) decode_as_doubles<double>(data, header, count, table.numbers);
  }
}

std::uint32_t little_endian(const unsigned char* bytes, size_t width) {
  std::uint32_t v = 0;
  for (size_t k = 0; k < width; ++k) v |= std::uint32_t{bytes[k]} << (8 * k);
  return v;
}

constexpr std::uint64_t kMostHeaderBytes = std::uint64_t{1} << 20;

// Decompressed bytes a file of `disk_size` bytes can hold at most (deflate: about 1032:1).
std::uint64_t most_bytes_held(std::uint64_t disk_size) { return disk_size * 1032 + 1024; }

// A .npy file read in blocks of examples: C order straight from the file; Fortran order (where
// example n's values are spread over the whole file) is read whole when the stream opens and
// handed out from memory, so it costs the file's size in memory (documented in npy.hpp).
class NpyStream : public TableStream {
 public:
  explicit NpyStream(const std::string& path) : path_(path), in_(path) {
    unsigned char start[12] = {};
    const std::uint64_t got = in_.read_up_to(start, 10, "header");
    if (got < 10 || std::string_view(reinterpret_cast<const char*>(start), 6) != kMagic)
      throw Error(path + ": not a .npy file (no \\x93NUMPY magic at the start)");
    const unsigned major = start[6];
    if (major < 1 || major > 3)
      throw Error(path + ": .npy format version " + std::to_string(major) + " is not supported (1, 2 or 3)");
    const size_t width = major == 1 ? 2 : 4;  // header length field: uint16 in v1, uint32 in v2/v3
    if (width == 4 && in_.read_up_to(start + 10, 2, "header") < 2)
      throw Error(path + ": .npy file ends inside its header (truncated?)");
    const size_t header_length = little_endian(start + 8, width);
    // numpy writes headers of a few hundred bytes; a length field beyond the file (or 1 MiB) is
    // corruption, refused before it is allocated.
    if (header_length > std::min<std::uint64_t>(kMostHeaderBytes, most_bytes_held(in_.disk_size())))
      throw Error(path + ": .npy header length " + std::to_string(header_length) +
                  " is more than the file holds (or 1 MiB): corrupt file?");
    std::string dict(header_length, '\0');
    if (in_.read_up_to(dict.data(), header_length, "header") < header_length)
      throw Error(path + ": .npy file ends inside its header (truncated?)");

    header_npy_ = parse_npy_header(dict, path);
    dtype_ = parse_dtype(header_npy_.descr, path);
    const NpyHeader& header = header_npy_;
    if (header.shape.empty()) throw Error(path + ": holds a single value (a 0-d array), not N examples");
    if (header.shape[0] == 0) throw Error(path + ": holds no examples (its shape starts with 0)");
    std::uint64_t count = 1;
    const std::uint64_t most = most_bytes_held(in_.disk_size());
    for (std::uint64_t s : header.shape)
      if (__builtin_mul_overflow(count, s, &count) || count > most)
        throw Error(path + ": its shape asks for more values than the file holds (truncated or corrupt?)");
    if (count == 0) throw Error(path + ": examples have 0 values (a 0 in the shape)");
    expected_ = count * dtype_.size;

    header_.source = path;
    header_.n = static_cast<Index>(header.shape[0]);
    header_.d = static_cast<Index>(count / header.shape[0]);
    header_.is_bytes = dtype_.size == 1 && dtype_.kind != 'i';
    for (size_t k = 1; k < header.shape.size(); ++k) header_.item_shape.push_back(static_cast<Index>(header.shape[k]));
    if (header.fortran_order && header.shape.size() >= 2) {
      std::string data(expected_, '\0');
      read_data(data.data(), expected_);
      fortran_ = header_;
      decode_values(dtype_, header, data.data(), count, fortran_);
    }
  }

 protected:
  void read_block(ImportedTable& block) override {
    const std::uint64_t values = static_cast<std::uint64_t>(block.n * block.d);
    const std::uint64_t first = static_cast<std::uint64_t>(block.first_example * block.d);
    if (!fortran_.source.empty()) {  // the whole array was read (and transposed) at open
      if (block.is_bytes)
        block.bytes.assign(fortran_.bytes.begin() + first, fortran_.bytes.begin() + first + values);
      else
        block.numbers.assign(fortran_.numbers.begin() + first, fortran_.numbers.begin() + first + values);
      return;
    }
    raw_.resize(values * dtype_.size);
    read_data(raw_.data(), raw_.size());
    NpyHeader c_order = header_npy_;
    c_order.fortran_order = false;
    decode_values(dtype_, c_order, raw_.data(), values, block);
  }

 private:
  // The next `bytes` data bytes; after the last of them the file must end.
  void read_data(char* out, std::uint64_t bytes) {
    const std::uint64_t got = in_.read_up_to(out, bytes, "values");
    read_ += got;
    std::uint64_t found = read_;
    if (got == bytes && read_ == expected_) found += in_.count_rest("values");
    if (got < bytes || (read_ == expected_ && found != expected_))
      throw Error(path_ + ": its shape and dtype " + header_npy_.descr + " need " + std::to_string(expected_) +
                  " data bytes but the file has " + std::to_string(found) +
                  (found < expected_ ? " (truncated?)" : " (trailing data?)"));
  }

  std::string path_;
  GzInput in_;
  NpyHeader header_npy_;
  Dtype dtype_{};
  std::uint64_t expected_ = 0;  // data bytes the shape and dtype need
  std::uint64_t read_ = 0;      // data bytes read so far
  std::string raw_;             // one block's bytes
  ImportedTable fortran_;       // Fortran order: the whole table, in C order
};

}  // namespace

NpyHeader parse_npy_header(std::string_view dict, const std::string& path) { return DictParser(dict, path).parse(); }

std::unique_ptr<TableStream> open_npy(const std::string& path) { return std::make_unique<NpyStream>(path); }

ImportedTable read_npy(const std::string& path) {
  NpyStream stream(path);
  return read_whole(stream);
}

}  // namespace logp
