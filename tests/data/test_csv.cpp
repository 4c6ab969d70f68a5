// The numeric CSV importer: headers, skipped lines, label columns and errors with line numbers.
#include <zlib.h>

#include <catch2/catch.hpp>
#include <cmath>

#include "file_helpers.hpp"
#include "logp/core/error.hpp"
#include "logp/data/importers/csv.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::testing;

TEST_CASE("csv: a table without a header", "[data][csv]") {
  TempDir dir;
  write_text(dir.file("t.csv"), "1,2.5,-3\n4e2, +5 ,6\n");
  const ImportedTable t = read_csv(dir.file("t.csv"));
  CHECK(t.n == 2);
  CHECK(t.d == 3);
  CHECK_FALSE(t.is_bytes);
  CHECK(t.numbers == std::vector<double>{1, 2.5, -3, 400, 5, 6});
  CHECK(t.column_names.empty());
  CHECK(t.lines == std::vector<std::int64_t>{1, 2});
  CHECK(t.source == dir.file("t.csv"));
}

TEST_CASE("csv: a header line is detected, or flagged", "[data][csv]") {
  TempDir dir;
  write_text(dir.file("h.csv"), "\"alpha\", beta ,gamma\r\n1,2,3\r\n\r\n4,5,6");  // CRLF, a blank line, no final newline
  const ImportedTable detected = read_csv(dir.file("h.csv"));
  CHECK(detected.column_names == std::vector<std::string>{"alpha", "beta", "gamma"});
  CHECK(detected.n == 2);
  CHECK(detected.numbers == std::vector<double>{1, 2, 3, 4, 5, 6});
  CHECK(detected.lines == std::vector<std::int64_t>{2, 4});

  write_text(dir.file("numeric_header.csv"), "10,20\n1,2\n3,4\n");
  CHECK(read_csv(dir.file("numeric_header.csv")).n == 3);  // a numeric first line is data when detecting
  const ImportedTable flagged = read_csv(dir.file("numeric_header.csv"), {CsvHeader::present, 0, ','});
  CHECK(flagged.n == 2);
  CHECK(flagged.column_names == std::vector<std::string>{"10", "20"});
  CHECK_THROWS_WITH(read_csv(dir.file("h.csv"), {CsvHeader::absent, 0, ','}),
                    Catch::Contains("line 1, column 0") && Catch::Contains("'alpha' is not a number"));
  CHECK(parse_csv_header("auto") == CsvHeader::detect);
  CHECK_THROWS_WITH(parse_csv_header("maybe"), Catch::Contains("auto, yes or no"));
}

TEST_CASE("csv: skip-rows drops scikit-learn's 'N,D,class names' line", "[data][csv]") {
  TempDir dir;
  write_text(dir.file("sk.csv"), "3,2,class_0,class_1\n0.5,1.5,0\n2.5,3.5,1\n4.5,5.5,1\n");
  CHECK_THROWS_WITH(read_csv(dir.file("sk.csv")), Catch::Contains("line 1, column 2: 'class_0' is not a number"));
  const ImportedTable t = read_csv(dir.file("sk.csv"), {CsvHeader::detect, 1, ','});
  CHECK(t.n == 3);
  CHECK(t.d == 3);
  CHECK(t.lines.front() == 2);
}

TEST_CASE("csv: a label column is taken out of x", "[data][csv]") {
  TempDir dir;
  write_text(dir.file("l.csv"), "a,b,label,c\n1,2,0,3\n4,5,2,6\n7,8,1,9\n");
  ImportedTable by_name = read_csv(dir.file("l.csv"));
  take_label_column(by_name, "label");
  CHECK(by_name.d == 3);
  CHECK(by_name.numbers == std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8, 9});
  CHECK(by_name.labels == std::vector<std::int64_t>{0, 2, 1});
  CHECK(by_name.column_names == std::vector<std::string>{"a", "b", "c"});

  ImportedTable by_index = read_csv(dir.file("l.csv"));
  take_label_column(by_index, "2");
  CHECK(by_index.numbers == by_name.numbers);
  CHECK(by_index.labels == by_name.labels);

  ImportedTable last = read_csv(dir.file("l.csv"));
  take_label_column(last, "last");
  CHECK(last.labels == std::vector<std::int64_t>{3, 6, 9});
  CHECK(last.numbers == std::vector<double>{1, 2, 0, 4, 5, 2, 7, 8, 1});

  ImportedTable first = read_csv(dir.file("l.csv"));
  take_label_column(first, "first");
  CHECK(first.labels == std::vector<std::int64_t>{1, 4, 7});
  CHECK(first.d == 3);

  ImportedTable bad = read_csv(dir.file("l.csv"));
  CHECK_THROWS_WITH(take_label_column(bad, "nope"), Catch::Contains("no column named 'nope'"));
  CHECK_THROWS_WITH(take_label_column(bad, "4"), Catch::Contains("past the last column"));

  write_text(dir.file("frac.csv"), "1,0.5\n2,1\n");
  ImportedTable fractional = read_csv(dir.file("frac.csv"));
  CHECK_THROWS_WITH(take_label_column(fractional, "last"),
                    Catch::Contains("example 0 (line 1), column 1") && Catch::Contains("label 0.5 is not an integer"));
  ImportedTable no_header = read_csv(dir.file("frac.csv"));
  CHECK_THROWS_WITH(take_label_column(no_header, "label"), Catch::Contains("no header"));
}

