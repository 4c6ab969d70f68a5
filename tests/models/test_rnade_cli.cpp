#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "logp/io/model_file.hpp"
#include "support/real_data.hpp"
#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::testing;

TEST_CASE("rnade: logp fit and score on standardized real data, values on the original scale", "[rnade][cli]") {
  TempDir dir;
  // Dimensions on very different scales (0..1000): standardization matters, and the reported
  // density must include its log-Jacobian.
  const std::string data = write_real_dataset(dir.file("real.h5"), random_real(4, 80, 1, 0.0, 1000.0),
                                              random_real(4, 30, 2, 0.0, 1000.0), random_real(4, 30, 3, 0.0, 1000.0));
  const std::string model = dir.file("rnade.h5");
  const CliResult fit = run_cli("fit --model rnade --standardize --hidden 8 --components 3 --epochs 3 --batch-size 20 "
                                "--data " + data + " --out " + model);
  INFO(fit.err);
  REQUIRE(fit.exit_code == 0);
  CHECK(fit.out.find("rnade (hidden=8, components=3") != std::string::npos);

  const CliResult score = run_cli("score --model " + model + " --data " + data + " --split test --out " +
                                  dir.file("scores.csv"));
  INFO(score.err);
  REQUIRE(score.exit_code == 0);
  CHECK(score.out.find("exact") != std::string::npos);
  // The scores file holds the loaded model's log_prob; on U[0, 1000)^4 a density near
  // the uniform's (-4 ln 1000 = -27.6 nats) is expected, far from the standardized scale's (~ -5).
  const std::unique_ptr<DensityModel> loaded = load_density_model(model);
  const Vector lp = loaded->log_prob(random_real(4, 30, 3, 0.0, 1000.0));
  std::ifstream csv(dir.file("scores.csv"));
  std::string line;
  std::getline(csv, line);
  CHECK(line == "index,log_prob");
  for (Index j = 0; j < lp.size(); ++j) {
    std::getline(csv, line);
    const double value = std::stod(line.substr(line.find(',') + 1));
    CHECK(value == Approx(lp(j)).epsilon(1e-6));
  }
  CHECK(lp.mean() < -20.0);
  CHECK(lp.mean() > -40.0);

  const CliResult sample = run_cli("sample --model " + model + " -n 5 --out " + dir.file("s.csv"));
  CHECK(sample.exit_code == 0);
}

TEST_CASE("rnade: logp fit refuses discrete data without --dequantize", "[rnade][cli][errors]") {
  TempDir dir;
  DataSpec spec;
  spec.dim = 3;
  DatasetWriter binary(dir.file("b.h5"), spec, {{"source", "test"}});
  binary.add_split("train", std::vector<std::uint8_t>{0, 1, 1, 0, 0, 1}, {});
  binary.commit();
  const CliResult fit = run_cli("fit --model rnade --data " + dir.file("b.h5") + " --out " + dir.file("m.h5"));
  CHECK(fit.exit_code == 1);
  CHECK(fit.err.find("--dequantize") != std::string::npos);
  CHECK(!std::ifstream(dir.file("m.h5")).good());
}
