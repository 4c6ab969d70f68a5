// Suite files and the step cache of `logp benchmark`.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "logp/bench/step_cache.hpp"
#include "logp/bench/suite.hpp"
#include "logp/core/error.hpp"
#include "support/temp_dir.hpp"

using logp::Error;
using nlohmann::json;
namespace bench = logp::bench;

namespace {

json minimal_suite() {
  return json::parse(R"({"name": "s", "datasets": [{"name": "d", "file": "d.h5"}],
                         "models": [{"name": "m", "fit": {"model": "bernoulli"}}]})");
}

}  // namespace

TEST_CASE("the built-in suites parse and name what they run", "[benchmark]") {
  for (const std::string& name : bench::builtin_suite_names()) {
    const bench::Suite suite = bench::load_suite(name);
    CHECK(suite.name == name);
    CHECK(!suite.models.empty());
    CHECK(!suite.description.empty());
  }
  const bench::Suite binary = bench::load_suite("fmnist-binary");
  std::vector<std::string> types;
  for (const bench::SuiteModel& model : binary.models) types.push_back(model.fit["model"]);
  for (const char* explicit_model : {"bernoulli", "markov", "nade", "nade-oa"})
    CHECK(std::find(types.begin(), types.end(), explicit_model) != types.end());
  CHECK(bench::load_suite("fmnist-oneclass").analyses.one_class.classes.size() == 10);
  // Sample grids are on unless a suite turns them off; an object sets their count and seed.
  CHECK(binary.analyses.sample_grids.enabled);
  json grids = minimal_suite();
  grids["analyses"] = {{"sample_grids", {{"n", 9}, {"seed", 4}}}};
  const bench::Suite with_grids = bench::parse_suite(grids, "my.json");
  CHECK((with_grids.analyses.sample_grids.enabled && with_grids.analyses.sample_grids.n == 9 &&
         with_grids.analyses.sample_grids.seed == 4));
  grids["analyses"] = {{"sample_grids", false}};
  CHECK(!bench::parse_suite(grids, "my.json").analyses.sample_grids.enabled);
  CHECK_THROWS_WITH(bench::load_suite("no-such-suite"), Catch::Contains("smoke"));
}

TEST_CASE("a model's fit options become logp fit arguments", "[benchmark]") {
  const json fit = {{"model", "markov"}, {"order", 3}, {"tied", true}, {"alpha", 0.5}, {"context", {"left", "up"}},
                    {"resume-not", false}};
  // keys sorted: alpha, context, model, order, resume-not (false: omitted), tied
  CHECK(bench::fit_arguments(fit, "m") == std::vector<std::string>{"--alpha", "0.5", "--context", "left,up", "--model",
                                                                   "markov", "--order", "3", "--tied"});
  CHECK_THROWS_WITH(bench::fit_arguments({{"model", "nade"}, {"seed", 3}}, "nade-h8"),
                    Catch::Contains("nade-h8") && Catch::Contains("\"seed\" is set by the benchmark runner"));
  CHECK_THROWS_WITH(bench::fit_arguments({{"hidden", 3}}, "x"), Catch::Contains("needs \"model\""));
}

