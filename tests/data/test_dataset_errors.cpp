// Bad dataset input is refused with an error that names the file, the dataset and what was wrong,
// and a failed write leaves no file behind.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "file_helpers.hpp"
#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"
#include "logp/data/dataset_writer.hpp"
#include "logp/io/h5.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

// A file written with the raw H5Group API, as a foreign tool might: /train/x (N x D) of type T
// with the kind attribute `kind` (and `levels` when given).
template <typename T>
void write_raw_split(const std::string& path, const std::vector<T>& rows, std::uint64_t d, const std::string& kind,
                     std::int64_t levels = 0) {
  const H5File file = H5File::create(path);
  const H5Group train = file.root().create_group("train");
  train.write<T>("x", {rows.size() / d, d}, rows.data());
  train.set_attr("x", "kind", kind);
  if (levels > 0) train.set_attr("x", "levels", levels);
}

void write_valid_file(const std::string& path, Index n, Index d) {
  DatasetWriter writer(path, DataSpec{DataKind::binary, 2, d, {}}, {{"source", "test"}});
  std::vector<std::uint8_t> rows(static_cast<size_t>(n * d));
  for (size_t k = 0; k < rows.size(); ++k) rows[k] = static_cast<std::uint8_t>((k * 7 + k / 3) % 2);
  writer.add_split("train", rows, {});
  writer.add_split("test", rows, {});
  writer.commit();
}

// Opens every split of a file and reads all of it (what `logp score` would do).
void read_everything(const std::string& path) {
  for (const std::string& name : list_splits(path)) {
    const DatasetSplit split = DatasetSplit::open(path, name);
    for_each_batch(split, 64, [](Index, const Matrix&) {});
  }
  if (list_splits(path).empty()) throw Error(path + ": no splits");
}

}  // namespace

TEST_CASE("dataset errors: a missing file and a missing split are named", "[data][errors]") {
  TempDir dir;
  CHECK_THROWS_WITH(DatasetSplit::open(dir.file("absent.h5"), "train"),
                    Catch::Contains("absent.h5") && Catch::Contains("no such file"));
  write_valid_file(dir.file("d.h5"), 4, 3);
  CHECK_THROWS_WITH(DatasetSplit::open(dir.file("d.h5"), "valid"),
                    Catch::Contains("d.h5") && Catch::Contains("split 'valid' is missing") &&
                        Catch::Contains("the file has: test, train"));
}

TEST_CASE("dataset errors: binary data stored as float is refused at open", "[data][errors]") {
  TempDir dir;
  write_raw_split<float>(dir.file("f.h5"), {0, 1, 1, 0, 1, 1}, 3, "binary");
  CHECK_THROWS_WITH(DatasetSplit::open(dir.file("f.h5"), "train"),
                    Catch::Contains("f.h5:/train/x") && Catch::Contains("binary data must be stored as uint8"));
  write_raw_split<std::int64_t>(dir.file("i.h5"), {0, 1, 2, 3}, 2, "real");
  CHECK_THROWS_WITH(DatasetSplit::open(dir.file("i.h5"), "train"), Catch::Contains("real data must be stored as float"));
  write_raw_split<std::uint8_t>(dir.file("k.h5"), {0, 1}, 2, "ternary");
  CHECK_THROWS_WITH(DatasetSplit::open(dir.file("k.h5"), "train"),
                    Catch::Contains("k.h5:/train/x: attribute kind: unknown data kind 'ternary'"));
}

TEST_CASE("dataset errors: value 3 in a binary file is refused when read, naming example and dimension", "[data][errors]") {
  TempDir dir;
  // 4 examples of D = 3; example 2, dimension 1 holds 3.
  write_raw_split<std::uint8_t>(dir.file("b.h5"), {0, 1, 0, 1, 1, 1, 0, 3, 0, 1, 0, 0}, 3, "binary");
  const DatasetSplit split = DatasetSplit::open(dir.file("b.h5"), "train");  // opening reads no values
  CHECK_THROWS_WITH(split.read_all(), Catch::Contains("b.h5:/train/x") && Catch::Contains("value 3") &&
                                          Catch::Contains("example 2, dimension 1") && Catch::Contains("0..1"));
  CHECK(split.read(0, 2).cols() == 2);  // the examples before it are fine
  CHECK_THROWS_WITH(for_each_batch(split, 1, [](Index, const Matrix&) {}), Catch::Contains("example 2"));

  write_raw_split<std::uint8_t>(dir.file("c.h5"), {0, 3, 4, 1}, 2, "categorical", 4);
  CHECK_THROWS_WITH(DatasetSplit::open(dir.file("c.h5"), "train").read_all(),
                    Catch::Contains("value 4 at example 1, dimension 0") && Catch::Contains("0..3"));
}

