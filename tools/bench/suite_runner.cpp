#include "logp/bench/suite_runner.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <thread>

#include "logp/bench/machine.hpp"
#include "logp/bench/one_class_summary.hpp"
#include "logp/bench/step_cache.hpp"
#include "logp/bench/step_claims.hpp"
#include "logp/bench/step_outputs.hpp"
#include "logp/bench/subprocess.hpp"
#include "logp/models/registry.hpp"
#include "logp/core/error.hpp"
#include "logp/core/text.hpp"
#include "logp/io/model_file.hpp"
#include "logp/parallel/communicator.hpp"

namespace logp::bench {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr double kNormalQuantile975 = 1.959963984540054;  // 95% two-sided normal interval
constexpr std::chrono::milliseconds kRoundPause{200};     // between walks while other ranks run steps

// Thrown by a step that another rank of the job is running: the part of the suite that needs it
// waits for the next round (SuiteRun::independently).
struct StepPending {};

// A dataset file as the steps see it. `identity` enters the configuration of every step that
// reads it: path, size and modification time for a suite's file; the producing step's key for a
// file made by a step.
struct DataRef {
  std::string name;  // "fmnist-binary", "fmnist-binary/class 3"
  std::string path;
  json identity;
  std::string train, valid, test;
  std::string suite_dataset;  // the suite dataset it is or is a subset of
};

struct StepResult {
  std::string key;
  std::string dir;
  json record;
};

// A model fitted on `data`.train; densities are also scored on `data`.test.
struct ScoredModel {
  const SuiteModel* model;
  std::optional<std::uint64_t> seed;  // empty: an unseeded (closed-form) fit
  json fit_options;
  DataRef data;
  StepResult fit;
  std::optional<StepResult> score;  // empty: a scoring or implicit model (no likelihood)
};

bool has_likelihood(ModelKind kind) { return kind == ModelKind::exact_density || kind == ModelKind::bound; }

ModelKind kind_of(const ScoredModel& s) { return model_entry(s.fit_options["model"].get<std::string>()).kind; }

json seed_json(const std::optional<std::uint64_t>& seed) { return seed ? json(*seed) : json(nullptr); }

std::string display_name(const ScoredModel& scored) {
  return scored.model->name + (scored.seed ? " seed " + std::to_string(*scored.seed) : "");
}

// `what` names the file in the error when it is missing ("dataset fmnist-binary").
json file_identity(const std::string& path, const std::string& what) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec);
  require(fs::is_regular_file(absolute, ec), what + ": file " + absolute.string() + " does not exist (see --data-dir)");
  const auto modified = fs::last_write_time(absolute).time_since_epoch();
  return {{"file", absolute.string()},
          {"bytes", fs::file_size(absolute)},
          {"modified_ns", std::chrono::duration_cast<std::chrono::nanoseconds>(modified).count()}};
}

// Temporaries (".NAME.tmp-PID", io/atomic_output.hpp) left by a step that was killed.
void remove_stale_temporaries(const std::string& dir) {
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 1 && name[0] == '.' && name.find(".tmp-") != std::string::npos) fs::remove(entry.path());
  }
}

json with_one_class_summary(json results) {
  results["one_class"] = one_class_summary(results["anomaly"]);
  return results;
}

// Walks the suite, running each step whose record is missing. Several ranks may walk it at once
// (`mpirun -np R logp benchmark`): each unfinished step is run by the rank that claims it first
// (step_claims.hpp); a part of the suite that needs a step another rank is running is left for
// the next round, and the walk repeats until one finds every step finished. That last walk builds
// the report from the records, the same on every rank and equal to a single process's.
class SuiteRun {
 public:
  SuiteRun(const Suite& suite, const RunOptions& options, std::string job)
      : suite_(suite), options_(options), cache_(options.run_dir), claims_(std::move(job)) {}

  json run() {
    const std::string started = utc_now_iso8601();
    for (;;) {
      pending_ = false;
      steps_ = json::array();
      compared_.clear();
      json report = walk(started);
      if (!pending_) return report;
      std::this_thread::sleep_for(kRoundPause);
    }
  }

