// logp fit: fit a model to a split of a dataset file and save it.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"
#include "logp/io/model_file.hpp"
#include "logp/models/bernoulli.hpp"
#include "logp/models/deep_nade.hpp"
#include "logp/models/markov.hpp"
#include "logp/models/nade.hpp"
#include "logp/train/trainer.hpp"

namespace logp::cli {
namespace {

struct FitOptions {
  std::string model;
  std::string data;
  std::string split = "train";
  std::string out;
  double alpha = 1.0;
  int order = 1;
  std::string context;
  bool tied = false;
  // trained models
  NadeOptions nade;       // nade; its hidden, ordering and ordering_seed also serve nade-oa
  std::string activation;  // empty: the model's default (nade: sigmoid, nade-oa: relu)
  int layers = 2;          // nade-oa
  int orderings = 1;       // nade-oa: K, the evaluation ensemble
  TrainOptions train;
  std::string optimizer_schedule = "constant";
  std::string valid_split = "valid";
  bool ordering_given = false;
};

// Trains a gradient model on options.split, with early stopping on valid_split when present.
void train_gradient_model(TrainableModel& model, const FitOptions& options, const DatasetSplit& train) {
  Rng init_rng(options.train.seed);
  model.initialize(init_rng);
  TrainOptions train_options = options.train;
  train_options.optimizer.schedule = parse_schedule(options.optimizer_schedule);
  train_options.optimizer.total_epochs = train_options.max_epochs;
  std::unique_ptr<DatasetSplit> valid;
  if (!options.valid_split.empty() && options.valid_split != "none") {
    const std::vector<std::string> splits = list_splits(options.data);
    if (std::find(splits.begin(), splits.end(), options.valid_split) != splits.end())
      valid = std::make_unique<DatasetSplit>(DatasetSplit::open(options.data, options.valid_split));
  }
  if (valid && train_options.valid_examples > 0 && train_options.valid_examples < valid->size())
    std::cerr << "early stopping on the first " << train_options.valid_examples << " examples of " << valid->where()
              << "\n";
  const TrainResult result = train_model(model, train, valid.get(), train_options);
  std::cerr << "trained " << result.epochs_done << " epochs at " << fixed(result.examples_per_second, 0)
            << " examples/s; final train NLL " << fixed(result.final_train_nll, 2) << " nats";
  if (result.best_epoch >= 0)
    std::cerr << "; best valid NLL " << fixed(result.best_valid_nll, 2) << " at epoch " << result.best_epoch + 1
              << (result.stopped_early ? " (stopped early)" : "");
  std::cerr << "\n";
}

std::unique_ptr<Model> fit_model(const FitOptions& options, const DatasetSplit& train) {
  if (options.model == "bernoulli") return std::make_unique<BernoulliModel>(BernoulliModel::fit(train, options.alpha));
  if (options.model == "markov") {
    MarkovOptions markov;
    markov.order = options.order;
    markov.context = parse_context(options.context);
    markov.alpha = options.alpha;
    markov.tied = options.tied;
    return std::make_unique<MarkovModel>(MarkovModel::fit(train, markov));
  }
  if (options.model == "nade") {
    NadeOptions nade = options.nade;
    nade.activation = parse_nade_activation(options.activation.empty() ? "sigmoid" : options.activation);
    auto model = std::make_unique<NadeModel>(train.spec(), nade);
    train_gradient_model(*model, options, train);
    return model;
  }
  if (options.model == "nade-oa") {
    DeepNadeOptions deep;
    deep.hidden = options.nade.hidden;
    deep.layers = options.layers;
    deep.activation = parse_nade_activation(options.activation.empty() ? "relu" : options.activation);
    if (options.ordering_given) deep.ordering = options.nade.ordering;  // else random (deep_nade.hpp says why)
    deep.ordering_seed = options.nade.ordering_seed;
    // Training does not depend on the ensemble: early stopping watches the first ordering alone (K
    // times cheaper than the ensemble, D network passes per example), the saved model has all K.
    deep.orderings = 1;
    auto model = std::make_unique<DeepNadeModel>(train.spec(), deep);
    require(options.orderings >= 1, "nade-oa: --orderings (the evaluation ensemble size K) must be at least 1, got " +
                                        std::to_string(options.orderings));
    train_gradient_model(*model, options, train);
    model->set_ensemble_size(options.orderings);
    return model;
  }
  throw Error("--model " + options.model + " is not a model logp can fit (bernoulli, markov, nade, nade-oa)");
}

void run_fit(const FitOptions& options, const GlobalOptions& global) {
  const DatasetSplit train = DatasetSplit::open(options.data, options.split);
  const auto start = std::chrono::steady_clock::now();
  const std::unique_ptr<Model> model = fit_model(options, train);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  FitRecord record{options.data, options.split, train.size(), seconds, command_line(), utc_now_iso8601()};
  save_model(*model, record, options.out);
  if (global.json) {
    std::cout << nlohmann::json{{"model", options.out},
                                {"type", model->type()},
                                {"hyperparameters", model->hyperparameters()},
                                {"parameters", model->num_parameters()},
                                {"train_examples", train.size()},
                                {"fit_seconds", seconds}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << "fitted " << model->type() << " (" << model->hyperparameters() << ") on " << train.size()
              << " examples of " << train.where() << " in " << fixed(seconds, 2) << " s; "
              << model->num_parameters() << " parameters\nwrote " << options.out << "\n";
  }
}

}  // namespace

void add_fit_command(CLI::App& app, Commands& commands, const GlobalOptions& global) {
  auto options = std::make_shared<FitOptions>();
  CLI::App* fit = app.add_subcommand("fit", "fit a model by maximum likelihood and save it");
  fit->add_option("--model", options->model, "bernoulli | markov | nade | nade-oa (order-agnostic deep NADE)")
      ->required()
      ->check(CLI::IsMember({"bernoulli", "markov", "nade", "nade-oa"}));
  fit->add_option("--data", options->data, "logp dataset file")->required();
  fit->add_option("--split", options->split, "split to fit on")->capture_default_str();
  fit->add_option("--out", options->out, "model file to write")->required();
  fit->add_option("--alpha", options->alpha, "prior pseudo-count per value (Beta/Dirichlet)")->capture_default_str();
  fit->add_option("--order", options->order, "markov: raster-order predecessors in the context")->capture_default_str();
  fit->add_option("--context", options->context,
                  "markov: causal image template, e.g. left,up,up-left,up-right (overrides --order)");
  fit->add_flag("--tied", options->tied, "markov: one table shared by all positions");

  CLI::App& o = *fit;
  o.add_option("--hidden", options->nade.hidden, "nade, nade-oa: hidden units (per layer)")->capture_default_str();
  o.add_option("--activation", options->activation,
               "nade, nade-oa: sigmoid | relu (default: sigmoid for nade, relu for nade-oa)");
  CLI::Option* ordering = o.add_option("--ordering", options->nade.ordering,
                                       "nade: raster (default) | random | i,j,k,... | @FILE; nade-oa: the first "
                                       "ordering of the ensemble, random by default");
  o.add_option("--ordering-seed", options->nade.ordering_seed,
               "nade: seed of --ordering random; nade-oa: also draws orderings 2..K")
      ->capture_default_str();
  o.add_option("--layers", options->layers, "nade-oa: hidden layers, 1 or 2")->capture_default_str();
  o.add_option("--orderings", options->orderings,
               "nade-oa: K, orderings in the saved model's evaluation ensemble (1: a single ordering; "
               "early stopping uses the first ordering alone)")
      ->capture_default_str();
  TrainOptions& t = options->train;
  o.add_option("--epochs", t.max_epochs, "training: maximum epochs")->capture_default_str();
  o.add_option("--batch-size", t.batch_size, "training: examples per step")->capture_default_str();
  o.add_option("--shard-size", t.shard_size, "training: examples per parallel task")->capture_default_str();
  o.add_option("--patience", t.patience, "training: epochs without a better valid NLL before stopping")->capture_default_str();
  o.add_option("--seed", t.seed, "training: initialization, data order")->capture_default_str();
  o.add_option("--optimizer", t.optimizer.kind, "training: adam | sgd")->capture_default_str();
  o.add_option("--learning-rate", t.optimizer.learning_rate, "training: step size")->capture_default_str();
  o.add_option("--momentum", t.optimizer.momentum, "training: sgd momentum")->capture_default_str();
  o.add_option("--l2", t.optimizer.l2, "training: L2 penalty on all parameters")->capture_default_str();
  o.add_option("--clip-norm", t.optimizer.clip_norm, "training: clip the gradient to this global norm (0: off)")->capture_default_str();
  o.add_option("--schedule", options->optimizer_schedule, "training: constant | step | cosine")->capture_default_str();
  o.add_option("--step-epochs", t.optimizer.step_epochs, "training: step schedule period")->capture_default_str();
  o.add_option("--step-gamma", t.optimizer.step_gamma, "training: step schedule factor")->capture_default_str();
  o.add_option("--valid-split", options->valid_split, "training: split for early stopping ('none': off)")->capture_default_str();
  o.add_option("--valid-examples", options->train.valid_examples,
               "training: early stopping on the first N examples of --valid-split (0: all)")
      ->capture_default_str();
  o.add_option("--checkpoint", t.checkpoint, "training: checkpoint file written every epoch");
  o.add_flag("--resume", t.resume, "training: continue from --checkpoint if it exists");
  o.add_option("--log", t.log, "training: JSON-lines log, one line per epoch");
  t.progress = true;
  commands.push_back({fit, [options, ordering, &global] {
                        options->ordering_given = ordering->count() > 0;
                        run_fit(*options, global);
                      }});
}

}  // namespace logp::cli
