#include "logp/bench/report_markdown.hpp"

#include <sstream>

#include "logp/bench/report_format.hpp"

namespace logp::bench {
namespace {

using nlohmann::json;

void table_row(std::ostream& out, const std::vector<std::string>& cells) {
  out << "|";
  for (const std::string& cell : cells) out << " " << cell << " |";
  out << "\n";
}

void table_header(std::ostream& out, const std::vector<std::string>& names) {
  table_row(out, names);
  out << "|";
  for (size_t i = 0; i < names.size(); ++i) out << "---|";
  out << "\n";
}

std::string metric_text(const json& metrics, const char* name) {
  if (!metrics.is_object() || !metrics.contains(name)) return "n/a";
  return format_number(metrics[name]["value"], 4) + " " + format_interval(metrics[name]["ci"], 4);
}

void likelihood_section(std::ostream& out, const json& rows) {
  out << "## Test negative log-likelihood\n\n";
  table_header(out, {"dataset", "model", "seed", "likelihood", "NLL nats/example ± s.e.", "95% interval", "bits/dim",
                     "params", "fit s"});
  for (const json& row : rows)
    table_row(out, {row["dataset"], row["model"], seed_text(row["seed"]), row["likelihood_kind"],
                    format_number(row["mean_nll_nats"], 2) + " ± " + format_number(row["std_error_nats"], 2),
                    format_interval(row["ci95_nats"], 2), format_number(row["bits_per_dim"], 4),
                    std::to_string(row["parameters"].get<long long>()), format_number(row["fit_seconds"], 1)});
  out << "\nNLL: mean negative log-likelihood of the test split in nats per example ± its standard error "
         "(std/sqrt(N)); 95% interval: mean ± 1.96 s.e.; bits/dim = NLL / (D ln 2).\n\n";
}

void training_section(std::ostream& out, const json& curves) {
  if (curves.empty()) return;
  out << "## Training\n\n";
  table_header(out, {"dataset", "model", "seed", "epochs", "final train NLL", "best valid NLL", "best epoch"});
  for (const json& curve : curves) {
    const json& epochs = curve["epochs"];
    json best_valid = nullptr, best_epoch = nullptr;
    for (const json& epoch : epochs)
      if (epoch.contains("valid_nll") && (best_valid.is_null() || epoch["valid_nll"] < best_valid)) {
        best_valid = epoch["valid_nll"];
        best_epoch = epoch["epoch"];
      }
    table_row(out, {curve["dataset"], curve["model"], seed_text(curve["seed"]), std::to_string(epochs.size()),
                    format_number(epochs.back().value("train_nll", json()), 2), format_number(best_valid, 2),
                    best_epoch.is_null() ? "n/a" : best_epoch.dump()});
  }
  out << "\nNLL in nats per example; the train NLL is the mean over the epoch's minibatches (for nade-oa an "
         "unbiased estimate over orderings), the valid NLL is exact.\n\n";
}

void comparison_section(std::ostream& out, const json& comparisons) {
  if (comparisons.empty()) return;
  out << "## Paired comparisons\n\n";
  for (const json& entry : comparisons) {
    const json& c = entry["comparison"];
    out << "### " << entry["dataset"].get<std::string>()
        << (entry["seed"].is_null() ? "" : ", seed " + seed_text(entry["seed"])) << "\n\n";
    table_header(out, {"rank", "model", "likelihood", "NLL nats/example ± s.e."});
    for (const json& model : c.value("models", json::array()))
      table_row(out, {model["rank"].dump(), model["name"], model["likelihood_kind"],
                      format_number(model["mean_nll_nats"], 2) + " ± " + format_number(model["std_error_nats"], 2)});
    out << "\n";
    table_header(out, {"better", "worse", "mean log p difference (nats) ± s.e.", "t interval", "bootstrap interval",
                       "p (t, Holm)", "p (Wilcoxon, Holm)"});
    for (const json& pair : c.value("pairs", json::array()))
      table_row(out, {pair["a"], pair["b"],
                      format_number(pair["mean_diff_nats"], 3) + " ± " + format_number(pair["std_error_nats"], 3),
                      format_interval(pair["ci_nats"], 3), format_interval(pair["bootstrap_ci_nats"], 3),
                      format_number(pair["p_t_holm"], 4), format_number(pair["p_wilcoxon_holm"], 4)});
    out << "\nDifferences are log p(better) - log p(worse) per test example, paired; intervals at confidence "
        << format_number(c.value("confidence", json()), 2) << ".\n\n";
  }
}

void anomaly_section(std::ostream& out, const json& rows) {
  if (rows.empty()) return;
  out << "## Anomaly detection\n\n";
  table_header(out, {"analysis", "dataset", "inlier class", "model", "seed", "score", "AUROC [CI]", "AUPRC [CI]",
                     "FPR at 95% TPR [CI]"});
  for (const json& row : rows)
    table_row(out, {row["analysis"], row["dataset"], row["inlier_class"].is_null() ? "" : row["inlier_class"].dump(),
                    row["model"], seed_text(row["seed"]), row["score"].is_string() ? row["score"].get<std::string>() : "",
                    metric_text(row["metrics"], "auroc"), metric_text(row["metrics"], "auprc"),
                    metric_text(row["metrics"], "fpr_at_95_tpr")});
  out << "\nperturbed: inliers are the test split, anomalies the same images with a fraction of their values "
         "replaced at random (`logp data perturb`); one-class: the model was fitted on one class, anomalies are the "
         "test examples of the other labels. Intervals are bootstrap percentile intervals.\n\n";
}

void one_class_section(std::ostream& out, const json& groups) {
  const std::vector<TextTable> tables = one_class_tables(groups);
  if (tables.empty()) return;
  out << "## One-class detection, all classes\n\n";
  for (const TextTable& table : tables) {
    out << "### " << table.title << "\n\n";
    table_header(out, table.headers);
    for (const std::vector<std::string>& row : table.rows) table_row(out, row);
    out << "\n";
  }
  out << kOneClassNote << "\n\n";
}

// One table per dataset and feature space: a row per sample set (the train-vs-test reference
// and each model's samples).
void eval_samples_section(std::ostream& out, const json& eval) {
  if (!eval.is_object()) return;
  out << "## Sample-based metrics\n\n";
  for (const json& table : eval["tables"]) {
    out << "### " << table["dataset"].get<std::string>() << "\n\n";
    if (table["feature_space"].is_string())
      out << "Feature space: " << table["feature_space"].get<std::string>() << "; real data: "
          << table["real"].get<std::string>() << " (N=" << table["n_real"].dump() << ").\n\n";
    if (!table["rows"].empty()) {
      std::vector<std::string> headers = {"set", "n"};
      for (const auto& [key, header] : sample_metric_columns()) headers.push_back(header);
      table_header(out, headers);
      for (const json& row : table["rows"]) {
        std::vector<std::string> cells = {row["set"], row["n"].dump()};
        for (const auto& [key, header] : sample_metric_columns()) cells.push_back(sample_metric_text(row["metrics"], key));
        table_row(out, cells);
      }
      out << "\n";
    }
    for (const json& skipped : table["skipped"])
      out << "- skipped " << model_label(skipped) << ": " << skipped["reason"].get<std::string>() << "\n";
    if (!table["skipped"].empty()) out << "\n";
    if (table["command"].is_string()) out << "Command: `" << table["command"].get<std::string>() << "`\n\n";
  }
  out << "value ± spread (p-value where the metric is a test); n: samples per set, " << eval["n"].dump()
      << " drawn per model with seed " << eval["seed"].dump()
      << "; the reference row is the training split against the test split. Parzen LL is the legacy Parzen-window "
         "log-likelihood (nats/example), unreliable; copying z << 0 means samples sit closer to the training data "
         "than test data does. What each spread is: the step's details.json.\n\n";
}

// Per dataset: a table of each fit's grid of samples (files next to the report), then the fits
// without one and why.
void sample_grids_section(std::ostream& out, const json& grids) {
  if (!grids.is_array() || grids.empty()) return;
  out << "## Samples\n\n";
  for (const json& dataset : distinct(grids, [](const json& g) { return g["dataset"]; })) {
    out << "### " << dataset.get<std::string>() << "\n\n";
    table_header(out, {"model", "samples"});
    for (const json& grid : grids)
      if (grid["dataset"] == dataset && grid.contains("file"))
        table_row(out, {model_label(grid), "![" + model_label(grid) + "](" + grid["file"].get<std::string>() + ")"});
    out << "\n";
    for (const json& grid : grids)
      if (grid["dataset"] == dataset && grid["png"].is_null())
        out << "- no samples from " << model_label(grid) << ": " << grid["reason"].get<std::string>() << "\n";
  }
  out << "\n" << kSampleGridsNote << "\n\n";
}

void provenance_section(std::ostream& out, const json& report) {
  const json& p = report["provenance"];
  const json& m = p["machine"];
  out << "## Provenance\n\n"
      << "- logp " << p["logp_version"].get<std::string>() << ", command: `" << p["command"].get<std::string>()
      << "`\n"
      << "- threads per step: " << p["threads"].dump()
      << (p.value("ranks", 1) > 1 ? ", steps spread over " + p["ranks"].dump() + " MPI ranks" : "")
      << (p["max_epochs_override"].is_null() ? "" : ", epochs capped at " + p["max_epochs_override"].dump()) << "\n"
      << "- machine: " << m["host"].get<std::string>() << ", " << m["cpu"].get<std::string>() << ", "
      << m["logical_cores"].dump() << " logical cores, " << m["memory"].get<std::string>() << ", "
      << m["os"].get<std::string>() << "\n"
      << "- started " << p["started"].get<std::string>() << ", finished " << p["finished"].get<std::string>() << "\n";
  const json& samples = report["results"]["eval_samples"];
  if (samples.is_object() && samples.contains("status"))  // a report from before the runner ran eval-samples
    out << "- sample-based metrics: " << samples.value("status", "") << " (" << samples.value("reason", "") << ")\n";
  size_t reused = 0;
  for (const json& step : report["steps"]) reused += step["reused"].get<bool>() ? 1 : 0;
  out << "\n" << report["steps"].size() << " steps, " << reused
      << " reused from earlier runs (same configuration); every step's command and output are in the JSON report.\n";
}

}  // namespace

std::string render_markdown(const json& report) {
  std::ostringstream out;
  const json& suite = report["suite"];
  out << "# logp benchmark: " << suite["name"].get<std::string>() << "\n\n";
  if (!suite["description"].get<std::string>().empty()) out << suite["description"].get<std::string>() << "\n\n";
  const json& results = report["results"];
  likelihood_section(out, results["likelihood"]);
  training_section(out, results["training_curves"]);
  comparison_section(out, results["comparisons"]);
  one_class_section(out, results.value("one_class", json()));
  anomaly_section(out, results["anomaly"]);
  if (results.contains("eval_samples") && results["eval_samples"].contains("tables"))
    eval_samples_section(out, results["eval_samples"]);
  sample_grids_section(out, results.value("sample_grids", json()));
  provenance_section(out, report);
  return out.str();
}

}  // namespace logp::bench
