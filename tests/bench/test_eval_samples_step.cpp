// `logp benchmark` with "eval_samples": the suite key, the cached `logp eval-samples` step end to
// end, and the sample-metric tables of the Markdown and HTML reports.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "bench/sample_report.hpp"
#include "bench/smoke_data.hpp"
#include "logp/bench/report_html.hpp"
#include "logp/bench/report_markdown.hpp"
#include "logp/bench/suite.hpp"
#include "logp/bench/suite_runner.hpp"
#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"

using logp::testing::read_text;
using logp::testing::run_cli;
using nlohmann::json;
namespace bench = logp::bench;

namespace {

json suite_with(const json& eval_samples) {
  json suite = json::parse(R"({"name": "s", "datasets": [{"name": "d", "file": "d.h5"}],
                               "models": [{"name": "m", "fit": {"model": "bernoulli"}}]})");
  suite["analyses"] = {{"eval_samples", eval_samples}};
  return suite;
}

// One metric as eval-samples writes it.
json metric(double value, json spread, json p_value) {
  return {{"value", value}, {"spread", spread}, {"spread_kind", "s"}, {"p_value", p_value},
          {"n_real", 30},   {"n_samples", 50},  {"details", ""},      {"warning", ""}};
}

}  // namespace

TEST_CASE("eval_samples in a suite: true, false or {n, seed, features}", "[bench]") {
  const bench::EvalSamples on = bench::parse_suite(suite_with(true), "s.json").analyses.eval_samples;
  CHECK(on.enabled);
  CHECK(on.n == 2000);
  CHECK(on.seed == 0);
  CHECK(on.features.empty());
  CHECK(!bench::parse_suite(suite_with(false), "s.json").analyses.eval_samples.enabled);
  json absent = suite_with(true);
  absent.erase("analyses");
  CHECK(!bench::parse_suite(absent, "s.json").analyses.eval_samples.enabled);

  const bench::EvalSamples set =
      bench::parse_suite(suite_with({{"n", 50}, {"seed", 3}, {"features", "net.h5"}}), "s.json").analyses.eval_samples;
  CHECK(set.enabled);
  CHECK(set.n == 50);
  CHECK(set.seed == 3);
  CHECK(set.features == "net.h5");

  CHECK_THROWS_WITH(bench::parse_suite(suite_with({{"n", 0}}), "s.json"),
                    Catch::Contains("s.json: analyses.eval_samples: \"n\" must be a positive integer"));
  CHECK_THROWS_WITH(bench::parse_suite(suite_with({{"samples", 5}}), "s.json"), Catch::Contains("unknown key \"samples\""));
  CHECK_THROWS_WITH(bench::parse_suite(suite_with("yes"), "s.json"), Catch::Contains("must be true, false or an object"));
}

TEST_CASE("the report renders sample-metric tables, with skipped models and their reasons", "[bench]") {
  json report = logp::testing::sample_report();
  const json rows = {
      {{"set", "train (reference)"}, {"source", "reference"}, {"model", nullptr}, {"seed", nullptr}, {"n", 30},
       {"note", ""}, {"metrics", {{"fid", metric(1.25, 0.5, nullptr)}, {"mmd2", metric(0.001, 0.002, 0.4)},
                                  {"copying_z", metric(0, nullptr, nullptr)}}}},
      {{"set", "nade seed 1"}, {"source", "model"}, {"model", "nade"}, {"seed", 1}, {"n", 50}, {"note", ""},
       {"metrics", {{"fid", metric(12.5, 1.5, nullptr)}, {"mmd2", metric(0.0625, 0.002, 0.0099)}}}}};
  report["results"]["eval_samples"] = {
      {"n", 50},
      {"seed", 0},
      {"tables",
       {{{"dataset", "toy"}, {"split", "test"}, {"features", nullptr}, {"feature_space", "pixels (binary, values as stored)"},
         {"real", "toy.h5:test"}, {"n_real", 30}, {"command", "/x/logp --json eval-samples --data toy.h5"},
         {"step", "e"}, {"rows", rows},
         {"skipped", {{{"model", "gan"}, {"seed", 2}, {"reason", "gan.h5 holds 8-bit examples"}}}}}}}};
  report["results"]["eval_samples"]["tables"][0]["rows"][0]["metrics"]["copying_z"]["value"] = nullptr;

  const std::string markdown = bench::render_markdown(report);
  CHECK(markdown.find("## Sample-based metrics") != std::string::npos);
  CHECK(markdown.find("Feature space: pixels (binary, values as stored); real data: toy.h5:test (N=30).") !=
        std::string::npos);
  CHECK(markdown.find("| set | n | FID | KID | MMD² | precision | recall | density | coverage | C2ST acc | "
                      "Parzen LL (legacy) | copying z |") != std::string::npos);
  CHECK(markdown.find("| train (reference) | 30 | 1.25 ± 0.5 | — | 0.001 ± 0.002 (p=0.4) |") != std::string::npos);
  CHECK(markdown.find("| nade seed 1 | 50 | 12.5 ± 1.5 | — | 0.0625 ± 0.002 (p=0.0099) |") != std::string::npos);
  CHECK(markdown.find("- skipped gan seed 2: gan.h5 holds 8-bit examples") != std::string::npos);
  CHECK(markdown.find("Command: `/x/logp --json eval-samples --data toy.h5`") != std::string::npos);
  CHECK(markdown.find("sample-based metrics: not run") == std::string::npos);

  const std::string html = bench::render_html(report);
  CHECK(html.find("<h2>Sample-based metrics</h2>") != std::string::npos);
  CHECK(html.find("<td class=\"num\">12.5 ± 1.5</td>") != std::string::npos);
  CHECK(html.find("<th scope=\"col\">Parzen LL (legacy)</th>") != std::string::npos);
  CHECK(html.find("skipped gan seed 2: gan.h5 holds 8-bit examples") != std::string::npos);
  CHECK(html.find("not run") == std::string::npos);
}

