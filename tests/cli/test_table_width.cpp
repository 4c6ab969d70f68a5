// Tables that fit a terminal: a dequantized model's type column holds a short type, the whole
// transform chain goes into a footnote under the table.
#include <catch2/catch.hpp>
#include <sstream>

#include "support/dataset_file.hpp"
#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

// Display columns of a UTF-8 line.
size_t width(const std::string& line) {
  size_t columns = 0;
  for (char c : line) columns += (c & 0xC0) != 0x80;
  return columns;
}

}  // namespace

TEST_CASE("score: a dequantized model's type is short in the table, its chain in a footnote", "[cli][table]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 6, 80, 256);
  const std::string model = dir.file("g.h5");
  const CliResult fit = run_cli("--quiet fit gaussian --dequantize --logit --standardize --data " + data + " --out " + model);
  INFO(fit.err);
  REQUIRE(fit.exit_code == 0);
  const CliResult score = run_cli("--quiet score --data " + data + " --split test --model " + model);
  INFO(score.out);
  REQUIRE(score.exit_code == 0);
  CHECK(score.err.empty());  // --quiet
  std::istringstream lines(score.out);
  std::string line;
  bool row = false, note = false;
  while (std::getline(lines, line)) {
    if (line.starts_with("[1] ")) {
      note = true;
      CHECK_THAT(line, Catch::Contains("transformed (gaussian (") && Catch::Contains("dequantize") &&
                           Catch::Contains("standardize"));
    } else if (line.find(model) != std::string::npos) {
      row = true;
      CHECK_THAT(line, Catch::Contains(" gaussian+deq+logit+std [1] "));
      // The model path is the only long cell: the rest of the row is narrow.
      CHECK(width(line) - model.size() < 100);
    }
  }
  CHECK(row);
  CHECK(note);
}
