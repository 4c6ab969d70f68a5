// logp eval-samples: how close are a model's samples to the data? Sample-based metrics
// (include/logp/eval/sample_metrics) for one or more sample sets against the held-out split,
// with train-vs-test real data as the reference row.
#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli.hpp"
#include "table.hpp"
#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"
#include "logp/data/dataset_writer.hpp"
#include "logp/data/importers/npy.hpp"
#include "logp/eval/sample_metrics/c2st.hpp"
#include "logp/eval/sample_metrics/data_copying.hpp"
#include "logp/eval/sample_metrics/fid.hpp"
#include "logp/eval/sample_metrics/kernel_mmd.hpp"
#include "logp/eval/sample_metrics/manifold.hpp"
#include "logp/eval/sample_metrics/parzen.hpp"
#include "logp/io/atomic_output.hpp"
#include "logp/io/model_file.hpp"
#include "logp/models/features/feature_network.hpp"
#include "logp/parallel/communicator.hpp"

namespace logp::cli {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

struct EvalSamplesOptions {
  std::string data;
  std::string split = "test";
  std::string train_split = "train";
  std::string valid_split = "valid";
  std::vector<std::string> samples;
  std::string samples_split = "samples";
  std::vector<std::string> models;
  Index n = 10000;
  std::uint64_t seed = 0;
  Index first = 0;       // > 0: at most this many real examples from each split
  Index copy_train = 0;  // > 0: training examples the copying test measures against
  bool no_reference = false;
  std::string real_features;
  std::vector<std::string> sample_features;
  std::string train_features;
  std::string valid_features;
  std::string features;  // a saved feature network: metrics in its penultimate layer
  std::string out;
  Index permutations = 500;
  Index test_subset = 1000;
  Index kid_subsets = 100;
  Index kid_subset_size = 1000;
  int fid_bootstrap = 10;
};

// One set of examples to judge, F x M in double.
struct SampleSet {
  std::string name;    // the file it came from, or "train (reference)"
  std::string source;  // "model", "samples", "features", "reference"
  MatrixD x;
  std::string note;    // e.g. "drawn with seed 0, cached in FILE"
};

MatrixD to_double(const Matrix& x) { return x.cast<double>(); }

MatrixD read_split(const DatasetSplit& split, Index first) {
  const Index count = first > 0 ? std::min(first, split.size()) : split.size();
  return to_double(split.read(0, count));
}

// The one-line refusal for examples of another kind than the data.
void require_same_kind(const DataSpec& set, const std::string& set_where, const DataSpec& data,
                       const std::string& data_where) {
  if (set.kind == data.kind && set.levels == data.levels && set.dim == data.dim) return;
  throw Error(set_where + " holds " + set.describe() + " examples but " + data_where + " is " + data.describe() +
              "; compare samples with data of the same kind (binary with binary, 8-bit with 8-bit, real with real)");
}

// MODEL.h5 -> MODEL.samples-SEED-N.h5
std::string cache_path(const std::string& model_path, std::uint64_t seed, Index n) {
  fs::path path(model_path);
  const std::string stem = path.extension() == ".h5" ? path.stem().string() : path.filename().string();
  return (path.parent_path() / (stem + ".samples-" + std::to_string(seed) + "-" + std::to_string(n) + ".h5")).string();
}

// Identifies a model file's version: a refit (new file, renamed into place) changes it.
std::string file_identity(const std::string& path) {
  const auto stamp = fs::last_write_time(path).time_since_epoch();
  return std::to_string(fs::file_size(path)) + "@" +
         std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(stamp).count());
}