 private:
  json walk(const std::string& started) {
    json results = {{"likelihood", json::array()},
                    {"training_curves", json::array()},
                    {"comparisons", json::array()},
                    {"anomaly", json::array()}};
    const EvalSamples& eval = suite_.analyses.eval_samples;
    if (eval.enabled)
      results["eval_samples"] = {{"n", eval.n}, {"seed", eval.seed}, {"tables", json::array()}};
    else
      results["eval_samples"] = nullptr;
    results["sample_grids"] = json::array();
    for (const SuiteDataset& dataset : suite_.datasets) {
      const std::string file = in_data_dir(dataset.file);
      const DataRef base{dataset.name,  file,          file_identity(file, "dataset " + dataset.name),
                         dataset.train, dataset.valid, dataset.test,
                         dataset.name};
      if (suite_.analyses.whole_datasets) independently([&] {
          const std::vector<ScoredModel> scored = evaluate(base, results);
          if (suite_.analyses.perturbed_outliers.enabled) detect_perturbed(base, scored, results);
          if (suite_.analyses.sample_grids.enabled) draw_sample_grids(base, scored, results);
          if (eval.enabled) {
            evaluate_samples(base, scored, "", results);
            if (!eval.features.empty()) evaluate_samples(base, scored, in_data_dir(eval.features), results);
          }
        });
      for (int inlier_class : suite_.analyses.one_class.classes)
        independently([&] {
          const DataRef subset = select_class(base, inlier_class);
          const std::vector<ScoredModel> one_class = evaluate(subset, results);
          detect_other_classes(base, inlier_class, one_class, results);
        });
    }
    const unsigned cores = std::thread::hardware_concurrency();
    return {{"format", "logp-benchmark-report"},
            {"format_version", kReportFormatVersion},
            {"suite", {{"name", suite_.name}, {"description", suite_.description}, {"definition", suite_.definition}}},
            {"provenance",
             {{"logp_version", LOGP_VERSION},
              {"command", options_.command},
              {"logp_binary", options_.logp_binary},
              {"threads", options_.threads > 0 ? options_.threads : static_cast<int>(cores)},
              {"ranks", world().size()},
              {"max_epochs_override", options_.max_epochs > 0 ? json(options_.max_epochs) : json(nullptr)},
              {"data_dir", options_.data_dir},
              {"run_dir", options_.run_dir},
              {"machine", describe_machine()},
              {"started", started},
              {"finished", utc_now_iso8601()}}},
            {"steps", steps_},
            {"results", with_one_class_summary(std::move(results))}};
  }

  // Runs `part`, a part of the suite whose steps the other parts do not need. A step of it that
  // another rank is running ends it early; the next round runs it again (its finished steps are
  // then reused). Returns whether it finished.
  bool independently(const std::function<void()>& part) {
    try {
      part();
      return true;
    } catch (const StepPending&) {
      pending_ = true;
      return false;
    }
  }

  // Runs `logp --json ARGS` for a configuration unless its record exists; `arguments` gets the
  // step's directory, `collect` adds what the step wrote (logs, curves) to the record.
  StepResult run_step(const std::string& label, const json& config,
                      const std::function<std::vector<std::string>(const std::string&)>& arguments,
                      const std::function<void(const std::string&, json&)>& collect = nullptr) {
    std::string failure;
    std::optional<StepResult> result = attempt_step(label, config, arguments, collect, failure);
    if (!result) throw Error(failure);
    return std::move(*result);
  }

