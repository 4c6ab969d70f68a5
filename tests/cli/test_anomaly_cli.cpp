// End to end through `logp anomaly`, `logp data select` and `logp data perturb`.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "logp/data/dataset.hpp"
#include "logp/data/dataset_writer.hpp"
#include "logp/eval/detection_metrics.hpp"
#include "logp/io/model_file.hpp"
#include "support/binary_data.hpp"
#include "support/run_cli.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

// 4x4 binary images in two classes: label 0 mostly off (p 0.2), label 1 mostly on (p 0.8).
// Splits train (400), valid (200), test (200), labels alternating 0, 1.
std::string write_two_classes(const TempDir& dir) {
  const std::string path = dir.file("classes.h5");
  DatasetWriter writer(path, discrete_spec(16, 2, {4, 4, 1}), {{"source", "test"}});
  Rng rng(8);
  for (const auto& [split, n] : std::vector<std::pair<std::string, Index>>{{"train", 400}, {"valid", 200}, {"test", 200}}) {
    std::vector<std::uint8_t> rows;
    std::vector<std::int64_t> labels;
    for (Index j = 0; j < n; ++j) {
      labels.push_back(j % 2);
      for (Index k = 0; k < 16; ++k) rows.push_back(rng.uniform() < (j % 2 ? 0.8 : 0.2) ? 1 : 0);
    }
    writer.add_split(split, rows, labels);
  }
  writer.commit();
  return path;
}

// Column `name` of a CSV written by anomaly --out.
std::vector<double> csv_column(const std::string& path, const std::string& name) {
  std::istringstream csv(read_text(path));
  std::string line;
  std::getline(csv, line);
  std::vector<std::string> header;
  std::stringstream h(line);
  for (std::string cell; std::getline(h, cell, ',');) header.push_back(cell);
  const size_t column = static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  REQUIRE(column < header.size());
  std::vector<double> values;
  while (std::getline(csv, line)) {
    std::stringstream row(line);
    std::string cell;
    for (size_t k = 0; k <= column; ++k) std::getline(row, cell, ',');
    values.push_back(std::stod(cell));
  }
  return values;
}

}  // namespace

TEST_CASE("anomaly: data select keeps one class, data perturb replaces the asked fraction", "[anomaly]") {
  TempDir dir;
  const std::string data = write_two_classes(dir);
  REQUIRE(run_cli("data select --data " + data + " --labels 1 --out " + dir.file("ones.h5")).exit_code == 0);
  const DatasetSplit ones = DatasetSplit::open(dir.file("ones.h5"), "train");
  CHECK(ones.size() == 200);
  for (std::int64_t y : ones.read_labels()) CHECK(y == 1);
  const Matrix all = DatasetSplit::open(data, "train").read_all();
  CHECK(ones.read_all() == Matrix(all(Eigen::all, Eigen::seqN(1, 200, 2))));
  CHECK(ones.provenance().at("selected_labels") == "1");
  const CliResult none = run_cli("data select --data " + data + " --labels 5 --out " + dir.file("none.h5"));
  CHECK(none.exit_code == 1);
  CHECK_THAT(none.err, Catch::Contains("no example has a label in {5}"));
  CHECK(!std::filesystem::exists(dir.file("none.h5")));

  REQUIRE(run_cli("data perturb --data " + data + " --fraction 0.5 --seed 3 --out " + dir.file("p.h5")).exit_code == 0);
  REQUIRE(run_cli("data perturb --data " + data + " --fraction 0.5 --seed 3 --out " + dir.file("q.h5")).exit_code == 0);
  const Matrix p = DatasetSplit::open(dir.file("p.h5"), "train").read_all();
  CHECK(p == DatasetSplit::open(dir.file("q.h5"), "train").read_all());  // seeded
  // Half the values are redrawn uniformly from {0, 1}, so a quarter change.
  const double changed = (p.array() != all.array()).cast<double>().mean();
  CHECK(changed == Approx(0.25).margin(0.02));
  CHECK(DatasetSplit::open(dir.file("p.h5"), "train").read_labels() == DatasetSplit::open(data, "train").read_labels());
  REQUIRE(run_cli("data perturb --data " + data + " --fraction 0 --out " + dir.file("same.h5")).exit_code == 0);
  CHECK(DatasetSplit::open(dir.file("same.h5"), "test").read_all() == DatasetSplit::open(data, "test").read_all());
}

