// logp compare: is model A really better than model B on these examples? Paired tests on
// per-example log-likelihoods, a ranking of several models with Holm-adjusted p-values.
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "plots.hpp"
#include "table.hpp"
#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"
#include "logp/eval/likelihood_summary.hpp"
#include "logp/eval/paired_comparison.hpp"
#include "logp/eval/score.hpp"
#include "logp/eval/score_file.hpp"
#include "logp/io/model_file.hpp"
#include "logp/plot/picture.hpp"

namespace logp::cli {
namespace {

struct CompareOptions {
  std::vector<std::string> models;
  std::vector<std::string> scores;
  std::string data;
  std::string split = "test";
  Index dim = 0;
  bool allow_mixed_kinds = false;
  double confidence = 0.95;
  Index bootstrap = 2000;
  std::uint64_t seed = 0;
  Index chunk = 4096;
  std::string plot;  // the adjacent pairs' differences, .svg or .png
};

// One model's per-example log-likelihoods on the compared examples.
struct Entry {
  std::string name;
  std::string source;      // "model" or "scores"
  std::string data;        // file:/split/x when known
  ExampleValues values;    // N log-likelihoods, nats
};

// "dir/../f.h5:/test/x" -> "/abs/f.h5:/test/x", so the same data named two ways compares equal.
std::string canonical_where(const std::string& where) {
  const size_t colon = where.rfind(":/");
  if (colon == std::string::npos) return where;
  std::error_code ignored;
  return std::filesystem::weakly_canonical(where.substr(0, colon), ignored).string() + where.substr(colon);
}

std::vector<Entry> collect_entries(const CompareOptions& options, Index& dim, std::string& data_where) {
  std::vector<Entry> entries;
  if (!options.models.empty() && options.data.empty())
    throw UsageError("--model needs --data (the examples to score the models on)");
  if (!options.data.empty()) {
    const DatasetSplit data = DatasetSplit::open(options.data, options.split);
    data_where = data.where();
    if (options.dim != 0 && options.dim != data.dim())
      throw Error("--dim " + std::to_string(options.dim) + " but " + data.where() + " has D=" + std::to_string(data.dim()));
    dim = data.dim();
    for (const std::string& path : options.models) {
      const std::unique_ptr<DensityModel> model = load_density_model(path);
      entries.push_back({path, "model", data.where(), score_values(*model, data, options.chunk)});
    }
  } else {
    dim = options.dim;
  }
  for (const std::string& path : options.scores) {
    ScoreFile file = read_score_file(path);
    entries.push_back({path, "scores", file.data, std::move(file.values)});
  }
  if (entries.size() < 2)
    throw Error("compare needs at least two models (--model and --scores together), got " + std::to_string(entries.size()));
  if (dim <= 0) throw UsageError("D is unknown for bits/dim: give --data or --dim");

  const Entry& first = entries.front();
  for (const Entry& e : entries) {
    if (e.values.values.size() != first.values.values.size())
      throw Error("different numbers of examples: " + first.name + " has N=" + std::to_string(first.values.values.size()) +
                  ", " + e.name + " has N=" + std::to_string(e.values.values.size()) + "; compare scores of the same examples");
    if (!data_where.empty() && !e.data.empty() && canonical_where(e.data) != canonical_where(data_where))
      throw Error("different examples: " + e.name + " scored " + e.data + ", not " + data_where);
    if (data_where.empty() && !e.data.empty()) data_where = e.data;
    if (e.values.kind != first.values.kind && !options.allow_mixed_kinds)
      throw Error(first.name + " gives " + std::string(to_string(first.values.kind)) + " values (" + first.values.name + ") but " +
                  e.name + " gives " + std::string(to_string(e.values.kind)) + " values (" + e.values.name +
                  "): a bound or estimate is not comparable with an exact log-likelihood; pass --allow-mixed-kinds "
                  "to compare anyway (the output is labelled)");
  }
  return entries;
}

LikelihoodSummary summarize(const Entry& e, Index dim) {
  return summarize_log_probs(e.values.values, dim, likelihood_kind(e.values.kind, e.name));
}

std::string interval_text(double low, double high, int decimals) {
  return "[" + fixed(low, decimals) + ", " + fixed(high, decimals) + "]";
}

std::string p_text(double p) {
  if (p < 1e-300) return "<1e-300";
  if (p < 1e-4) {
    std::ostringstream out;
    out << std::scientific << std::setprecision(1) << p;
    return out.str();
  }
  return fixed(p, 4);
}

void print_tables(const std::vector<Entry>& entries, const Ranking& ranking, Index dim, const std::string& data_where,
                  bool mixed, const CompareOptions& options) {
  const double to_bpd = ranking.adjacent.front().nats_to_bits_per_dim();
  std::cout << "data: " << (data_where.empty() ? "(not recorded in the score files)" : data_where)
            << ", N=" << entries.front().values.values.size() << ", D=" << dim << "\n";
  if (mixed)
    std::cout << "WARNING: mixed likelihood kinds (--allow-mixed-kinds): a bound or estimate is ranked against "
                 "other kinds; differences include the bound's gap\n";
  Table models({"rank", "model", "likelihood", "NLL nats/example", "bits/dim"}, {true, false, false, true, true});
  for (size_t k = 0; k < ranking.order.size(); ++k) {
    const Entry& e = entries[static_cast<size_t>(ranking.order[k])];
    const LikelihoodSummary s = summarize(e, dim);
    models.add_row({std::to_string(k + 1), e.name, std::string(to_string(e.values.kind)),
                    plus_minus(s.mean_nll, s.std_error, 3), fixed(s.bits_per_dim, 5)});
  }
  models.print(std::cout);
  std::cout << "\n";
  const int percent = static_cast<int>(std::lround(100.0 * options.confidence));
  Table pairs({"better vs worse", "Δ nats/example", std::to_string(percent) + "% t interval",
               "bootstrap interval", "Δ bits/dim", "t", "p (t)", "Holm p (t)", "p (Wilcoxon)", "Holm p (W)"},
              {false, true, true, true, true, true, true, true, true, true});
  for (size_t k = 0; k < ranking.adjacent.size(); ++k) {
    const PairedComparison& c = ranking.adjacent[k];
    const Entry& a = entries[static_cast<size_t>(ranking.order[k])];
    const Entry& b = entries[static_cast<size_t>(ranking.order[k + 1])];
    const std::string label = a.values.kind == b.values.kind ? "" : " (" + std::string(to_string(a.values.kind)) + " vs " +
                                                          std::string(to_string(b.values.kind)) + ")";
    pairs.add_row({a.name + " vs " + b.name + label, plus_minus(c.t.mean, c.t.std_error, 4),
                   interval_text(c.t.ci_low, c.t.ci_high, 4), interval_text(c.bootstrap.low, c.bootstrap.high, 4),
                   fixed(c.t.mean * to_bpd, 6), fixed(c.t.t, 2), p_text(c.t.p), p_text(ranking.p_t_holm[k]),
                   p_text(c.wilcoxon.p), p_text(ranking.p_wilcoxon_holm[k])});
  }
  pairs.print(std::cout);
  std::cout << "Δ = mean of log p(better) - log p(worse) per example, nats ± standard error; paired t-test (df N-1), "
               "Wilcoxon signed-rank (normal approximation), percentile bootstrap ("
            << options.bootstrap << " resamples, seed " << options.seed
            << "); Holm over the adjacent pairs. bits/dim = nats / (D ln 2)\n";
}

nlohmann::json to_json(const std::vector<Entry>& entries, const Ranking& ranking, Index dim,
                       const std::string& data_where, bool mixed, const CompareOptions& options) {
  const double to_bpd = ranking.adjacent.front().nats_to_bits_per_dim();
  nlohmann::json models = nlohmann::json::array();
  for (size_t k = 0; k < ranking.order.size(); ++k) {
    const Entry& e = entries[static_cast<size_t>(ranking.order[k])];
    const LikelihoodSummary s = summarize(e, dim);
    models.push_back({{"rank", k + 1},
                      {"name", e.name},
                      {"source", e.source},
                      {"likelihood_kind", to_string(e.values.kind)},
                      {"value_name", e.values.name},
                      {"mean_nll_nats", s.mean_nll},
                      {"std_error_nats", s.std_error},
                      {"bits_per_dim", s.bits_per_dim},
                      {"bits_per_dim_std_error", s.bits_per_dim_se}});
  }
  nlohmann::json pairs = nlohmann::json::array();
  for (size_t k = 0; k < ranking.adjacent.size(); ++k) {
    const PairedComparison& c = ranking.adjacent[k];
    const Entry& a = entries[static_cast<size_t>(ranking.order[k])];
    const Entry& b = entries[static_cast<size_t>(ranking.order[k + 1])];
    pairs.push_back({{"a", a.name},
                     {"b", b.name},
                     {"kinds", std::string(to_string(a.values.kind)) + " vs " + std::string(to_string(b.values.kind))},
                     {"mean_diff_nats", c.t.mean},
                     {"std_error_nats", c.t.std_error},
                     {"mean_diff_bits_per_dim", c.t.mean * to_bpd},
                     {"std_error_bits_per_dim", c.t.std_error * to_bpd},
                     {"ci_nats", {c.t.ci_low, c.t.ci_high}},
                     {"ci_bits_per_dim", {c.t.ci_low * to_bpd, c.t.ci_high * to_bpd}},
                     {"bootstrap_ci_nats", {c.bootstrap.low, c.bootstrap.high}},
                     {"bootstrap_ci_bits_per_dim", {c.bootstrap.low * to_bpd, c.bootstrap.high * to_bpd}},
                     {"t", c.t.t},
                     {"df", c.t.df},
                     {"p_t", c.t.p},
                     {"wilcoxon_w_plus", c.wilcoxon.w_plus},
                     {"wilcoxon_z", c.wilcoxon.z},
                     {"p_wilcoxon", c.wilcoxon.p},
                     {"p_t_holm", ranking.p_t_holm[k]},
                     {"p_wilcoxon_holm", ranking.p_wilcoxon_holm[k]}});
  }
  return {{"data", data_where.empty() ? nlohmann::json(nullptr) : nlohmann::json(data_where)},
          {"n", entries.front().values.values.size()},
          {"dim", dim},
          {"confidence", options.confidence},
          {"bootstrap_resamples", options.bootstrap},
          {"seed", options.seed},
          {"mixed_kinds", mixed},
          {"models", models},
          {"pairs", pairs}};
}

// The adjacent pairs' mean differences and t intervals, as `compare --plot` draws them.
plot::Scene plot_differences(const std::vector<Entry>& entries, const Ranking& ranking, const std::string& data_where,
                             double confidence) {
  std::vector<DifferenceRow> rows;
  for (size_t k = 0; k < ranking.adjacent.size(); ++k) {
    const PairedComparison& c = ranking.adjacent[k];
    // File names without folder and extension keep the labels inside the chart's margin.
    const std::string a = std::filesystem::path(entries[static_cast<size_t>(ranking.order[k])].name).stem();
    const std::string b = std::filesystem::path(entries[static_cast<size_t>(ranking.order[k + 1])].name).stem();
    rows.push_back({a + " vs " + b, c.t.mean, c.t.ci_low, c.t.ci_high, fixed(c.t.mean, 3) + " ± " + fixed(c.t.std_error, 3)});
  }
  const int percent = static_cast<int>(std::lround(100.0 * confidence));
  const std::string data = data_where.empty() ? "" : " on " + short_where(data_where);
  return differences_chart(rows, percent, "paired differences" + data);
}

void run_compare(const CompareOptions& options, const GlobalOptions& global) {
  require_picture_name("--plot", options.plot);
  FileArguments inputs = {{"--data", options.data}};
  for (const std::string& path : options.models) inputs.push_back({"--model", path});
  for (const std::string& path : options.scores) inputs.push_back({"--scores", path});
  refuse_outputs_over_inputs(inputs, {{"--plot", options.plot}});
  Index dim = 0;
  std::string data_where;
  const std::vector<Entry> entries = collect_entries(options, dim, data_where);
  bool mixed = false;
  for (const Entry& e : entries) mixed = mixed || e.values.kind != entries.front().values.kind;
  std::vector<Vector> log_probs;
  for (const Entry& e : entries) log_probs.push_back(e.values.values);
  const Index n = log_probs.front().size();
  require(n >= 2, (data_where.empty() ? std::string("the score files") : data_where) + ": " + std::to_string(n) +
                      " examples; paired tests need at least 2");
  const Ranking ranking = rank_models(log_probs, dim, {options.confidence, options.bootstrap, options.seed});
  if (!options.plot.empty())
    plot::write_picture(options.plot, plot_differences(entries, ranking, data_where, options.confidence));
  if (global.json)
    std::cout << to_json(entries, ranking, dim, data_where, mixed, options).dump(2) << "\n";
  else
    print_tables(entries, ranking, dim, data_where, mixed, options);
  if (!options.plot.empty() && !global.json) std::cout << "wrote the differences' picture to " << options.plot << "\n";
}

}  // namespace

void add_compare_command(CLI::App& app, Commands& commands, const GlobalOptions& global) {
  auto options = std::make_shared<CompareOptions>();
  CLI::App* compare = app.add_subcommand("compare", "paired comparison and ranking of models on the same examples");
  compare->add_option("--model", options->models, "model file(s), scored here on --data/--split");
  compare->add_option("--scores", options->scores, "per-example files from `logp score --out` (.csv or .h5)");
  compare->add_option("--data", options->data, "logp dataset file (needed with --model; gives D)");
  compare->add_option("--split", options->split, "split to score")->capture_default_str();
  compare->add_option("--dim", options->dim, "D for bits/dim when only --scores are given")->check(positive_integer());
  compare->add_flag("--allow-mixed-kinds", options->allow_mixed_kinds,
                    "rank bounds or estimates against exact log-likelihoods (labelled in the output)");
  compare->add_option("--confidence", options->confidence, "level of the intervals")
      ->capture_default_str()->check(number_between(0.5, 0.9999));
  compare->add_option("--bootstrap", options->bootstrap, "bootstrap resamples")
      ->capture_default_str()->check(CLI::Range(Index{2}, Index{1000000}));
  compare->add_option("--seed", options->seed, "bootstrap seed")->capture_default_str();
  compare->add_option("--chunk", options->chunk, "examples read from disk at a time")
      ->capture_default_str()->check(positive_integer());
  compare->add_option("--plot", options->plot, "the adjacent pairs' differences and intervals as a picture, .svg or .png");
  commands.push_back({compare, [options, &global] { run_compare(*options, global); }});
}

}  // namespace logp::cli
