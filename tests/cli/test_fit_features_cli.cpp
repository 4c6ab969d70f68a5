// `logp fit features`: trains the feature network of eval-samples from the command line, stores
// the test accuracy it prints, and refuses unlabelled data and an output over its input.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "logp/data/dataset.hpp"
#include "logp/models/features/feature_network.hpp"
#include "support/dataset_file.hpp"
#include "support/labelled_images.hpp"
#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using logp::testing::run_cli;

namespace {
const std::string kSmallNetwork =
    " --channels1 4 --channels2 8 --features 16 --epochs 2 --batch-size 32 --shard-size 8 --learning-rate 3e-3";
}

TEST_CASE("fit features: trains, reports and stores the test accuracy", "[cli][feature-network]") {
  logp::testing::TempDir dir;
  const std::string data = logp::testing::write_labelled_image_dataset(dir.file("images.h5"), 300, 200);
  const auto result = run_cli("--json fit features --data " + data + " --out " + dir.file("net.h5") + kSmallNetwork);
  REQUIRE(result.exit_code == 0);
  CHECK(result.err.find("epoch 2/2: train cross-entropy") != std::string::npos);
  const nlohmann::json out = nlohmann::json::parse(result.out);
  CHECK(out["features"] == 16);
  CHECK(out["train_examples"] == 300);
  CHECK(out["test_examples"] == 200);

  const FeatureNetwork network = FeatureNetwork::load(dir.file("net.h5"));
  CHECK(network.record().test_accuracy == out["test_accuracy"].get<double>());
  const DatasetSplit test = DatasetSplit::open(data, "test");
  CHECK(network.accuracy(test.read_all(), test.read_labels()) == network.record().test_accuracy);
  CHECK(network.record().data_file == data);

  // The same command with the same seed gives the same network, bit for bit.
  REQUIRE(run_cli("fit features --data " + data + " --out " + dir.file("again.h5") + kSmallNetwork).exit_code == 0);
  CHECK(FeatureNetwork::load(dir.file("again.h5")).features(test.read_all()) == network.features(test.read_all()));
}

TEST_CASE("fit features: refuses unlabelled data, bad options and an output over its input", "[cli][feature-network]") {
  logp::testing::TempDir dir;
  const std::string unlabelled = logp::testing::write_discrete_dataset(dir.file("plain.h5"), 64, 20, 2, {8, 8, 1});
  auto result = run_cli("fit features --data " + unlabelled + " --out " + dir.file("net.h5") + kSmallNetwork);
  CHECK(result.exit_code != 0);
  CHECK(result.err.find("plain.h5") != std::string::npos);
  CHECK(result.err.find("no labels") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.file("net.h5")));

  const std::string data = logp::testing::write_labelled_image_dataset(dir.file("images.h5"), 40, 20);
  const auto size_before = std::filesystem::file_size(data);
  result = run_cli("fit features --data " + data + " --out " + data + kSmallNetwork);
  CHECK(result.exit_code == 2);  // an output over an input is a usage error
  CHECK(result.err.find("--out " + data + " is the same file as --data " + data) != std::string::npos);
  CHECK(std::filesystem::file_size(data) == size_before);
  CHECK(DatasetSplit::open(data, "train").size() == 40);

  result = run_cli("fit features --data " + data + " --out " + dir.file("net.h5") + " --features 0");
  CHECK(result.exit_code == 2);  // a usage error naming the option
  CHECK(result.err.find("--features") != std::string::npos);
}
