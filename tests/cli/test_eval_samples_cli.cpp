// logp eval-samples end to end: model samples drawn, cached and reused; the reference row;
// precomputed features; refusals of mismatched data kinds and of an output over an input.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "data/file_helpers.hpp"
#include "logp/data/dataset.hpp"
#include "logp/core/rng.hpp"
#include "logp/eval/sample_metrics/fid.hpp"
#include "logp/eval/sample_metrics/manifold.hpp"
#include "logp/models/features/feature_network.hpp"
#include "support/dataset_file.hpp"
#include "support/run_cli.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

const std::string kSmall = " --permutations 30 --kid-subsets 5 --kid-subset-size 50 --fid-bootstrap 3";

// An N x F float64 .npy of F x N features drawn N(shift, 1), and the matrix itself.
MatrixD write_features(const std::string& path, Index f, Index n, std::uint64_t seed, double shift) {
  Rng rng(seed);
  MatrixD x(f, n);
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i < f; ++i) x(i, j) = shift + rng.normal();
  // Column-major F x N is the memory of a C-order N x F array.
  std::string shape = "(";  // appended, not "(" + std::string: a GCC 12 -Wrestrict false positive
  shape.append(std::to_string(n)).append(", ").append(std::to_string(f)).append(")");
  write_text(path, npy_of("<f8", shape, std::vector<double>(x.data(), x.data() + x.size())));
  return x;
}

}  // namespace

TEST_CASE("eval-samples: a model's samples against binary data, cached, with the reference row",
          "[cli][sample-metrics]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("bin.h5"), 16, 300, 2);
  const std::string model = dir.file("b.h5");
  REQUIRE(run_cli("fit --model bernoulli --data " + data + " --out " + model).exit_code == 0);

  const CliResult first = run_cli("--json eval-samples --data " + data + " --model " + model + " -n 200" + kSmall);
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  const nlohmann::json report = nlohmann::json::parse(first.out);
  CHECK(report["feature_space"].get<std::string>().find("pixels") != std::string::npos);
  CHECK(report["n_real"] == 300);
  REQUIRE(report["rows"].size() == 2);
  const nlohmann::json& reference = report["rows"][0];
  const nlohmann::json& sampled = report["rows"][1];
  CHECK(reference["source"] == "reference");
  CHECK(reference["n_samples"] == 300);
  CHECK(reference["metrics"]["copying_z"]["value"].is_null());  // the reference samples are training data
  CHECK(sampled["source"] == "model");
  CHECK(sampled["n_samples"] == 200);
  for (const char* metric : {"fid", "kid", "mmd2", "precision", "recall", "density", "coverage", "c2st", "parzen_ll",
                             "copying_z"}) {
    INFO(metric);
    CHECK(sampled["metrics"][metric]["value"].is_number());
    CHECK(sampled["metrics"][metric]["spread"].is_number());
  }
  CHECK(sampled["metrics"]["mmd2"]["p_value"].is_number());
  CHECK(sampled["metrics"]["kid"]["n_samples"] == 200);
  // The test data has correlated neighbouring pixels; an independent-pixel model misses them, so
  // the classifier tells its samples from data better than it tells train from test.
  CHECK(sampled["metrics"]["c2st"]["value"].get<double>() > reference["metrics"]["c2st"]["value"].get<double>());

  const std::string cache = dir.file("b.samples-0-200.h5");
  REQUIRE(std::filesystem::exists(cache));
  CHECK(sampled["note"].get<std::string>().find("drawn and cached") != std::string::npos);
  // A rerun reads the cache and gives the same numbers.
  const CliResult second = run_cli("--json eval-samples --data " + data + " --model " + model + " -n 200" + kSmall);
  REQUIRE(second.exit_code == 0);
  const nlohmann::json again = nlohmann::json::parse(second.out);
  CHECK(again["rows"][1]["note"].get<std::string>().find("cached in") != std::string::npos);
  CHECK(again["rows"][1]["metrics"] == sampled["metrics"]);

  // The human table: one row per set, the feature space, the legacy label.
  const CliResult table = run_cli("eval-samples --data " + data + " --model " + model + " -n 200" + kSmall +
                                  " --out " + dir.file("details.json"));
  REQUIRE(table.exit_code == 0);
  CHECK_THAT(table.out, Catch::Contains("feature space: pixels"));
  CHECK_THAT(table.out, Catch::Contains("(reference)"));
  CHECK_THAT(table.out, Catch::Contains("legacy"));
  CHECK(nlohmann::json::parse(read_text(dir.file("details.json")))["result"]["rows"].size() == 2);
}

