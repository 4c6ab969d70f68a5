#pragma once
// A small hand-made benchmark report (the shape run_suite returns) for the rendering tests:
// two models, an ROC curve each, one training curve, one comparison.
#include <nlohmann/json.hpp>

namespace logp::testing {

inline nlohmann::json sample_report() {
  using nlohmann::json;
  const json roc_a = {{"points_in_file", 4}, {"fpr", {0.0, 0.1, 0.4, 1.0}}, {"tpr", {0.0, 0.7, 0.95, 1.0}}};
  const json roc_b = {{"points_in_file", 4}, {"fpr", {0.0, 0.3, 0.6, 1.0}}, {"tpr", {0.0, 0.5, 0.8, 1.0}}};
  const auto likelihood = [](const char* model, json seed, double mean, double se) {
    return json{{"dataset", "toy"},      {"model", model},           {"seed", seed},
                {"split", "test"},       {"type", model},            {"hyperparameters", "h"},
                {"likelihood_kind", "exact"}, {"n", 1000},           {"dim", 36},
                {"mean_nll_nats", mean}, {"std_error_nats", se},     {"ci95_nats", {mean - 1.96 * se, mean + 1.96 * se}},
                {"bits_per_dim", mean / (36 * 0.6931471805599453)},  {"bits_per_dim_std_error", se / 24.95},
                {"parameters", 72},      {"fit_seconds", 0.5},       {"fit_step", "a"},
                {"score_step", "b"}};
  };
  const auto anomaly = [](const char* model, json seed, double auroc, const json& roc) {
    return json{{"analysis", "perturbed"}, {"dataset", "toy"}, {"inlier_class", nullptr}, {"model", model},
                {"seed", seed}, {"score", "nll"}, {"n", 2000}, {"positives", 1000},
                {"metrics", {{"auroc", {{"value", auroc}, {"ci", {auroc - 0.02, auroc + 0.02}}}},
                             {"auprc", {{"value", 0.8}, {"ci", {0.78, 0.82}}}},
                             {"fpr_at_95_tpr", {{"value", 0.4}, {"ci", {0.35, 0.45}}}}}},
                {"roc", roc}, {"anomaly_step", "c"}};
  };
  json epochs = json::array();
  for (int e = 1; e <= 8; ++e)
    epochs.push_back({{"epoch", e}, {"train_nll", 20.0 + 8.0 / e}, {"valid_nll", 20.5 + 7.0 / e}, {"seconds", 0.1 * e}});
  const json comparison = {
      {"confidence", 0.95},
      {"models", {{{"rank", 1}, {"name", "nade seed 1"}, {"likelihood_kind", "exact"}, {"mean_nll_nats", 20.1},
                   {"std_error_nats", 0.2}},
                  {{"rank", 2}, {"name", "bernoulli"}, {"likelihood_kind", "exact"}, {"mean_nll_nats", 24.3},
                   {"std_error_nats", 0.3}}}},
      {"pairs", {{{"a", "nade seed 1"}, {"b", "bernoulli"}, {"mean_diff_nats", 4.2}, {"std_error_nats", 0.1},
                  {"ci_nats", {4.0, 4.4}}, {"bootstrap_ci_nats", {4.01, 4.39}}, {"p_t_holm", 1e-9},
                  {"p_wilcoxon_holm", 1e-8}}}}};
  return {{"format", "logp-benchmark-report"},
          {"format_version", 1},
          {"suite",
           {{"name", "toy"},
            {"description", "A hand-made report <with markup characters> & such."},
            {"definition", {{"models", {{{"name", "bernoulli"}}, {{"name", "nade"}}}}}}}},
          {"provenance",
           {{"logp_version", "0.1.0"}, {"command", "logp benchmark --suite toy"}, {"logp_binary", "/x/logp"},
            {"threads", 2}, {"max_epochs_override", nullptr}, {"data_dir", "data"}, {"run_dir", "runs"},
            {"machine", {{"host", "h"}, {"cpu", "cpu"}, {"logical_cores", 2}, {"memory", "1 kB"}, {"os", "Linux"}}},
            {"started", "2026-01-01T00:00:00Z"}, {"finished", "2026-01-01T00:01:00Z"}}},
          {"steps", {{{"step", "fit nade seed 1 on toy"}, {"key", "0123456789abcdef"}, {"reused", false}, {"seconds", 1.5}}}},
          {"results",
           {{"likelihood", {likelihood("bernoulli", nullptr, 24.3, 0.3), likelihood("nade", 1, 20.1, 0.2)}},
            {"training_curves", {{{"dataset", "toy"}, {"model", "nade"}, {"seed", 1}, {"epochs", epochs}}}},
            {"comparisons", {{{"dataset", "toy"}, {"seed", 1}, {"step", "d"}, {"comparison", comparison}}}},
            {"anomaly", {anomaly("bernoulli", nullptr, 0.75, roc_b), anomaly("nade", 1, 0.91, roc_a)}},
            {"eval_samples", {{"status", "not run"}, {"reason", "no eval-samples"}}}}}};
}

}  // namespace logp::testing
