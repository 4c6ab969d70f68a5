#pragma once
// --estimator, --k, --estimator-seed, --sample-chunk: how `score` and `anomaly` evaluate a model
// with several estimators (the VAE: its ELBO, a lower bound, or IWAE-k, an estimate).
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "logp/core/types.hpp"

namespace logp {
class Model;
}

namespace logp::cli {

struct EstimatorOptions {
  std::string estimator = "elbo";
  Index k = 1;
  std::uint64_t seed = 0;
  Index sample_chunk = 512;
  bool given = false;  // --estimator or --k on the command line
};

// Declares the four options on `verb`; `given` is set by the returned callback, to be called
// before the verb runs.
std::function<void()> add_estimator_options(CLI::App* verb, EstimatorOptions* options);

// Applies the choice to a model with several estimators and returns its one-line description;
// "" for other models, for which --estimator/--k is an Error naming `path`.
std::string apply_estimator(Model& model, const EstimatorOptions& options, const std::string& path);

}  // namespace logp::cli
