// logp classify: the accuracy of a model that classifies (the Classifier capability, e.g. sgan)
// on a labelled split.
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"
#include "logp/io/model_file.hpp"
#include "logp/models/classifier.hpp"

namespace logp::cli {
namespace {

struct ClassifyOptions {
  std::string model;
  std::string data;
  std::string split = "test";
  Index chunk = 4096;
};

void run_classify(const ClassifyOptions& options, const GlobalOptions& global) {
  const std::unique_ptr<Model> model = load_model(options.model);
  const auto* classifier = dynamic_cast<const Classifier*>(model.get());
  if (!classifier)
    throw Error(options.model + ": a " + std::string(model->type()) +
                " model does not classify (classify takes a model with a classifier, e.g. sgan)");
  const DatasetSplit data = DatasetSplit::open(options.data, options.split);
  model->data_spec().check_accepts(data.spec(), data.where());
  if (!data.has_labels()) throw Error(data.where() + ": has no labels (y) to compare the classes with");
  const std::vector<std::int64_t> labels = data.read_labels();
  const Index classes = classifier->classes();
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i] < 0 || labels[i] >= classes)
      throw Error(data.where() + ": label " + std::to_string(labels[i]) + " of example " + std::to_string(i) +
                  " is not one of the model's " + std::to_string(classes) + " classes");
  std::vector<Index> per_class_n(static_cast<std::size_t>(classes), 0), per_class_correct(per_class_n);
  Index correct = 0;
  for_each_batch(data, options.chunk, [&](Index first, const Matrix& batch) {
    const std::vector<std::int64_t> predicted = classifier->classify(batch);
    for (Index j = 0; j < batch.cols(); ++j) {
      const std::int64_t y = labels[static_cast<std::size_t>(first + j)];
      const bool right = predicted[static_cast<std::size_t>(j)] == y;
      correct += right ? 1 : 0;
      ++per_class_n[static_cast<std::size_t>(y)];
      per_class_correct[static_cast<std::size_t>(y)] += right ? 1 : 0;
    }
  });
  const Index n = data.size();
  const double accuracy = n > 0 ? static_cast<double>(correct) / static_cast<double>(n) : 0.0;
  const double standard_error = n > 0 ? std::sqrt(accuracy * (1.0 - accuracy) / static_cast<double>(n)) : 0.0;
  if (global.json) {
    nlohmann::json per_class = nlohmann::json::array();
    for (Index k = 0; k < classes; ++k) {
      const auto kk = static_cast<std::size_t>(k);
      per_class.push_back({{"class", k},
                           {"n", per_class_n[kk]},
                           {"correct", per_class_correct[kk]},
                           {"accuracy", per_class_n[kk] > 0 ? static_cast<double>(per_class_correct[kk]) /
                                                                  static_cast<double>(per_class_n[kk])
                                                            : 0.0}});
    }
    std::cout << nlohmann::json{{"model", options.model},
                                {"type", model->type()},
                                {"hyperparameters", model->hyperparameters()},
                                {"data", data.where()},
                                {"n", n},
                                {"correct", correct},
                                {"accuracy", accuracy},
                                {"standard_error", standard_error},
                                {"classes", classes},
                                {"per_class", per_class}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << options.model << " (" << model->type() << ", " << model->hyperparameters() << ") on "
              << data.where() << ": accuracy " << fixed(100.0 * accuracy, 2) << "% (" << correct << " of " << n
              << " correct, standard error " << fixed(100.0 * standard_error, 2) << "%)\n";
  }
}

}  // namespace

void add_classify_command(CLI::App& app, Commands& commands, const GlobalOptions& global) {
  auto options = std::make_shared<ClassifyOptions>();
  CLI::App* classify = app.add_subcommand("classify", "accuracy of a model that classifies (sgan) on labelled data");
  classify->add_option("--model", options->model, "model file of a classifying model")->required();
  classify->add_option("--data", options->data, "logp dataset file with labels")->required();
  classify->add_option("--split", options->split, "split to classify")->capture_default_str();
  classify->add_option("--chunk", options->chunk, "examples read from disk at a time")
      ->capture_default_str()
      ->check(positive_integer());
  commands.push_back({classify, [options, &global] { run_classify(*options, global); }});
}

}  // namespace logp::cli