TEST_CASE("csv: a ragged line is refused with its line number", "[data][csv][errors]") {
  TempDir dir;
  write_text(dir.file("r.csv"), "1,2,3\n4,5,6\n7,8\n");
  CHECK_THROWS_WITH(read_csv(dir.file("r.csv")),
                    Catch::Contains("r.csv: line 3 has 2 columns, expected 3 (as on line 1)"));
  write_text(dir.file("h.csv"), "a,b\n1,2,3\n");
  CHECK_THROWS_WITH(read_csv(dir.file("h.csv")), Catch::Contains("line 2 has 3 columns but the header (line 1) names 2"));
}

TEST_CASE("csv: a field that is not a number is refused with line and column", "[data][csv][errors]") {
  TempDir dir;
  write_text(dir.file("n.csv"), "x,y\n1,2\n3,4\n5,abc\n");
  CHECK_THROWS_WITH(read_csv(dir.file("n.csv")),
                    Catch::Contains("n.csv: line 4, column 1 ('y'): 'abc' is not a number"));
  write_text(dir.file("e.csv"), "1,2\n3,\n");
  CHECK_THROWS_WITH(read_csv(dir.file("e.csv")), Catch::Contains("line 2, column 1: empty field"));
  write_text(dir.file("junk.csv"), "1,2\n3,4x\n");
  CHECK_THROWS_WITH(read_csv(dir.file("junk.csv")), Catch::Contains("'4x' is not a number"));
}

TEST_CASE("csv: empty and missing files are refused", "[data][csv][errors]") {
  TempDir dir;
  write_text(dir.file("empty.csv"), "");
  CHECK_THROWS_WITH(read_csv(dir.file("empty.csv")), Catch::Contains("no data lines"));
  write_text(dir.file("header_only.csv"), "a,b\n");
  CHECK_THROWS_WITH(read_csv(dir.file("header_only.csv")), Catch::Contains("no data lines after the header"));
  CHECK_THROWS_WITH(read_csv(dir.file("absent.csv")), Catch::Contains("absent.csv: no such file"));
}

TEST_CASE("csv: nan and inf parse as numbers (the kind check refuses them later)", "[data][csv]") {
  TempDir dir;
  write_text(dir.file("nan.csv"), "1,nan\ninf,-inf\n");
  const ImportedTable t = read_csv(dir.file("nan.csv"));
  CHECK(std::isnan(t.numbers[1]));
  CHECK(std::isinf(t.numbers[2]));
  CHECK(t.numbers[3] < 0);
}

TEST_CASE("csv: a gzip-compressed file reads like the plain one", "[data][csv]") {
  TempDir dir;
  const std::string text = "a,b\n1,2\n3,4\n";
  gzFile gz = gzopen(dir.file("t.csv.gz").c_str(), "wb");
  REQUIRE(gz != nullptr);
  REQUIRE(gzwrite(gz, text.data(), static_cast<unsigned>(text.size())) == static_cast<int>(text.size()));
  gzclose(gz);
  const ImportedTable t = read_csv(dir.file("t.csv.gz"));
  CHECK(t.column_names == std::vector<std::string>{"a", "b"});
  CHECK(t.numbers == std::vector<double>{1, 2, 3, 4});
}

TEST_CASE("csv: other separators, and runs of whitespace", "[data][csv]") {
  TempDir dir;
  write_text(dir.file("semi.csv"), "a;b\n1;2\n3;4\n");
  CHECK(read_csv(dir.file("semi.csv"), {CsvHeader::detect, 0, parse_csv_separator(";")}).numbers ==
        std::vector<double>{1, 2, 3, 4});
  write_text(dir.file("space.txt"), "  59 2   32.1\n48\t1 21.6  \n");
  const ImportedTable t = read_csv(dir.file("space.txt"), {CsvHeader::detect, 0, parse_csv_separator("space")});
  CHECK(t.d == 3);
  CHECK(t.numbers == std::vector<double>{59, 2, 32.1, 48, 1, 21.6});
  CHECK(parse_csv_separator("tab") == '\t');
  CHECK_THROWS_WITH(parse_csv_separator(";;"), Catch::Contains("not usable"));
}

TEST_CASE("csv: a truncated gzip file is refused", "[data][csv][errors]") {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 2000; ++i) text += std::to_string(i) + "," + std::to_string(i % 7) + "\n";
  gzFile gz = gzopen(dir.file("t.csv.gz").c_str(), "wb");
  REQUIRE(gz != nullptr);
  REQUIRE(gzwrite(gz, text.data(), static_cast<unsigned>(text.size())) == static_cast<int>(text.size()));
  gzclose(gz);
  const std::string whole = read_text(dir.file("t.csv.gz"));
  write_text(dir.file("cut.csv.gz"), whole.substr(0, whole.size() / 2));
  CHECK(read_csv(dir.file("t.csv.gz")).n == 2000);
  CHECK_THROWS_WITH(read_csv(dir.file("cut.csv.gz")), Catch::Contains("cut.csv.gz") && Catch::Contains("gzip"));
}
