// `logp benchmark`: the smoke suite end to end, reuse of finished steps, resume after a kill.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "bench/smoke_data.hpp"
#include "support/decoded_png.hpp"
#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"

using logp::testing::read_text;
using logp::testing::run_cli;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

json read_json(const std::string& path) { return json::parse(read_text(path)); }

std::vector<std::string> steps_that_ran(const json& report) {
  std::vector<std::string> ran;
  for (const json& step : report["steps"])
    if (!step["reused"].get<bool>()) ran.push_back(step["step"]);
  return ran;
}

std::string key_of_step(const json& report, const std::string& label) {
  for (const json& step : report["steps"])
    if (step["step"] == label) return step["key"];
  FAIL("no step \"" << label << "\" in the report");
  return "";
}

}  // namespace

TEST_CASE("logp benchmark runs the smoke suite, reuses finished steps and resumes after a kill",
          "[benchmark][cli]") {
  logp::testing::TempDir dir;
  logp::testing::write_smoke_dataset(dir.file(""));
  const std::string args = "--threads 2 benchmark --suite smoke --data-dir " + dir.file("") + " --out " + dir.file("out");

  const logp::testing::CliResult first = run_cli(args);
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  const json report = read_json(dir.file("out/report.json"));
  const json& results = report["results"];

  // bernoulli and markov once (closed form), nade per seed: 4 rows on the data, 4 on class 0.
  REQUIRE(results["likelihood"].size() == 8);
  for (const json& row : results["likelihood"]) {
    CHECK(row["likelihood_kind"] == "exact");
    CHECK(row["mean_nll_nats"].get<double>() > 0);
    CHECK(row["ci95_nats"][0].get<double>() < row["mean_nll_nats"].get<double>());
    CHECK(row["n"].get<int>() == (row["dataset"] == "smoke" ? 30 : 10));
  }
  CHECK(results["training_curves"].size() == 4);  // nade: 2 seeds x (data, class 0)
  for (const json& curve : results["training_curves"]) CHECK(curve["epochs"].size() == 3);
  CHECK(results["comparisons"].size() == 4);  // per seed, on the data and on class 0
  REQUIRE(results["anomaly"].size() == 8);    // perturbed and one-class, 4 fits each
  for (const json& row : results["anomaly"]) {
    const double auroc = row["metrics"]["auroc"]["value"];
    CHECK(auroc >= 0.0);
    CHECK(auroc <= 1.0);
    CHECK(row["roc"]["fpr"].size() == row["roc"]["tpr"].size());
  }
  // eval-samples: the train-vs-test reference row, then bernoulli, markov and nade x 2 seeds.
  REQUIRE(results["eval_samples"]["tables"].size() == 1);
  CHECK(results["eval_samples"]["tables"][0]["rows"].size() == 5);
  CHECK(report["provenance"]["threads"] == 2);
  CHECK(report["provenance"]["machine"]["logical_cores"].get<int>() > 0);
  CHECK(read_text(dir.file("out/report.md")).find("| smoke | nade-h8 | 1 | exact |") != std::string::npos);
  CHECK(read_text(dir.file("out/report.html")).find("<svg") != std::string::npos);
  // Sample grids of the four fits on the whole data, copied next to the report: 64 tiles of 6x6
  // in 8 columns and 8 rows with 1-pixel borders.
  REQUIRE(results["sample_grids"].size() == 4);
  for (const json& grid : results["sample_grids"]) {
    REQUIRE(grid["file"].is_string());
    const logp::testing::DecodedPng png = logp::testing::decode_png(dir.file("out/" + grid["file"].get<std::string>()));
    CHECK(png.width == 8 * 7 + 1);
    CHECK(png.height == 8 * 7 + 1);
  }
  CHECK(read_text(dir.file("out/report.md")).find("| nade-h8 seed 1 | ![nade-h8 seed 1](samples/smoke_nade-h8_seed-1.png) |") !=
        std::string::npos);
  CHECK(read_text(dir.file("out/report.html")).find("<img src=\"samples/smoke_bernoulli.png\"") != std::string::npos);

  // Unchanged suite: every step is reused and the numbers are the same.
  const logp::testing::CliResult again = run_cli(args);
  REQUIRE(again.exit_code == 0);
  const json reused = read_json(dir.file("out/report.json"));
  CHECK(steps_that_ran(reused).empty());
  CHECK(reused["results"] == results);

  // A kill: one step lost its record (it was killed before finishing) and left a temporary file.
  const std::string killed = "score nade-h8 seed 2 on smoke";
  const std::string step_dir = dir.file("out/runs/steps/" + key_of_step(report, killed));
  fs::remove(step_dir + "/record.json");
  std::ofstream(step_dir + "/.scores.csv.tmp-99999") << "index,log_prob\n0,";
  const logp::testing::CliResult resumed = run_cli(args);
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  const json after_kill = read_json(dir.file("out/report.json"));
  CHECK(steps_that_ran(after_kill) == std::vector<std::string>{killed});
  CHECK(after_kill["results"] == results);
  CHECK(!fs::exists(step_dir + "/.scores.csv.tmp-99999"));
}

