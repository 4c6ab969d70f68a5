#pragma once
// A benchmark suite: models x datasets x seeds x analyses, read from JSON.
//
//   {
//     "name": "fmnist-binary", "description": "...",
//     "datasets": [{"name": "fmnist-binary", "file": "fashion-mnist-binary.h5",
//                   "train": "train", "valid": "valid", "test": "test"}],
//     "models": [{"name": "bernoulli", "fit": {"model": "bernoulli", "alpha": 1}, "seeded": false},
//                {"name": "nade-h500", "fit": {"model": "nade", "hidden": 500, "epochs": 20}},
//                {"name": "geom", "fit": {"model": "geom"}, "datasets": ["fmnist-8bit"],
//                 "anomaly_scores": [{"model-score": "geom"}, {"model-score": "feature-density"}]}],
//     "seeds": [1, 2],
//     "analyses": {"whole_datasets": true, "compare": true,
//                  "perturbed_outliers": {"fraction": 0.1, "seed": 0},
//                  "one_class": {"classes": [0, 7], "labels": [0, 1, ..., 9]},
//                  "eval_samples": {"n": 2000, "seed": 0, "features": "fmnist-features.h5"},
//                  "sample_grids": {"n": 64, "seed": 0}}
//   }
//
// A model's "fit" object is its `logp fit` options: {"hidden": 500} -> --hidden 500, true -> a
// flag, arrays -> comma-separated. Adding a model to a suite is adding its fit options. The runner
// sets --data, --split, --valid-split, --seed, --out, --log, --checkpoint, --resume itself.
// "seeded": false fits the model once (closed-form fits do not use a seed). "datasets" limits a
// model to some of the suite's datasets (a binary model on the binary set). "anomaly_scores" lists
// the scorers of its anomaly rows: {"score": "complexity"}, {"model-score": "feature-density"},
// {"score": "likelihood-ratio", "background-fraction": 0.1}, {"estimator": "iwae", "k": 100};
// absent: [{}], the verb's default.
// Only densities are scored and compared; scoring models appear in the anomaly analyses,
// implicit models (GANs) in eval_samples.
// Relative dataset files are resolved against the data directory the runner is given.
// "eval_samples": true is {"n": 2000, "seed": 0} (samples per model and the seed of the samples and
// the metrics' subsets); false or absent: off. "features" (optional) is a logp feature network
// (.h5, relative to the data directory): the metrics are then computed in pixels and in its space.
// "sample_grids" (default true: {"n": 64, "seed": 0}): a PNG grid of each fit's samples on the
// whole datasets, in the reports; false: none.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace logp::bench {

struct SuiteDataset {
  std::string name;
  std::string file;
  std::string train = "train";
  std::string valid = "valid";  // early stopping; "none": off
  std::string test = "test";    // scored, compared, used as inliers
};

// One way a model's anomaly steps score examples: `logp anomaly` options. The default scorer is
// the verb's default: the NLL for a density, the model's own score for a scoring model.
struct AnomalyScorer {
  std::string score;          // --score: "" (the default) | nll | likelihood-ratio | complexity | model-score
  std::string model_score;    // --model-score: one of a scoring model's scores (geom: geom | feature-density | combined)
  std::string estimator;      // --estimator (the VAE: elbo | iwae); "": the model's default
  long long k = 0;            // --k, importance samples of iwae; 0: not given
  double background_fraction = 0;  // likelihood-ratio: the background model is this model fitted on its own
                                   // training data with this fraction of values replaced (`logp data perturb`)
  std::string label() const;       // the report's name of the scorer: "nll", "feature-density", ...
  nlohmann::json config() const;   // enters the anomaly step's key; {} for the default scorer
};

struct SuiteModel {
  std::string name;
  nlohmann::json fit;  // object: `logp fit` option name (without --) -> value
  bool seeded = true;
  std::vector<std::string> datasets;                      // suite datasets it is fitted on; empty: all
  std::vector<AnomalyScorer> anomaly_scores = {AnomalyScorer{}};  // one anomaly row each
};

// Anomaly detection against a corrupted copy of the test split (`logp data perturb`).
struct PerturbedOutliers {
  bool enabled = false;
  double fraction = 0.1;  // probability that a value is replaced
  std::uint64_t seed = 0;
};

// One-class detection: for each class c, the models are fitted on the examples of class c
// (`logp data select`), scored on class c's test examples, and asked to flag the test examples
// of the other labels as anomalies.
struct OneClass {
  std::vector<int> classes;
  std::vector<int> labels;  // every label in the data
};

// Sample-based metrics (`logp eval-samples`) of every model fitted on each suite dataset, with the
// held-out test split as the real data and the train-vs-test reference row.
struct EvalSamples {
  bool enabled = false;
  std::int64_t n = 2000;       // samples drawn per model
  std::uint64_t seed = 0;      // of the samples and of the metrics' subsets
  std::string features;        // a logp feature network .h5 (relative: in the data directory); "": pixels only
};

// A PNG grid of samples (`logp sample --png`) of every model fitted on each whole suite dataset.
// A model that cannot sample (the autoencoder, geom) or data without an image shape gets the
// reason instead of a grid.
struct SampleGrids {
  bool enabled = true;
  std::int64_t n = 64;     // samples per grid
  std::uint64_t seed = 0;  // of the samples
};

struct SuiteAnalyses {
  bool whole_datasets = true;  // fit and score every model on each whole dataset; false: one-class subsets only
  bool compare = true;
  PerturbedOutliers perturbed_outliers;
  OneClass one_class;          // off when classes is empty
  EvalSamples eval_samples;
  SampleGrids sample_grids;
};

struct Suite {
  std::string name;
  std::string description;
  std::vector<SuiteDataset> datasets;
  std::vector<SuiteModel> models;
  std::vector<std::uint64_t> seeds = {0};
  SuiteAnalyses analyses;
  nlohmann::json definition;  // the suite as read, for the report
};

// Parses and checks a suite; `origin` (a file name or "built-in suite X") names it in errors.
Suite parse_suite(const nlohmann::json& definition, const std::string& origin);

// A built-in suite by name, or a suite file when `name_or_path` ends in .json.
Suite load_suite(const std::string& name_or_path);

std::vector<std::string> builtin_suite_names();
// The JSON text of a built-in suite; throws logp::Error naming the known suites if absent.
const std::string& builtin_suite_text(const std::string& name);

// `logp fit` arguments for a model's fit options (without the options the runner sets).
std::vector<std::string> fit_arguments(const nlohmann::json& fit, const std::string& model_name);

}  // namespace logp::bench
