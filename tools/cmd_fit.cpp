// logp fit: fit a model to a split of a dataset file and save it.
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"
#include "logp/io/model_file.hpp"
#include "logp/models/bernoulli.hpp"
#include "logp/models/markov.hpp"

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
};

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
  throw Error("--model " + options.model + " is not a model logp can fit (bernoulli, markov)");
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
  fit->add_option("--model", options->model, "bernoulli | markov")->required()->check(CLI::IsMember({"bernoulli", "markov"}));
  fit->add_option("--data", options->data, "logp dataset file")->required();
  fit->add_option("--split", options->split, "split to fit on")->capture_default_str();
  fit->add_option("--out", options->out, "model file to write")->required();
  fit->add_option("--alpha", options->alpha, "prior pseudo-count per value (Beta/Dirichlet)")->capture_default_str();
  fit->add_option("--order", options->order, "markov: raster-order predecessors in the context")->capture_default_str();
  fit->add_option("--context", options->context,
                  "markov: causal image template, e.g. left,up,up-left,up-right (overrides --order)");
  fit->add_flag("--tied", options->tied, "markov: one table shared by all positions");
  commands.push_back({fit, [options, &global] { run_fit(*options, global); }});
}

}  // namespace logp::cli
