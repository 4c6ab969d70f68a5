// Checking imported values against a data kind, and carving held-out splits.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "logp/core/error.hpp"
#include "logp/data/importers/imported_table.hpp"
#include "logp/data/importers/split_carving.hpp"

using namespace logp;

namespace {

// 2 examples of 3 values from "t.csv" lines 4 and 6, with a header.
ImportedTable table_of(std::vector<double> numbers) {
  ImportedTable t;
  t.source = "t.csv";
  t.n = 2;
  t.d = 3;
  t.numbers = std::move(numbers);
  t.column_names = {"a", "b", "c"};
  t.lines = {4, 6};
  return t;
}

const DataSpec kBinary{DataKind::binary, 2, 3, {}};

}  // namespace

TEST_CASE("imported table: binary and categorical values become uint8", "[data][import]") {
  CHECK(to_discrete(table_of({0, 1, 1, 1, 0, 0}), kBinary) == std::vector<std::uint8_t>{0, 1, 1, 1, 0, 0});
  const DataSpec categorical{DataKind::categorical, 256, 3, {}};
  CHECK(to_discrete(table_of({0, 255, 17, 3, 4, 5}), categorical) == std::vector<std::uint8_t>{0, 255, 17, 3, 4, 5});

  ImportedTable bytes;
  bytes.source = "b.npy";
  bytes.n = 1;
  bytes.d = 3;
  bytes.is_bytes = true;
  bytes.bytes = {0, 1, 3};
  CHECK_THROWS_WITH(to_discrete(bytes, kBinary), Catch::Contains("b.npy: example 0, column 2: value 3 is not valid"));
}

TEST_CASE("imported table: a value that is not an integer in range names file, example, line, column and value",
          "[data][import][errors]") {
  CHECK_THROWS_WITH(to_discrete(table_of({0, 1, 1, 1, 3, 0}), kBinary),
                    Catch::Contains("t.csv: example 1 (line 6), column 1 ('b'): value 3 is not valid") &&
                        Catch::Contains("0..1 for binary data"));
  CHECK_THROWS_WITH(to_discrete(table_of({0, 0.5, 1, 1, 0, 0}), kBinary),
                    Catch::Contains("example 0 (line 4), column 1 ('b'): value 0.5"));
  CHECK_THROWS_WITH(to_discrete(table_of({0, 1, -1, 1, 0, 0}), kBinary), Catch::Contains("value -1"));
  const DataSpec categorical{DataKind::categorical, 4, 3, {}};
  CHECK_THROWS_WITH(to_discrete(table_of({0, 1, 2, 3, 4, 0}), categorical),
                    Catch::Contains("column 1 ('b'): value 4") && Catch::Contains("0..3 for categorical"));
  CHECK_THROWS_WITH(to_discrete(table_of({0, 1, 2, 3, std::nan(""), 0}), categorical), Catch::Contains("value nan"));
}

TEST_CASE("imported table: real values become float32, NaN and inf are refused", "[data][import][errors]") {
  CHECK(to_real(table_of({0.5, -1, 1e10, 0, 0, 3})) == std::vector<float>{0.5f, -1.0f, 1e10f, 0.0f, 0.0f, 3.0f});
  CHECK_THROWS_WITH(to_real(table_of({0, 1, 2, std::nan(""), 0, 0})),
                    Catch::Contains("t.csv: example 1 (line 6), column 0 ('a'): value nan is not finite"));
  CHECK_THROWS_WITH(to_real(table_of({0, 1, -std::numeric_limits<double>::infinity(), 0, 0, 0})),
                    Catch::Contains("example 0 (line 4), column 2 ('c'): value -inf is not finite"));
  CHECK_THROWS_WITH(to_real(table_of({0, 1, 2, 3, 1e300, 0})), Catch::Contains("does not fit in float32"));
}

TEST_CASE("imported table: a labels file must be one integer column", "[data][import][errors]") {
  ImportedTable labels;
  labels.source = "y.csv";
  labels.n = 3;
  labels.d = 1;
  labels.numbers = {2, -1, 7};
  CHECK(to_labels(labels) == std::vector<std::int64_t>{2, -1, 7});
  labels.numbers[1] = 1.5;
  CHECK_THROWS_WITH(to_labels(labels), Catch::Contains("y.csv: example 1, column 0: label 1.5 is not an integer"));
  CHECK_THROWS_WITH(to_labels(table_of({0, 1, 2, 3, 4, 5})), Catch::Contains("one value per example, found 3"));
}

TEST_CASE("split carving: a seeded partition of the rows, each part in file order", "[data][import]") {
  const CarvedRows a = carve_rows(100, 10, 20, 42);
  CHECK(a.train.size() == 70);
  CHECK(a.valid.size() == 10);
  CHECK(a.test.size() == 20);
  std::vector<Index> all;
  for (const auto* part : {&a.train, &a.valid, &a.test}) {
    CHECK(std::is_sorted(part->begin(), part->end()));
    all.insert(all.end(), part->begin(), part->end());
  }
  std::sort(all.begin(), all.end());
  for (Index i = 0; i < 100; ++i) CHECK(all[static_cast<size_t>(i)] == i);  // every row exactly once

  const CarvedRows again = carve_rows(100, 10, 20, 42);
  CHECK(again.valid == a.valid);
  CHECK(again.test == a.test);
  CHECK(carve_rows(100, 10, 20, 43).test != a.test);
  CHECK(a.test != std::vector<Index>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19});  // shuffled

  CHECK_THROWS_WITH(carve_rows(10, 5, 5, 1), Catch::Contains("keep any for training"));
  CHECK(carved_count(0.1, 178) == 18);
  CHECK(carved_count(0.07, 100) == 7);
  CHECK(carved_count(0.25, 12) == 3);
  CHECK(carved_count(0.0, 12) == 0);
  CHECK(select_rows(std::vector<int>{0, 1, 2, 3, 4, 5}, 2, {2, 0}) == std::vector<int>{4, 5, 0, 1});
}