SampleSet model_samples(const std::string& model_path, const EvalSamplesOptions& options, const DatasetSplit& real) {
  const std::unique_ptr<Model> model = load_model(model_path);
  require_same_kind(model->data_spec(), model_path + " (a " + std::string(model->type()) + " model)", real.spec(),
                    real.where());
  const std::string cache = cache_path(model_path, options.seed, options.n);
  const std::string identity = file_identity(model_path);
  if (fs::exists(cache)) {
    const DatasetSplit cached = DatasetSplit::open(cache, "samples");
    const auto provenance = cached.provenance();
    const auto found = provenance.find("model_identity");
    if (found != provenance.end() && found->second == identity && cached.size() == options.n) {
      require_same_kind(cached.spec(), cached.where(), real.spec(), real.where());
      return {model_path, "model", to_double(cached.read_all()),
              "seed " + std::to_string(options.seed) + ", cached in " + cache};
    }
    notes() << cache << ": made from another version of " << model_path << "; drawing again\n";
  }
  Rng rng(options.seed);
  const Matrix x = model->sample(options.n, rng);  // D x n
  if (world().rank() == 0) {  // every rank draws the same samples; rank 0 caches them
    const DataSpec& spec = model->data_spec();
    DatasetWriter writer(cache, spec,
                         {{"source", "logp eval-samples: samples of " + model_path},
                          {"model_identity", identity},
                          {"seed", std::to_string(options.seed)},
                          {"created_by", command_line()}});
    if (spec.is_discrete()) {
      const Eigen::Matrix<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic> bytes = x.cast<std::uint8_t>();
      writer.add_split("samples", std::vector<std::uint8_t>(bytes.data(), bytes.data() + bytes.size()), {});
    } else {
      writer.add_split("samples", std::vector<float>(x.data(), x.data() + x.size()), {});
    }
    writer.commit();
  }
  return {model_path, "model", to_double(x), "seed " + std::to_string(options.seed) + ", drawn and cached in " + cache};
}

// An N x F .npy file as F x N features.
MatrixD read_features(const std::string& path) {
  const ImportedTable table = read_npy(path);
  require(table.n >= 1 && table.d >= 1, path + ": no features");
  MatrixD x(table.d, table.n);
  for (Index j = 0; j < table.n; ++j)
    for (Index f = 0; f < table.d; ++f) {
      x(f, j) = table.value(j, f);
      require(std::isfinite(x(f, j)), path + ": example " + std::to_string(j) + ", feature " + std::to_string(f) +
                                          " is not finite");
    }
  return x;
}

struct RowResult {
  const SampleSet* set;
  std::vector<MetricValue> metrics;  // in the table's order; a skipped metric has a NaN value and a reason
};

MetricValue skipped(const std::string& name, const std::string& reason) {
  MetricValue v;
  v.name = name;
  v.details = "not computed: " + reason;
  return v;
}

struct Context {
  MatrixD real;    // F x N: the held-out split
  MatrixD train;   // F x Ntr: for the copying test (may be empty)
  MatrixD valid;   // F x V: chooses the Parzen bandwidth (may be empty)
  std::string feature_space;
};

RowResult evaluate(const SampleSet& set, const Context& context, const EvalSamplesOptions& options) {
  require(set.x.rows() == context.real.rows(), set.name + ": " + std::to_string(set.x.rows()) +
                                                   " features per example, the real data has " +
                                                   std::to_string(context.real.rows()));
  RowResult row{&set, {}};
  std::ostringstream timings;  // seconds per metric, for the progress line on stderr
  auto clock = std::chrono::steady_clock::now();
  const auto lap = [&](const char* name) {
    const auto now = std::chrono::steady_clock::now();
    timings << " " << name << " " << fixed(std::chrono::duration<double>(now - clock).count(), 1) << "s";
    clock = now;
  };
  row.metrics.push_back(frechet_distance(context.real, set.x, {.bootstrap = options.fid_bootstrap, .seed = options.seed}));
  lap("fid");
  row.metrics.push_back(kid(context.real, set.x,
                            {.subsets = options.kid_subsets, .subset_size = options.kid_subset_size, .seed = options.seed}));
  lap("kid");
  row.metrics.push_back(mmd2_gaussian(context.real, set.x,
                                      {.permutations = options.permutations, .test_subset = options.test_subset,
                                       .seed = options.seed}));
  lap("mmd");
  const ManifoldMetrics manifold = manifold_metrics(context.real, set.x);
  for (const MetricValue& v : {manifold.precision, manifold.recall, manifold.density, manifold.coverage})
    row.metrics.push_back(v);
  lap("prdc");
  row.metrics.push_back(classifier_two_sample_test(context.real, set.x, {.k = 5, .seed = options.seed}));
  lap("c2st");
  if (context.valid.cols() > 0)
    row.metrics.push_back(parzen_log_likelihood(set.x, context.valid, context.real));
  else
    row.metrics.push_back(skipped("parzen_ll", "no validation examples to choose the bandwidth (--valid-features)"));
  lap("parzen");
  if (set.source == "reference")
    row.metrics.push_back(skipped("copying_z", "the reference samples are training examples"));
  else if (context.train.cols() > 0)
    row.metrics.push_back(data_copying_test(context.train, set.x, context.real));
  else
    row.metrics.push_back(skipped("copying_z", "no training examples (give --train-features)"));
  lap("copying");
  notes() << "evaluated " << set.name << " (" << set.x.cols() << " examples):" << timings.str() << "\n";
  return row;
}

