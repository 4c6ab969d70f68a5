#include "logp/models/training_fit.hpp"

#include <algorithm>
#include <iomanip>
#include <memory>
#include <ostream>

#include "logp/core/error.hpp"

namespace logp {

void declare_training_options(OptionList& options, TrainingSettings& settings) {
  TrainOptions& t = settings.train;
  OptimizerOptions& o = t.optimizer;
  options.add("epochs", "training: maximum epochs", t.max_epochs, Range::positive);
  options.add("batch-size", "training: examples per step", t.batch_size, Range::positive);
  options.add("shard-size", "training: examples per parallel task (part of the result's definition)", t.shard_size,
              Range::positive);
  options.add("patience", "training: epochs without a better validation objective before stopping", t.patience,
              Range::positive);
  options.add("seed", "training: initialization, data order, per-shard randomness", t.seed);
  options.add("optimizer", "training: optimizer", o.kind, {"adam", "sgd"});
  options.add("learning-rate", "training: step size", o.learning_rate, Range::positive);
  options.add("momentum", "training: sgd momentum", o.momentum, Range::probability);
  options.add("l2", "training: L2 penalty on all parameters", o.l2, Range::non_negative);
  options.add("clip-norm", "training: clip the gradient to this global norm (0: off)", o.clip_norm,
              Range::non_negative);
  options.add_choice("schedule", "training: learning-rate schedule", o.schedule,
                     {{"constant", Schedule::constant}, {"step", Schedule::step}, {"cosine", Schedule::cosine}});
  options.add("step-epochs", "training: step schedule period", o.step_epochs, Range::positive);
  options.add("step-gamma", "training: step schedule factor", o.step_gamma, Range::positive);
  options.add("valid-split", "training: split for early stopping ('none': off)", settings.valid_split);
  options.add("valid-examples", "training: early stopping on the first N examples of --valid-split (0: all)",
              t.valid_examples, Range::non_negative);
  options.add("checkpoint", "training: checkpoint file written every epoch", t.checkpoint);
  options.add_flag("resume", "training: continue from --checkpoint if it exists", t.resume);
  options.add("log", "training: JSON-lines log, one line per epoch", t.log);
}

TrainResult train_for_fit(Trainable& model, const FitContext& context, const TrainingSettings& settings) {
  Rng init_rng(settings.train.seed);
  model.initialize(init_rng);
  TrainOptions options = settings.train;
  options.progress = true;  // as the process's progress mode says (core/progress.hpp)
  options.optimizer.total_epochs = options.max_epochs;
  std::unique_ptr<DatasetSplit> valid;
  if (settings.valid_split != "none") {
    const std::vector<std::string> splits = list_splits(context.data_file);
    const bool present = std::find(splits.begin(), splits.end(), settings.valid_split) != splits.end();
    require(present || settings.valid_split == "valid",
            context.data_file + ": no split '" + settings.valid_split + "' for --valid-split (use 'none' for no early stopping)");
    if (present) valid = std::make_unique<DatasetSplit>(DatasetSplit::open(context.data_file, settings.valid_split));
  }
  if (valid && options.valid_examples > 0 && options.valid_examples < valid->size())
    context.log << "early stopping on the first " << options.valid_examples << " examples of " << valid->where() << "\n";
  const TrainResult result = train_model(model, context.train, valid.get(), options);
  if (context.curve) *context.curve = result.curve;
  const ObjectiveNames names = model.objective_names();
  context.log << std::fixed << std::setprecision(0) << "trained " << result.epochs_done << " epochs at "
              << result.examples_per_second << " examples/s";
  if (result.communication_seconds > 0)
    context.log << " (" << std::setprecision(2) << result.communication_seconds << " s of it between ranks)";
  context.log << std::setprecision(0) << "; final train " << names.train << " "
              << std::setprecision(2) << result.final_train_nll << (names.is_likelihood ? " nats" : "");
  if (result.best_epoch >= 0)
    context.log << "; best valid " << names.valid << " " << result.best_valid_nll << " at epoch " << result.best_epoch + 1
                << (result.stopped_early ? " (stopped early)" : "");
  context.log << "\n" << std::defaultfloat;
  return result;
}

}  // namespace logp
