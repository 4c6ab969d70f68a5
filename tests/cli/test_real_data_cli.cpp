// End to end on real-valued data: a CSV with a header through `logp data import`, then the
// continuous models with their transforms through `logp fit` / `score` / `sample` / `info`.
#include <catch2/catch.hpp>
#include <fstream>

#include "logp/data/dataset.hpp"
#include "support/dataset_file.hpp"
#include "support/run_cli.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

// 60 rows of 3 real features (the third constant) and a label, with a header line.
std::string write_csv(const TempDir& dir) {
  const std::string path = dir.file("table.csv");
  std::ofstream out(path);
  out << "height,weight,flat,label\n";
  Rng rng(1);
  for (int j = 0; j < 60; ++j)
    out << 150 + 20 * rng.uniform() << "," << 50 + 30 * rng.uniform() << ",7," << j % 2 << "\n";
  return path;
}

}  // namespace

TEST_CASE("real data: CSV import, fit with standardization, the Jacobian named in the output", "[real-data]") {
  TempDir dir;
  const std::string data = dir.file("t.h5");
  REQUIRE(run_cli("data import --format csv --kind real --train " + write_csv(dir) +
                  " --label-column last --valid-fraction 0.2 --test-fraction 0.2 --seed 3 --out " + data)
              .exit_code == 0);
  CHECK(DatasetSplit::open(data, "train").spec().kind == DataKind::real);
  // The constant column: a clear error, then the documented floor.
  const CliResult constant = run_cli("fit --model gaussian --standardize --data " + data + " --out " + dir.file("g.h5"));
  CHECK(constant.exit_code == 1);
  CHECK_THAT(constant.err, Catch::Contains("dimension 2 is constant"));
  CHECK(dir.listing().size() == 2);  // nothing half-written
  for (const std::string model :
       {"gaussian --ridge 1e-3", "gmm --components 2 --restarts 2 --ridge 1e-3", "kde --bandwidth loo"}) {
    const std::string out = dir.file("m.h5");
    const CliResult fit = run_cli("fit --model " + model + " --standardize --min-std 1e-3 --data " + data +
                                  " --out " + out);
    REQUIRE(fit.exit_code == 0);
    const CliResult score = run_cli("score --model " + out + " --data " + data + " --split test");
    REQUIRE(score.exit_code == 0);
    CHECK_THAT(score.out, Catch::Contains("log-Jacobian included") && Catch::Contains("exact"));
    CHECK(run_cli("sample --model " + out + " -n 3 --out " + dir.file("s.csv")).exit_code == 0);
    CHECK_THAT(run_cli("info " + out).out, Catch::Contains("standardize (fitted on train"));
  }
}

TEST_CASE("real data: 8-bit data needs --dequantize, the result is labelled a lower bound", "[real-data]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("bytes.h5"), 6, 80, 256, {2, 3, 1});
  const CliResult refused = run_cli("fit --model gmm --data " + data + " --out " + dir.file("m.h5"));
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Catch::Contains("needs real data or --dequantize"));
  REQUIRE(run_cli("fit --model gmm --components 2 --covariance diag --dequantize --logit --data " + data + " --out " +
                  dir.file("m.h5"))
              .exit_code == 0);
  const CliResult score = run_cli("score --model " + dir.file("m.h5") + " --data " + data + " --split test");
  REQUIRE(score.exit_code == 0);
  CHECK_THAT(score.out, Catch::Contains("lower bound") && Catch::Contains("-D ln 256 included"));
}
