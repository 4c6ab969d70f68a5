#pragma once
// One entry per model type: what the model is, its options (declared once, option_list.hpp), how
// to fit it and how to load it. The registry (registry.hpp) is the only list of entries; the
// `logp fit` command line, its help and the model checker in tests/ are generated from it.
//
// Adding a model: a folder models/<family>/ with the model, an entry function returning its
// ModelEntry (e.g. nade_entry() in models/nade/nade_entry.hpp), one line in registry.cpp, and
// its own tests; the checker (tests/models/test_model_checker.cpp) then runs it.
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "logp/data/dataset.hpp"
#include "logp/model.hpp"
#include "logp/models/option_list.hpp"

namespace logp {

// What a fitted model gives per example.
enum class ModelKind {
  exact_density,  // exact log_prob (nats)
  bound,          // log_prob is a bound or an estimate (the VAE's ELBO / IWAE; dequantized densities)
  score,          // a ScoringModel: a score, never a likelihood
  implicit,       // samples only (GANs)
};
std::string_view to_string(ModelKind kind);

struct TrainingCurve;  // train/trainer.hpp

// What a fit sees besides its options.
struct FitContext {
  const DatasetSplit& train;
  std::string data_file;  // the file `train` came from (for the validation split)
  std::ostream& log;      // summary lines (stderr in the CLI; a null stream with --quiet)
  TrainingCurve* curve = nullptr;  // if given, set to a trained model's curve (`fit --plot`)
};

// One fit of one model type: owns the library's options struct(s), declares them in options(),
// then fit() builds the model from their values.
class ModelFit {
 public:
  virtual ~ModelFit() = default;
  const OptionList& options() const { return options_; }
  virtual std::unique_ptr<Model> fit(const FitContext& context) = 0;
  // Measurements of the last fit() for machine-readable output (e.g. steps_per_second).
  virtual std::vector<std::pair<std::string, double>> statistics() const { return {}; }

 protected:
  OptionList options_;
};

struct ModelEntry {
  std::string_view type;      // "nade": the type saved in model files and the name after `logp fit`
  std::string_view summary;   // one line for `logp fit --help`
  ModelKind kind;
  // A fresh fit with the library's defaults; null for types that are not fitted on their own
  // (the `transformed` wrapper, made by the continuous models' --standardize/--dequantize).
  std::unique_ptr<ModelFit> (*make_fit)();
  std::unique_ptr<Model> (*load)(const H5Group& group, const DataSpec& spec);
};

}  // namespace logp
