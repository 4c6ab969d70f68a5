// End to end: the built `logp` binary imports a CSV, `logp info --json` reads it back, and bad
// input or bad usage exits with 1 or 2 and leaves nothing behind.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "file_helpers.hpp"
#include "logp/data/dataset.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

const std::string kFixtures = LOGP_FIXTURES_DIR;

std::string quoted(const std::string& path) { return "'" + path + "'"; }

}  // namespace

TEST_CASE("logp data import: a CSV with a label column becomes a binary dataset with a carved valid split",
          "[data][cli]") {
  TempDir dir;
  const std::string out = dir.file("tiny.h5");
  const CliResult import = run_cli("data import --format csv --kind binary --train " +
                                    quoted(kFixtures + "/tiny_binary.csv") +
                                    " --label-column label --valid-fraction 0.25 --seed 3 --out " + quoted(out));
  INFO(import.err);
  REQUIRE(import.exit_code == 0);
  CHECK_THAT(import.out, Catch::Contains("/train  N=9") && Catch::Contains("/valid  N=3"));
  CHECK(dir.listing() == std::vector<std::string>{"tiny.h5"});

  const CliResult info = run_cli("--json info " + quoted(out));
  REQUIRE(info.exit_code == 0);
  const nlohmann::json json = nlohmann::json::parse(info.out);
  CHECK(json["format"] == "logp-dataset");
  CHECK(json["splits"]["train"]["n"] == 9);
  CHECK(json["splits"]["valid"]["n"] == 3);
  CHECK_FALSE(json["splits"].contains("test"));
  CHECK(json["splits"]["train"]["data"] == "binary, D=4");
  CHECK(json["splits"]["valid"]["labels"] == true);
  const nlohmann::json& provenance = json["splits"]["train"]["provenance"];
  CHECK_THAT(provenance["source"].get<std::string>(), Catch::Contains("tiny_binary.csv"));
  CHECK_THAT(provenance["source_format"].get<std::string>(), Catch::StartsWith("csv"));
  CHECK_THAT(provenance["split_rule"].get<std::string>(), Catch::Contains("valid = 3 (25%)") && Catch::Contains("seed 3"));
  CHECK_THAT(provenance["label_rule"].get<std::string>(), Catch::Contains("'label'"));
  CHECK_THAT(provenance["command"].get<std::string>(), Catch::Contains("data import") && Catch::Contains("--seed 3"));

  // The stored values are the CSV's rows minus the label column, in file order.
  const DatasetSplit train = DatasetSplit::open(out, "train");
  const DatasetSplit valid = DatasetSplit::open(out, "valid");
  CHECK(train.read_labels().size() + valid.read_labels().size() == 12);
  const Matrix x = train.read_all();
  CHECK(((x.array() == 0) || (x.array() == 1)).all());

  // The same seed carves the same split; another seed another one.
  const std::string again = dir.file("again.h5");
  REQUIRE(run_cli("data import --format csv --kind binary --train " + quoted(kFixtures + "/tiny_binary.csv") +
                   " --label-column last --valid-fraction 0.25 --seed 3 --out " + quoted(again))
              .exit_code == 0);
  CHECK(DatasetSplit::open(again, "valid").read_all() == valid.read_all());
  CHECK(DatasetSplit::open(again, "valid").read_labels() == valid.read_labels());
}

TEST_CASE("logp data import: scikit-learn style CSV as real data, with skip-rows and a carved test split",
          "[data][cli]") {
  TempDir dir;
  const std::string out = dir.file("real.h5");
  const CliResult import = run_cli("--json data import --format csv --kind real --skip-rows 1 --label-column last "
                                    "--test-fraction 0.25 --seed 1 --train " +
                                    quoted(kFixtures + "/tiny_sklearn_style.csv") + " --out " + quoted(out));
  INFO(import.err);
  REQUIRE(import.exit_code == 0);
  const nlohmann::json json = nlohmann::json::parse(import.out);
  CHECK(json["splits"]["train"]["n"] == 6);
  CHECK(json["splits"]["test"]["n"] == 2);
  CHECK(json["data"] == "real, D=3");
  const DatasetSplit test = DatasetSplit::open(out, "test");
  for (const std::int64_t label : test.read_labels()) CHECK((label == 0 || label == 1));
  CHECK(test.read_all().row(2).minCoeff() >= 295.0f);  // column 2 of the fixture is 295..310.5
}

