// End to end through the `logp` binary: fit, score, sample, info, and their errors.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "logp/data/dataset.hpp"
#include "logp/data/dataset_writer.hpp"
#include "logp/io/model_file.hpp"
#include "support/binary_data.hpp"
#include "support/run_cli.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

// A 3x4 binary image dataset with train and test splits.
std::string write_tiny_images(const TempDir& dir, Index n) {
  const std::string path = dir.file("tiny.h5");
  DatasetWriter writer(path, discrete_spec(12, 2, {3, 4, 1}), {{"source", "test"}});
  for (const char* split : {"train", "test"}) {
    const Matrix x = random_discrete(12, n, 2, split[1]);
    std::vector<std::uint8_t> rows(x.data(), x.data() + x.size());
    writer.add_split(split, rows, {});
  }
  writer.commit();
  return path;
}

}  // namespace

TEST_CASE("cli: fit, score to CSV and HDF5, info, sample", "[cli]") {
  TempDir dir;
  const std::string data = write_tiny_images(dir, 200);
  const std::string model = dir.file("b.h5");

  const CliResult fit = run_cli("fit --model bernoulli --alpha 0.5 --data " + data + " --out " + model);
  REQUIRE(fit.exit_code == 0);
  CHECK_THAT(fit.out, Catch::Contains("200 examples"));

  const CliResult score = run_cli("--json score --model " + model + " --data " + data + " --out " + dir.file("s.csv"));
  REQUIRE(score.exit_code == 0);
  const nlohmann::json summary = nlohmann::json::parse(score.out).at(0);
  CHECK(summary["n"] == 200);
  CHECK(summary["likelihood_kind"] == "exact");

  // The CSV has a header and one row per example, in input order, equal to the model's values.
  const std::unique_ptr<DensityModel> loaded = load_density_model(model);
  const Vector expected = loaded->log_prob(DatasetSplit::open(data, "test").read_all());
  std::istringstream csv(read_text(dir.file("s.csv")));
  std::string line;
  std::getline(csv, line);
  CHECK(line == "index,log_prob");
  Index row = 0;
  double total = 0.0;
  while (std::getline(csv, line)) {
    const size_t comma = line.find(',');
    CHECK(std::stol(line.substr(0, comma)) == row);
    CHECK(std::stod(line.substr(comma + 1)) == expected(row));  // printed with 17 digits: exact
    total += std::stod(line.substr(comma + 1));
    ++row;
  }
  CHECK(row == 200);
  CHECK(summary["mean_nll_nats"].get<double>() == Approx(-total / 200).epsilon(1e-12));

  REQUIRE(run_cli("score --model " + model + " --data " + data + " --out " + dir.file("s.h5")).exit_code == 0);

  const CliResult info = run_cli("--json info " + model);
  REQUIRE(info.exit_code == 0);
  const nlohmann::json described = nlohmann::json::parse(info.out);
  CHECK(described["type"] == "bernoulli");
  CHECK(described["fit"]["examples"] == 200);

  const CliResult sample = run_cli("sample --model " + model + " -n 10 --seed 3 --png " + dir.file("g.png") +
                                   " --out " + dir.file("samples.h5"));
  REQUIRE(sample.exit_code == 0);
  CHECK(read_text(dir.file("g.png")).substr(1, 3) == "PNG");
  const DatasetSplit samples = DatasetSplit::open(dir.file("samples.h5"), "samples");
  CHECK(samples.size() == 10);
  CHECK(samples.dim() == 12);
}

TEST_CASE("cli: errors give exit 1 with the file named, usage errors exit 2, nothing half-written", "[cli][errors]") {
  TempDir dir;
  const std::string data = write_tiny_images(dir, 20);

  const CliResult missing = run_cli("fit --model bernoulli --data " + dir.file("nope.h5") + " --out " + dir.file("m.h5"));
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.err, Catch::Contains("nope.h5") && Catch::Contains("no such file"));

  const CliResult no_split = run_cli("fit --model bernoulli --data " + data + " --split valid --out " + dir.file("m.h5"));
  CHECK(no_split.exit_code == 1);
  CHECK_THAT(no_split.err, Catch::Contains("split 'valid' is missing"));

  CHECK(run_cli("fit --model bernoulli --data " + data).exit_code == 2);  // --out missing
  CHECK(run_cli("fit --model nade-9000 --data " + data + " --out x.h5").exit_code == 2);
  CHECK(run_cli("frobnicate").exit_code == 2);

  // A model fit on D=12 refuses data of D=6, and no score file is left behind.
  REQUIRE(run_cli("fit --model bernoulli --data " + data + " --out " + dir.file("m.h5")).exit_code == 0);
  DatasetWriter other(dir.file("d6.h5"), discrete_spec(6, 2), {});
  other.add_split("test", std::vector<std::uint8_t>(12, 1), {});
  other.commit();
  const CliResult mismatch = run_cli("score --model " + dir.file("m.h5") + " --data " + dir.file("d6.h5") +
                                     " --out " + dir.file("scores.csv"));
  CHECK(mismatch.exit_code == 1);
  CHECK_THAT(mismatch.err, Catch::Contains("D=6") && Catch::Contains("D=12"));

  std::vector<std::string> files = dir.listing();
  std::sort(files.begin(), files.end());
  CHECK(files == std::vector<std::string>{"d6.h5", "m.h5", "tiny.h5"});
}

TEST_CASE("cli: nade trains, and --resume after a stop ends with the unbroken run's model", "[cli][nade]") {
  TempDir dir;
  const std::string data = write_tiny_images(dir, 120);
  const std::string common = "fit --model nade --hidden 5 --batch-size 16 --seed 3 --valid-split none --data " + data;

  REQUIRE(run_cli(common + " --epochs 3 --out " + dir.file("unbroken.h5")).exit_code == 0);
  // "Killed" after one epoch: the checkpoint holds epoch 1; the resumed run finishes epochs 2-3.
  REQUIRE(run_cli(common + " --epochs 1 --checkpoint " + dir.file("c.h5") + " --out " + dir.file("first.h5")).exit_code == 0);
  const CliResult resumed = run_cli(common + " --epochs 3 --checkpoint " + dir.file("c.h5") + " --resume --log " +
                                    dir.file("log.jsonl") + " --out " + dir.file("resumed.h5"));
  REQUIRE(resumed.exit_code == 0);
  const Matrix x = DatasetSplit::open(data, "test").read_all();
  CHECK(load_density_model(dir.file("resumed.h5"))->log_prob(x) == load_density_model(dir.file("unbroken.h5"))->log_prob(x));
  CHECK(load_density_model(dir.file("first.h5"))->log_prob(x) != load_density_model(dir.file("unbroken.h5"))->log_prob(x));
  CHECK_THAT(read_text(dir.file("log.jsonl")), Catch::Contains("\"epoch\": 3") && !Catch::Contains("\"epoch\": 1,"));
}
