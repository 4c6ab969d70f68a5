// Fault tests: `kill -9` at seeded random points of fit, data import, score and benchmark. After
// each kill no output is half-written (absent, or the unbroken run's), and `fit --resume` / a
// rerun ends with the unbroken run's result: the same model (every log-density bit for bit), one
// log line per epoch, the same scores, the same report.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "bench/smoke_data.hpp"
#include "logp/data/dataset.hpp"
#include "logp/data/dataset_writer.hpp"
#include "logp/io/model_file.hpp"
#include "support/binary_data.hpp"
#include "support/killed_cli.hpp"
#include "support/run_cli.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

std::string write_images(const TempDir& dir, Index n) {
  const std::string path = dir.file("d.h5");
  DatasetWriter writer(path, discrete_spec(12, 2, {3, 4, 1}), {{"source", "test"}});
  for (const char* split : {"train", "test"}) {
    const Matrix x = random_discrete(12, n, 2, split[1]);
    writer.add_split(split, std::vector<std::uint8_t>(x.data(), x.data() + x.size()), {});
  }
  writer.commit();
  return path;
}

// Kill points spread over [0, 1.2 x the unbroken run's time], the same ones every run.
std::vector<std::chrono::microseconds> kill_points(std::chrono::microseconds unbroken, int count, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::int64_t> pick(0, unbroken.count() * 6 / 5);
  std::vector<std::chrono::microseconds> points;
  for (int k = 0; k < count; ++k) points.push_back(std::chrono::microseconds(pick(rng)));
  return points;
}

// The epochs of a JSON-lines training log, in order.
std::vector<int> logged_epochs(const std::string& path) {
  std::vector<int> epochs;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) epochs.push_back(nlohmann::json::parse(line).at("epoch").get<int>());
  return epochs;
}

// A benchmark report's results without the measured times ("seconds", "examples_per_second", ...),
// which a rerun step measures anew.
nlohmann::json without_times(nlohmann::json j) {
  if (j.is_object()) {
    nlohmann::json kept = nlohmann::json::object();
    for (auto& [key, value] : j.items())
      if (key.find("second") == std::string::npos) kept[key] = without_times(value);
    return kept;
  }
  if (j.is_array())
    for (auto& value : j) value = without_times(value);
  return j;
}

}  // namespace

TEST_CASE("kill -9 at random points of fit --checkpoint, then --resume: the unbroken run's model", "[cli][faults][checkpoint]") {
  TempDir dir;
  const std::string data = write_images(dir, 600);
  const int epochs = 6;
  const std::string common = "--threads 1 fit nade --hidden 8 --batch-size 20 --seed 3 --valid-split none --epochs " +
                             std::to_string(epochs) + " --data " + data;
  CliResult unbroken;
  const auto unbroken_time = time_cli(common + " --out " + dir.file("unbroken.h5"), &unbroken);
  INFO(unbroken.err);
  REQUIRE(unbroken.exit_code == 0);
  const Matrix x = DatasetSplit::open(data, "test").read_all();
  const Vector expected = load_density_model(dir.file("unbroken.h5"))->log_prob(x);
  std::vector<int> all_epochs(epochs);
  for (int e = 0; e < epochs; ++e) all_epochs[static_cast<size_t>(e)] = e + 1;

  int killed = 0;
  for (const auto point : kill_points(unbroken_time, 6, 11)) {
    const std::string out = dir.file("m.h5"), checkpoint = dir.file("c.h5"), log = dir.file("log.jsonl");
    for (const std::string& path : {out, checkpoint, log}) std::filesystem::remove(path);
    const std::string args = common + " --checkpoint " + checkpoint + " --log " + log + " --out " + out;
    const KilledRun run = run_cli_killed_after(args, point);
    INFO("killed after " << point.count() << " us of " << unbroken_time.count());
    if (run.finished) {
      REQUIRE(run.exit_code == 0);
    } else {
      ++killed;
      if (std::filesystem::exists(out)) CHECK(load_density_model(out)->log_prob(x) == expected);
      const CliResult resumed = run_cli(args + " --resume");
      INFO(resumed.err);
      REQUIRE(resumed.exit_code == 0);
    }
    CHECK(load_density_model(out)->log_prob(x) == expected);
    CHECK(logged_epochs(log) == all_epochs);
  }
  CHECK(killed >= 3);  // the points are spread over the run: most land inside it
}

