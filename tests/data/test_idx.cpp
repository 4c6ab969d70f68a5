// IDX files (MNIST's format) written by the test read back, plain and gzip-compressed.
#include <zlib.h>

#include <bit>
#include <catch2/catch.hpp>
#include <cstring>

#include "file_helpers.hpp"
#include "logp/core/error.hpp"
#include "logp/data/importers/idx.hpp"
#include "logp/data/importers/table_reader.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

const std::string kPixels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, static_cast<char>(255)};  // 3 images of 2 x 2

void write_gzip(const std::string& path, const std::string& bytes) {
  gzFile gz = gzopen(path.c_str(), "wb");
  REQUIRE(gz != nullptr);
  REQUIRE(gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size())) == static_cast<int>(bytes.size()));
  REQUIRE(gzclose(gz) == Z_OK);
}

}  // namespace

TEST_CASE("idx: unsigned-byte images read back, plain and gzip", "[data][idx]") {
  TempDir dir;
  const std::string bytes = idx_bytes(0x08, {3, 2, 2}, kPixels);
  write_text(dir.file("images-idx3-ubyte"), bytes);
  write_gzip(dir.file("images-idx3-ubyte.gz"), bytes);
  for (const std::string name : {"images-idx3-ubyte", "images-idx3-ubyte.gz"}) {
    const IdxArray a = read_idx(dir.file(name));
    CHECK(a.dims == std::vector<std::uint64_t>{3, 2, 2});
    CHECK_FALSE(a.is_float);
    CHECK(a.count() == 12);
    CHECK(a.bytes == std::vector<std::uint8_t>(kPixels.begin(), kPixels.end()));
  }
  const ImportedTable t = read_table(TableFormat::idx, dir.file("images-idx3-ubyte.gz"));
  CHECK(t.n == 3);
  CHECK(t.d == 4);
  CHECK(t.item_shape == std::vector<Index>{2, 2});
  CHECK(t.value(2, 3) == 255);
}

TEST_CASE("idx: float32 values are big-endian", "[data][idx]") {
  TempDir dir;
  std::string values;
  for (const float f : {1.5f, -2.0f}) {
    const std::uint32_t bits = std::bit_cast<std::uint32_t>(f);
    for (int shift = 24; shift >= 0; shift -= 8) values += static_cast<char>((bits >> shift) & 0xff);
  }
  write_text(dir.file("f.idx"), idx_bytes(0x0D, {2}, values));
  const IdxArray a = read_idx(dir.file("f.idx"));
  CHECK(a.is_float);
  CHECK(a.floats == std::vector<float>{1.5f, -2.0f});
}

TEST_CASE("idx: bad magic and truncated files are refused", "[data][idx][errors]") {
  TempDir dir;
  std::string bad = idx_bytes(0x08, {3, 2, 2}, kPixels);
  bad[0] = 1;
  write_text(dir.file("bad-magic"), bad);
  CHECK_THROWS_WITH(read_idx(dir.file("bad-magic")), Catch::Contains("bad-magic") && Catch::Contains("not an IDX file"));
  write_text(dir.file("int32"), idx_bytes(0x0C, {1}, "abcd"));  // type 0x0C (int32) is not read
  CHECK_THROWS_WITH(read_idx(dir.file("int32")), Catch::Contains("not an IDX file"));
  write_text(dir.file("short"), idx_bytes(0x08, {3, 2, 2}, kPixels.substr(0, 7)));
  CHECK_THROWS_WITH(read_idx(dir.file("short")), Catch::Contains("short") && Catch::Contains("ends early"));
  CHECK_THROWS_WITH(read_idx(dir.file("absent")), Catch::Contains("no such file"));
}

TEST_CASE("idx: bytes after the declared values are refused, with the file and the count", "[data][idx][errors]") {
  TempDir dir;
  write_text(dir.file("junk"), idx_bytes(0x08, {3, 2, 2}, kPixels + "abc"));
  CHECK_THROWS_WITH(read_idx(dir.file("junk")), Catch::Contains("junk: 3 bytes after the 12 values"));
  write_gzip(dir.file("junk.gz"), idx_bytes(0x08, {3, 2, 2}, kPixels + std::string(70000, 'x')));
  CHECK_THROWS_WITH(read_idx(dir.file("junk.gz")), Catch::Contains("junk.gz: 70000 bytes after"));
  write_text(dir.file("exact"), idx_bytes(0x08, {3, 2, 2}, kPixels));
  CHECK(read_idx(dir.file("exact")).bytes.size() == 12);
}

TEST_CASE("idx: a header whose sizes overflow 64 bits is refused before anything is allocated", "[data][idx][errors]") {
  TempDir dir;
  // 2^31 * 2^31 * 2 float32 values: 2^63 values, 2^65 bytes (which used to wrap to 0).
  write_text(dir.file("floats"), idx_bytes(0x0D, {1u << 31, 1u << 31, 2}, ""));
  CHECK_THROWS_WITH(read_idx(dir.file("floats")), Catch::Contains("floats: its header declares more values"));
  write_text(dir.file("bytes"), idx_bytes(0x08, {65536, 65536, 65536, 65536, 2}, ""));
  CHECK_THROWS_WITH(read_idx(dir.file("bytes")), Catch::Contains("bytes: its header declares more values"));
}