// A row's metrics as text and back, bit for bit (doubles as their bit patterns), to gather rows
// computed on other ranks.
json pack(const std::vector<MetricValue>& metrics) {
  const auto bits = [](double x) { return std::bit_cast<std::uint64_t>(x); };
  json out = json::array();
  for (const MetricValue& v : metrics)
    out.push_back({v.name, bits(v.value), bits(v.spread), v.spread_kind, v.n_real, v.n_samples, bits(v.p_value),
                   v.details, v.warning});
  return out;
}

std::vector<MetricValue> unpack(const json& packed) {
  const auto number = [](const json& x) { return std::bit_cast<double>(x.get<std::uint64_t>()); };
  std::vector<MetricValue> metrics;
  for (const json& m : packed)
    metrics.push_back({m[0].get<std::string>(), number(m[1]), number(m[2]), m[3].get<std::string>(), m[4].get<Index>(),
                       m[5].get<Index>(), number(m[6]), m[7].get<std::string>(), m[8].get<std::string>()});
  return metrics;
}

// Every set's row, in set order. In a parallel run (docs/mpi.md) rank r evaluates the sets
// rank_range(sets, r, R) and every rank gathers all rows.
std::vector<RowResult> evaluate_all(const std::vector<SampleSet>& sets, const Context& context,
                                    const EvalSamplesOptions& options) {
  const Communicator& ranks = world();
  const RankRange mine = rank_range(static_cast<Index>(sets.size()), ranks.rank(), ranks.size());
  std::vector<RowResult> rows;
  json own = json::array();
  for (Index i = mine.begin; i < mine.end; ++i) {
    rows.push_back(evaluate(sets[static_cast<std::size_t>(i)], context, options));
    own.push_back(pack(rows.back().metrics));
  }
  if (ranks.size() == 1) return rows;
  rows.clear();
  for (const std::string& text : ranks.all_gather_text(own.dump()))
    for (const json& packed : json::parse(text))
      rows.push_back({&sets[rows.size()], unpack(packed)});
  return rows;
}

std::string plus_minus(const MetricValue& v) {
  if (std::isnan(v.value)) return "—";
  std::ostringstream out;
  out << std::setprecision(4) << v.value;
  if (!std::isnan(v.spread)) out << " ± " << std::setprecision(2) << v.spread;
  if (v.has_p_value()) out << " (p=" << std::setprecision(2) << v.p_value << ")";
  return out.str();
}

json to_json(const MetricValue& v) {
  const auto number = [](double x) { return std::isnan(x) ? json(nullptr) : json(x); };
  return {{"value", number(v.value)},         {"spread", number(v.spread)}, {"spread_kind", v.spread_kind},
          {"n_real", v.n_real},               {"n_samples", v.n_samples},   {"p_value", number(v.p_value)},
          {"details", v.details},             {"warning", v.warning}};
}

json rows_json(const std::vector<RowResult>& rows, const Context& context, const std::string& real_where) {
  json out = {{"feature_space", context.feature_space},
              {"real", real_where},
              {"n_real", context.real.cols()},
              {"features", context.real.rows()},
              {"rows", json::array()}};
  for (const RowResult& row : rows) {
    json metrics = json::object();
    for (const MetricValue& v : row.metrics) metrics[v.name] = to_json(v);
    out["rows"].push_back({{"set", row.set->name},
                           {"source", row.set->source},
                           {"n_samples", row.set->x.cols()},
                           {"note", row.set->note},
                           {"metrics", metrics}});
  }
  return out;
}

void print_rows(const std::vector<RowResult>& rows, const Context& context, const std::string& real_where) {
  std::cout << "feature space: " << context.feature_space << "\n"
            << "real: " << real_where << ", N=" << context.real.cols() << "\n";
  Table table({"set", "n", "FID", "KID", "MMD²", "precision", "recall", "density", "coverage", "C2ST acc",
               "Parzen LL (legacy)", "copying z"},
              {false, true, true, true, true, true, true, true, true, true, true, true});
  for (const RowResult& row : rows) {
    std::vector<std::string> cells = {row.set->name + (row.set->source == "reference" ? " (reference)" : ""),
                                      std::to_string(row.set->x.cols())};
    for (const MetricValue& v : row.metrics) cells.push_back(plus_minus(v));
    table.add_row(cells);
  }
  table.print(std::cout);
  if (rows.empty()) return;
  std::cout << "value ± spread (p-value where the metric is a test); n = examples per set; spreads:\n";
  for (size_t k = 0; k < rows.front().metrics.size(); ++k) {
    const MetricValue* shown = &rows.front().metrics[k];  // the first row where the metric was computed
    for (const RowResult& row : rows)
      if (!std::isnan(row.metrics[k].value)) {
        shown = &row.metrics[k];
        break;
      }
    std::cout << "  " << shown->name << ": " << (shown->spread_kind.empty() ? "-" : shown->spread_kind) << "; "
              << shown->details << "\n";
  }
  for (const RowResult& row : rows) {
    if (!row.set->note.empty()) std::cout << row.set->name << ": " << row.set->note << "\n";
    for (const MetricValue& v : row.metrics)
      if (!v.warning.empty()) std::cout << row.set->name << ": " << v.name << ": warning: " << v.warning << "\n";
  }
  std::cout << "Parzen LL is the legacy Parzen-window log-likelihood (nats/example), unreliable (Theis et al. "
               "2016); copying z << 0 means samples sit closer to the training data than test data does\n";
}

