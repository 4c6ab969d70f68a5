// End to end: usage errors exit 2 with one short line; values echoed in any error are cut short.
#include <catch2/catch.hpp>
#include <fstream>

#include "logp/data/dataset_writer.hpp"
#include "support/binary_data.hpp"
#include "support/run_cli.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

std::string write_tiny(const std::string& path) {
  DatasetWriter writer(path, discrete_spec(4, 2), {{"source", "test"}});
  const Matrix x = random_discrete(4, 10, 2, 1);
  for (const char* split : {"train", "test"})
    writer.add_split(split, std::vector<std::uint8_t>(x.data(), x.data() + x.size()), {});
  writer.commit();
  return path;
}

// The error output is one or two short lines (CLI11 adds "Run with --help ...").
void check_short(const CliResult& run) {
  INFO(run.err);
  CHECK(run.err.size() < 300);
  CHECK(std::count(run.err.begin(), run.err.end(), '\n') <= 2);
}

}  // namespace

TEST_CASE("usage errors: out-of-range numbers are refused in one short line, exit 2", "[cli][usage]") {
  TempDir dir;
  const std::string data = write_tiny(dir.file("d.h5"));
  REQUIRE(run_cli("fit bernoulli --data " + data + " --out " + dir.file("m.h5")).exit_code == 0);
  const std::string model = dir.file("m.h5");
  struct Case {
    std::string args, message;
  };
  const std::string huge(200, '9');
  for (const Case& c : std::vector<Case>{
           {"sample --model " + model + " -n 0 --out x.h5", "-n: 0 is not a positive integer"},
           {"sample --model " + model + " -n -3 --out x.h5", "-n: -3 is not a positive integer"},
           {"sample --model " + model + " -n 2.5 --out x.h5", "-n: '2.5' is not a positive integer"},
           {"sample --model " + model + " --columns 0 --png x.png", "--columns: 0 is not a positive integer"},
           {"--threads -1 info " + model, "--threads: -1 is not a non-negative integer"},
           {"score --model " + model + " --data " + data + " --first " + huge, "is not a non-negative integer (too large)"},
           {"score --model " + model + " --data " + data + " --chunk 0", "--chunk: 0 is not a positive integer"},
           {"compare --scores a.csv --scores b.csv --confidence 1.5", "--confidence: '1.5' is not a number in 0.5..0.9999"},
           {"data perturb --data " + data + " --out " + dir.file("p.h5") + " --fraction nan",
            "--fraction: 'nan' is not a number in 0..1"},
       }) {
    const CliResult run = run_cli(c.args);
    INFO(c.args);
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains(c.message));
    check_short(run);
  }
}

TEST_CASE("usage errors found after parsing exit 2, like CLI11's own", "[cli][usage]") {
  TempDir dir;
  const std::string data = write_tiny(dir.file("d.h5"));
  REQUIRE(run_cli("fit bernoulli --data " + data + " --out " + dir.file("m.h5")).exit_code == 0);
  const std::string model = dir.file("m.h5");
  for (const std::string& args : {
           "sample --model " + model,                                                       // neither --png nor --out
           "score --model " + model + " --data " + data + " --out s.txt",                   // not .csv or .h5
           "score --model " + model + " --model " + model + " --data " + data + " --out s.csv",  // two models, one --out
           "encode --model " + model + " --data " + data + " --out z.txt",
           "anomaly --model " + model + " --data " + data + " --roc r.csv",                 // --roc without labels
           std::string("benchmark"),                                                         // no --suite
       }) {
    const CliResult run = run_cli(args);
    INFO(args);
    INFO(run.err);
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::StartsWith("logp: error: "));
    check_short(run);
  }
}

TEST_CASE("errors: a 100,000-character value is echoed as its first 40 characters", "[cli][usage][data]") {
  TempDir dir;
  const std::string field = "x" + std::string(100000, '7');
  {
    std::ofstream out(dir.file("long.csv"));
    out << "1,0\n0," << field << "\n";
  }
  const CliResult run =
      run_cli("data import --format csv --kind binary --train " + dir.file("long.csv") + " --out " + dir.file("o.h5"));
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Catch::Contains("line 2, column 1: 'x" + std::string(39, '7') + "…(100001 characters)' is not a number"));
  check_short(run);

  // A value CLI11 echoes in its own message is cut by main's last guard.
  const CliResult option = run_cli("data import --format " + field + " --kind binary --train a.csv --out o.h5");
  CHECK(option.exit_code == 2);
  check_short(option);
}