  // run_step, but a step that fails returns nothing and says why in `failure` (no record is kept,
  // so a later run tries it again; this job's other ranks take its failure note). A step another
  // rank is running throws StepPending.
  std::optional<StepResult> attempt_step(const std::string& label, const json& config,
                                         const std::function<std::vector<std::string>(const std::string&)>& arguments,
                                         const std::function<void(const std::string&, json&)>& collect,
                                         std::string& failure) {
    const std::string key = step_key(config);
    const std::string dir = cache_.directory(key);
    if (std::optional<StepResult> done = finished(label, key, dir, config)) return done;
    if (std::optional<std::string> failed = claims_.failure(dir)) {
      failure = *failed;
      return std::nullopt;
    }
    if (!claims_.claim(dir)) throw StepPending{};
    struct Release {
      const StepClaims& claims;
      const std::string& dir;
      ~Release() { claims.release(dir); }
    } release{claims_, dir};
    // The step may have ended between the look and the claim.
    if (std::optional<StepResult> done = finished(label, key, dir, config)) return done;
    if (std::optional<std::string> failed = claims_.failure(dir)) {
      failure = *failed;
      return std::nullopt;
    }

    remove_stale_temporaries(dir);
    std::vector<std::string> argv = {options_.logp_binary};
    if (options_.threads > 0) argv.insert(argv.end(), {"--threads", std::to_string(options_.threads)});
    argv.push_back("--json");
    for (std::string& arg : arguments(dir)) argv.push_back(std::move(arg));
    announced_.insert(key);
    if (options_.progress) *options_.progress << "[" << announced_.size() << "] " << label << " ..." << std::flush;

    const std::string stdout_path = (fs::path(dir) / "stdout.json").string();
    const std::string stderr_path = (fs::path(dir) / "stderr.txt").string();
    const auto start = std::chrono::steady_clock::now();
    const int exit_code = run_process(argv, stdout_path, stderr_path);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (exit_code != 0) {
      if (options_.progress) *options_.progress << " failed\n";
      failure = "benchmark step \"" + label + "\" failed (exit " + std::to_string(exit_code) +
                "): " + last_line(read_text(stderr_path)) + " [command: " + shell_quoted(argv) + "; log: " +
                stderr_path + "]";
      claims_.note_failure(dir, failure);
      return std::nullopt;
    }
    const std::string out = read_text(stdout_path);
    json output = out.find_first_not_of(" \n") == std::string::npos ? json(nullptr) : json::parse(out, nullptr, false);
    if (output.is_discarded()) output = out;  // a verb without JSON output: keep its text
    json record = {{"step", label},     {"key", key},         {"config", config},    {"command", shell_quoted(argv)},
                   {"seconds", seconds}, {"output", output}, {"finished", utc_now_iso8601()},
                   {"job", claims_.job()}, {"rank", world().rank()}};
    if (collect) collect(dir, record);
    cache_.store(key, record);
    steps_.push_back(step_entry(label, key, record));
    if (options_.progress) *options_.progress << " " << std::fixed << std::setprecision(1) << seconds << " s\n";
    return StepResult{key, dir, record};
  }

  // The step's result when its record exists: from an earlier run (reused), or run by a rank of
  // this job (this rank in an earlier round, or another rank).
  std::optional<StepResult> finished(const std::string& label, const std::string& key, const std::string& dir,
                                     const json& config) {
    std::optional<json> record = cache_.find(key, config);
    if (!record) return std::nullopt;
    const json entry = step_entry(label, key, *record);
    steps_.push_back(entry);
    if (options_.progress && announced_.insert(key).second) {
      *options_.progress << "[" << announced_.size() << "] " << label << ": ";
      if (entry["reused"].get<bool>())
        *options_.progress << "reused " << key << "\n";
      else
        *options_.progress << "rank " << record->value("rank", json()).dump() << " ran it in " << std::fixed << std::setprecision(1)
                           << (*record)["seconds"].get<double>() << " s\n";
    }
    return StepResult{key, dir, std::move(*record)};
  }

  // The report's line for a step; "rank" says which rank of this job ran it (several ranks only).
  json step_entry(const std::string& label, const std::string& key, const json& record) const {
    const bool this_job = record.value("job", json()) == claims_.job();
    json entry = {{"step", label},
                  {"key", key},
                  {"reused", !this_job},
                  {"seconds", record["seconds"]},
                  {"command", record["command"]}};
    if (this_job && world().size() > 1) entry["rank"] = record["rank"];
    return entry;
  }

  // A suite's file name: absolute as given, relative in the data directory.
  std::string in_data_dir(const std::string& file) const {
    return fs::path(file).is_absolute() ? file : (fs::path(options_.data_dir) / file).string();
  }

  json effective_fit_options(const SuiteModel& model) const {
    json fit = model.fit;
    if (options_.max_epochs > 0 && fit.contains("epochs")) fit["epochs"] = options_.max_epochs;
    return fit;
  }