TEST_CASE("dataset errors: NaN and inf in a real file are refused when read", "[data][errors]") {
  TempDir dir;
  const float bad = GENERATE(std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                             -std::numeric_limits<float>::infinity());
  write_raw_split<float>(dir.file("r.h5"), {0.5f, 1.5f, -2.0f, 4.0f, bad, 1.0f}, 2, "real");
  const DatasetSplit split = DatasetSplit::open(dir.file("r.h5"), "train");
  CHECK_THROWS_WITH(split.read_all(), Catch::Contains("r.h5:/train/x") && Catch::Contains("example 2, dimension 0") &&
                                          Catch::Contains("not finite"));
}

TEST_CASE("dataset errors: a failed write leaves no file behind", "[data][errors]") {
  TempDir dir;
  const std::string out = dir.file("out.h5");
  SECTION("value 3 in binary data") {
    DatasetWriter writer(out, DataSpec{DataKind::binary, 2, 2, {}}, {});
    writer.add_split("train", std::vector<std::uint8_t>{0, 1, 1, 1}, {});
    CHECK_THROWS_WITH(writer.add_split("test", std::vector<std::uint8_t>{0, 1, 3, 0}, {}),
                      Catch::Contains("out.h5:/test/x") && Catch::Contains("value 3 at example 1, dimension 0"));
  }
  SECTION("NaN in real data") {
    DatasetWriter writer(out, DataSpec{DataKind::real, 0, 2, {}}, {});
    CHECK_THROWS_WITH(writer.add_split("train", std::vector<float>{0, std::nanf(""), 1, 1}, {}),
                      Catch::Contains("example 0, dimension 1") && Catch::Contains("not finite"));
  }
  SECTION("float values for binary data") {
    DatasetWriter writer(out, DataSpec{DataKind::binary, 2, 2, {}}, {});
    CHECK_THROWS_WITH(writer.add_split("train", std::vector<float>{0, 1}, {}), Catch::Contains("float values"));
  }
  SECTION("labels that do not match N") {
    DatasetWriter writer(out, DataSpec{DataKind::binary, 2, 2, {}}, {});
    CHECK_THROWS_WITH(writer.add_split("train", std::vector<std::uint8_t>{0, 1, 1, 1}, {7}),
                      Catch::Contains("1 labels for 2 examples"));
  }
  SECTION("rows that are not whole examples") {
    DatasetWriter writer(out, DataSpec{DataKind::binary, 2, 3, {}}, {});
    CHECK_THROWS_WITH(writer.add_split("train", std::vector<std::uint8_t>{0, 1, 1, 1}, {}),
                      Catch::Contains("whole number of examples"));
  }
  SECTION("an output directory that does not exist") {
    CHECK_THROWS_WITH(DatasetWriter(dir.file("no/such/dir/out.h5"), DataSpec{DataKind::binary, 2, 2, {}}, {}),
                      Catch::Contains("does not exist"));
  }
  CHECK(dir.listing().empty());
}

TEST_CASE("dataset errors: D that does not match the model is refused by check_accepts", "[data][errors]") {
  TempDir dir;
  write_valid_file(dir.file("d.h5"), 5, 6);
  const DatasetSplit split = DatasetSplit::open(dir.file("d.h5"), "test");
  const DataSpec model{DataKind::binary, 2, 784, {28, 28, 1}};
  CHECK_THROWS_WITH(model.check_accepts(split.spec(), split.where()),
                    Catch::Contains("d.h5:/test/x") && Catch::Contains("D=6") && Catch::Contains("D=784"));
  const DataSpec categorical{DataKind::categorical, 4, 6, {}};
  CHECK_THROWS_WITH(categorical.check_accepts(split.spec(), split.where()), Catch::Contains("model is for categorical"));
  const DataSpec same{DataKind::binary, 2, 6, {}};
  CHECK_NOTHROW(same.check_accepts(split.spec(), split.where()));
}

TEST_CASE("dataset errors: a truncated HDF5 file and a garbage .h5 file are refused, not crashed on", "[data][errors]") {
  TempDir dir;
  write_valid_file(dir.file("whole.h5"), 2000, 50);  // ~200 kB, so half cuts through the data
  const std::string bytes = read_text(dir.file("whole.h5"));
  REQUIRE(bytes.size() > 100000);
  write_text(dir.file("half.h5"), bytes.substr(0, bytes.size() / 2));
  CHECK_NOTHROW(read_everything(dir.file("whole.h5")));
  CHECK_THROWS_AS(read_everything(dir.file("half.h5")), Error);
  CHECK_THROWS_WITH(read_everything(dir.file("half.h5")), Catch::Contains("half.h5"));

  write_text(dir.file("garbage.h5"), "this is not HDF5 at all, just some text\n");
  CHECK_THROWS_WITH(DatasetSplit::open(dir.file("garbage.h5"), "train"),
                    Catch::Contains("garbage.h5") && Catch::Contains("not an HDF5 file"));
  write_text(dir.file("empty.h5"), "");
  CHECK_THROWS_WITH(list_splits(dir.file("empty.h5")), Catch::Contains("not an HDF5 file"));
}
