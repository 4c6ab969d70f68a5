// logp score: per-example log-likelihoods of a split under one or more models, and their summary.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>

#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "table.hpp"
#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"
#include "logp/eval/score.hpp"
#include "logp/io/atomic_output.hpp"
#include "logp/io/h5.hpp"
#include "logp/io/model_file.hpp"

namespace logp::cli {
namespace {

struct ScoreOptions {
  std::vector<std::string> models;
  std::string data;
  std::string split = "test";
  std::string out;
  Index chunk = 4096;
  Index first = 0;  // > 0: score only the first examples of the split
  // VAE estimators (ignored by exact models; refused when given for them).
  std::string estimator = "elbo";
  Index k = 1;
  std::uint64_t estimator_seed = 0;
  Index sample_chunk = 512;
  bool estimator_given = false;
};

// Applies --estimator/--k to a model with several estimators and returns its one-line
// description; "" for other models.
std::string apply_estimator(DensityModel& model, const ScoreOptions& options, const std::string& path) {
  auto* selectable = dynamic_cast<SelectableEstimator*>(&model);
  if (!selectable) {
    if (options.estimator_given)
      throw Error("--estimator/--k apply to models with several estimators (vae); " + path + " is a " + std::string(model.type()) +
                  " model, whose log_prob is " + std::string(to_string(model.likelihood_kind())));
    return "";
  }
  selectable->select_estimator({options.estimator, options.k, options.estimator_seed, options.sample_chunk});
  return selectable->estimator_description();
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Per-example output: CSV streams rows as chunks are scored; HDF5 is written at the end.
class ScoreWriter {
 public:
  // column: the value's name (log_prob, elbo, iwae, reconstruction_error); kind: what it is
  // (exact, lower bound, estimate, score); units: nats or the score's unit.
  ScoreWriter(const std::string& path, std::string column, std::string kind, std::string units,
              const DatasetSplit& data, const std::string& model_path)
      : output_(path), csv_(ends_with(path, ".csv")), column_(std::move(column)), model_path_(model_path),
        data_where_(data.where()), kind_(std::move(kind)), units_(std::move(units)) {
    if (!csv_ && !ends_with(path, ".h5") && !ends_with(path, ".hdf5"))
      throw Error("--out " + path + ": give a .csv or .h5 file name");
    if (csv_) {
      stream_.open(output_.temp_path());
      if (!stream_) throw Error(path + ": cannot open for writing");
      stream_ << "index," << column_ << "\n" << std::setprecision(17);
    }
  }

  void add(Index first, const Vector& log_probs) {
    if (csv_) {
      for (Index j = 0; j < log_probs.size(); ++j) stream_ << first + j << "," << log_probs(j) << "\n";
    } else {
      values_.insert(values_.end(), log_probs.data(), log_probs.data() + log_probs.size());
    }
  }

  void commit() {
    if (csv_) {
      stream_.close();
      if (!stream_) throw Error(output_.target() + ": write failed (disk full?)");
    } else {
      const H5File file = H5File::create(output_.temp_path());
      const H5Group root = file.root();
      root.write<double>(column_, {values_.size()}, values_.data());
      root.set_attr(column_, "units", units_);
      root.set_attr(column_, "likelihood_kind", kind_);
      root.set_attr(column_, "model", model_path_);
      root.set_attr(column_, "data", data_where_);
      file.flush();
    }
    output_.commit();
  }

 private:
  AtomicOutput output_;
  bool csv_;
  std::string column_;
  std::string model_path_;
  std::string data_where_;
  std::string kind_;
  std::string units_;
  std::ofstream stream_;
  std::vector<double> values_;
};

struct Row {
  std::string path;
  std::string type;
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
  for (const Row& row : rows)
    table.add_row({row.path, row.type + " (" + row.hyperparameters + ")", row.value_name,
                   std::string(to_string(row.summary.kind)),
                   fixed(row.summary.mean_nll, 2) + " ± " + fixed(row.summary.std_error, 2),
                   fixed(row.summary.bits_per_dim, 4), std::to_string(row.parameters), fixed(row.fit_seconds, 1)});
  table.print(std::cout);
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
  std::string hyperparameters;
  std::string name;
  std::string unit;
  Index n = 0;
  double mean = 0.0;
  double std_error = 0.0;
};

ScoreRow score_with(const ScoringModel& model, const ScoreOptions& options, const DatasetSplit& data,
                    const std::string& path) {
  if (options.estimator_given) throw Error("--estimator/--k apply to models with several estimators (vae); " + path + " gives a score");
  model.data_spec().check_accepts(data.spec(), data.where());
  std::unique_ptr<ScoreWriter> writer;
  if (!options.out.empty())
    writer = std::make_unique<ScoreWriter>(options.out, std::string(model.score_name()), "score",
                                           std::string(model.score_unit()), data, path);
  double mean = 0.0, m2 = 0.0;  // Welford, in input order
  Index n = 0;
  for_each_batch(data, options.chunk, [&](Index first, const Matrix& batch) {
    const Index blocks = (batch.cols() + 127) / 128;
    Vector scores(batch.cols());
    tbb::parallel_for(tbb::blocked_range<Index>(0, blocks, 1), [&](const tbb::blocked_range<Index>& range) {
      for (Index b = range.begin(); b != range.end(); ++b) {
        const Index begin = b * 128, count = std::min<Index>(128, batch.cols() - begin);
        scores.segment(begin, count) = model.score(batch.middleCols(begin, count));
      }
    }, tbb::simple_partitioner());
    for (Index j = 0; j < scores.size(); ++j) {
      ++n;
      const double delta = scores(j) - mean;
      mean += delta / static_cast<double>(n);
      m2 += delta * (scores(j) - mean);
    }
    if (writer) writer->add(first, scores);
  });
  if (writer) writer->commit();
  const double se = n > 1 ? std::sqrt(m2 / static_cast<double>(n - 1) / static_cast<double>(n)) : 0.0;
  return {path, std::string(model.type()), model.hyperparameters(), std::string(model.score_name()),
          std::string(model.score_unit()), n, mean, se};
}

void print_score_table(const std::vector<ScoreRow>& rows) {
  Table table({"model", "type", "score", "mean ± s.e.", "unit"}, {false, false, false, true, false});
  for (const ScoreRow& row : rows)
    table.add_row({row.path, row.type + " (" + row.hyperparameters + ")", row.name,
                   fixed(row.mean, 2) + " ± " + fixed(row.std_error, 2), row.unit});
  table.print(std::cout);
  std::cout << "a score, not a log-likelihood: larger means less typical of the training data (anomaly score); "
               "it cannot be compared with NLLs\n";
}

void run_score(const ScoreOptions& options, const GlobalOptions& global) {
  if (!options.out.empty() && options.models.size() != 1)
    throw Error("--out writes one model's per-example scores; give a single --model");
  const DatasetSplit whole = DatasetSplit::open(options.data, options.split);
  const DatasetSplit data = options.first > 0 ? whole.head(options.first) : whole;
  if (data.size() < whole.size())
    std::cerr << "scoring the first " << data.size() << " of " << whole.size() << " examples of " << whole.where() << "\n";
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
    const std::string estimator = apply_estimator(*model, options, path);
    std::unique_ptr<ScoreWriter> writer;
    if (!options.out.empty())
      writer = std::make_unique<ScoreWriter>(options.out, std::string(model->value_name()),
                                             std::string(to_string(model->likelihood_kind())), "nats", data, path);
    const LikelihoodSummary summary = score_split(*model, data, options.chunk, [&](Index first, const Vector& lp) {
      if (writer) writer->add(first, lp);
    });
    if (writer) writer->commit();
    rows.push_back({path, std::string(model->type()), model->hyperparameters(), model->num_parameters(),
                    read_fit_record(path).seconds, summary, std::string(model->value_name()), estimator});
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
      ->check(CLI::NonNegativeNumber);
  score->add_option("--chunk", options->chunk, "examples read from disk at a time")->capture_default_str()->check(CLI::PositiveNumber);
  CLI::Option* estimator =
      score->add_option("--estimator", options->estimator,
                        "vae: elbo (a lower bound) | iwae (importance-weighted estimate with --k samples)")
          ->capture_default_str()
          ->check(CLI::IsMember({"elbo", "iwae"}));
  CLI::Option* k = score->add_option("--k", options->k, "vae: samples per example (iwae: k; elbo: draws averaged)")
                       ->capture_default_str()
                       ->check(CLI::PositiveNumber);
  score->add_option("--estimator-seed", options->estimator_seed, "vae: seed of the per-example draws")
      ->capture_default_str();
  score->add_option("--sample-chunk", options->sample_chunk, "vae: decoder columns per pass (bounds memory)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  commands.push_back({score, [options, estimator, k, &global] {
                        options->estimator_given = estimator->count() > 0 || k->count() > 0;
                        run_score(*options, global);
                      }});
}

}  // namespace logp::cli
