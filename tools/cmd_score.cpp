// logp score: per-example log-likelihoods of a split under one or more models, and their summary.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "estimator_options.hpp"
#include "table.hpp"
#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"
#include "logp/eval/score.hpp"
#include "logp/eval/score_file.hpp"
#include "logp/io/model_file.hpp"
#include "logp/models/transformed/transformed.hpp"
#include "logp/parallel/communicator.hpp"

namespace logp::cli {
namespace {

struct ScoreOptions {
  std::vector<std::string> models;
  std::string data;
  std::string split = "test";
  std::string out;
  Index chunk = 4096;
  Index first = 0;  // > 0: score only the first examples of the split
  EstimatorOptions estimator;  // the VAE's; refused for other models when given
};

struct Row {
  std::string path;
  std::string type;
  std::string short_type;  // short_type(model), for the table when the full type is long
  std::string hyperparameters;
  Index parameters;
  double fit_seconds;
  LikelihoodSummary summary;
  std::string value_name;
  std::string estimator;  // what the value is, for bounds and estimates; empty when exact
};

void print_table(const std::vector<Row>& rows, const DatasetSplit& data) {
  std::cout << "data: " << data.where() << " (" << data.spec().describe() << "), N=" << data.size() << "\n";
  Table table({"model", "type", "value", "likelihood", "NLL nats/example", "bits/dim", "params", "fit s"},
              {false, false, false, false, true, true, true, true});
  Footnotes types;
  for (const Row& row : rows)
    table.add_row({row.path, types.cell(row.short_type, row.type + " (" + row.hyperparameters + ")"), row.value_name,
                   std::string(to_string(row.summary.kind)),
                   plus_minus(row.summary.mean_nll, row.summary.std_error, 2),
                   fixed(row.summary.bits_per_dim, 4), std::to_string(row.parameters), fixed(row.fit_seconds, 1)});
  table.print(std::cout);
  types.print(std::cout);
  std::cout << "NLL: mean negative log-likelihood in nats per example ± its standard error (std/sqrt(N)); "
               "bits/dim = NLL / (D ln 2)\n";
  for (const Row& row : rows)
    if (!row.estimator.empty())
      std::cout << row.path << ": the value is the " << row.estimator
                << "; its NLL column is minus that value, an upper bound on the true NLL (in expectation)\n";
}

// A model that gives a score, not a likelihood (the autoencoder's reconstruction error).
struct ScoreRow {
  std::string path;
  std::string type;
  std::string short_type;
  std::string hyperparameters;
  std::string name;
  std::string unit;
  Index n = 0;
  double mean = 0.0;
  double std_error = 0.0;
};

ScoreRow score_with(const ScoringModel& model, const ScoreOptions& options, const DatasetSplit& data,
                    const std::string& path) {
  if (options.estimator.given)
    throw Error("--estimator/--k apply to models with several estimators (vae); " + path + " gives a score");
  const ExampleValues scores = score_values(model, data, options.chunk);
  if (!options.out.empty() && world().rank() == 0) write_score_file(options.out, {scores}, score_file_attributes(scores, path, data.where()));
  const ScoreSummary summary = summarize_scores(scores.values);
  return {path, std::string(model.type()), short_type(model), model.hyperparameters(), scores.name, scores.unit,
          summary.n, summary.mean, summary.std_error};
}

void print_score_table(const std::vector<ScoreRow>& rows) {
  Table table({"model", "type", "score", "mean ± s.e.", "unit"}, {false, false, false, true, false});
  Footnotes types;
  for (const ScoreRow& row : rows)
    table.add_row({row.path, types.cell(row.short_type, row.type + " (" + row.hyperparameters + ")"), row.name,
                   plus_minus(row.mean, row.std_error, 2), row.unit});
  table.print(std::cout);
  types.print(std::cout);
  std::cout << "a score, not a log-likelihood: larger means less typical of the training data (anomaly score); "
               "it cannot be compared with NLLs\n";
}

void run_score(const ScoreOptions& options, const GlobalOptions& global) {
  if (!options.out.empty() && options.models.size() != 1)
    throw UsageError("--out writes one model's per-example scores; give a single --model");
  if (!options.out.empty() && !is_score_file_name(options.out))
    throw UsageError("--out " + options.out + ": give a .csv or .h5 file name");
  FileArguments inputs = {{"--data", options.data}};
  for (const std::string& model : options.models) inputs.push_back({"--model", model});
  refuse_outputs_over_inputs(inputs, {{"--out", options.out}});
  const DatasetSplit whole = DatasetSplit::open(options.data, options.split);
  const DatasetSplit data = options.first > 0 ? whole.head(options.first) : whole;
  if (data.size() < whole.size())
    notes() << "scoring the first " << data.size() << " of " << whole.size() << " examples of " << whole.where() << "\n";
  std::vector<Row> rows;
  std::vector<ScoreRow> score_rows;
  for (const std::string& path : options.models) {
    std::unique_ptr<Model> loaded = load_model(path);
    if (const auto* scoring = dynamic_cast<const ScoringModel*>(loaded.get())) {
      score_rows.push_back(score_with(*scoring, options, data, path));
      continue;
    }
    auto* model = dynamic_cast<DensityModel*>(loaded.get());
    if (!model)
      throw Error(path + ": a " + std::string(loaded->type()) + " model has no likelihood; judge it by its samples");
    const std::string estimator = apply_estimator(*model, options.estimator, path);
    const ExampleValues log_probs = score_values(*model, data, options.chunk);
    if (!options.out.empty() && world().rank() == 0)  // in a parallel run, rank 0 writes for all
      write_score_file(options.out, {log_probs}, score_file_attributes(log_probs, path, data.where()));
    const LikelihoodSummary summary = summarize_log_probs(log_probs.values, model->dim(), model->likelihood_kind());
    rows.push_back({path, std::string(model->type()), short_type(*model), model->hyperparameters(), model->num_parameters(),
                    read_fit_record(path).seconds, summary, log_probs.name, estimator});
  }
  if (global.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const ScoreRow& row : score_rows)
      out.push_back({{"model", row.path},
                     {"type", row.type},
                     {"hyperparameters", row.hyperparameters},
                     {"likelihood_kind", "score"},
                     {"score", row.name},
                     {"unit", row.unit},
                     {"data", data.where()},
                     {"n", row.n},
                     {"mean_score", row.mean},
                     {"std_error", row.std_error}});
    for (const Row& row : rows)
      out.push_back({{"model", row.path},
                     {"type", row.type},
                     {"hyperparameters", row.hyperparameters},
                     {"likelihood_kind", to_string(row.summary.kind)},
                     {"value", row.value_name},
                     {"estimator", row.estimator},
                     {"data", data.where()},
                     {"n", row.summary.n},
                     {"dim", row.summary.dim},
                     {"mean_nll_nats", row.summary.mean_nll},
                     {"std_error_nats", row.summary.std_error},
                     {"bits_per_dim", row.summary.bits_per_dim},
                     {"bits_per_dim_std_error", row.summary.bits_per_dim_se},
                     {"parameters", row.parameters},
                     {"fit_seconds", row.fit_seconds}});
    std::cout << out.dump(2) << "\n";
  } else {
    if (!rows.empty()) print_table(rows, data);
    if (!score_rows.empty()) {
      if (!rows.empty()) std::cout << "\n";
      else std::cout << "data: " << data.where() << " (" << data.spec().describe() << "), N=" << data.size() << "\n";
      print_score_table(score_rows);
    }
    if (!options.out.empty()) std::cout << "wrote per-example scores to " << options.out << "\n";
  }
}

}  // namespace

void add_score_command(CLI::App& app, Commands& commands, const GlobalOptions& global) {
  auto options = std::make_shared<ScoreOptions>();
  CLI::App* score = app.add_subcommand(
      "score", "per-example log-likelihoods (nats), bounds (vae) or scores (autoencoder), and their summary");
  score->add_option("--model", options->models, "model file(s); repeat to compare in one table")->required();
  score->add_option("--data", options->data, "logp dataset file")->required();
  score->add_option("--split", options->split, "split to score")->capture_default_str();
  score->add_option("--out", options->out, "per-example scores: .csv (index,log_prob) or .h5");
  score->add_option("--first", options->first, "score only the first N examples of the split (0: all)")
      ->check(non_negative_integer());
  score->add_option("--chunk", options->chunk, "examples read from disk at a time")->capture_default_str()->check(positive_integer());
  const std::function<void()> note_estimator = add_estimator_options(score, &options->estimator);
  commands.push_back({score, [options, note_estimator, &global] {
                        note_estimator();
                        run_score(*options, global);
                      }});
}

}  // namespace logp::cli