TEST_CASE("kill -9 at random points of data import and score --out: no half-written file, a rerun succeeds", "[cli][faults]") {
  TempDir dir;
  // A CSV large enough that the import takes a while: 20,000 examples x 30 binary values.
  const std::string csv = dir.file("in.csv");
  {
    std::ofstream out(csv);
    std::mt19937 rng(5);
    for (int i = 0; i < 20000; ++i)
      for (int j = 0; j < 30; ++j) out << (rng() % 2) << (j == 29 ? '\n' : ',');
  }
  const std::string import = "data import --format csv --kind binary --train " + csv + " --out ";
  CliResult unbroken;
  const auto import_time = time_cli(import + dir.file("unbroken.h5"), &unbroken);
  INFO(unbroken.err);
  REQUIRE(unbroken.exit_code == 0);
  const Matrix expected_x = DatasetSplit::open(dir.file("unbroken.h5"), "train").read_all();
  const std::string model = dir.file("b.h5");
  REQUIRE(run_cli("fit bernoulli --data " + dir.file("unbroken.h5") + " --out " + model).exit_code == 0);
  const std::string score = "score --split train --model " + model + " --data " + dir.file("unbroken.h5") + " --out ";
  const auto score_time = time_cli(score + dir.file("unbroken.csv"), &unbroken);
  INFO(unbroken.err);
  REQUIRE(unbroken.exit_code == 0);
  const std::string expected_scores = read_text(dir.file("unbroken.csv"));

  for (const auto point : kill_points(import_time, 4, 7)) {
    const std::string out = dir.file("imported.h5");
    std::filesystem::remove(out);
    INFO("import killed after " << point.count() << " us of " << import_time.count());
    const KilledRun run = run_cli_killed_after(import + out, point);
    if (std::filesystem::exists(out)) CHECK(DatasetSplit::open(out, "train").read_all() == expected_x);
    if (!run.finished) REQUIRE(run_cli(import + out).exit_code == 0);
    CHECK(DatasetSplit::open(out, "train").read_all() == expected_x);
  }
  for (const auto point : kill_points(score_time, 4, 8)) {
    const std::string out = dir.file("scores.csv");
    std::filesystem::remove(out);
    INFO("score killed after " << point.count() << " us of " << score_time.count());
    const KilledRun run = run_cli_killed_after(score + out, point);
    if (std::filesystem::exists(out)) CHECK(read_text(out) == expected_scores);
    if (!run.finished) REQUIRE(run_cli(score + out).exit_code == 0);
    CHECK(read_text(out) == expected_scores);
  }
}

TEST_CASE("kill -9 at a random point of benchmark: the rerun ends with the unbroken run's results", "[cli][faults][benchmark]") {
  TempDir dir;
  write_smoke_dataset(dir.file(""));
  const std::string args = "--threads 2 benchmark --suite smoke --data-dir " + dir.file("") + " --out ";
  CliResult unbroken;
  const auto unbroken_time = time_cli(args + dir.file("unbroken"), &unbroken);
  INFO(unbroken.err);
  REQUIRE(unbroken.exit_code == 0);
  const nlohmann::json expected = without_times(nlohmann::json::parse(read_text(dir.file("unbroken/report.json")))["results"]);

  const auto point = kill_points(unbroken_time, 1, 13).front();
  INFO("killed after " << point.count() << " us of " << unbroken_time.count());
  run_cli_killed_after(args + dir.file("out"), point);
  if (std::filesystem::exists(dir.file("out/report.json")))  // a report is whole, never half-written
    CHECK_NOTHROW(nlohmann::json::parse(read_text(dir.file("out/report.json"))));
  const CliResult rerun = run_cli(args + dir.file("out"));
  INFO(rerun.err);
  REQUIRE(rerun.exit_code == 0);
  // The results name the files of their run directory: out/ here, unbroken/ there.
  std::string text = read_text(dir.file("out/report.json"));
  for (size_t at = text.find(dir.file("out/")); at != std::string::npos; at = text.find(dir.file("out/"), at))
    text.replace(at, dir.file("out/").size(), dir.file("unbroken/"));
  const nlohmann::json results = without_times(nlohmann::json::parse(text)["results"]);
  INFO("differences: " << nlohmann::json::diff(expected, results).dump());
  CHECK(results == expected);
}