TEST_CASE("logp data import: usage errors exit with 2", "[data][cli][errors]") {
  TempDir dir;
  const std::string csv = quoted(kFixtures + "/tiny_binary.csv");
  const std::string out = quoted(dir.file("x.h5"));
  CHECK(run_cli("data import --format csv --kind binary --train " + csv).exit_code == 2);  // no --out
  CHECK(run_cli("data import --format xls --kind binary --train " + csv + " --out " + out).exit_code == 2);
  const CliResult levels = run_cli("data import --format csv --kind categorical --train " + csv + " --out " + out);
  CHECK(levels.exit_code == 2);
  CHECK_THAT(levels.err, Catch::Contains("--levels"));
  CHECK(run_cli("data import --format csv --kind real --train " + csv + " --valid " + csv +
                 " --valid-fraction 0.1 --out " + out)
            .exit_code == 2);
  CHECK(run_cli("data import --format npy --kind real --skip-rows 1 --train x.npy --out " + out).exit_code == 2);
  CHECK(dir.listing().empty());
}

TEST_CASE("logp data import: bad input exits with 1, names the problem and leaves no file", "[data][cli][errors]") {
  TempDir dir;
  const std::string out = dir.file("x.h5");
  SECTION("value 2 in binary data") {
    write_text(dir.file("in.csv"), "a,b\n0,1\n1,2\n");
    const CliResult r = run_cli("data import --format csv --kind binary --train " + quoted(dir.file("in.csv")) +
                                 " --out " + quoted(out));
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("in.csv: example 1 (line 3), column 1 ('b'): value 2 is not valid"));
  }
  SECTION("a ragged row in the valid file") {
    write_text(dir.file("in.csv"), "0,1\n1,0\n");
    write_text(dir.file("valid.csv"), "0,1\n1\n");
    const CliResult r = run_cli("data import --format csv --kind binary --train " + quoted(dir.file("in.csv")) +
                                 " --valid " + quoted(dir.file("valid.csv")) + " --out " + quoted(out));
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("valid.csv: line 2 has 1 columns, expected 2"));
  }
  SECTION("NaN in real data") {
    write_text(dir.file("in.csv"), "0.5,1\nnan,2\n");
    const CliResult r = run_cli("data import --format csv --kind real --train " + quoted(dir.file("in.csv")) +
                                 " --out " + quoted(out));
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("example 1 (line 2), column 0: value nan is not finite"));
  }
  SECTION("a missing input file") {
    write_text(dir.file("in.csv"), "0,1\n");
    const CliResult r = run_cli("data import --format csv --kind binary --train " + quoted(dir.file("absent.csv")) +
                                 " --out " + quoted(out));
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("absent.csv: no such file"));
  }
  SECTION("valid and train with different D") {
    write_text(dir.file("in.csv"), "0,1\n1,0\n");
    write_text(dir.file("valid.csv"), "0,1,1\n");
    const CliResult r = run_cli("data import --format csv --kind binary --train " + quoted(dir.file("in.csv")) +
                                 " --valid " + quoted(dir.file("valid.csv")) + " --out " + quoted(out));
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("valid.csv: examples have D=3") && Catch::Contains("D=2"));
  }
  // Only the inputs remain: no x.h5 and no temporary file.
  CHECK_FALSE(std::filesystem::exists(out));
  for (const std::string& name : dir.listing()) CHECK((name == "in.csv" || name == "valid.csv"));
}
