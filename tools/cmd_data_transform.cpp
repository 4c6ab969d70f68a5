// logp data perturb / logp data select: derived dataset files for anomaly detection.
//   perturb: each value replaced, with probability --fraction, by a uniform random value of the
//            data's kind (the background model's training data of Ren et al. 2019).
//   select:  the examples whose label is in --labels (the one-class protocol's training data).
// Both keep labels, shape and provenance, and record what they did as provenance attributes.
#include <algorithm>
#include <functional>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "cli.hpp"
#include "logp/core/error.hpp"
#include "logp/core/rng.hpp"
#include "logp/data/dataset.hpp"
#include "logp/data/dataset_writer.hpp"

namespace logp::cli {
namespace {

struct TransformOptions {
  std::string data;
  std::string out;
  std::vector<std::string> splits;  // empty: all present
  double fraction = 0.2;
  std::uint64_t seed = 0;
  std::vector<std::int64_t> labels;
};

std::vector<std::string> splits_to_write(const TransformOptions& options) {
  const std::vector<std::string> present = list_splits(options.data);
  if (options.splits.empty()) return present;
  for (const std::string& split : options.splits)
    if (std::find(present.begin(), present.end(), split) == present.end())
      throw Error(options.data + ": no split '" + split + "'");
  return options.splits;
}

// x: D x N, replaced in place. Real values are drawn uniformly on [low, high] (the split's range).
void perturb(Matrix& x, const DataSpec& spec, double fraction, Rng& rng) {
  const float low = spec.kind == DataKind::real ? x.minCoeff() : 0.0f;
  const float high = spec.kind == DataKind::real ? x.maxCoeff() : 0.0f;
  for (Index j = 0; j < x.cols(); ++j)
    for (Index k = 0; k < x.rows(); ++k) {
      if (rng.uniform() >= fraction) continue;
      x(k, j) = spec.kind == DataKind::real
                    ? low + static_cast<float>(rng.uniform()) * (high - low)
                    : static_cast<float>(rng.uniform_index(static_cast<std::uint64_t>(spec.levels)));
    }
}

void add_split(DatasetWriter& writer, const std::string& name, const Matrix& x, const DataSpec& spec,
               const std::vector<std::int64_t>& labels) {
  // A D x N column-major batch is the N x D row-major layout of the file.
  if (spec.is_discrete()) {
    std::vector<std::uint8_t> rows(static_cast<size_t>(x.size()));
    for (Index k = 0; k < x.size(); ++k) rows[static_cast<size_t>(k)] = static_cast<std::uint8_t>(x.data()[k]);
    writer.add_split(name, rows, labels);
  } else {
    writer.add_split(name, std::vector<float>(x.data(), x.data() + x.size()), labels);
  }
}

std::string join(const std::vector<std::int64_t>& values) {
  std::string text;
  for (size_t i = 0; i < values.size(); ++i) text += (i ? "," : "") + std::to_string(values[i]);
  return text;
}

// Writes OUT with the chosen splits of IN, each passed through transform(name, x, labels).
void write_transformed(const TransformOptions& options, std::map<std::string, std::string> extra_provenance,
                       const std::function<void(const std::string& split, Matrix& x, std::vector<std::int64_t>& y)>& transform,
                       const GlobalOptions& global) {
  refuse_outputs_over_inputs({{"--data", options.data}}, {{"--out", options.out}});
  const std::vector<std::string> splits = splits_to_write(options);
  const DatasetSplit first = DatasetSplit::open(options.data, splits.front());
  std::map<std::string, std::string> provenance = first.provenance();
  provenance["derived_from"] = options.data;
  for (auto& [key, value] : extra_provenance) provenance[key] = value;
  DatasetWriter writer(options.out, first.spec(), provenance);
  nlohmann::json counts;
  for (const std::string& name : splits) {
    const DatasetSplit split = DatasetSplit::open(options.data, name);
    Matrix x = split.read_all();
    std::vector<std::int64_t> y = split.has_labels() ? split.read_labels() : std::vector<std::int64_t>{};
    transform(name, x, y);
    add_split(writer, name, x, split.spec(), y);
    counts[name] = x.cols();
  }
  writer.commit();
  if (global.json) {
    std::cout << nlohmann::json{{"out", options.out}, {"examples", counts}}.dump(2) << "\n";
  } else {
    std::cout << "wrote " << options.out << ":";
    for (const auto& [name, n] : counts.items()) std::cout << " " << name << " " << n.get<Index>();
    std::cout << " examples\n";
  }
}

void run_perturb(const TransformOptions& options, const GlobalOptions& global) {
  const std::vector<std::string> all = {"train", "valid", "test"};
  write_transformed(
      options, {{"perturb_fraction", fixed(options.fraction, 6)}, {"perturb_seed", std::to_string(options.seed)}},
      [&](const std::string& split, Matrix& x, std::vector<std::int64_t>&) {
        const auto stream = static_cast<std::uint64_t>(std::find(all.begin(), all.end(), split) - all.begin());
        Rng rng = Rng(options.seed).split(stream);
        perturb(x, DatasetSplit::open(options.data, split).spec(), options.fraction, rng);
      },
      global);
}

void run_select(const TransformOptions& options, const GlobalOptions& global) {
  const std::set<std::int64_t> keep(options.labels.begin(), options.labels.end());
  write_transformed(
      options, {{"selected_labels", join(options.labels)}},
      [&](const std::string& split, Matrix& x, std::vector<std::int64_t>& y) {
        if (y.empty()) throw Error(options.data + ":/" + split + " has no labels (y); cannot select by label");
        std::vector<Index> kept;
        for (size_t i = 0; i < y.size(); ++i)
          if (keep.count(y[i])) kept.push_back(static_cast<Index>(i));
        if (kept.empty())
          throw Error(options.data + ":/" + split + ": no example has a label in {" + join(options.labels) + "}");
        Matrix selected(x.rows(), static_cast<Index>(kept.size()));
        std::vector<std::int64_t> selected_y(kept.size());
        for (size_t j = 0; j < kept.size(); ++j) {
          selected.col(static_cast<Index>(j)) = x.col(kept[j]);
          selected_y[j] = y[static_cast<size_t>(kept[j])];
        }
        x = std::move(selected);
        y = std::move(selected_y);
      },
      global);
}

void add_common_options(CLI::App* command, TransformOptions& options) {
  command->add_option("--data", options.data, "input logp dataset file")->required();
  command->add_option("--out", options.out, "output logp dataset file")->required();
  command->add_option("--splits", options.splits, "splits to write (default: all present)")->delimiter(',');
}

}  // namespace

void add_data_transform_commands(CLI::App& data, Commands& commands, const GlobalOptions& global) {
  auto perturb_options = std::make_shared<TransformOptions>();
  CLI::App* perturb_app = data.add_subcommand(
      "perturb", "replace a random fraction of each example's values by uniform random values (background model data)");
  add_common_options(perturb_app, *perturb_options);
  perturb_app->add_option("--fraction", perturb_options->fraction, "probability that a value is replaced")
      ->capture_default_str()->check(number_between(0.0, 1.0));
  perturb_app->add_option("--seed", perturb_options->seed, "random seed")->capture_default_str();
  commands.push_back({perturb_app, [perturb_options, &global] { run_perturb(*perturb_options, global); }});

  auto select_options = std::make_shared<TransformOptions>();
  CLI::App* select_app = data.add_subcommand("select", "keep the examples whose label is in --labels");
  add_common_options(select_app, *select_options);
  select_app->add_option("--labels", select_options->labels, "labels to keep, e.g. 3 or 0,2")
      ->required()->delimiter(',');
  commands.push_back({select_app, [select_options, &global] { run_select(*select_options, global); }});
}

}  // namespace logp::cli
