// logp score: per-example log-likelihoods of a split under one or more models, and their summary.
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
};

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Per-example output: CSV streams rows as chunks are scored; HDF5 is written at the end.
class ScoreWriter {
 public:
  ScoreWriter(const std::string& path, const DensityModel& model, const DatasetSplit& data, const std::string& model_path)
      : output_(path), csv_(ends_with(path, ".csv")), column_(model.value_name()), model_path_(model_path),
        data_where_(data.where()), kind_(to_string(model.likelihood_kind())) {
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
      root.set_attr(column_, "units", std::string("nats"));
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
};

void print_table(const std::vector<Row>& rows, const DatasetSplit& data) {
  std::cout << "data: " << data.where() << " (" << data.spec().describe() << "), N=" << data.size() << "\n";
  Table table({"model", "type", "likelihood", "NLL nats/example", "bits/dim", "params", "fit s"},
              {false, false, false, true, true, true, true});
  for (const Row& row : rows)
    table.add_row({row.path, row.type + " (" + row.hyperparameters + ")", std::string(to_string(row.summary.kind)),
                   fixed(row.summary.mean_nll, 2) + " ± " + fixed(row.summary.std_error, 2),
                   fixed(row.summary.bits_per_dim, 4), std::to_string(row.parameters), fixed(row.fit_seconds, 1)});
  table.print(std::cout);
  std::cout << "NLL: mean negative log-likelihood in nats per example ± its standard error (std/sqrt(N)); "
               "bits/dim = NLL / (D ln 2)\n";
}

void run_score(const ScoreOptions& options, const GlobalOptions& global) {
  if (!options.out.empty() && options.models.size() != 1)
    throw Error("--out writes one model's per-example scores; give a single --model");
  const DatasetSplit data = DatasetSplit::open(options.data, options.split);
  std::vector<Row> rows;
  for (const std::string& path : options.models) {
    const std::unique_ptr<DensityModel> model = load_density_model(path);
    std::unique_ptr<ScoreWriter> writer;
    if (!options.out.empty()) writer = std::make_unique<ScoreWriter>(options.out, *model, data, path);
    const LikelihoodSummary summary = score_split(*model, data, options.chunk, [&](Index first, const Vector& lp) {
      if (writer) writer->add(first, lp);
    });
    if (writer) writer->commit();
    rows.push_back({path, std::string(model->type()), model->hyperparameters(), model->num_parameters(),
                    read_fit_record(path).seconds, summary});
  }
  if (global.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const Row& row : rows)
      out.push_back({{"model", row.path},
                     {"type", row.type},
                     {"hyperparameters", row.hyperparameters},
                     {"likelihood_kind", to_string(row.summary.kind)},
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
    print_table(rows, data);
    if (!options.out.empty()) std::cout << "wrote per-example scores to " << options.out << "\n";
  }
}

}  // namespace

void add_score_command(CLI::App& app, Commands& commands, const GlobalOptions& global) {
  auto options = std::make_shared<ScoreOptions>();
  CLI::App* score = app.add_subcommand("score", "per-example log-likelihoods (nats) and their summary");
  score->add_option("--model", options->models, "model file(s); repeat to compare in one table")->required();
  score->add_option("--data", options->data, "logp dataset file")->required();
  score->add_option("--split", options->split, "split to score")->capture_default_str();
  score->add_option("--out", options->out, "per-example scores: .csv (index,log_prob) or .h5");
  score->add_option("--chunk", options->chunk, "examples read from disk at a time")->capture_default_str()->check(CLI::PositiveNumber);
  commands.push_back({score, [options, &global] { run_score(*options, global); }});
}

}  // namespace logp::cli
