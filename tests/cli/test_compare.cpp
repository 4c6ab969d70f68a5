// End to end through `logp compare`: models scored here and score files from `logp score --out`
// give the same paired statistics; mismatched data and mixed likelihood kinds are refused.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "logp/data/dataset.hpp"
#include "logp/data/dataset_writer.hpp"
#include "logp/io/model_file.hpp"
#include "support/binary_data.hpp"
#include "support/run_cli.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

// A 4x4 binary image dataset: train 300, test n_test examples.
std::string write_images(const TempDir& dir, const std::string& name, Index n_test, std::uint64_t seed) {
  const std::string path = dir.file(name);
  DatasetWriter writer(path, discrete_spec(16, 2, {4, 4, 1}), {{"source", "test"}});
  Matrix train = random_discrete(16, 300, 2, seed);
  train.topRows(8).setZero();  // structure for the Markov model to find
  for (Index j = 0; j < train.cols(); j += 2) train.topRows(8).col(j).setOnes();
  Matrix test = random_discrete(16, n_test, 2, seed + 1);
  test.topRows(8).setZero();
  writer.add_split("train", std::vector<std::uint8_t>(train.data(), train.data() + train.size()), {});
  writer.add_split("test", std::vector<std::uint8_t>(test.data(), test.data() + test.size()), {});
  writer.commit();
  return path;
}

void write_csv(const std::string& path, const std::string& column, const Vector& values) {
  std::ofstream out(path);
  out << "index," << column << "\n";
  out.precision(17);
  for (Index i = 0; i < values.size(); ++i) out << i << "," << values(i) << "\n";
}

}  // namespace

TEST_CASE("compare: models scored here and score files agree with the per-example differences", "[compare]") {
  TempDir dir;
  const std::string data = write_images(dir, "d.h5", 120, 1);
  const std::string bern = dir.file("bern.h5"), markov = dir.file("markov.h5");
  REQUIRE(run_cli("fit --model bernoulli --data " + data + " --out " + bern).exit_code == 0);
  REQUIRE(run_cli("fit --model markov --order 2 --data " + data + " --out " + markov).exit_code == 0);
  REQUIRE(run_cli("score --model " + bern + " --data " + data + " --out " + dir.file("bern.csv")).exit_code == 0);
  REQUIRE(run_cli("score --model " + markov + " --data " + data + " --out " + dir.file("markov.h5s.h5")).exit_code == 0);

  const CliResult direct = run_cli("--json compare --bootstrap 300 --model " + bern + " --model " + markov + " --data " + data);
  REQUIRE(direct.exit_code == 0);
  const nlohmann::json j = nlohmann::json::parse(direct.out);
  CHECK(j["n"] == 120);
  CHECK(j["dim"] == 16);
  CHECK(j["mixed_kinds"] == false);

  const Matrix x = DatasetSplit::open(data, "test").read_all();
  const Vector lp_bern = load_density_model(bern)->log_prob(x), lp_markov = load_density_model(markov)->log_prob(x);
  const bool markov_first = lp_markov.mean() > lp_bern.mean();
  CHECK(j["models"][0]["name"] == (markov_first ? markov : bern));
  const Vector d = markov_first ? Vector(lp_markov - lp_bern) : Vector(lp_bern - lp_markov);
  const nlohmann::json& pair = j["pairs"][0];
  CHECK(pair["mean_diff_nats"].get<double>() == Approx(d.mean()).epsilon(1e-12));
  CHECK(pair["mean_diff_bits_per_dim"].get<double>() == Approx(d.mean() / (16 * std::log(2.0))).epsilon(1e-12));
  CHECK(pair["df"] == 119);
  CHECK(pair["p_t_holm"].get<double>() == pair["p_t"].get<double>());  // one pair: Holm changes nothing
  CHECK(pair["ci_nats"][0].get<double>() < d.mean());
  CHECK(pair["bootstrap_ci_nats"][1].get<double>() > d.mean());

  // The same from the score files (CSV and HDF5), and mixed with a model.
  const CliResult files = run_cli("--json compare --bootstrap 300 --scores " + dir.file("bern.csv") + " --scores " +
                                  dir.file("markov.h5s.h5") + " --dim 16");
  REQUIRE(files.exit_code == 0);
  const nlohmann::json f = nlohmann::json::parse(files.out);
  CHECK(f["pairs"][0]["mean_diff_nats"].get<double>() == Approx(d.mean()).epsilon(1e-12));
  CHECK(f["pairs"][0]["p_wilcoxon"].get<double>() == Approx(pair["p_wilcoxon"].get<double>()).epsilon(1e-12));
  CHECK(f["pairs"][0]["bootstrap_ci_nats"] == pair["bootstrap_ci_nats"]);  // same seed, same resamples
  const CliResult mixed_sources =
      run_cli("compare --model " + bern + " --scores " + dir.file("markov.h5s.h5") + " --data " + data);
  CHECK(mixed_sources.exit_code == 0);
  CHECK_THAT(mixed_sources.out, Catch::Contains("Holm"));
}

