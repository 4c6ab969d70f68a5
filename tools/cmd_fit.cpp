// logp fit MODEL: fit a model to a split of a dataset file and save it. One subcommand per
// registry entry; its options are the entry's (models/model_entry.hpp), with the library's defaults.
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "plots.hpp"
#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"
#include "logp/io/model_file.hpp"
#include "logp/models/registry.hpp"
#include "logp/parallel/communicator.hpp"
#include "logp/plot/picture.hpp"
#include "logp/train/trainer.hpp"

namespace logp::cli {
namespace {

struct FitTarget {
  std::string data;
  std::string split = "train";
  std::string out;
  std::string plot;  // training curve, .svg or .png
};

// The option's value, or "" when the model has no such option.
std::string option_value(const ModelFit& fit, std::string_view name) {
  const OptionSpec* spec = fit.options().find(name);
  return spec ? spec->current() : std::string();
}

// Files the fit reads (--data, an --ordering @FILE) and writes (--out, --checkpoint, --log).
void refuse_outputs_over_fit_inputs(const ModelFit& fit, const FitTarget& target) {
  FileArguments inputs = {{"--data", target.data}};
  const std::string ordering = option_value(fit, "ordering");
  if (ordering.starts_with("@")) inputs.push_back({"--ordering", ordering.substr(1)});
  refuse_outputs_over_inputs(inputs, {{"--out", target.out},
                                      {"--checkpoint", option_value(fit, "checkpoint")},
                                      {"--log", option_value(fit, "log")},
                                      {"--plot", target.plot}});
}

void run_fit(ModelFit& fit, const FitTarget& target, const GlobalOptions& global) {
  require_picture_name("--plot", target.plot);
  if (!target.plot.empty() && fit.options().find("epochs") == nullptr)
    throw UsageError("--plot draws the training curve; this model is not trained by epochs");
  refuse_outputs_over_fit_inputs(fit, target);
  const DatasetSplit train = DatasetSplit::open(target.data, target.split);
  const auto start = std::chrono::steady_clock::now();
  TrainingCurve curve;
  const std::unique_ptr<Model> model = fit.fit(FitContext{train, target.data, notes(), &curve});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  FitRecord record{target.data, target.split, train.size(), seconds, command_line(), utc_now_iso8601()};
  if (world().rank() == 0) {  // every rank of a parallel run holds the same model
    save_model(*model, record, target.out);
    if (!target.plot.empty() && curve.epochs.empty())
      notes() << "--plot: " << model->type() << " records no per-epoch curve; no picture written\n";
    else if (!target.plot.empty())
      plot::write_picture(target.plot, training_curve(curve, std::string(model->type()) + " on " + short_where(train.where())));
  }
  if (global.json) {
    nlohmann::json out{{"model", target.out},
                       {"type", model->type()},
                       {"hyperparameters", model->hyperparameters()},
                       {"parameters", model->num_parameters()},
                       {"train_examples", train.size()},
                       {"fit_seconds", seconds}};
    for (const auto& [name, value] : fit.statistics()) out[name] = value;
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << "fitted " << model->type() << " (" << model->hyperparameters() << ") on " << train.size()
              << " examples of " << train.where() << " in " << fixed(seconds, 2) << " s; "
              << model->num_parameters() << " parameters\nwrote " << target.out << "\n";
    if (!target.plot.empty() && !curve.epochs.empty()) std::cout << "wrote the training curve to " << target.plot << "\n";
  }
}

}  // namespace

void add_fit_command(CLI::App& app, Commands& commands, const GlobalOptions& global) {
  CLI::App* fit = app.add_subcommand("fit", "fit a model and save it: logp fit MODEL --data FILE --out FILE [options]");
  fit->require_subcommand(1);
  std::string models;
  for (const ModelEntry& entry : model_entries()) {
    if (entry.make_fit == nullptr) continue;
    std::shared_ptr<ModelFit> model_fit = entry.make_fit();
    auto target = std::make_shared<FitTarget>();
    CLI::App* sub = fit->add_subcommand(std::string(entry.type),
                                        std::string(entry.summary) + " [" + std::string(to_string(entry.kind)) + "]");
    sub->add_option("--data", target->data, "logp dataset file")->required();
    sub->add_option("--split", target->split, "split to fit on")->capture_default_str();
    sub->add_option("--out", target->out, "model file to write")->required();
    sub->add_option("--plot", target->plot, "training curve (objective per epoch) as a picture, .svg or .png");
    add_option_list(*sub, model_fit->options());
    commands.push_back({sub, [model_fit, target, &global] { run_fit(*model_fit, *target, global); }});
  }
  add_fit_features_command(*fit, commands, global);
}

// `logp fit --model NAME ...` (the older form) is `logp fit NAME ...`.
std::vector<std::string> rewrite_fit_model_option(std::vector<std::string> args) {
  if (args.empty()) return args;
  std::size_t verb = 1;  // the first word that is not a global option (or --threads' value)
  while (verb < args.size() && args[verb].rfind("-", 0) == 0) {
    if (args[verb] == "--threads") ++verb;  // skip its value
    ++verb;
  }
  if (verb >= args.size() || args[verb] != "fit") return args;
  for (std::size_t i = verb + 1; i < args.size(); ++i) {
    std::string name;
    if (args[i] == "--model" && i + 1 < args.size()) {
      name = args[i + 1];
      args.erase(args.begin() + static_cast<std::ptrdiff_t>(i), args.begin() + static_cast<std::ptrdiff_t>(i) + 2);
    } else if (args[i].rfind("--model=", 0) == 0) {
      name = args[i].substr(8);
      args.erase(args.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      continue;
    }
    args.insert(args.begin() + static_cast<std::ptrdiff_t>(verb) + 1, name);
    break;
  }
  return args;
}

}  // namespace logp::cli
