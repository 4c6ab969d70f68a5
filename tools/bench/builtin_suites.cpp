// The built-in suites (`logp benchmark --suite NAME`; `--print-suite` shows one to copy and edit).
// Dataset files are relative to the runner's data directory (default: data/).
#include <map>

#include "logp/bench/suite.hpp"
#include "logp/core/error.hpp"
#include "logp/core/text.hpp"

namespace logp::bench {
namespace {

// A few seconds: what the tests run. Needs smoke-binary.h5 in the data directory: any small
// binary image dataset with labels 0..2 in splits train/valid/test.
const char* const kSmoke = R"({
  "name": "smoke",
  "description": "Tiny smoke suite run by the tests: closed-form and trained models, two seeds, compare, perturbed-data and one-class anomaly detection, sample-based metrics.",
  "datasets": [{"name": "smoke", "file": "smoke-binary.h5"}],
  "models": [
    {"name": "bernoulli", "fit": {"model": "bernoulli", "alpha": 1}, "seeded": false},
    {"name": "markov-order1", "fit": {"model": "markov", "order": 1}, "seeded": false},
    {"name": "nade-h8", "fit": {"model": "nade", "hidden": 8, "epochs": 3, "batch-size": 20}}
  ],
  "seeds": [1, 2],
  "analyses": {
    "compare": true,
    "perturbed_outliers": {"fraction": 0.2, "seed": 0},
    "one_class": {"classes": [0], "labels": [0, 1, 2]},
    "eval_samples": {"n": 50}
  }
})";

// Every explicit model on binarized Fashion-MNIST. Full training budgets; `--epochs N` caps them.
const char* const kFmnistBinary = R"({
  "name": "fmnist-binary",
  "description": "Every explicit model on binarized Fashion-MNIST (x >= 128): test NLL, paired comparisons, detection of corrupted test images (10% of pixels replaced).",
  "datasets": [{"name": "fmnist-binary", "file": "fashion-mnist-binary.h5"}],
  "models": [
    {"name": "bernoulli", "fit": {"model": "bernoulli", "alpha": 1}, "seeded": false},
    {"name": "markov-order1", "fit": {"model": "markov", "order": 1}, "seeded": false},
    {"name": "markov-order3", "fit": {"model": "markov", "order": 3}, "seeded": false},
    {"name": "markov-neighbours", "fit": {"model": "markov", "context": "left,up,up-left,up-right"}, "seeded": false},
    {"name": "nade-h500", "fit": {"model": "nade", "hidden": 500, "epochs": 10, "learning-rate": 0.001}},
    {"name": "nade-oa-h500", "fit": {"model": "nade-oa", "layers": 2, "hidden": 500, "epochs": 20, "learning-rate": 0.001, "orderings": 1, "valid-examples": 1000}}
  ],
  "seeds": [0],
  "analyses": {
    "compare": true,
    "perturbed_outliers": {"fraction": 0.1, "seed": 0},
    "eval_samples": true
  }
})";

// One-class anomaly detection on Fashion-MNIST (the GEOM protocol): fit on one class's training
// examples, flag the test examples of the other nine. Image likelihoods on the binarized and
// 8-bit sets beside GEOM's scores in a learned feature space (8-bit).
const char* const kFmnistOneClass = R"({
  "name": "fmnist-oneclass",
  "description": "One-class anomaly detection on Fashion-MNIST: each detector is fitted on the training images of one class and flags the test images of the other nine classes. Scores: image NLL (nats), the likelihood ratio against a background model fitted on perturbed images, the complexity-corrected NLL, autoencoder reconstruction error, and GEOM's transformation and feature-space scores.",
  "datasets": [{"name": "fmnist-binary", "file": "fashion-mnist-binary.h5"},
               {"name": "fmnist-8bit", "file": "fashion-mnist-8bit.h5"}],
  "models": [
    {"name": "bernoulli", "fit": {"model": "bernoulli", "alpha": 1}, "seeded": false, "datasets": ["fmnist-binary"]},
    {"name": "markov-neighbours", "fit": {"model": "markov", "context": "left,up,up-left,up-right"}, "seeded": false,
     "datasets": ["fmnist-binary"],
     "anomaly_scores": [{"score": "nll"}, {"score": "likelihood-ratio", "background-fraction": 0.2}, {"score": "complexity"}]},
    {"name": "nade-h500", "fit": {"model": "nade", "hidden": 500, "epochs": 20, "learning-rate": 0.001},
     "datasets": ["fmnist-binary"]},
    {"name": "autoencoder", "fit": {"model": "autoencoder", "epochs": 20}, "datasets": ["fmnist-binary"]},
    {"name": "markov-order1-tied", "fit": {"model": "markov", "order": 1, "tied": true}, "seeded": false,
     "datasets": ["fmnist-8bit"],
     "anomaly_scores": [{"score": "nll"}, {"score": "likelihood-ratio", "background-fraction": 0.2}, {"score": "complexity"}]},
    {"name": "gaussian-dequantized",
     "fit": {"model": "gaussian", "dequantize": true, "logit": true, "standardize": true, "min-std": 0.01, "ridge": 0.001},
     "seeded": false, "datasets": ["fmnist-8bit"]},
    {"name": "geom", "fit": {"model": "geom", "transforms": 8, "channels1": 16, "channels2": 32, "features": 64, "epochs": 3},
     "datasets": ["fmnist-8bit"],
     "anomaly_scores": [{"model-score": "geom"}, {"model-score": "feature-density"}, {"model-score": "combined"}]}
  ],
  "seeds": [0],
  "analyses": {
    "whole_datasets": false,
    "compare": true,
    "one_class": {"classes": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], "labels": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]}
  }
})";

const std::map<std::string, std::string>& builtin_suites() {
  static const std::map<std::string, std::string> suites = {
      {"smoke", kSmoke}, {"fmnist-binary", kFmnistBinary}, {"fmnist-oneclass", kFmnistOneClass}};
  return suites;
}

}  // namespace

std::vector<std::string> builtin_suite_names() {
  std::vector<std::string> names;
  for (const auto& [name, text] : builtin_suites()) names.push_back(name);
  return names;
}

const std::string& builtin_suite_text(const std::string& name) {
  const auto found = builtin_suites().find(name);
  if (found == builtin_suites().end())
    throw Error("--suite " + name + ": no built-in suite of that name (built-in: " + join(builtin_suite_names(), ", ") +
                "; or give a suite file ending in .json)");
  return found->second;
}

}  // namespace logp::bench