TEST_CASE("anomaly: one-class scores, metrics equal the written scores' metrics, outliers file", "[anomaly]") {
  TempDir dir;
  const std::string data = write_two_classes(dir);
  REQUIRE(run_cli("data select --data " + data + " --labels 0 --out " + dir.file("zeros.h5")).exit_code == 0);
  REQUIRE(run_cli("data select --data " + data + " --labels 1 --out " + dir.file("ones.h5")).exit_code == 0);
  const std::string model = dir.file("m.h5");
  REQUIRE(run_cli("fit --model bernoulli --data " + dir.file("zeros.h5") + " --out " + model).exit_code == 0);

  const CliResult run = run_cli("--json anomaly --model " + model + " --data " + data +
                                " --anomaly-labels 1 --bootstrap 200 --out " + dir.file("s.csv") + " --roc " +
                                dir.file("roc.csv") + " --typicality-batch 10");
  REQUIRE(run.exit_code == 0);
  const nlohmann::json j = nlohmann::json::parse(run.out);
  CHECK(j["n"] == 200);
  CHECK(j["positives"] == 100);
  CHECK(j["score"] == "nll");
  CHECK(j["likelihood_kind"] == "exact");
  const std::vector<double> scores = csv_column(dir.file("s.csv"), "score");
  const std::vector<double> labels = csv_column(dir.file("s.csv"), "label");
  REQUIRE(scores.size() == 200);
  // Scores are in input order: minus the model's log-likelihoods of the test split.
  const Vector lp = load_density_model(model)->log_prob(DatasetSplit::open(data, "test").read_all());
  CHECK(scores[3] == -lp(3));
  Labels binary;
  for (double y : labels) binary.push_back(static_cast<std::uint8_t>(y));
  const Vector s = Eigen::Map<const Vector>(scores.data(), 200);
  CHECK(j["metrics"]["auroc"]["value"].get<double>() == Approx(auroc(s, binary)).epsilon(1e-12));
  CHECK(j["metrics"]["auroc"]["value"].get<double>() > 0.95);  // the classes are far apart
  CHECK(j["metrics"]["auroc"]["ci"][0].get<double>() <= j["metrics"]["auroc"]["value"].get<double>());
  CHECK(csv_column(dir.file("roc.csv"), "tpr").back() == 1.0);
  // The typicality test: few batches of the training class flagged, most of the other.
  CHECK(j["typicality"]["inlier_batches_flagged"].get<double>() < 0.15);
  CHECK(j["typicality"]["outlier_batches_flagged"].get<double>() > 0.9);

  // Outliers from a second file: appended after the inliers, and they are the positives.
  const CliResult outliers = run_cli("--json anomaly --model " + model + " --data " + dir.file("zeros.h5") +
                                     " --outliers " + dir.file("ones.h5") + " --bootstrap 100 --out " + dir.file("o.h5"));
  REQUIRE(outliers.exit_code == 0);
  const nlohmann::json o = nlohmann::json::parse(outliers.out);
  CHECK(o["n"] == 200);
  CHECK(o["positives"] == 100);
  CHECK(o["metrics"]["auroc"]["value"].get<double>() == Approx(j["metrics"]["auroc"]["value"].get<double>()).epsilon(1e-12));

  // Likelihood ratio against a background model trained on perturbed data.
  REQUIRE(run_cli("data perturb --data " + dir.file("zeros.h5") + " --fraction 0.3 --out " + dir.file("bg.h5")).exit_code == 0);
  REQUIRE(run_cli("fit --model bernoulli --data " + dir.file("bg.h5") + " --out " + dir.file("bgm.h5")).exit_code == 0);
  const CliResult ratio = run_cli("--json anomaly --model " + model + " --background " + dir.file("bgm.h5") +
                                  " --score likelihood-ratio --data " + data + " --anomaly-labels 1 --bootstrap 50");
  REQUIRE(ratio.exit_code == 0);
  CHECK(nlohmann::json::parse(ratio.out)["score"] == "likelihood-ratio");
}