TEST_CASE("compare: mismatched data and mixed likelihood kinds are refused with clear errors", "[compare]") {
  TempDir dir;
  const std::string data = write_images(dir, "d.h5", 120, 1);
  const std::string other = write_images(dir, "other.h5", 120, 7);
  const std::string shorter = write_images(dir, "short.h5", 80, 1);
  const std::string bern = dir.file("bern.h5");
  REQUIRE(run_cli("fit --model bernoulli --data " + data + " --out " + bern).exit_code == 0);
  REQUIRE(run_cli("score --model " + bern + " --data " + data + " --out " + dir.file("a.h5")).exit_code == 0);
  REQUIRE(run_cli("score --model " + bern + " --data " + other + " --out " + dir.file("b.h5")).exit_code == 0);
  REQUIRE(run_cli("score --model " + bern + " --data " + shorter + " --out " + dir.file("c.csv")).exit_code == 0);

  const CliResult n_differs = run_cli("compare --scores " + dir.file("a.h5") + " --scores " + dir.file("c.csv") + " --dim 16");
  CHECK(n_differs.exit_code == 1);
  CHECK_THAT(n_differs.err, Catch::Contains("different numbers of examples") && Catch::Contains("N=80"));

  const CliResult examples_differ = run_cli("compare --scores " + dir.file("a.h5") + " --scores " + dir.file("b.h5") + " --dim 16");
  CHECK(examples_differ.exit_code == 1);
  CHECK_THAT(examples_differ.err, Catch::Contains("different examples") && Catch::Contains("other.h5"));

  const CliResult d_differs = run_cli("compare --scores " + dir.file("a.h5") + " --model " + bern + " --data " + data + " --dim 9");
  CHECK(d_differs.exit_code == 1);
  CHECK_THAT(d_differs.err, Catch::Contains("D=16"));

  // An ELBO column is a lower bound: not ranked against an exact value unless asked, then labelled.
  const Matrix x = DatasetSplit::open(data, "test").read_all();
  write_csv(dir.file("vae.csv"), "elbo", load_density_model(bern)->log_prob(x).array() - 1.0);
  const std::string pair = "compare --model " + bern + " --data " + data + " --scores " + dir.file("vae.csv");
  const CliResult refused = run_cli(pair);
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Catch::Contains("lower bound") && Catch::Contains("--allow-mixed-kinds"));
  const CliResult allowed = run_cli("--json " + pair + " --allow-mixed-kinds");
  REQUIRE(allowed.exit_code == 0);
  const nlohmann::json j = nlohmann::json::parse(allowed.out);
  CHECK(j["mixed_kinds"] == true);
  CHECK(j["pairs"][0]["kinds"] == "exact vs lower bound");
  CHECK(j["pairs"][0]["mean_diff_nats"].get<double>() == Approx(1.0).epsilon(1e-9));
  CHECK_THAT(run_cli(pair + " --allow-mixed-kinds").out, Catch::Contains("WARNING: mixed likelihood kinds"));

  const CliResult one = run_cli("compare --model " + bern + " --data " + data);
  CHECK(one.exit_code == 1);
  CHECK_THAT(one.err, Catch::Contains("at least two models"));
  write_csv(dir.file("bad.csv"), "log_prob", Vector::Zero(3));
  std::ofstream(dir.file("bad.csv"), std::ios::app) << "7,1.0\n";
  const CliResult bad_index = run_cli("compare --scores " + dir.file("bad.csv") + " --scores " + dir.file("c.csv") + " --dim 16");
  CHECK(bad_index.exit_code == 1);
  CHECK_THAT(bad_index.err, Catch::Contains("bad.csv") && Catch::Contains("index 7"));
}