TEST_CASE("logp benchmark runs eval-samples as one cached step per dataset", "[bench]") {
  logp::testing::TempDir dir;
  logp::testing::write_smoke_dataset(dir.file(""));
  std::ofstream(dir.file("suite.json")) << R"({"name": "tiny-samples",
      "datasets": [{"name": "smoke", "file": "smoke-binary.h5"}],
      "models": [{"name": "bernoulli", "fit": {"model": "bernoulli", "alpha": 1}, "seeded": false},
                 {"name": "nade-h4", "fit": {"model": "nade", "hidden": 4, "epochs": 2, "batch-size": 30}}],
      "seeds": [1],
      "analyses": {"compare": false, "eval_samples": {"n": 50, "seed": 5}}})";
  const std::string args = "--threads 2 benchmark --suite " + dir.file("suite.json") + " --data-dir " + dir.file("") +
                           " --out " + dir.file("out");

  const logp::testing::CliResult first = run_cli(args);
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  const json report = json::parse(read_text(dir.file("out/report.json")));
  const json& eval = report["results"]["eval_samples"];
  CHECK(eval["n"] == 50);
  CHECK(eval["seed"] == 5);
  REQUIRE(eval["tables"].size() == 1);
  const json& table = eval["tables"][0];
  CHECK(table["dataset"] == "smoke");
  CHECK(table["split"] == "test");
  CHECK(table["feature_space"].get<std::string>().find("pixels") == 0);
  CHECK(table["n_real"] == 30);
  CHECK(table["skipped"].empty());
  const std::string command = table["command"];
  CHECK(command.find("--json eval-samples --data ") != std::string::npos);
  CHECK(command.find("--split test") != std::string::npos);
  CHECK(command.find("-n 50 --seed 5 --out ") != std::string::npos);
  CHECK(command.find("details.json") != std::string::npos);

  // The reference row (the last 50 training examples against test), then the models in suite order.
  REQUIRE(table["rows"].size() == 3);
  CHECK(table["rows"][0]["set"] == "train (reference)");
  CHECK(table["rows"][0]["source"] == "reference");
  CHECK(table["rows"][1]["set"] == "bernoulli");
  CHECK(table["rows"][2]["set"] == "nade-h4 seed 1");
  CHECK(table["rows"][2]["model"] == "nade-h4");
  CHECK(table["rows"][2]["seed"] == 1);
  for (const json& row : table["rows"]) {
    CHECK(row["n"] == 50);
    for (const char* name : {"fid", "kid", "mmd2", "precision", "recall", "density", "coverage", "c2st", "parzen_ll"}) {
      INFO(row["set"] << " " << name);
      CHECK(row["metrics"][name]["value"].is_number());
    }
    CHECK(row["metrics"]["mmd2"]["p_value"].is_number());
    CHECK(row["metrics"]["fid"]["spread"].is_number());
  }
  CHECK(table["rows"][0]["metrics"]["copying_z"]["value"].is_null());  // training data cannot be tested for copying
  CHECK(table["rows"][1]["metrics"]["copying_z"]["value"].is_number());
  // The step kept its details and its record.
  CHECK(std::filesystem::exists(dir.file("out/runs/steps/" + table["step"].get<std::string>() + "/details.json")));

  const std::string markdown = read_text(dir.file("out/report.md"));
  CHECK(markdown.find("## Sample-based metrics") != std::string::npos);
  CHECK(markdown.find("| set | n | FID | KID | MMD² |") != std::string::npos);
  CHECK(markdown.find("| train (reference) | 50 | ") != std::string::npos);
  CHECK(markdown.find("| nade-h4 seed 1 | 50 | ") != std::string::npos);
  CHECK(read_text(dir.file("out/report.html")).find("<h2>Sample-based metrics</h2>") != std::string::npos);

  // A rerun reuses every step, eval-samples included, with the same numbers.
  const logp::testing::CliResult again = run_cli(args);
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  const json reused = json::parse(read_text(dir.file("out/report.json")));
  size_t eval_steps = 0;
  for (const json& step : reused["steps"]) {
    CHECK(step["reused"] == true);
    if (step["step"].get<std::string>().rfind("eval-samples", 0) == 0) ++eval_steps;
  }
  CHECK(eval_steps == 1);
  CHECK(reused["results"] == report["results"]);

  // A suite without eval_samples reports null, as before.
  std::ofstream(dir.file("plain.json")) << R"({"name": "plain",
      "datasets": [{"name": "smoke", "file": "smoke-binary.h5"}],
      "models": [{"name": "bernoulli", "fit": {"model": "bernoulli", "alpha": 1}, "seeded": false}]})";
  const logp::testing::CliResult plain = run_cli("benchmark --suite " + dir.file("plain.json") + " --data-dir " +
                                                 dir.file("") + " --out " + dir.file("plain"));
  REQUIRE(plain.exit_code == 0);
  const json plain_report = json::parse(read_text(dir.file("plain/report.json")));
  CHECK(plain_report["results"]["eval_samples"].is_null());
  CHECK(read_text(dir.file("plain/report.md")).find("Sample-based") == std::string::npos);
}