  StepResult fit(const DataRef& data, const SuiteModel& model, const json& fit_options,
                 const std::optional<std::uint64_t>& seed) {
    const json config = {{"step", "fit"},        {"logp_version", LOGP_VERSION}, {"data", data.identity},
                         {"train", data.train},  {"valid", data.valid},          {"fit", fit_options},
                         {"seed", seed_json(seed)}};
    const std::string label = "fit " + model.name + (seed ? " seed " + std::to_string(*seed) : "") + " on " + data.name;
    return run_step(
        label, config,
        [&](const std::string& dir) {
          std::vector<std::string> args = {"fit"};
          for (std::string& arg : fit_arguments(fit_options, model.name)) args.push_back(std::move(arg));
          args.insert(args.end(), {"--data", data.path, "--split", data.train, "--out", dir + "/model.h5"});
          // The runner's training options go only to the model types that declare them.
          const ModelEntry& entry = model_entry(fit_options["model"].get<std::string>());
          const std::unique_ptr<ModelFit> declared = entry.make_fit ? entry.make_fit() : nullptr;
          const auto declares = [&](const char* name) { return declared && declared->options().find(name); };
          if (declares("valid-split")) args.insert(args.end(), {"--valid-split", data.valid});
          if (declares("checkpoint"))
            args.insert(args.end(), {"--log", dir + "/train-log.jsonl", "--checkpoint", dir + "/checkpoint.h5", "--resume"});
          if (seed && declares("seed")) args.insert(args.end(), {"--seed", std::to_string(*seed)});
          return args;
        },
        [](const std::string& dir, json& record) {
          record["training_log"] = read_training_log(dir + "/train-log.jsonl");
          std::error_code ignored;  // the checkpoint only serves a killed fit; the model is saved
          fs::remove(dir + "/checkpoint.h5", ignored);
        });
  }

  // Fits every model of data's suite dataset (x seeds) on data.train and scores the densities on
  // data.test.
  std::vector<ScoredModel> evaluate(const DataRef& data, json& results) {
    std::vector<ScoredModel> scored;
    bool all_scored = true;
    for (const SuiteModel& model : suite_.models) {
      if (!model.datasets.empty() &&
          std::find(model.datasets.begin(), model.datasets.end(), data.suite_dataset) == model.datasets.end())
        continue;
      std::vector<std::optional<std::uint64_t>> seeds;
      if (model.seeded)
        seeds.assign(suite_.seeds.begin(), suite_.seeds.end());
      else
        seeds.push_back(std::nullopt);
      for (const std::optional<std::uint64_t>& seed : seeds)
        all_scored &= independently([&] {
          const json fit_options = effective_fit_options(model);
          ScoredModel s{&model, seed, fit_options, data, fit(data, model, fit_options, seed), std::nullopt};
          if (has_likelihood(kind_of(s))) {
            const std::string model_path = s.fit.dir + "/model.h5";
            const json config = {{"step", "score"}, {"fit", s.fit.key}, {"data", data.identity}, {"split", data.test}};
            s.score = run_step("score " + display_name(s) + " on " + data.name, config, [&](const std::string& dir) {
              return std::vector<std::string>{"score", "--model", model_path, "--data", data.path, "--split", data.test,
                                              "--out", dir + "/scores.csv"};
            });
          }
          scored.push_back(std::move(s));
        });
    }
    if (!all_scored) throw StepPending{};  // what follows needs every fit
    for (const ScoredModel& s : scored)
      if (s.score) add_likelihood_rows(data, s, results);
    if (suite_.analyses.compare) compare(data, scored, results);
    return scored;
  }

  void add_likelihood_rows(const DataRef& data, const ScoredModel& s, json& results) const {
    const json& out = s.score->record["output"].at(0);
    const double mean = out["mean_nll_nats"], se = out["std_error_nats"];
    results["likelihood"].push_back({{"dataset", data.name},
                                     {"model", s.model->name},
                                     {"seed", seed_json(s.seed)},
                                     {"fit_options", s.fit_options},
                                     {"split", data.test},
                                     {"type", out["type"]},
                                     {"hyperparameters", out["hyperparameters"]},
                                     {"likelihood_kind", out["likelihood_kind"]},
                                     {"n", out["n"]},
                                     {"dim", out["dim"]},
                                     {"mean_nll_nats", mean},
                                     {"std_error_nats", se},
                                     {"ci95_nats", {mean - kNormalQuantile975 * se, mean + kNormalQuantile975 * se}},
                                     {"bits_per_dim", out["bits_per_dim"]},
                                     {"bits_per_dim_std_error", out["bits_per_dim_std_error"]},
                                     {"parameters", out["parameters"]},
                                     {"fit_seconds", out["fit_seconds"]},
                                     {"fit_step", s.fit.key},
                                     {"score_step", s.score->key}});
    const json& log = s.fit.record["training_log"];
    if (log.is_array() && !log.empty())
      results["training_curves"].push_back(
          {{"dataset", data.name}, {"model", s.model->name}, {"seed", seed_json(s.seed)}, {"epochs", log}});
  }

