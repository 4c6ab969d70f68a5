// logp fit features: trains the domain feature network (models/features) on a dataset's labelled
// train split and saves it; its penultimate layer is the "logp features" space of
// `logp eval-samples --features FILE`.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"
#include "logp/models/features/feature_network.hpp"
#include "logp/models/option_list.hpp"

namespace logp::cli {
namespace {

struct FitFeaturesOptions {
  std::string data;
  std::string split = "train";
  std::string test_split = "test";
  std::string out;
  FeatureNetworkOptions network;
  OptionList declared = feature_network_option_list(network);  // refers to `network`

  FitFeaturesOptions() = default;
  FitFeaturesOptions(const FitFeaturesOptions&) = delete;  // a copy's `declared` would set the original
  FitFeaturesOptions& operator=(const FitFeaturesOptions&) = delete;
};

void run_fit_features(const FitFeaturesOptions& options, const GlobalOptions& global) {
  refuse_outputs_over_inputs({{"--data", options.data}}, {{"--out", options.out}});
  const DatasetSplit train = DatasetSplit::open(options.data, options.split);
  const DatasetSplit test = DatasetSplit::open(options.data, options.test_split);
  const FeatureNetwork network = fit_feature_network(train, test, options.data, options.network, notes());
  network.save(options.out);
  const FeatureNetworkRecord& record = network.record();
  if (global.json) {
    std::cout << nlohmann::json{{"network", options.out},
                                {"description", network.describe()},
                                {"features", network.feature_dim()},
                                {"train", train.where()},
                                {"train_examples", record.train_examples},
                                {"test", test.where()},
                                {"test_examples", record.test_examples},
                                {"test_accuracy", record.test_accuracy},
                                {"fit_seconds", record.seconds}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << "fitted the feature network (F=" << network.feature_dim() << ") on " << record.train_examples
              << " examples of " << train.where() << " in " << fixed(record.seconds, 1) << " s; test accuracy "
              << fixed(100.0 * record.test_accuracy, 2) << "% on " << record.test_examples << " examples of "
              << test.where() << "\nwrote " << options.out << " (use: logp eval-samples --features " << options.out
              << "; its FIDs are in logp features, not comparable with Inception FIDs)\n";
  }
}

}  // namespace

void add_fit_features_command(CLI::App& fit, Commands& commands, const GlobalOptions& global) {
  auto options = std::make_shared<FitFeaturesOptions>();
  CLI::App* sub = fit.add_subcommand(
      "features", "the feature network of eval-samples: a small CNN classifier of the labelled train split");
  sub->add_option("--data", options->data, "logp dataset file of images with labels")->required();
  sub->add_option("--split", options->split, "labelled split to train on")->capture_default_str();
  sub->add_option("--test-split", options->test_split, "labelled split to measure the accuracy on")
      ->capture_default_str();
  sub->add_option("--out", options->out, "feature network file to write")->required();
  add_option_list(*sub, options->declared);
  commands.push_back({sub, [options, &global] { run_fit_features(*options, global); }});
}

}  // namespace logp::cli