TEST_CASE("a model that eval-samples refuses is skipped with the reason, the others are evaluated", "[bench]") {
  logp::testing::TempDir dir;
  logp::testing::write_smoke_dataset(dir.file(""));
  // A logp that refuses the samples of nade fits: `fit --model nade` marks the fit's directory and
  // eval-samples refuses any --model in a marked directory, as the real command refuses a model
  // it cannot evaluate.
  const std::string wrapper = dir.file("refusing-logp.sh");
  std::ofstream(wrapper) << "#!/bin/bash\n"
                            "prev=; nade=; out=; eval=; models=()\n"
                            "for a in \"$@\"; do\n"
                            "  case \"$prev\" in --model) models+=(\"$a\"); [ \"$a\" = nade ] && nade=1;; --out) out=\"$a\";; esac\n"
                            "  [ \"$a\" = eval-samples ] && eval=1; prev=\"$a\"\n"
                            "done\n"
                            "if [ -n \"$eval\" ]; then for m in \"${models[@]}\"; do\n"
                            "  if [ -e \"$(dirname \"$m\")/refuse\" ]; then echo \"$m: cannot sample (test)\" >&2; exit 1; fi\n"
                            "done; fi\n"
                            "\"" LOGP_CLI_PATH "\" \"$@\"; rc=$?\n"
                            "if [ -n \"$nade\" ] && [ $rc -eq 0 ]; then touch \"$(dirname \"$out\")/refuse\"; fi\n"
                            "exit $rc\n";
  std::filesystem::permissions(wrapper, std::filesystem::perms::owner_all);
  const bench::Suite suite = bench::parse_suite(json::parse(R"({"name": "refusing",
      "datasets": [{"name": "smoke", "file": "smoke-binary.h5"}],
      "models": [{"name": "bernoulli", "fit": {"model": "bernoulli", "alpha": 1}, "seeded": false},
                 {"name": "nade-h4", "fit": {"model": "nade", "hidden": 4, "epochs": 1, "batch-size": 30}}],
      "seeds": [1], "analyses": {"compare": false, "eval_samples": {"n": 40}}})"),
                                                "refusing.json");
  bench::RunOptions options;
  options.logp_binary = wrapper;
  options.data_dir = dir.file("");
  options.run_dir = dir.file("runs");
  options.threads = 2;
  const json report = bench::run_suite(suite, options);
  const json& table = report["results"]["eval_samples"]["tables"].at(0);
  REQUIRE(table["rows"].size() == 2);
  CHECK(table["rows"][0]["set"] == "train (reference)");
  CHECK(table["rows"][1]["set"] == "bernoulli");
  CHECK(table["rows"][1]["n"] == 40);
  REQUIRE(table["skipped"].size() == 1);
  CHECK(table["skipped"][0]["model"] == "nade-h4");
  CHECK(table["skipped"][0]["seed"] == 1);
  CHECK(table["skipped"][0]["reason"].get<std::string>().find("cannot sample (test)") != std::string::npos);
  CHECK(bench::render_markdown(report).find("- skipped nade-h4 seed 1: ") != std::string::npos);
}