  // Paired comparison of all models per seed (unseeded fits join every seed's comparison).
  void compare(const DataRef& data, const std::vector<ScoredModel>& scored, json& results) {
    for (std::uint64_t seed : suite_.seeds) {
      std::vector<const ScoredModel*> members;
      for (const ScoredModel& s : scored)
        if (s.score && (!s.seed || *s.seed == seed)) members.push_back(&s);
      if (members.size() < 2) continue;
      json score_keys = json::array();
      for (const ScoredModel* s : members) score_keys.push_back(s->score->key);
      const json config = {{"step", "compare"}, {"scores", score_keys}, {"data", data.identity}, {"split", data.test}};
      if (compared_.count(step_key(config))) continue;  // all members unseeded: the same comparison
      compared_.insert(step_key(config));
      const bool any_seeded = std::any_of(members.begin(), members.end(), [](const ScoredModel* s) { return s->seed; });
      const StepResult step = run_step(
          "compare " + std::to_string(members.size()) + " models" + (any_seeded ? " seed " + std::to_string(seed) : "") +
              " on " + data.name,
          config, [&](const std::string&) {
            std::vector<std::string> args = {"compare", "--data", data.path, "--split", data.test};
            for (const ScoredModel* s : members) args.insert(args.end(), {"--scores", s->score->dir + "/scores.csv"});
            return args;
          });
      // The comparison names models by their score files; the report names them as the suite does.
      std::map<std::string, const ScoredModel*> by_file;
      for (const ScoredModel* s : members) by_file[s->score->dir + "/scores.csv"] = s;
      const auto rename = [&](const json& file) {
        const auto found = by_file.find(file.get<std::string>());
        return found == by_file.end() ? file : json(display_name(*found->second));
      };
      json output = step.record["output"];
      if (output.contains("models"))
        for (json& entry : output["models"]) entry["name"] = rename(entry["name"]);
      if (output.contains("pairs"))
        for (json& pair : output["pairs"]) {
          pair["a"] = rename(pair["a"]);
          pair["b"] = rename(pair["b"]);
        }
      results["comparisons"].push_back({{"dataset", data.name},
                                        {"seed", any_seeded ? json(seed) : json(nullptr)},
                                        {"step", step.key},
                                        {"comparison", output}});
    }
  }

  void add_anomaly_row(const std::string& analysis, const DataRef& data, const json& inlier_class,
                       const ScoredModel& s, const AnomalyScorer& scorer, const StepResult& step, json& results) const {
    const json& out = step.record["output"];
    const json named = out.value("model_score_name", json(nullptr));  // a scoring model's chosen score
    const json score = !scorer.config().empty() ? json(scorer.label())
                       : named.is_string()      ? named
                                                : out.value("score", json(nullptr));
    results["anomaly"].push_back({{"analysis", analysis},
                                  {"dataset", data.name},
                                  {"inlier_class", inlier_class},
                                  {"model", s.model->name},
                                  {"seed", seed_json(s.seed)},
                                  {"score", score},
                                  {"n", out.value("n", json(nullptr))},
                                  {"positives", out.value("positives", json(nullptr))},
                                  {"metrics", out.value("metrics", json(nullptr))},
                                  {"roc", step.record["roc"]},
                                  {"anomaly_step", step.key}});
  }