TEST_CASE("bad suites are refused with the place named", "[benchmark]") {
  json unknown = minimal_suite();
  unknown["modles"] = json::array();
  CHECK_THROWS_WITH(bench::parse_suite(unknown, "my.json"), Catch::Contains("my.json") && Catch::Contains("\"modles\""));

  json duplicate = minimal_suite();
  duplicate["models"].push_back(duplicate["models"][0]);
  CHECK_THROWS_WITH(bench::parse_suite(duplicate, "my.json"), Catch::Contains("two models are named \"m\""));

  json no_file = minimal_suite();
  no_file["datasets"][0].erase("file");
  CHECK_THROWS_WITH(bench::parse_suite(no_file, "my.json"), Catch::Contains("datasets[0]: missing \"file\""));

  json fraction = minimal_suite();
  fraction["analyses"] = {{"perturbed_outliers", {{"fraction", 1.5}}}};
  CHECK_THROWS_WITH(bench::parse_suite(fraction, "my.json"), Catch::Contains("\"fraction\" must be in (0, 1]"));

  json one_class = minimal_suite();
  one_class["analyses"] = {{"one_class", {{"classes", {4}}, {"labels", {0, 1}}}}};
  CHECK_THROWS_WITH(bench::parse_suite(one_class, "my.json"), Catch::Contains("class 4 is not one of \"labels\""));

  json unknown_dataset = minimal_suite();
  unknown_dataset["models"][0]["datasets"] = {"elsewhere"};
  CHECK_THROWS_WITH(bench::parse_suite(unknown_dataset, "my.json"),
                    Catch::Contains("model \"m\" names dataset \"elsewhere\""));

  json background = minimal_suite();
  background["models"][0]["anomaly_scores"] = {{{"score", "nll"}, {"background-fraction", 0.2}}};
  CHECK_THROWS_WITH(bench::parse_suite(background, "my.json"),
                    Catch::Contains("models[0].anomaly_scores[0]") && Catch::Contains("\"background-fraction\""));

  json no_background = minimal_suite();
  no_background["models"][0]["anomaly_scores"] = {{{"score", "likelihood-ratio"}}};
  CHECK_THROWS_WITH(bench::parse_suite(no_background, "my.json"), Catch::Contains("\"background-fraction\""));

  json misnamed_score = minimal_suite();
  misnamed_score["models"][0]["anomaly_scores"] = {{{"score", "nl"}}};
  CHECK_THROWS_WITH(bench::parse_suite(misnamed_score, "my.json"), Catch::Contains("\"score\" nl is not one of"));

  json model_score = minimal_suite();
  model_score["models"][0]["anomaly_scores"] = {{{"score", "nll"}, {"model-score", "geom"}}};
  CHECK_THROWS_WITH(bench::parse_suite(model_score, "my.json"), Catch::Contains("\"model-score\" goes with"));

  json estimator = minimal_suite();
  estimator["models"][0]["anomaly_scores"] = {{{"estimator", "iwea"}}};
  CHECK_THROWS_WITH(bench::parse_suite(estimator, "my.json"), Catch::Contains("\"estimator\" iwea is not one of elbo, iwae"));
  estimator["models"][0]["anomaly_scores"] = {{{"estimator", "iwae"}, {"k", 0}}};
  CHECK_THROWS_WITH(bench::parse_suite(estimator, "my.json"), Catch::Contains("\"k\" must be a positive integer, got 0"));

  json grids = minimal_suite();
  grids["analyses"] = {{"sample_grids", {{"n", 0}}}};
  CHECK_THROWS_WITH(bench::parse_suite(grids, "my.json"),
                    Catch::Contains("analyses.sample_grids") && Catch::Contains("1..1024, got 0"));
  grids["analyses"] = {{"sample_grids", "yes"}};
  CHECK_THROWS_WITH(bench::parse_suite(grids, "my.json"), Catch::Contains("must be true, false or an object"));

  json seeds = minimal_suite();
  seeds["seeds"] = {1, -2};
  CHECK_THROWS_WITH(bench::parse_suite(seeds, "my.json"), Catch::Contains("seed -2"));
}

TEST_CASE("step keys depend on the configuration only", "[benchmark]") {
  const json a = json::parse(R"({"step": "fit", "seed": 1, "fit": {"model": "nade", "hidden": 8}})");
  const json same_reordered = json::parse(R"({"fit": {"hidden": 8, "model": "nade"}, "seed": 1, "step": "fit"})");
  const json other_seed = json::parse(R"({"step": "fit", "seed": 2, "fit": {"model": "nade", "hidden": 8}})");
  CHECK(bench::step_key(a) == bench::step_key(same_reordered));
  CHECK(bench::step_key(a) != bench::step_key(other_seed));
  CHECK(bench::step_key(a).size() == 16);
}

TEST_CASE("the step cache finds a stored record only for the same configuration", "[benchmark]") {
  logp::testing::TempDir dir;
  const bench::StepCache cache(dir.file("run"));
  const json config = {{"step", "score"}, {"fit", "abc"}};
  const std::string key = bench::step_key(config);
  CHECK(!cache.find(key, config));
  cache.store(key, {{"config", config}, {"output", {{"mean_nll_nats", 12.5}}}});
  const std::optional<json> found = cache.find(key, config);
  REQUIRE(found);
  CHECK((*found)["output"]["mean_nll_nats"] == 12.5);
  CHECK(!cache.find(key, {{"step", "score"}, {"fit", "abd"}}));  // a hash collision is not a hit
  // Only the record is in the step directory: it was renamed into place, no temporary is left.
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(cache.directory(key)))
    names.push_back(entry.path().filename().string());
  CHECK(names == std::vector<std::string>{"record.json"});
  // A damaged record (a crash cannot make one, a person can) means "not finished".
  std::ofstream(cache.directory(key) + "/record.json") << "{\"config\": ";
  CHECK(!cache.find(key, config));
}

TEST_CASE("a suite file with a number beyond double is refused as invalid JSON (fuzz_suite: it terminated)",
          "[benchmark]") {
  logp::testing::TempDir dir;
  const std::string path = dir.file("big.json");
  std::ofstream(path) << "{\"seeds\": [1e400]}";
  CHECK_THROWS_WITH(bench::load_suite(path), Catch::StartsWith(path + ": not valid JSON: "));
}
