// `logp benchmark`: the smoke suite end to end, reuse of finished steps, resume after a kill.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "bench/smoke_data.hpp"
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