TEST_CASE("anomaly: an autoencoder's reconstruction error is scored as a score, not a likelihood", "[anomaly][autoencoder]") {
  TempDir dir;
  const std::string data = write_two_classes(dir);
  REQUIRE(run_cli("data select --data " + data + " --labels 0 --out " + dir.file("zeros.h5")).exit_code == 0);
  const std::string model = dir.file("ae.h5");
  REQUIRE(run_cli("fit --model autoencoder --hidden-layers 8 --latent 2 --epochs 20 --learning-rate 1e-2 --data " +
                  dir.file("zeros.h5") + " --out " + model).exit_code == 0);
  const CliResult run = run_cli("--json anomaly --model " + model + " --data " + data +
                                " --anomaly-labels 1 --bootstrap 100 --out " + dir.file("s.csv"));
  REQUIRE(run.exit_code == 0);
  const nlohmann::json j = nlohmann::json::parse(run.out);
  CHECK(j["score"] == "model-score");
  CHECK(j["likelihood_kind"].is_null());  // a score has no likelihood kind: never passed off as one
  CHECK(j["metrics"]["auroc"]["value"].get<double>() > 0.9);  // trained on class 0 only: class 1 reconstructs badly
  const std::vector<double> scores = csv_column(dir.file("s.csv"), "score");
  REQUIRE(scores.size() == 200);
  // A likelihood-based score of a scoring model is refused with a message that says why.
  const CliResult nll = run_cli("anomaly --model " + model + " --data " + data + " --score nll");
  CHECK(nll.exit_code == 1);
  CHECK(nll.err.find("autoencoder") != std::string::npos);
}

TEST_CASE("anomaly: bad requests fail with a clear error and write nothing", "[anomaly]") {
  TempDir dir;
  const std::string data = write_two_classes(dir);
  const std::string model = dir.file("m.h5");
  REQUIRE(run_cli("fit --model bernoulli --data " + data + " --out " + model).exit_code == 0);
  const CliResult no_background = run_cli("anomaly --model " + model + " --data " + data + " --score likelihood-ratio");
  CHECK(no_background.exit_code == 2);  // usage errors exit 2
  CHECK_THAT(no_background.err, Catch::Contains("--background"));
  const CliResult roc = run_cli("anomaly --model " + model + " --data " + data + " --roc " + dir.file("r.csv"));
  CHECK(roc.exit_code == 2);
  CHECK_THAT(roc.err, Catch::Contains("--roc needs labels"));
  const CliResult both = run_cli("anomaly --model " + model + " --data " + data + " --anomaly-labels 1 --outliers " + data);
  CHECK(both.exit_code == 2);
  const CliResult one_class = run_cli("anomaly --model " + model + " --data " + data + " --anomaly-labels 7");
  CHECK(one_class.exit_code == 1);
  CHECK_THAT(one_class.err, Catch::Contains("0 anomalies"));
  const CliResult bad_out = run_cli("anomaly --model " + model + " --data " + data + " --out " + dir.file("s.txt"));
  CHECK(bad_out.exit_code == 2);
  CHECK_THAT(bad_out.err, Catch::Contains(".csv or .h5"));
  CHECK(!std::filesystem::exists(dir.file("s.txt")));
  CHECK(!std::filesystem::exists(dir.file("r.csv")));
}