  // The likelihood ratio's background (Ren et al. 2019): the same model with the same seed,
  // fitted on its own training data with a fraction of the values replaced (`logp data perturb`).
  StepResult background_fit(const ScoredModel& s, double fraction) {
    const DataRef& data = s.data;
    std::vector<std::string> splits = {data.train};
    if (data.valid != "none") splits.push_back(data.valid);
    const json config = {{"step", "data perturb"}, {"data", data.identity}, {"splits", splits},
                         {"fraction", fraction},   {"seed", 0}};
    const StepResult perturbed =
        run_step("perturb " + data.name + " (fraction " + json(fraction).dump() + ")", config, [&](const std::string& dir) {
          std::vector<std::string> args = {"data", "perturb", "--data", data.path, "--out", dir + "/perturbed.h5",
                                           "--fraction", json(fraction).dump(), "--seed", "0", "--splits"};
          args.insert(args.end(), splits.begin(), splits.end());
          return args;
        });
    const DataRef noisy{data.name + " perturbed", perturbed.dir + "/perturbed.h5", {{"step", perturbed.key}},
                        data.train,                data.valid,                    data.test,
                        data.suite_dataset};
    return fit(noisy, *s.model, s.fit_options, s.seed);
  }

  // One `logp anomaly` step per scorer of a fitted model, each giving a row (implicit models have no
  // score). `config` identifies the detection task; `positives` are the arguments naming the anomalies.
  void detect(const std::string& analysis, const std::string& label, const json& config, const json& inlier_class,
              const ScoredModel& s, const DataRef& data, const std::vector<std::string>& positives, json& results) {
    if (kind_of(s) == ModelKind::implicit) return;
    for (const AnomalyScorer& scorer : s.model->anomaly_scores) {
      json step_config = config;
      std::vector<std::string> scoring;
      if (!scorer.score.empty()) scoring.insert(scoring.end(), {"--score", scorer.score});
      if (!scorer.model_score.empty()) scoring.insert(scoring.end(), {"--model-score", scorer.model_score});
      if (!scorer.estimator.empty()) scoring.insert(scoring.end(), {"--estimator", scorer.estimator});
      if (scorer.k > 0) scoring.insert(scoring.end(), {"--k", std::to_string(scorer.k)});
      if (scorer.background_fraction > 0) {
        const StepResult background = background_fit(s, scorer.background_fraction);
        scoring.insert(scoring.end(), {"--background", background.dir + "/model.h5"});
        step_config["background_fit"] = background.key;
      }
      if (!scorer.config().empty()) step_config["scorer"] = scorer.config();  // the default keeps its old key
      const StepResult step = run_step(
          label + (scorer.config().empty() ? "" : " (" + scorer.label() + ")"), step_config,
          [&](const std::string& dir) {
            std::vector<std::string> args = {"anomaly", "--model", s.fit.dir + "/model.h5", "--data", data.path,
                                             "--split", data.test, "--roc", dir + "/roc.csv"};
            args.insert(args.end(), positives.begin(), positives.end());
            args.insert(args.end(), scoring.begin(), scoring.end());
            return args;
          },
          [](const std::string& dir, json& record) { record["roc"] = read_roc(dir + "/roc.csv"); });
      add_anomaly_row(analysis, data, inlier_class, s, scorer, step, results);
    }
  }

  // Inliers: data.test; anomalies: the same split with a fraction of its values replaced.
  void detect_perturbed(const DataRef& data, const std::vector<ScoredModel>& scored, json& results) {
    const PerturbedOutliers& perturb = suite_.analyses.perturbed_outliers;
    const json config = {{"step", "data perturb"}, {"data", data.identity}, {"split", data.test},
                         {"fraction", perturb.fraction}, {"seed", perturb.seed}};
    const StepResult perturbed = run_step(
        "perturb " + data.name + " " + data.test, config, [&](const std::string& dir) {
          return std::vector<std::string>{"data", "perturb", "--data", data.path, "--out", dir + "/perturbed.h5",
                                          "--fraction", json(perturb.fraction).dump(), "--seed",
                                          std::to_string(perturb.seed), "--splits", data.test};
        });
    const std::string outliers = perturbed.dir + "/perturbed.h5";
    for (const ScoredModel& s : scored)
      independently([&] {
        const json task = {{"step", "anomaly"}, {"fit", s.fit.key}, {"data", data.identity},
                           {"split", data.test}, {"outliers", perturbed.key}};
        detect("perturbed", "detect perturbed " + data.name + " with " + display_name(s), task, nullptr, s, data,
               {"--outliers", outliers, "--outliers-split", data.test}, results);
      });
  }

