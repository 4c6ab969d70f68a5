#include <algorithm>
#include <chrono>
#include <iomanip>
#include <ostream>

#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"
#include "logp/models/features/feature_network.hpp"

namespace logp {
namespace {

// The split's labels, each checked to lie in 0..classes-1 (classes <= 0: any non-negative label).
std::vector<std::int64_t> checked_labels(const DatasetSplit& split, std::int64_t classes) {
  if (!split.has_labels()) throw Error(split.where() + ": has no labels (y); the feature network learns the classes");
  std::vector<std::int64_t> labels = split.read_labels();
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const std::int64_t y = labels[i];
    if (y < 0 || (classes > 0 && y >= classes))
      throw Error(split.where() + ": label " + std::to_string(y) + " of example " + std::to_string(i) +
                  (classes > 0 ? " is not one of the " + std::to_string(classes) + " classes of the train split"
                               : " is negative"));
  }
  return labels;
}

}  // namespace

FeatureNetwork fit_feature_network(const DatasetSplit& train, const DatasetSplit& test, const std::string& data_file,
                                   const FeatureNetworkOptions& options, std::ostream& log) {
  if (train.size() == 0) throw Error(train.where() + ": no examples to train the feature network on");
  if (test.size() == 0) throw Error(test.where() + ": no examples to measure the feature network's accuracy on");
  train.spec().check_accepts(test.spec(), test.where());
  const std::vector<std::int64_t> train_labels = checked_labels(train, 0);
  const std::int64_t classes = *std::max_element(train_labels.begin(), train_labels.end()) + 1;
  const std::vector<std::int64_t> test_labels = checked_labels(test, classes);

  const auto started = std::chrono::steady_clock::now();
  FeatureNetwork network(train.spec(), classes, options);
  network.train(train.read_all(), train_labels, [&](int epoch, double loss) {
    log << "epoch " << epoch + 1 << "/" << options.epochs << ": train cross-entropy " << std::fixed
        << std::setprecision(4) << loss << " nats/example" << std::endl;
  });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  network.set_record({.data_file = data_file,
                      .train_examples = train.size(),
                      .test_examples = test.size(),
                      .test_accuracy = network.accuracy(test.read_all(), test_labels),
                      .seconds = seconds});
  return network;
}

}  // namespace logp
