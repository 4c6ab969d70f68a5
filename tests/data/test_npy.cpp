// The NumPy .npy importer: header dict, dtypes, C and Fortran order, truncation.
#include <catch2/catch.hpp>

#include "file_helpers.hpp"
#include "logp/core/error.hpp"
#include "logp/data/importers/npy.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::testing;

TEST_CASE("npy: |u1 images are N examples of H*W bytes", "[data][npy]") {
  TempDir dir;
  const std::vector<std::uint8_t> values = {0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255};
  write_text(dir.file("u1.npy"), npy_of("|u1", "(2, 2, 3)", values));
  const ImportedTable t = read_npy(dir.file("u1.npy"));
  CHECK(t.n == 2);
  CHECK(t.d == 6);
  CHECK(t.item_shape == std::vector<Index>{2, 3});
  REQUIRE(t.is_bytes);
  CHECK(t.bytes == values);
  CHECK(t.value(1, 5) == 255);
}

TEST_CASE("npy: float and integer dtypes are read as their values", "[data][npy]") {
  TempDir dir;
  SECTION("<f4") {
    write_text(dir.file("a.npy"), npy_of<float>("<f4", "(3, 2)", {0.5f, -1.25f, 3e30f, 0, 7, -8}));
    const ImportedTable t = read_npy(dir.file("a.npy"));
    CHECK(t.n == 3);
    CHECK(t.d == 2);
    CHECK(t.numbers == std::vector<double>{0.5, -1.25, static_cast<double>(3e30f), 0, 7, -8});
  }
  SECTION("<f8, one value per example") {
    write_text(dir.file("a.npy"), npy_of<double>("<f8", "(4,)", {1e-300, 2.5, -3, 1e300}));
    const ImportedTable t = read_npy(dir.file("a.npy"));
    CHECK(t.n == 4);
    CHECK(t.d == 1);
    CHECK(t.item_shape.empty());
    CHECK(t.numbers == std::vector<double>{1e-300, 2.5, -3, 1e300});
  }
  SECTION("<i8") {
    write_text(dir.file("a.npy"), npy_of<std::int64_t>("<i8", "(2, 2)", {-5, 0, 1LL << 40, 9}));
    CHECK(read_npy(dir.file("a.npy")).numbers == std::vector<double>{-5, 0, 1099511627776.0, 9});
  }
  SECTION("<i4") {
    write_text(dir.file("a.npy"), npy_of<std::int32_t>("<i4", "(1, 3)", {-7, 0, 2147483647}));
    CHECK(read_npy(dir.file("a.npy")).numbers == std::vector<double>{-7, 0, 2147483647});
  }
  SECTION("|b1 (bool) as bytes") {
    write_text(dir.file("a.npy"), npy_of<std::uint8_t>("|b1", "(2, 2)", {1, 0, 0, 1}));
    const ImportedTable t = read_npy(dir.file("a.npy"));
    CHECK(t.is_bytes);
    CHECK(t.bytes == std::vector<std::uint8_t>{1, 0, 0, 1});
  }
  SECTION("format version 2 (uint32 header length) and 3") {
    const int version = GENERATE(2, 3);
    write_text(dir.file("a.npy"), npy_of<float>("<f4", "(1, 2)", {1.5f, 2.5f}, false, version));
    CHECK(read_npy(dir.file("a.npy")).numbers == std::vector<double>{1.5, 2.5});
  }
}

TEST_CASE("npy: header dicts in any key order and with Python 2 longs parse", "[data][npy]") {
  const NpyHeader h = parse_npy_header("{'shape': (10L, 3L), 'fortran_order': False, 'descr': '<f8'}", "x.npy");
  CHECK(h.descr == "<f8");
  CHECK_FALSE(h.fortran_order);
  CHECK(h.shape == std::vector<std::uint64_t>{10, 3});
  CHECK(parse_npy_header("{\"descr\": \"|u1\", \"fortran_order\": True, \"shape\": ()}", "x.npy").fortran_order);
  CHECK_THROWS_WITH(parse_npy_header("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,)}", "x.npy"),
                    Catch::Contains("structured dtypes"));
  CHECK_THROWS_WITH(parse_npy_header("{'descr': '<f4', 'shape': (1,)}", "x.npy"), Catch::Contains("lacks"));
  CHECK_THROWS_WITH(parse_npy_header("{'descr': '<f4', 'fortran_order': Maybe", "x.npy"),
                    Catch::Contains("x.npy") && Catch::Contains("True or False"));
}

