// Dataset files: what DatasetWriter writes, DatasetSplit reads back, whole or in chunks.
#include <algorithm>
#include <catch2/catch.hpp>

#include "logp/core/error.hpp"
#include "logp/core/rng.hpp"
#include "logp/data/dataset.hpp"
#include "logp/data/dataset_writer.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

// n x d row-major values 0..levels-1 (example-major, as DatasetWriter takes them).
std::vector<std::uint8_t> random_rows(Index n, Index d, int levels, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<std::uint8_t> rows(static_cast<size_t>(n * d));
  for (std::uint8_t& v : rows) v = static_cast<std::uint8_t>(rng.uniform_index(static_cast<std::uint64_t>(levels)));
  return rows;
}

std::vector<std::int64_t> labels_0_to(Index n) {
  std::vector<std::int64_t> labels(static_cast<size_t>(n));
  for (Index i = 0; i < n; ++i) labels[static_cast<size_t>(i)] = (i * 7) % 10 - 3;  // negatives too
  return labels;
}

// Example j, dimension i of row-major rows is rows[j * d + i]; read() gives the D x N batch.
template <typename T>
void check_same_values(const Matrix& batch, const std::vector<T>& rows, Index d) {
  REQUIRE(batch.rows() == d);
  REQUIRE(static_cast<size_t>(batch.size()) == rows.size());
  for (Index j = 0; j < batch.cols(); ++j)
    for (Index i = 0; i < d; ++i) REQUIRE(batch(i, j) == static_cast<float>(rows[static_cast<size_t>(j * d + i)]));
}

}  // namespace

TEST_CASE("dataset: binary and categorical uint8 files round-trip with labels, shape and provenance", "[data]") {
  TempDir dir;
  const int levels = GENERATE(2, 5, 256);
  const Index n = 13, d = 6;
  const DataSpec spec{levels == 2 ? DataKind::binary : DataKind::categorical, levels, d, {2, 3, 1}};
  const std::map<std::string, std::string> provenance = {{"source", "unit test"}, {"binarize_rule", "none, x as drawn"}};
  const std::vector<std::uint8_t> train = random_rows(n, d, levels, 1);
  const std::vector<std::uint8_t> test = random_rows(4, d, levels, 2);
  const std::vector<std::int64_t> labels = labels_0_to(n);
  {
    DatasetWriter writer(dir.file("d.h5"), spec, provenance);
    writer.add_split("train", train, labels);
    writer.add_split("test", test, {});
    writer.commit();
  }
  CHECK(dir.listing() == std::vector<std::string>{"d.h5"});  // the temporary name is gone
  CHECK(list_splits(dir.file("d.h5")) == std::vector<std::string>{"train", "test"});

  const DatasetSplit split = DatasetSplit::open(dir.file("d.h5"), "train");
  CHECK(split.size() == n);
  CHECK(split.dim() == d);
  CHECK(split.spec().kind == spec.kind);
  CHECK(split.spec().levels == levels);
  CHECK(split.spec().shape == std::vector<Index>{2, 3, 1});
  CHECK(split.where() == dir.file("d.h5") + ":/train/x");
  check_same_values(split.read_all(), train, d);
  REQUIRE(split.has_labels());
  CHECK(split.read_labels() == labels);
  CHECK(split.provenance() == provenance);

  const DatasetSplit held_out = DatasetSplit::open(dir.file("d.h5"), "test");
  CHECK(held_out.size() == 4);
  CHECK_FALSE(held_out.has_labels());
  check_same_values(held_out.read_all(), test, d);
}

