// Trains and saves logp's domain feature network (include/logp/models/features) on a labelled
// image dataset: the feature space of `logp eval-samples --features FILE.h5`.
// A stopgap driver until `logp fit features` is wired through the model registry.
//
//   train_feature_network DATA.h5 OUT.h5 [EPOCHS=3] [SEED=0]
// Prints the mean training cross-entropy (nats/example) per epoch and the test accuracy, which is
// stored in OUT.h5 with the network.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"
#include "logp/models/features/feature_network.hpp"

int main(int argc, char** argv) {
  using namespace logp;
  if (argc < 3) {
    std::cerr << "usage: train_feature_network DATA.h5 OUT.h5 [EPOCHS=3] [SEED=0]\n";
    return 2;
  }
  try {
    const std::string data = argv[1], out = argv[2];
    require(!std::filesystem::exists(out) || !std::filesystem::equivalent(data, out), out + " is the input data");
    FeatureNetworkOptions options;
    if (argc > 3) options.epochs = std::stoi(argv[3]);
    if (argc > 4) options.seed = std::stoull(argv[4]);
    const DatasetSplit train = DatasetSplit::open(data, "train");
    const DatasetSplit test = DatasetSplit::open(data, "test");
    require(train.has_labels() && test.has_labels(), data + ": the train and test splits need labels (y)");
    const std::vector<std::int64_t> train_labels = train.read_labels(), test_labels = test.read_labels();
    std::int64_t classes = 0;
    for (std::int64_t y : train_labels) classes = std::max(classes, y + 1);
    const auto started = std::chrono::steady_clock::now();
    FeatureNetwork network(train.spec(), classes, options);
    const Matrix x = train.read_all();
    network.train(x, train_labels, [](int epoch, double loss) {
      std::cout << "epoch " << epoch + 1 << ": train cross-entropy " << loss << " nats/example" << std::endl;
    });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double accuracy = network.accuracy(test.read_all(), test_labels);
    network.set_record({.data_file = data, .train_examples = train.size(), .test_examples = test.size(),
                        .test_accuracy = accuracy, .seconds = seconds});
    network.save(out);
    std::cout << "test accuracy " << 100.0 * accuracy << "% on " << test.size() << " examples of " << test.where()
              << "; trained in " << seconds << " s; wrote " << out << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "train_feature_network: error: " << e.what() << "\n";
    return 1;
  }
}