TEST_CASE("npy: a Fortran-order array reads as the same array in C order", "[data][npy]") {
  TempDir dir;
  SECTION("2-D <f4: a transposed numpy array") {
    // [[1, 2, 3], [4, 5, 6]] stored first index fastest: 1 4 2 5 3 6.
    write_text(dir.file("f.npy"), npy_of<float>("<f4", "(2, 3)", {1, 4, 2, 5, 3, 6}, true));
    const ImportedTable t = read_npy(dir.file("f.npy"));
    CHECK(t.n == 2);
    CHECK(t.d == 3);
    CHECK(t.numbers == std::vector<double>{1, 2, 3, 4, 5, 6});
  }
  SECTION("3-D |u1: element [n, i, j] is example n's value (i, j)") {
    // a[n, i, j] = 100 n + 10 i + j for shape (2, 2, 3); Fortran offset n + 2 i + 4 j.
    std::vector<std::uint8_t> fortran(12), c_order(12);
    for (int n = 0; n < 2; ++n)
      for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 3; ++j) {
          const auto value = static_cast<std::uint8_t>(100 * n + 10 * i + j);
          fortran[static_cast<size_t>(n + 2 * i + 4 * j)] = value;
          c_order[static_cast<size_t>(6 * n + 3 * i + j)] = value;
        }
    write_text(dir.file("f.npy"), npy_of("|u1", "(2, 2, 3)", fortran, true));
    write_text(dir.file("c.npy"), npy_of("|u1", "(2, 2, 3)", c_order, false));
    const ImportedTable f = read_npy(dir.file("f.npy"));
    const ImportedTable c = read_npy(dir.file("c.npy"));
    REQUIRE(f.is_bytes);
    CHECK(f.bytes == c_order);
    CHECK(f.bytes == c.bytes);
    CHECK(f.item_shape == std::vector<Index>{2, 3});
  }
  SECTION("1-D <i8: the orders are one layout") {
    write_text(dir.file("f.npy"), npy_of<std::int64_t>("<i8", "(3,)", {7, -8, 9}, true));
    CHECK(read_npy(dir.file("f.npy")).numbers == std::vector<double>{7, -8, 9});
  }
}

TEST_CASE("npy: big-endian and unsupported dtypes are refused", "[data][npy][errors]") {
  TempDir dir;
  write_text(dir.file("be.npy"), npy_of<float>(">f4", "(2, 2)", {1, 2, 3, 4}));
  CHECK_THROWS_WITH(read_npy(dir.file("be.npy")), Catch::Contains("big-endian"));
  write_text(dir.file("c.npy"), npy_of<float>("<c8", "(1, 1)", {1, 2}));
  CHECK_THROWS_WITH(read_npy(dir.file("c.npy")), Catch::Contains("dtype '<c8' is not supported"));
  write_text(dir.file("s.npy"), npy_of<float>("<f4", "()", {1}));
  CHECK_THROWS_WITH(read_npy(dir.file("s.npy")), Catch::Contains("0-d array"));
  write_text(dir.file("z.npy"), npy_of<float>("<f4", "(0, 3)", {}));
  CHECK_THROWS_WITH(read_npy(dir.file("z.npy")), Catch::Contains("no examples"));
}

TEST_CASE("npy: truncated files and bad magic are refused", "[data][npy][errors]") {
  TempDir dir;
  const std::string whole = npy_of<double>("<f8", "(3, 2)", {1, 2, 3, 4, 5, 6});
  write_text(dir.file("short.npy"), whole.substr(0, whole.size() - 3));
  CHECK_THROWS_WITH(read_npy(dir.file("short.npy")),
                    Catch::Contains("short.npy") && Catch::Contains("need 48 data bytes but the file has 45") &&
                        Catch::Contains("truncated"));
  write_text(dir.file("long.npy"), whole + "xx");
  CHECK_THROWS_WITH(read_npy(dir.file("long.npy")), Catch::Contains("trailing data"));
  write_text(dir.file("header_cut.npy"), whole.substr(0, 30));
  CHECK_THROWS_WITH(read_npy(dir.file("header_cut.npy")), Catch::Contains("ends inside its header"));
  write_text(dir.file("magic.npy"), "\x93NUMPZ" + whole.substr(6));
  CHECK_THROWS_WITH(read_npy(dir.file("magic.npy")), Catch::Contains("not a .npy file"));
  std::string version_9 = whole;
  version_9[6] = 9;
  write_text(dir.file("v9.npy"), version_9);
  CHECK_THROWS_WITH(read_npy(dir.file("v9.npy")), Catch::Contains("version 9"));
  write_text(dir.file("huge.npy"), npy_of<float>("<f4", "(4294967296, 4294967296, 16)", {1, 2}));
  CHECK_THROWS_WITH(read_npy(dir.file("huge.npy")), Catch::Contains("more values than the file holds"));
}

TEST_CASE("npy: a header length beyond the file is refused before it is allocated (fuzz_npy: malloc of 2 GB)",
          "[data][npy][errors]") {
  TempDir dir;
  std::string bytes("\x93NUMPY\x02\x00", 8);
  bytes += std::string("\x74\x00\x00\x7b", 4);  // a v2 header length of 2,063,597,684 bytes
  bytes += "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }\n";
  write_text(dir.file("long.npy"), bytes);
  CHECK_THROWS_WITH(read_npy(dir.file("long.npy")),
                    Catch::Equals(dir.file("long.npy") + ": .npy header length 2063597684 is more than the file holds "
                                                          "(or 1 MiB): corrupt file?"));
}
