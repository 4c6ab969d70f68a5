#include "logp/bench/suite.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "logp/core/error.hpp"
#include "logp/core/text.hpp"

namespace logp::bench {
namespace {

using nlohmann::json;

// Options the runner sets for every fit; a suite may not set them itself.
const std::set<std::string> kRunnerFitOptions = {"data", "split", "valid-split", "seed", "out",
                                                 "log", "checkpoint", "resume"};

std::string string_field(const json& object, const char* key, const std::string& where, const std::string& fallback,
                         bool required) {
  if (!object.contains(key)) {
    require(!required, where + ": missing \"" + key + "\"");
    return fallback;
  }
  require(object[key].is_string() && !object[key].get<std::string>().empty(),
          where + ": \"" + key + "\" must be a non-empty string, got " + object[key].dump());
  return object[key].get<std::string>();
}

std::vector<int> int_list(const json& object, const char* key, const std::string& where) {
  require(object.contains(key) && object[key].is_array() && !object[key].empty(),
          where + ": \"" + key + "\" must be a non-empty array of integers");
  std::vector<int> values;
  for (const json& value : object[key]) {
    require(value.is_number_integer(), where + ": \"" + key + "\" holds " + value.dump() + ", not an integer");
    values.push_back(value.get<int>());
  }
  return values;
}

// A non-negative integer (JSON text gives unsigned numbers, C++ literals signed ones).
bool is_count(const json& value) { return value.is_number_integer() && value.get<std::int64_t>() >= 0; }

void require_known_keys(const json& object, const std::set<std::string>& known, const std::string& where) {
  for (const auto& [key, value] : object.items())
    require(known.count(key) > 0, where + ": unknown key \"" + key + "\" (known: " + join(known, ", ") + ")");
}

SuiteDataset parse_dataset(const json& entry, const std::string& where) {
  require(entry.is_object(), where + ": a dataset must be an object, got " + entry.dump());
  require_known_keys(entry, {"name", "file", "train", "valid", "test"}, where);
  SuiteDataset dataset;
  dataset.name = string_field(entry, "name", where, "", true);
  dataset.file = string_field(entry, "file", where, "", true);
  dataset.train = string_field(entry, "train", where, dataset.train, false);
  dataset.valid = string_field(entry, "valid", where, dataset.valid, false);
  dataset.test = string_field(entry, "test", where, dataset.test, false);
  return dataset;
}

std::vector<std::string> string_list(const json& object, const char* key, const std::string& where) {
  require(object[key].is_array() && !object[key].empty(), where + ": \"" + key + "\" must be a non-empty array of strings");
  std::vector<std::string> values;
  for (const json& value : object[key]) {
    require(value.is_string(), where + ": \"" + key + "\" holds " + value.dump() + ", not a string");
    values.push_back(value.get<std::string>());
  }
  return values;
}

AnomalyScorer parse_scorer(const json& entry, const std::string& where) {
  require(entry.is_object(), where + ": a scorer must be an object of `logp anomaly` options, got " + entry.dump());
  require_known_keys(entry, {"score", "model-score", "background-fraction", "estimator", "k"}, where);
  AnomalyScorer scorer;
  scorer.score = string_field(entry, "score", where, "", false);
  static const std::set<std::string> kScores = {"nll", "likelihood-ratio", "complexity", "model-score"};
  require(scorer.score.empty() || kScores.count(scorer.score) > 0,
          where + ": \"score\" " + scorer.score + " is not one of " + join(kScores, ", "));
  scorer.model_score = string_field(entry, "model-score", where, "", false);
  require(scorer.model_score.empty() || scorer.score.empty() || scorer.score == "model-score",
          where + ": \"model-score\" goes with the score \"model-score\", not \"" + scorer.score + "\"");
  scorer.estimator = string_field(entry, "estimator", where, "", false);
  require(scorer.estimator.empty() || scorer.estimator == "elbo" || scorer.estimator == "iwae",
          where + ": \"estimator\" " + scorer.estimator + " is not one of elbo, iwae");
  if (entry.contains("k")) {
    require(is_count(entry["k"]) && entry["k"].get<long long>() > 0,
            where + ": \"k\" must be a positive integer, got " + entry["k"].dump());
    scorer.k = entry["k"].get<long long>();
  }
  const bool ratio = scorer.score == "likelihood-ratio";
  require(ratio == entry.contains("background-fraction"),
          where + ": \"background-fraction\" is given exactly when \"score\" is \"likelihood-ratio\"");
  if (ratio) {
    const json& fraction = entry["background-fraction"];
    require(fraction.is_number() && fraction.get<double>() > 0 && fraction.get<double>() <= 1,
            where + ": \"background-fraction\" must be a number in (0, 1], got " + fraction.dump());
    scorer.background_fraction = fraction.get<double>();
  }
  return scorer;
}

SuiteModel parse_model(const json& entry, const std::string& where) {
  require(entry.is_object(), where + ": a model must be an object, got " + entry.dump());
  require_known_keys(entry, {"name", "fit", "seeded", "datasets", "anomaly_scores"}, where);
  SuiteModel model;
  model.name = string_field(entry, "name", where, "", true);
  require(entry.contains("fit") && entry["fit"].is_object(), where + ": \"fit\" must be an object of fit options");
  model.fit = entry["fit"];
  fit_arguments(model.fit, where);  // checks the options
  if (entry.contains("seeded")) {
    require(entry["seeded"].is_boolean(), where + ": \"seeded\" must be true or false");
    model.seeded = entry["seeded"].get<bool>();
  }
  if (entry.contains("datasets")) model.datasets = string_list(entry, "datasets", where);
  if (entry.contains("anomaly_scores")) {
    const json& scorers = entry["anomaly_scores"];
    require(scorers.is_array() && !scorers.empty(), where + ": \"anomaly_scores\" must be a non-empty array");
    model.anomaly_scores.clear();
    for (size_t i = 0; i < scorers.size(); ++i)
      model.anomaly_scores.push_back(parse_scorer(scorers[i], where + ".anomaly_scores[" + std::to_string(i) + "]"));
  }
  return model;
}

SuiteAnalyses parse_analyses(const json& entry, const std::string& where) {
  require(entry.is_object(), where + ": must be an object");
  require_known_keys(entry, {"whole_datasets", "compare", "perturbed_outliers", "one_class", "eval_samples", "sample_grids"},
                     where);
  SuiteAnalyses analyses;
  if (entry.contains("whole_datasets")) {
    require(entry["whole_datasets"].is_boolean(), where + ": \"whole_datasets\" must be true or false");
    analyses.whole_datasets = entry["whole_datasets"].get<bool>();
  }
  if (entry.contains("compare")) {
    require(entry["compare"].is_boolean(), where + ": \"compare\" must be true or false");
    analyses.compare = entry["compare"].get<bool>();
  }
  if (entry.contains("eval_samples")) {
    const json& samples = entry["eval_samples"];
    const std::string at = where + ".eval_samples";
    require(samples.is_boolean() || samples.is_object(),
            at + ": must be true, false or an object {\"n\": N, \"seed\": S, \"features\": \"NET.h5\"}");
    if (samples.is_boolean()) {
      analyses.eval_samples.enabled = samples.get<bool>();
    } else {
      require_known_keys(samples, {"n", "seed", "features"}, at);
      analyses.eval_samples.enabled = true;
      if (samples.contains("n")) {
        require(is_count(samples["n"]) && samples["n"].get<std::int64_t>() > 0,
                at + ": \"n\" must be a positive integer, got " + samples["n"].dump());
        analyses.eval_samples.n = samples["n"].get<std::int64_t>();
      }
      if (samples.contains("seed")) {
        require(is_count(samples["seed"]), at + ": \"seed\" must be a non-negative integer");
        analyses.eval_samples.seed = samples["seed"].get<std::uint64_t>();
      }
      analyses.eval_samples.features = string_field(samples, "features", at, "", false);
    }
  }
  if (entry.contains("sample_grids")) {
    const json& grids = entry["sample_grids"];
    const std::string at = where + ".sample_grids";
    require(grids.is_boolean() || grids.is_object(), at + ": must be true, false or an object {\"n\": N, \"seed\": S}");
    if (grids.is_boolean()) {
      analyses.sample_grids.enabled = grids.get<bool>();
    } else {
      require_known_keys(grids, {"n", "seed"}, at);
      if (grids.contains("n")) {
        require(is_count(grids["n"]) && grids["n"].get<std::int64_t>() > 0 && grids["n"].get<std::int64_t>() <= 1024,
                at + ": \"n\" must be an integer in 1..1024, got " + grids["n"].dump());
        analyses.sample_grids.n = grids["n"].get<std::int64_t>();
      }
      if (grids.contains("seed")) {
        require(is_count(grids["seed"]), at + ": \"seed\" must be a non-negative integer");
        analyses.sample_grids.seed = grids["seed"].get<std::uint64_t>();
      }
    }
  }
  if (entry.contains("perturbed_outliers")) {
    const json& perturb = entry["perturbed_outliers"];
    const std::string at = where + ".perturbed_outliers";
    require(perturb.is_object(), at + ": must be an object {\"fraction\": F, \"seed\": S}");
    require_known_keys(perturb, {"fraction", "seed"}, at);
    analyses.perturbed_outliers.enabled = true;
    if (perturb.contains("fraction")) {
      require(perturb["fraction"].is_number(), at + ": \"fraction\" must be a number");
      analyses.perturbed_outliers.fraction = perturb["fraction"].get<double>();
    }
    require(analyses.perturbed_outliers.fraction > 0 && analyses.perturbed_outliers.fraction <= 1,
            at + ": \"fraction\" must be in (0, 1], got " + std::to_string(analyses.perturbed_outliers.fraction));
    if (perturb.contains("seed")) {
      require(is_count(perturb["seed"]), at + ": \"seed\" must be a non-negative integer");
      analyses.perturbed_outliers.seed = perturb["seed"].get<std::uint64_t>();
    }
  }
  if (entry.contains("one_class")) {
    const json& one_class = entry["one_class"];
    const std::string at = where + ".one_class";
    require(one_class.is_object(), at + ": must be an object {\"classes\": [...], \"labels\": [...]}");
    require_known_keys(one_class, {"classes", "labels"}, at);
    analyses.one_class.classes = int_list(one_class, "classes", at);
    analyses.one_class.labels = int_list(one_class, "labels", at);
    for (int c : analyses.one_class.classes)
      require(std::find(analyses.one_class.labels.begin(), analyses.one_class.labels.end(), c) !=
                  analyses.one_class.labels.end(),
              at + ": class " + std::to_string(c) + " is not one of \"labels\"");
    require(analyses.one_class.labels.size() >= 2, at + ": \"labels\" needs at least two labels");
  }
  return analyses;
}

template <typename Item>
void require_unique_names(const std::vector<Item>& items, const std::string& what, const std::string& origin) {
  std::set<std::string> names;
  for (const Item& item : items)
    require(names.insert(item.name).second, origin + ": two " + what + " are named \"" + item.name + "\"");
}

}  // namespace

std::string AnomalyScorer::label() const {
  if (!model_score.empty()) return model_score;
  if (!estimator.empty()) return (score.empty() ? "nll" : score) + " (" + estimator + (k > 0 ? ", k=" + std::to_string(k) : "") + ")";
  if (background_fraction > 0) return score + " (background " + json(background_fraction).dump() + ")";
  return score.empty() ? "default" : score;
}

json AnomalyScorer::config() const {
  json config = json::object();
  if (!score.empty()) config["score"] = score;
  if (!model_score.empty()) config["model-score"] = model_score;
  if (background_fraction > 0) config["background-fraction"] = background_fraction;
  if (!estimator.empty()) config["estimator"] = estimator;
  if (k > 0) config["k"] = k;
  return config;
}

std::vector<std::string> fit_arguments(const json& fit, const std::string& model_name) {
  require(fit.is_object() && fit.contains("model") && fit["model"].is_string(),
          model_name + ": \"fit\" needs \"model\" (the `logp fit --model` type)");
  std::vector<std::string> args;
  for (const auto& [key, value] : fit.items()) {
    require(kRunnerFitOptions.count(key) == 0,
            model_name + ": fit option \"" + key + "\" is set by the benchmark runner; remove it from the suite");
    const std::string option = "--" + key;
    if (value.is_boolean()) {
      if (value.get<bool>()) args.push_back(option);
    } else if (value.is_string()) {
      args.insert(args.end(), {option, value.get<std::string>()});
    } else if (value.is_number()) {
      args.insert(args.end(), {option, value.dump()});
    } else if (value.is_array()) {
      std::vector<std::string> items;
      for (const json& item : value) {
        require(item.is_number() || item.is_string(),
                model_name + ": fit option \"" + key + "\" holds " + item.dump() + ", not a number or string");
        items.push_back(item.is_string() ? item.get<std::string>() : item.dump());
      }
      args.insert(args.end(), {option, join(items, ",")});
    } else {
      throw Error(model_name + ": fit option \"" + key + "\" has value " + value.dump() +
                  " (give a string, number, true/false or an array)");
    }
  }
  return args;
}

Suite parse_suite(const json& definition, const std::string& origin) {
  require(definition.is_object(), origin + ": a suite is a JSON object");
  require_known_keys(definition, {"name", "description", "datasets", "models", "seeds", "analyses"}, origin);
  Suite suite;
  suite.definition = definition;
  suite.name = string_field(definition, "name", origin, "", true);
  suite.description = string_field(definition, "description", origin, "", false);
  require(definition.contains("datasets") && definition["datasets"].is_array() && !definition["datasets"].empty(),
          origin + ": \"datasets\" must be a non-empty array");
  for (size_t i = 0; i < definition["datasets"].size(); ++i)
    suite.datasets.push_back(parse_dataset(definition["datasets"][i], origin + ": datasets[" + std::to_string(i) + "]"));
  require(definition.contains("models") && definition["models"].is_array() && !definition["models"].empty(),
          origin + ": \"models\" must be a non-empty array");
  for (size_t i = 0; i < definition["models"].size(); ++i)
    suite.models.push_back(parse_model(definition["models"][i], origin + ": models[" + std::to_string(i) + "]"));
  require_unique_names(suite.datasets, "datasets", origin);
  require_unique_names(suite.models, "models", origin);
  for (const SuiteModel& model : suite.models)
    for (const std::string& name : model.datasets)
      require(std::any_of(suite.datasets.begin(), suite.datasets.end(),
                          [&](const SuiteDataset& dataset) { return dataset.name == name; }),
              origin + ": model \"" + model.name + "\" names dataset \"" + name + "\", which the suite does not have");
  if (definition.contains("seeds")) {
    const json& seeds = definition["seeds"];
    require(seeds.is_array() && !seeds.empty(), origin + ": \"seeds\" must be a non-empty array");
    suite.seeds.clear();
    for (const json& seed : seeds) {
      require(is_count(seed), origin + ": seed " + seed.dump() + " is not a non-negative integer");
      suite.seeds.push_back(seed.get<std::uint64_t>());
    }
  }
  if (definition.contains("analyses")) suite.analyses = parse_analyses(definition["analyses"], origin + ": analyses");
  return suite;
}

Suite load_suite(const std::string& name_or_path) {
  const bool is_file = name_or_path.size() > 5 && name_or_path.substr(name_or_path.size() - 5) == ".json";
  if (!is_file) return parse_suite(json::parse(builtin_suite_text(name_or_path)), "built-in suite " + name_or_path);
  std::ifstream in(name_or_path);
  require(static_cast<bool>(in), name_or_path + ": cannot open the suite file");
  std::stringstream text;
  text << in.rdbuf();
  json definition;
  try {
    definition = json::parse(text.str());
  } catch (const json::exception& e) {  // parse_error, and out_of_range for a number such as 1e400
    throw Error(name_or_path + ": not valid JSON: " + e.what());
  }
  return parse_suite(definition, name_or_path);
}

}  // namespace logp::bench