  // `logp eval-samples` of the given fits against data.test (pixels, or the feature network
  // `features` when not empty). Returns nothing when the command fails; `failure` says why.
  std::optional<StepResult> eval_samples_step(const DataRef& data, const std::vector<const ScoredModel*>& models,
                                              const std::string& features, const json& features_identity,
                                              std::string& failure) {
    const EvalSamples& eval = suite_.analyses.eval_samples;
    json fit_keys = json::array();
    std::vector<std::string> names;
    for (const ScoredModel* s : models) {
      fit_keys.push_back(s->fit.key);
      names.push_back(display_name(*s));
    }
    const json config = {{"step", "eval-samples"}, {"fits", fit_keys},          {"data", data.identity},
                         {"split", data.test},     {"train", data.train},       {"valid", data.valid},
                         {"n", eval.n},            {"seed", eval.seed},         {"features", features_identity}};
    const std::string space = features.empty() ? "pixels" : "features " + fs::path(features).filename().string();
    return attempt_step(
        "eval-samples (" + space + ") of " + join(names, ", ") + " on " + data.name, config,
        [&](const std::string& dir) {
          std::vector<std::string> args = {"eval-samples", "--data", data.path, "--split", data.test, "--train-split",
                                           data.train, "--valid-split", data.valid};
          for (const ScoredModel* s : models) args.insert(args.end(), {"--model", s->fit.dir + "/model.h5"});
          args.insert(args.end(), {"-n", std::to_string(eval.n), "--seed", std::to_string(eval.seed), "--out",
                                   dir + "/details.json"});
          if (!features.empty()) args.insert(args.end(), {"--features", features});
          return args;
        },
        nullptr, failure);
  }

  // Sample-based metrics of every model fitted on data: one `logp eval-samples` step over all of
  // them. Should the command refuse, each model is tried alone; the ones it refuses are listed as
  // skipped with the reason and the rest are evaluated together.
  void evaluate_samples(const DataRef& data, const std::vector<ScoredModel>& scored, const std::string& features,
                        json& results) {
    const json features_identity = features.empty() ? json("pixels") : file_identity(features, "eval_samples features");
    std::vector<const ScoredModel*> models;
    for (const ScoredModel& s : scored) models.push_back(&s);
    json skipped = json::array();
    std::string failure;
    std::optional<StepResult> step = eval_samples_step(data, models, features, features_identity, failure);
    if (!step) {
      const std::string combined_failure = failure;
      std::vector<const ScoredModel*> accepted;
      for (const ScoredModel* s : models) {
        std::string alone_failure;
        if (eval_samples_step(data, {s}, features, features_identity, alone_failure))
          accepted.push_back(s);
        else
          skipped.push_back({{"model", s->model->name}, {"seed", seed_json(s->seed)}, {"reason", alone_failure}});
      }
      // Every model passes alone: the failure is not about one model.
      if (skipped.empty()) throw Error(combined_failure);
      if (!accepted.empty()) {
        step = eval_samples_step(data, accepted, features, features_identity, failure);
        if (!step) throw Error(failure);
      }
      models = accepted;
    }
    json table = {{"dataset", data.name},
                  {"split", data.test},
                  {"features", features.empty() ? json(nullptr) : json(features)},
                  {"feature_space", nullptr},
                  {"real", nullptr},
                  {"n_real", nullptr},
                  {"command", nullptr},
                  {"step", nullptr},
                  {"rows", json::array()},
                  {"skipped", skipped}};
    if (step) {
      const json& out = step->record["output"];
      table["feature_space"] = out["feature_space"];
      table["real"] = out["real"];
      table["n_real"] = out["n_real"];
      table["command"] = step->record["command"];
      table["step"] = step->key;
      // eval-samples names sets by their files; the report names models as the suite does.
      std::map<std::string, const ScoredModel*> by_file;
      for (const ScoredModel* s : models) by_file[s->fit.dir + "/model.h5"] = s;
      for (const json& row : out["rows"]) {
        const auto found = by_file.find(row["set"].get<std::string>());
        const bool is_model = found != by_file.end();
        table["rows"].push_back(
            {{"set", is_model ? display_name(*found->second) : "train (reference)"},
             {"source", row["source"]},
             {"model", is_model ? json(found->second->model->name) : json(nullptr)},
             {"seed", is_model ? seed_json(found->second->seed) : json(nullptr)},
             {"n", row["n_samples"]},
             {"note", row["note"]},
             {"metrics", row["metrics"]}});
      }
    }
    results["eval_samples"]["tables"].push_back(table);
  }