TEST_CASE("logp benchmark refuses a bad suite file and a missing dataset with the place named", "[benchmark][cli]") {
  logp::testing::TempDir dir;
  std::ofstream(dir.file("bad.json")) << R"({"name": "x", "datasets": [], "models": []})";
  const logp::testing::CliResult bad = run_cli("benchmark --suite " + dir.file("bad.json") + " --out " + dir.file("o"));
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("bad.json: \"datasets\" must be a non-empty array") != std::string::npos);

  const logp::testing::CliResult missing =
      run_cli("benchmark --suite smoke --data-dir " + dir.file("nowhere") + " --out " + dir.file("o"));
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("dataset smoke: file") != std::string::npos);
  CHECK(missing.err.find("does not exist") != std::string::npos);
  CHECK(!fs::exists(dir.file("o/report.json")));

  // A step that fails names itself, its exit code and its stderr; it leaves no record behind.
  logp::testing::write_smoke_dataset(dir.file(""));
  std::ofstream(dir.file("failing.json")) << R"({"name": "f", "datasets": [{"name": "d", "file": "smoke-binary.h5"}],
      "models": [{"name": "m", "fit": {"model": "bernoulli", "no-such-option": 1}}]})";
  const logp::testing::CliResult failed = run_cli("benchmark --suite " + dir.file("failing.json") + " --data-dir " +
                                                  dir.file("") + " --out " + dir.file("f"));
  CHECK(failed.exit_code == 1);
  CHECK(failed.err.find("benchmark step \"fit m seed 0 on d\" failed (exit 2)") != std::string::npos);
  CHECK(failed.err.find("no-such-option") != std::string::npos);
  for (const auto& step : fs::directory_iterator(dir.file("f/runs/steps")))
    CHECK(!fs::exists(step.path() / "record.json"));
}