void run_eval_samples(const EvalSamplesOptions& options, const GlobalOptions& global) {
  const bool features_mode = !options.real_features.empty();
  FileArguments inputs = {{"--data", options.data},
                          {"--real-features", options.real_features},
                          {"--train-features", options.train_features},
                          {"--valid-features", options.valid_features},
                          {"--features", options.features}};
  for (const std::string& path : options.samples) inputs.push_back({"--samples", path});
  for (const std::string& path : options.models) inputs.push_back({"--model", path});
  for (const std::string& path : options.sample_features) inputs.push_back({"--sample-features", path});
  FileArguments outputs = {{"--out", options.out}};
  for (const std::string& path : options.models)  // the samples cached beside each model
    outputs.push_back({"the samples of --model " + path + ",", cache_path(path, options.seed, options.n)});
  refuse_outputs_over_inputs(inputs, outputs);

  Context context;
  std::vector<SampleSet> sets;
  std::string real_where;
  if (features_mode) {
    if (!options.samples.empty() || !options.models.empty() || !options.features.empty())
      throw UsageError("--real-features compares precomputed features: give --sample-features, not --samples/--model/--features");
    if (options.sample_features.empty()) throw UsageError("--real-features needs at least one --sample-features FILE");
    context.real = read_features(options.real_features);
    real_where = options.real_features;
    context.feature_space = "precomputed features from " + options.real_features + " (F=" +
                            std::to_string(context.real.rows()) + ")";
    if (!options.train_features.empty()) context.train = read_features(options.train_features);
    if (!options.valid_features.empty()) context.valid = read_features(options.valid_features);
    for (const std::string& path : options.sample_features) sets.push_back({path, "features", read_features(path), ""});
  } else {
    if (options.data.empty()) throw UsageError("give --data FILE (or --real-features R.npy --sample-features S.npy)");
    if (!options.sample_features.empty()) throw UsageError("--sample-features needs --real-features");
    if (!options.train_features.empty() || !options.valid_features.empty())
      throw UsageError("--train-features and --valid-features need --real-features");
    if (options.samples.empty() && options.models.empty() && options.no_reference)
      throw UsageError("nothing to evaluate: give --samples FILE or --model MODEL");
    const DatasetSplit real = DatasetSplit::open(options.data, options.split);
    real_where = real.where();
    context.real = read_split(real, options.first);
    context.feature_space = "pixels (" + real.spec().describe() + ", values as stored)";
    const std::vector<std::string> splits = list_splits(options.data);
    const auto has = [&](const std::string& s) { return std::find(splits.begin(), splits.end(), s) != splits.end(); };
    if (has(options.valid_split)) context.valid = read_split(DatasetSplit::open(options.data, options.valid_split), options.first);
    for (const std::string& path : options.samples) {
      const DatasetSplit split = DatasetSplit::open(path, options.samples_split);
      require_same_kind(split.spec(), split.where(), real.spec(), real.where());
      sets.push_back({path, "samples", to_double(split.read_all()), ""});
    }
    for (const std::string& path : options.models) sets.push_back(model_samples(path, options, real));
    if (has(options.train_split)) {
      const DatasetSplit train = DatasetSplit::open(options.data, options.train_split);
      context.train = read_split(train, options.copy_train);
      if (!options.no_reference) {
        // The last examples of train, as many as the largest sample set (at most the split).
        Index count = context.real.cols();
        for (const SampleSet& set : sets) count = std::max(count, set.x.cols());
        count = std::min(count, train.size());
        sets.insert(sets.begin(), SampleSet{train.where(), "reference",
                                            to_double(train.read(train.size() - count, count)),
                                            "the last " + std::to_string(count) + " training examples"});
      }
    }
    if (!options.features.empty()) {
      const FeatureNetwork network = FeatureNetwork::load(options.features);
      require_same_kind(network.data_spec(), options.features + " (a feature network)", real.spec(), real.where());
      const auto to_features = [&](MatrixD& x) {
        if (x.cols() > 0) x = network.features(x.cast<float>());  // pixel values are exact in float
      };
      to_features(context.real);
      to_features(context.train);
      to_features(context.valid);
      for (SampleSet& set : sets) to_features(set.x);
      context.feature_space = network.describe() + " (" + options.features + ", F=" +
                              std::to_string(network.feature_dim()) + ")";
    }
  }
  const std::vector<RowResult> rows = evaluate_all(sets, context, options);
  const json report = rows_json(rows, context, real_where);
  if (!options.out.empty() && world().rank() == 0) {  // rank 0 writes for all
    AtomicOutput output(options.out);
    {
      std::ofstream stream(output.temp_path());
      stream << std::setw(2) << json{{"command", command_line()}, {"result", report}} << "\n";
      if (!stream) throw Error(options.out + ": write failed (disk full?)");
    }
    output.commit();
  }
  if (global.json) {
    std::cout << report.dump(2) << "\n";
  } else {
    print_rows(rows, context, real_where);
    if (!options.out.empty()) std::cout << "wrote the details to " << options.out << "\n";
  }
}

}  // namespace