  // `logp sample --png` of every model fitted on data: a row per fit with its grid (`png`, in the
  // step's directory) or, when the model cannot sample or the data has no image shape, the reason.
  void draw_sample_grids(const DataRef& data, const std::vector<ScoredModel>& scored, json& results) {
    const SampleGrids& grids = suite_.analyses.sample_grids;
    const auto columns = static_cast<std::int64_t>(std::ceil(std::sqrt(static_cast<double>(grids.n))));
    for (const ScoredModel& s : scored)
      independently([&] {
        const json config = {{"step", "sample"}, {"fit", s.fit.key}, {"n", grids.n}, {"seed", grids.seed}};
        std::string failure;
        const std::optional<StepResult> step = attempt_step(
            "sample grid of " + display_name(s) + " on " + data.name, config,
            [&](const std::string& dir) {
              return std::vector<std::string>{"sample",   "--model",
                                              s.fit.dir + "/model.h5", "-n",
                                              std::to_string(grids.n), "--seed",
                                              std::to_string(grids.seed), "--columns",
                                              std::to_string(columns), "--png",
                                              dir + "/samples.png"};
            },
            nullptr, failure);
        const std::string stderr_path = cache_.directory(step_key(config)) + "/stderr.txt";
        results["sample_grids"].push_back({{"dataset", data.name},
                                           {"model", s.model->name},
                                           {"seed", seed_json(s.seed)},
                                           {"n", grids.n},
                                           {"sample_seed", grids.seed},
                                           {"png", step ? json(step->dir + "/samples.png") : json(nullptr)},
                                           {"command", step ? step->record["command"] : json(nullptr)},
                                           {"reason", step ? json(nullptr) : json(last_line(read_text(stderr_path)))}});
      });
  }

  DataRef select_class(const DataRef& data, int inlier_class) {
    const json config = {{"step", "data select"}, {"data", data.identity}, {"labels", {inlier_class}}};
    const std::string name = data.name + "/class " + std::to_string(inlier_class);
    const StepResult selected = run_step("select " + name, config, [&](const std::string& dir) {
      return std::vector<std::string>{"data", "select", "--data", data.path, "--out", dir + "/subset.h5", "--labels",
                                      std::to_string(inlier_class)};
    });
    return {name, selected.dir + "/subset.h5", {{"step", selected.key}}, data.train, data.valid, data.test,
            data.suite_dataset};
  }

  // Models fitted on one class score the whole test split; the other labels are the anomalies.
  void detect_other_classes(const DataRef& data, int inlier_class, const std::vector<ScoredModel>& scored,
                            json& results) {
    std::vector<std::string> others;
    for (int label : suite_.analyses.one_class.labels)
      if (label != inlier_class) others.push_back(std::to_string(label));
    for (const ScoredModel& s : scored)
      independently([&] {
        const json config = {{"step", "anomaly"}, {"fit", s.fit.key}, {"data", data.identity},
                             {"split", data.test}, {"anomaly_labels", join(others, ",")}};
        detect("one-class",
               "detect non-" + std::to_string(inlier_class) + " in " + data.name + " with " + display_name(s), config,
               inlier_class, s, data, {"--anomaly-labels", join(others, ",")}, results);
      });
  }

  const Suite& suite_;
  const RunOptions& options_;
  StepCache cache_;
  StepClaims claims_;
  bool pending_ = false;             // this round left a part for the next (StepPending)
  json steps_ = json::array();       // this round's steps, in walk order
  std::set<std::string> compared_;   // this round's comparison keys
  std::set<std::string> announced_;  // steps already on the progress stream
};

}  // namespace

json run_suite(const Suite& suite, const RunOptions& options) {
  require(!options.logp_binary.empty(), "run_suite: no logp binary given");
  // Every rank takes rank 0's job name.
  const std::string job = world().all_gather_text(new_job_name()).front();
  return SuiteRun(suite, options, job).run();
}

}  // namespace logp::bench
