// Labels read from a dataset file are integers: float labels are accepted when integral and
// refused otherwise (casting 2.5 to 2 would silently relabel an example; issue 16, item 6).
#include <catch2/catch.hpp>

#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"
#include "logp/data/dataset_writer.hpp"
#include "logp/io/h5.hpp"
#include "logp/io/h5_edit.hpp"
#include "support/binary_data.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

// A 3-example binary dataset whose train labels are stored as float64 `labels`.
std::string with_float_labels(const TempDir& dir, const std::vector<double>& labels) {
  const std::string path = dir.file("d.h5");
  DatasetWriter writer(path, discrete_spec(2, 2), {{"source", "test"}});
  writer.add_split("train", std::vector<std::uint8_t>{0, 1, 1, 0, 1, 1}, {0, 1, 2});
  writer.commit();
  const H5File file = H5File::open(path, true);
  const H5Group train = file.root().group("train");
  h5_remove(train, "y");
  train.write<double>("y", {labels.size()}, labels.data());
  file.flush();
  return path;
}

}  // namespace

TEST_CASE("dataset labels: a non-integer float label is refused, naming the example", "[dataset][labels]") {
  TempDir dir;
  const std::string path = with_float_labels(dir, {1.0, 2.5, 0.0});
  const DatasetSplit train = DatasetSplit::open(path, "train");
  CHECK_THROWS_WITH(train.read_labels(), Catch::Equals(path + ":/train/y: label 2.5 of example 1 is not an integer"));
}

TEST_CASE("dataset labels: integral float labels are read as integers", "[dataset][labels]") {
  TempDir dir;
  const std::string path = with_float_labels(dir, {1.0, 2.0, 0.0});
  CHECK(DatasetSplit::open(path, "train").read_labels() == std::vector<std::int64_t>{1, 2, 0});
}