void add_eval_samples_command(CLI::App& app, Commands& commands, const GlobalOptions& global) {
  auto o = std::make_shared<EvalSamplesOptions>();
  CLI::App* cmd = app.add_subcommand("eval-samples", "sample-based metrics: how close are samples to the data?");
  cmd->add_option("--data", o->data, "logp dataset file (pixels feature space)");
  cmd->add_option("--split", o->split, "the real data samples are compared with")->capture_default_str();
  cmd->add_option("--train-split", o->train_split, "training data: reference row and copying test")->capture_default_str();
  cmd->add_option("--valid-split", o->valid_split, "chooses the Parzen bandwidth")->capture_default_str();
  cmd->add_option("--samples", o->samples, "logp dataset file(s) of samples (logp sample --out); repeatable");
  cmd->add_option("--samples-split", o->samples_split, "the split of --samples files")->capture_default_str();
  cmd->add_option("--model", o->models, "model file(s): samples drawn with --seed, cached beside the model; repeatable");
  cmd->add_option("-n", o->n, "samples drawn per model")->capture_default_str()->check(positive_integer());
  cmd->add_option("--seed", o->seed, "seed of the samples and of the metrics' subsets")->capture_default_str();
  cmd->add_option("--first", o->first, "use at most the first N examples of each real split (0: all)")
      ->check(non_negative_integer());
  cmd->add_option("--copy-train", o->copy_train, "training examples for the copying test (0: all)")
      ->check(non_negative_integer());
  cmd->add_flag("--no-reference", o->no_reference, "omit the train-vs-test reference row");
  cmd->add_option("--real-features", o->real_features, "precomputed real features, N x F .npy (float32/64)");
  cmd->add_option("--sample-features", o->sample_features, "precomputed sample features, M x F .npy; repeatable");
  cmd->add_option("--train-features", o->train_features, "precomputed training features for the copying test");
  cmd->add_option("--valid-features", o->valid_features, "precomputed validation features (Parzen bandwidth)");
  cmd->add_option("--features", o->features,
                  "a saved logp feature network (.h5): metrics in its penultimate layer, not Inception's");
  cmd->add_option("--out", o->out, "details of every metric as JSON");
  cmd->add_option("--permutations", o->permutations, "MMD permutation test: B")->capture_default_str()->check(positive_integer());
  cmd->add_option("--test-subset", o->test_subset, "MMD permutation test: at most this many of each set")
      ->capture_default_str()->check(positive_integer());
  cmd->add_option("--kid-subsets", o->kid_subsets, "KID subsets")->capture_default_str()->check(positive_integer());
  cmd->add_option("--kid-subset-size", o->kid_subset_size, "KID subset size")->capture_default_str()->check(positive_integer());
  cmd->add_option("--fid-bootstrap", o->fid_bootstrap, "FID bootstrap resamples for its spread (0: none)")
      ->capture_default_str()->check(non_negative_integer());
  commands.push_back({cmd, [o, &global] { run_eval_samples(*o, global); }});
}

}  // namespace logp::cli
