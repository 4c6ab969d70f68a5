// The VAE and the autoencoder through the `logp` binary: fit, score with each estimator, encode,
// sample, and the labels that say what each number is.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/dataset_file.hpp"
#include "support/run_cli.hpp"

using namespace logp;
using namespace logp::testing;

TEST_CASE("cli: vae fit, score --estimator elbo|iwae, encode, sample", "[vae][cli]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 12, 100, 2, {3, 4, 1});
  const std::string model = dir.file("vae.h5");
  const CliResult fit = run_cli("--threads 2 fit --model vae --hidden-layers 8 --latent 2 --epochs 2 --batch-size 20 --data " +
                                data + " --out " + model);
  INFO(fit.err);
  REQUIRE(fit.exit_code == 0);
  CHECK_THAT(fit.err, Catch::Contains("negative ELBO"));

  const CliResult elbo = run_cli("score --model " + model + " --data " + data);
  REQUIRE(elbo.exit_code == 0);
  CHECK_THAT(elbo.out, Catch::Contains("lower bound") && Catch::Contains("elbo"));
  const CliResult iwae = run_cli("--json score --model " + model + " --data " + data +
                                 " --estimator iwae --k 20 --out " + dir.file("s.csv"));
  REQUIRE(iwae.exit_code == 0);
  const nlohmann::json row = nlohmann::json::parse(iwae.out)[0];
  CHECK(row["likelihood_kind"] == "estimate");
  CHECK(row["value"] == "iwae");
  CHECK_THAT(row["estimator"].get<std::string>(), Catch::Contains("k=20"));
  CHECK(read_text(dir.file("s.csv")).rfind("index,iwae\n", 0) == 0);

  // anomaly scores the NLL with the same estimator: its scores are score's IWAE values, negated.
  const CliResult anomaly = run_cli("--json anomaly --model " + model + " --data " + data +
                                    " --estimator iwae --k 20 --out " + dir.file("a.csv"));
  INFO(anomaly.err);
  REQUIRE(anomaly.exit_code == 0);
  CHECK_THAT(nlohmann::json::parse(anomaly.out)["estimator"].get<std::string>(), Catch::Contains("k=20"));
  std::istringstream iwae_lines(read_text(dir.file("s.csv"))), anomaly_lines(read_text(dir.file("a.csv")));
  std::string iwae_line, anomaly_line;
  std::getline(iwae_lines, iwae_line);
  std::getline(anomaly_lines, anomaly_line);
  int compared = 0;
  while (std::getline(iwae_lines, iwae_line) && std::getline(anomaly_lines, anomaly_line)) {
    const double log_prob = std::stod(iwae_line.substr(iwae_line.find(',') + 1));
    const double score = std::stod(anomaly_line.substr(anomaly_line.find(',') + 1));
    CHECK(score == Approx(-log_prob).epsilon(1e-6));
    ++compared;
  }
  CHECK(compared == 100);

  const CliResult encode = run_cli("encode --model " + model + " --data " + data + " --out " + dir.file("z.csv"));
  REQUIRE(encode.exit_code == 0);
  CHECK(read_text(dir.file("z.csv")).rfind("index,z0,z1\n", 0) == 0);
  const CliResult sample = run_cli("sample --model " + model + " -n 4 --png " + dir.file("s.png"));
  CHECK(sample.exit_code == 0);

  const CliResult wrong = run_cli("score --model " + model + " --data " + data + " --estimator exact");
  CHECK(wrong.exit_code == 2);
}

TEST_CASE("cli: an autoencoder's score is labelled a score, not a log-likelihood", "[autoencoder][cli]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 12, 100, 2);
  const std::string model = dir.file("ae.h5");
  const CliResult fit = run_cli("fit --model autoencoder --hidden-layers 8 --latent 3 --epochs 2 --batch-size 20 --data " +
                                data + " --out " + model);
  INFO(fit.err);
  REQUIRE(fit.exit_code == 0);
  CHECK_THAT(fit.err, Catch::Contains("reconstruction error"));
  const CliResult score = run_cli("score --model " + model + " --data " + data + " --out " + dir.file("r.csv"));
  INFO(score.err);
  REQUIRE(score.exit_code == 0);
  CHECK_THAT(score.out, Catch::Contains("reconstruction_error") && Catch::Contains("not a log-likelihood"));
  CHECK(score.out.find("NLL nats/example") == std::string::npos);  // no likelihood table
  CHECK(read_text(dir.file("r.csv")).rfind("index,reconstruction_error\n", 0) == 0);
  const CliResult encode = run_cli("encode --model " + model + " --data " + data + " --out " + dir.file("z.h5"));
  CHECK(encode.exit_code == 0);
  const CliResult sample = run_cli("sample --model " + model + " --png " + dir.file("s.png"));
  CHECK(sample.exit_code == 1);
  CHECK_THAT(sample.err, Catch::Contains("no distribution"));
  const CliResult iwae = run_cli("score --model " + model + " --data " + data + " --estimator iwae");
  CHECK(iwae.exit_code == 1);
  const CliResult anomaly = run_cli("anomaly --model " + model + " --data " + data + " --k 5");
  CHECK(anomaly.exit_code == 1);
  CHECK_THAT(anomaly.err, Catch::Contains("which gives a score"));
}