TEST_CASE("dataset: real float32 files round-trip exactly", "[data]") {
  TempDir dir;
  const Index n = 9, d = 4;
  Rng rng(5);
  std::vector<float> rows(static_cast<size_t>(n * d));
  for (float& v : rows) v = static_cast<float>(1e3 * rng.normal());
  rows[0] = -0.0f;
  rows[1] = 1e-38f;        // subnormal-adjacent values survive
  rows[2] = 3.4e38f;       // near the float32 maximum
  const DataSpec spec{DataKind::real, 0, d, {}};
  {
    DatasetWriter writer(dir.file("r.h5"), spec, {{"source", "gaussian draws"}});
    writer.add_split("valid", rows, labels_0_to(n));
    writer.commit();
  }
  const DatasetSplit split = DatasetSplit::open(dir.file("r.h5"), "valid");
  CHECK(split.spec().kind == DataKind::real);
  CHECK(split.spec().levels == 0);
  CHECK(split.spec().shape.empty());
  check_same_values(split.read_all(), rows, d);
  CHECK(split.read_labels() == labels_0_to(n));
  CHECK(split.provenance().at("source") == "gaussian draws");
}

TEST_CASE("dataset: reading in chunks gives read_all, and for_each_batch covers every example once", "[data]") {
  TempDir dir;
  const Index n = 23, d = 5;
  const std::vector<std::uint8_t> rows = random_rows(n, d, 7, 9);
  {
    DatasetWriter writer(dir.file("c.h5"), DataSpec{DataKind::categorical, 7, d, {}}, {});
    writer.add_split("train", rows, {});
    writer.commit();
  }
  const DatasetSplit split = DatasetSplit::open(dir.file("c.h5"), "train");
  const Matrix all = split.read_all();
  check_same_values(all, rows, d);

  for (const Index chunk : {Index{1}, Index{4}, Index{7}, Index{23}, Index{100}}) {
    Matrix joined(d, n);
    Index filled = 0;
    for (Index first = 0; first < n; first += chunk) {
      const Matrix part = split.read(first, std::min(chunk, n - first));
      joined.middleCols(first, part.cols()) = part;
      filled += part.cols();
    }
    CHECK(filled == n);
    CHECK(joined == all);

    std::vector<int> seen(static_cast<size_t>(n), 0);
    Index expected_first = 0;
    for_each_batch(split, chunk, [&](Index first, const Matrix& batch) {
      CHECK(first == expected_first);
      CHECK(batch.cols() <= chunk);
      CHECK(batch.cols() > 0);
      CHECK(batch == all.middleCols(first, batch.cols()));
      for (Index j = 0; j < batch.cols(); ++j) ++seen[static_cast<size_t>(first + j)];
      expected_first = first + batch.cols();
    });
    CHECK(expected_first == n);
    CHECK(std::all_of(seen.begin(), seen.end(), [](int count) { return count == 1; }));
  }
  CHECK(split.read(n, 0).cols() == 0);
  CHECK_THROWS_WITH(split.read(20, 4), Catch::Contains("outside its N=23"));
  CHECK_THROWS_WITH(for_each_batch(split, 0, [](Index, const Matrix&) {}), Catch::Contains("batch size"));
}

TEST_CASE("dataset: head(n) is the first n examples and labels, and never reads past them", "[data]") {
  TempDir dir;
  const Index n = 12, d = 3;
  const std::vector<std::uint8_t> rows = random_rows(n, d, 2, 4);
  {
    DatasetWriter writer(dir.file("h.h5"), DataSpec{DataKind::binary, 2, d, {}}, {});
    writer.add_split("test", rows, labels_0_to(n));
    writer.commit();
  }
  const DatasetSplit split = DatasetSplit::open(dir.file("h.h5"), "test");
  const DatasetSplit head = split.head(5);
  CHECK(head.size() == 5);
  CHECK(head.read_all() == split.read_all().leftCols(5));
  const std::vector<std::int64_t> labels = head.read_labels();
  const std::vector<std::int64_t> all_labels = labels_0_to(n);
  CHECK(labels == std::vector<std::int64_t>(all_labels.begin(), all_labels.begin() + 5));
  CHECK_THROWS_WITH(head.read(3, 3), Catch::Contains("outside its N=5"));
  CHECK(split.head(100).size() == n);  // more than there are: the whole split
  CHECK_THROWS_AS(split.head(-1), Error);
}