TEST_CASE("eval-samples: refuses a data-kind mismatch and an output over an input", "[cli][sample-metrics]") {
  TempDir dir;
  const std::string binary = write_discrete_dataset(dir.file("bin.h5"), 16, 100, 2);
  const std::string bytes = write_discrete_dataset(dir.file("cat.h5"), 16, 100, 256);
  const std::string model = dir.file("m8.h5");
  REQUIRE(run_cli("fit --model markov --data " + bytes + " --out " + model).exit_code == 0);
  const CliResult mismatch = run_cli("eval-samples --data " + binary + " --model " + model + " -n 50" + kSmall);
  CHECK(mismatch.exit_code == 1);
  CHECK_THAT(mismatch.err, Catch::Contains("m8.h5") && Catch::Contains("bin.h5") && Catch::Contains("same kind"));
  CHECK(std::count(mismatch.err.begin(), mismatch.err.end(), '\n') == 1);
  CHECK_FALSE(std::filesystem::exists(dir.file("m8.samples-0-50.h5")));

  const CliResult over = run_cli("eval-samples --data " + binary + " --model " + model + " --out " + binary);
  CHECK(over.exit_code == 2);
  CHECK_THAT(over.err, Catch::Contains("--out " + binary + " is the same file as --data " + binary));
}

TEST_CASE("eval-samples: precomputed features give the library's values", "[cli][sample-metrics]") {
  TempDir dir;
  const MatrixD real = write_features(dir.file("real.npy"), 4, 120, 1, 0.0);
  const MatrixD fake = write_features(dir.file("fake.npy"), 4, 100, 2, 0.5);
  const CliResult result = run_cli("--json eval-samples --real-features " + dir.file("real.npy") +
                                   " --sample-features " + dir.file("fake.npy") + kSmall);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  const nlohmann::json report = nlohmann::json::parse(result.out);
  CHECK(report["features"] == 4);
  REQUIRE(report["rows"].size() == 1);
  const nlohmann::json& metrics = report["rows"][0]["metrics"];
  CHECK(metrics["fid"]["value"].get<double>() == Approx(frechet_distance(real, fake, {.bootstrap = 0}).value).epsilon(1e-12));
  CHECK(metrics["coverage"]["value"].get<double>() == manifold_metrics(real, fake).coverage.value);
  CHECK(metrics["parzen_ll"]["value"].is_null());  // no validation features
  CHECK(metrics["copying_z"]["value"].is_null());  // no training features

  // Features of another width are refused with the file named.
  write_features(dir.file("narrow.npy"), 3, 100, 3, 0.0);
  const CliResult narrow = run_cli("eval-samples --real-features " + dir.file("real.npy") + " --sample-features " +
                                   dir.file("narrow.npy") + kSmall);
  CHECK(narrow.exit_code == 1);
  CHECK_THAT(narrow.err, Catch::Contains("narrow.npy"));
}

TEST_CASE("eval-samples: metrics in the space of a saved feature network", "[cli][sample-metrics]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("img.h5"), 16, 120, 2, {4, 4, 1});
  const std::string model = dir.file("b.h5");
  REQUIRE(run_cli("fit --model bernoulli --data " + data + " --out " + model).exit_code == 0);
  // Any trained network will do for the plumbing: one epoch on the test split with made-up labels.
  const DatasetSplit test = DatasetSplit::open(data, "test");
  std::vector<std::int64_t> labels(static_cast<size_t>(test.size()));
  for (size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<std::int64_t>(i % 2);
  FeatureNetwork network(test.spec(), 2, {.channels1 = 2, .channels2 = 4, .features = 6, .epochs = 1});
  network.train(test.read_all(), labels);
  network.set_record({.data_file = data, .train_examples = test.size(), .test_examples = test.size(),
                      .test_accuracy = network.accuracy(test.read_all(), labels), .seconds = 0.0});
  network.save(dir.file("net.h5"));

  const CliResult result = run_cli("--json eval-samples --data " + data + " --model " + model + " -n 100 --features " +
                                   dir.file("net.h5") + kSmall);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  const nlohmann::json report = nlohmann::json::parse(result.out);
  CHECK(report["features"] == 6);
  CHECK(report["feature_space"].get<std::string>().find("logp features") != std::string::npos);
  CHECK(report["feature_space"].get<std::string>().find("not comparable with Inception") != std::string::npos);
  CHECK(report["rows"].size() == 2);
  CHECK(report["rows"][1]["metrics"]["fid"]["value"].is_number());

  // A network for other data is refused, naming both files.
  const std::string other = write_discrete_dataset(dir.file("other.h5"), 25, 50, 2, {5, 5, 1});
  const CliResult refused = run_cli("eval-samples --data " + other + " --features " + dir.file("net.h5") + kSmall);
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Catch::Contains("net.h5") && Catch::Contains("other.h5"));
}