TEST_CASE("logp benchmark: models limited to datasets, several anomaly scorers, scoring models, one-class summary",
          "[benchmark][cli]") {
  logp::testing::TempDir dir;
  logp::testing::write_smoke_dataset(dir.file(""));
  // Two names for one file: markov is fitted only on the second; the autoencoder has no
  // likelihood (anomaly rows only); bernoulli is judged by three scores.
  const json suite = json::parse(R"({
    "name": "scorers",
    "datasets": [{"name": "smoke", "file": "smoke-binary.h5"}, {"name": "smoke-again", "file": "smoke-binary.h5"}],
    "models": [
      {"name": "bernoulli", "fit": {"model": "bernoulli"}, "seeded": false,
       "anomaly_scores": [{"score": "nll"}, {"score": "likelihood-ratio", "background-fraction": 0.2}, {"score": "complexity"}]},
      {"name": "autoencoder", "fit": {"model": "autoencoder", "hidden-layers": [8], "latent": 2, "epochs": 2}},
      {"name": "markov", "fit": {"model": "markov", "order": 1}, "seeded": false, "datasets": ["smoke-again"]}
    ],
    "analyses": {"whole_datasets": false, "one_class": {"classes": [0, 1], "labels": [0, 1, 2]}}
  })");
  std::ofstream(dir.file("suite.json")) << suite.dump();
  const logp::testing::CliResult run = run_cli("--threads 2 benchmark --suite " + dir.file("suite.json") +
                                               " --data-dir " + dir.file("") + " --out " + dir.file("out"));
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const json results = read_json(dir.file("out/report.json"))["results"];

  // Densities only, on the class subsets only: smoke bernoulli; smoke-again bernoulli and markov; x 2 classes.
  REQUIRE(results["likelihood"].size() == 6);
  for (const json& row : results["likelihood"]) {
    CHECK(row["model"] != "autoencoder");
    CHECK(row["dataset"].get<std::string>().find("/class ") != std::string::npos);
    if (row["model"] == "markov") CHECK(row["dataset"].get<std::string>().rfind("smoke-again", 0) == 0);
  }
  // Anomaly rows: (3 + 1) scorers on smoke, (3 + 1 + 1) on smoke-again, for each of 2 classes.
  REQUIRE(results["anomaly"].size() == 18);
  std::map<std::string, double> auroc_of;  // "dataset|class|model|score"
  for (const json& row : results["anomaly"]) {
    CHECK(row["analysis"] == "one-class");
    auroc_of[row["dataset"].get<std::string>() + "|" + row["inlier_class"].dump() + "|" +
             row["model"].get<std::string>() + "|" + row["score"].get<std::string>()] = row["metrics"]["auroc"]["value"];
  }
  CHECK(auroc_of.size() == 18);
  CHECK(auroc_of.count("smoke|0|bernoulli|nll") == 1);
  CHECK(auroc_of.count("smoke|0|bernoulli|likelihood-ratio (background 0.2)") == 1);
  CHECK(auroc_of.count("smoke|0|bernoulli|complexity") == 1);
  CHECK(auroc_of.count("smoke|1|markov|nll") == 0);
  // Each scorer is its own `logp anomaly` command; the ratio's background is bernoulli refitted on
  // the class's training data with 20% of the pixels replaced.
  const json report = read_json(dir.file("out/report.json"));
  const auto command_of = [&](const std::string& label) {
    for (const json& step : report["steps"])
      if (step["step"] == label) return step["command"].get<std::string>();
    FAIL("no step \"" << label << "\"");
    return std::string();
  };
  const std::string ratio = command_of("detect non-0 in smoke with bernoulli (likelihood-ratio (background 0.2))");
  CHECK(ratio.find("--score likelihood-ratio --background") != std::string::npos);
  CHECK(command_of("detect non-0 in smoke with bernoulli (complexity)").find("--score complexity") != std::string::npos);
  CHECK(command_of("fit bernoulli on smoke/class 0 perturbed").find("perturbed.h5") != std::string::npos);
  CHECK(command_of("perturb smoke/class 0 (fraction 0.2)").find("--fraction 0.2") != std::string::npos);

  // The summary: a group per detector, its classes' metrics and their mean.
  REQUIRE(results["one_class"].size() == 9);
  for (const json& group : results["one_class"]) {
    REQUIRE(group["classes"].size() == 2);
    const json& d = group["detector"];
    const std::string prefix = d["dataset"].get<std::string>() + "|";
    const std::string suffix = "|" + d["model"].get<std::string>() + "|" + d["score"].get<std::string>();
    const double mean = (auroc_of.at(prefix + "0" + suffix) + auroc_of.at(prefix + "1" + suffix)) / 2;
    CHECK(group["mean"]["auroc"]["value"].get<double>() == Approx(mean).epsilon(1e-12));
    const json& ci = group["mean"]["auroc"]["ci"];
    CHECK(ci[0].get<double>() <= ci[1].get<double>());
  }
  const std::string markdown = read_text(dir.file("out/report.md"));
  CHECK(markdown.find("## One-class detection, all classes") != std::string::npos);
  CHECK(markdown.find("| AUROC class 0 | AUROC class 1 | mean AUROC |") != std::string::npos);
  CHECK(read_text(dir.file("out/report.html")).find("One-class detection, all classes") != std::string::npos);
  CHECK(results["sample_grids"].empty());  // grids are drawn on whole datasets only
}

TEST_CASE("logp benchmark: a sample grid per fit, the reason for a model that cannot sample", "[benchmark][cli]") {
  logp::testing::TempDir dir;
  logp::testing::write_smoke_dataset(dir.file(""));
  std::ofstream(dir.file("suite.json")) << R"({
    "name": "grids",
    "datasets": [{"name": "smoke", "file": "smoke-binary.h5"}],
    "models": [{"name": "bernoulli", "fit": {"model": "bernoulli"}, "seeded": false},
               {"name": "autoencoder", "fit": {"model": "autoencoder", "hidden-layers": [8], "latent": 2, "epochs": 1}}],
    "analyses": {"compare": false, "sample_grids": {"n": 5, "seed": 3}}
  })";
  const logp::testing::CliResult run = run_cli("benchmark --suite " + dir.file("suite.json") + " --data-dir " +
                                               dir.file("") + " --out " + dir.file("out"));
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const json grids = read_json(dir.file("out/report.json"))["results"]["sample_grids"];
  REQUIRE(grids.size() == 2);
  // 5 samples in ceil(sqrt(5)) = 3 columns, 2 rows.
  const logp::testing::DecodedPng png = logp::testing::decode_png(dir.file("out/samples/smoke_bernoulli.png"));
  CHECK(png.width == 3 * 7 + 1);
  CHECK(png.height == 2 * 7 + 1);
  CHECK(grids[0]["command"].get<std::string>().find("-n 5 --seed 3") != std::string::npos);
  CHECK(grids[1]["png"].is_null());
  CHECK_THAT(grids[1]["reason"].get<std::string>(), Catch::Contains("defines no distribution to sample from"));
  CHECK_THAT(read_text(dir.file("out/report.md")), Catch::Contains("- no samples from autoencoder seed 0: "));
  CHECK(!fs::exists(dir.file("out/samples/smoke_autoencoder_seed-0.png")));
}
