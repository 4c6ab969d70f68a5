#include "logp/bench/report_html.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <sstream>

#include "logp/bench/report_format.hpp"
#include "logp/bench/svg_chart.hpp"

namespace logp::bench {
namespace {

using nlohmann::json;

const char* const kStyle = R"(
body { font-family: sans-serif; max-width: 1040px; margin: 24px auto; padding: 0 16px; color: #202020; }
h1 { font-size: 1.6em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #c0c0c0; } h3 { font-size: 1.05em; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 0.9em; }
th, td { border: 1px solid #c8c8c8; padding: 3px 8px; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 12px 0; } figcaption, .note { font-size: 0.85em; color: #505050; }
code { background: #f2f2f2; padding: 1px 3px; }
.grids { display: flex; flex-wrap: wrap; gap: 8px; }
.grids img { width: 232px; image-rendering: pixelated; }
)";

struct Cell {
  std::string text;
  bool numeric = false;
};

std::string html_table(const std::vector<std::string>& headers, const std::vector<std::vector<Cell>>& rows) {
  std::ostringstream out;
  out << "<table><thead><tr>";
  for (const std::string& header : headers) out << "<th scope=\"col\">" << escape_xml(header) << "</th>";
  out << "</tr></thead><tbody>\n";
  for (const std::vector<Cell>& row : rows) {
    out << "<tr>";
    for (const Cell& cell : row) out << (cell.numeric ? "<td class=\"num\">" : "<td>") << escape_xml(cell.text) << "</td>";
    out << "</tr>\n";
  }
  out << "</tbody></table>\n";
  return out.str();
}

std::string figure(const std::string& svg, const std::string& caption) {
  return "<figure>" + svg + "<figcaption>" + escape_xml(caption) + "</figcaption></figure>\n";
}

std::string likelihood_section(const json& rows) {
  std::ostringstream out;
  out << "<section><h2>Test negative log-likelihood</h2>\n";
  int chart = 0;
  for (const json& dataset : distinct(rows, [](const json& r) { return r["dataset"]; })) {
    IntervalChart nll;
    nll.id = "nll" + std::to_string(++chart);
    nll.title = "Test NLL on " + dataset.get<std::string>() + " (nats per example, 95% interval)";
    nll.x_label = "mean negative log-likelihood, nats per example (lower is better)";
    nll.description = "Mean test NLL per model with its 95% interval (mean ± 1.96 standard errors).";
    for (const json& row : rows) {
      if (row["dataset"] != dataset) continue;
      const double mean = row["mean_nll_nats"];
      nll.rows.push_back({model_label(row) + " (" + row["likelihood_kind"].get<std::string>() + ")", mean,
                          row["ci95_nats"][0], row["ci95_nats"][1],
                          format_number(mean, 2) + " ± " + format_number(row["std_error_nats"], 2),
                          nll.rows.size()});
      nll.description += " " + model_label(row) + ": " + format_number(mean, 2) + " nats, interval " +
                         format_interval(row["ci95_nats"], 2) + ".";
    }
    out << figure(render_interval_chart(nll),
                  "Bars: 95% intervals of the mean (normal approximation over the N test examples).");
  }
  std::vector<std::vector<Cell>> table;
  for (const json& row : rows)
    table.push_back({{row["dataset"]},
                     {row["model"]},
                     {seed_text(row["seed"]), true},
                     {row["likelihood_kind"]},
                     {format_number(row["mean_nll_nats"], 2) + " ± " + format_number(row["std_error_nats"], 2), true},
                     {format_interval(row["ci95_nats"], 2), true},
                     {format_number(row["bits_per_dim"], 4), true},
                     {std::to_string(row["parameters"].get<long long>()), true},
                     {format_number(row["fit_seconds"], 1), true},
                     {row["n"].dump(), true}});
  out << html_table({"dataset", "model", "seed", "likelihood", "NLL nats/example ± s.e.", "95% interval", "bits/dim",
                     "params", "fit s", "N"},
                    table)
      << "<p class=\"note\">NLL: mean negative log-likelihood of the test split in nats per example ± its standard "
         "error (std/sqrt(N)); bits/dim = NLL / (D ln 2).</p></section>\n";
  return out.str();
}

std::string metric_text(const json& metrics, const char* name) {
  if (!metrics.is_object() || !metrics.contains(name)) return "n/a";
  return format_number(metrics[name]["value"], 4) + " " + format_interval(metrics[name]["ci"], 4);
}

std::string one_class_section(const json& groups) {
  const std::vector<TextTable> tables = one_class_tables(groups);
  if (tables.empty()) return "";
  std::ostringstream out;
  out << "<section><h2>One-class detection, all classes</h2>\n";
  for (const TextTable& table : tables) {
    std::vector<std::vector<Cell>> rows;
    for (const std::vector<std::string>& row : table.rows) {
      std::vector<Cell> cells;
      for (size_t i = 0; i < row.size(); ++i) cells.push_back({row[i], i >= 2});  // model, score, then numbers
      rows.push_back(std::move(cells));
    }
    out << "<h3>" << escape_xml(table.title) << "</h3>\n" << html_table(table.headers, rows);
  }
  out << "<p class=\"note\">" << escape_xml(kOneClassNote) << "</p></section>\n";
  return out.str();
}

// "nade-h500 seed 0 (nll)": a model and its anomaly score.
std::string detector_label(const json& row) {
  return model_label(row) + (row["score"].is_string() ? " (" + row["score"].get<std::string>() + ")" : "");
}

std::string roc_section(const json& rows) {
  if (rows.empty()) return "";
  std::ostringstream out;
  out << "<section><h2>Anomaly detection: ROC curves</h2>\n";
  int chart = 0;
  const auto group = [](const json& r) { return json{r["analysis"], r["dataset"], r["inlier_class"]}; };
  for (const json& key : distinct(rows, group)) {
    LineChart roc;
    roc.id = "roc" + std::to_string(++chart);
    roc.unit_square = true;
    const std::string analysis = key[0];
    roc.title = analysis == "one-class" ? "ROC: fitted on class " + key[2].dump() + " of " + key[1].get<std::string>() +
                                              ", anomalies = other classes"
                                        : "ROC: " + key[1].get<std::string>() + " test vs. perturbed copy";
    roc.x_label = "false positive rate";
    roc.y_label = "true positive rate";
    roc.description = "ROC curves of the anomaly score (higher = more anomalous), one per model and score.";
    for (const json& row : rows) {
      if (group(row) != key || !row["roc"].is_object()) continue;
      const json& metrics = row["metrics"];
      const std::string auroc = metrics.is_object() ? format_number(metrics["auroc"]["value"], 3) : "n/a";
      roc.series.push_back({detector_label(row) + ", AUROC " + auroc, row["roc"]["fpr"].get<std::vector<double>>(),
                            row["roc"]["tpr"].get<std::vector<double>>(), roc.series.size(), false});
      roc.description += " " + detector_label(row) + ": AUROC " + auroc + ".";
    }
    out << figure(render_line_chart(roc), "Dotted diagonal: a score that does not detect anything (AUROC 0.5).");
  }
  std::vector<std::vector<Cell>> table;
  for (const json& row : rows)
    table.push_back({{row["analysis"]},
                     {row["dataset"]},
                     {row["inlier_class"].is_null() ? "" : row["inlier_class"].dump(), true},
                     {row["model"]},
                     {seed_text(row["seed"]), true},
                     {row["score"].is_string() ? row["score"].get<std::string>() : ""},
                     {metric_text(row["metrics"], "auroc"), true},
                     {metric_text(row["metrics"], "auprc"), true},
                     {metric_text(row["metrics"], "fpr_at_95_tpr"), true}});
  out << html_table({"analysis", "dataset", "inlier class", "model", "seed", "score", "AUROC [CI]", "AUPRC [CI]",
                     "FPR at 95% TPR [CI]"},
                    table)
      << "<p class=\"note\">perturbed: inliers are the test split, anomalies the same images with a fraction of their "
         "values replaced at random; one-class: the model was fitted on one class and the anomalies are the test "
         "examples of the other labels. Intervals: bootstrap percentile.</p></section>\n";
  return out.str();
}

std::string training_section(const json& curves) {
  if (curves.empty()) return "";
  std::ostringstream out;
  out << "<section><h2>Training curves</h2>\n";
  int chart = 0;
  for (const json& dataset : distinct(curves, [](const json& c) { return c["dataset"]; })) {
    LineChart training;
    training.id = "training" + std::to_string(++chart);
    training.title = "Training on " + dataset.get<std::string>();
    training.x_label = "epoch";
    training.y_label = "NLL, nats per example";
    training.description = "Validation NLL (solid) and training NLL (dashed) after each epoch.";
    std::vector<std::vector<Cell>> table;
    size_t color = 0;  // one color per model and seed; valid solid, train dashed
    for (const json& curve : curves) {
      if (curve["dataset"] != dataset) continue;
      ++color;
      LineSeries valid{model_label(curve) + " valid", {}, {}, color - 1, false};
      LineSeries train{model_label(curve) + " train", {}, {}, color - 1, true};
      for (const json& epoch : curve["epochs"]) {
        if (epoch.contains("valid_nll")) {
          valid.x.push_back(epoch["epoch"]);
          valid.y.push_back(epoch["valid_nll"]);
        }
        train.x.push_back(epoch["epoch"]);
        train.y.push_back(epoch["train_nll"]);
        table.push_back({{model_label(curve)},
                         {epoch["epoch"].dump(), true},
                         {format_number(epoch["train_nll"], 3), true},
                         {format_number(epoch.value("valid_nll", json()), 3), true},
                         {format_number(epoch.value("seconds", json()), 1), true}});
      }
      if (!valid.x.empty()) training.series.push_back(valid);
      training.series.push_back(train);
    }
    out << figure(render_line_chart(training), "Solid: validation NLL (exact); dashed: training NLL (mean over the "
                                               "epoch's minibatches).")
        << html_table({"model", "epoch", "train NLL", "valid NLL", "seconds"}, table);
  }
  out << "</section>\n";
  return out.str();
}

std::string comparison_section(const json& comparisons) {
  if (comparisons.empty()) return "";
  std::ostringstream out;
  out << "<section><h2>Paired comparisons</h2>\n";
  for (const json& entry : comparisons) {
    const json& c = entry["comparison"];
    out << "<h3>" << escape_xml(entry["dataset"].get<std::string>())
        << (entry["seed"].is_null() ? "" : ", seed " + seed_text(entry["seed"])) << "</h3>\n";
    std::vector<std::vector<Cell>> pairs;
    for (const json& pair : c.value("pairs", json::array()))
      pairs.push_back({{pair["a"]},
                       {pair["b"]},
                       {format_number(pair["mean_diff_nats"], 3) + " ± " + format_number(pair["std_error_nats"], 3), true},
                       {format_interval(pair["ci_nats"], 3), true},
                       {format_interval(pair["bootstrap_ci_nats"], 3), true},
                       {format_number(pair["p_t_holm"], 4), true},
                       {format_number(pair["p_wilcoxon_holm"], 4), true}});
    out << html_table({"better", "worse", "mean log p difference, nats ± s.e.", "t interval", "bootstrap interval",
                       "p (t, Holm)", "p (Wilcoxon, Holm)"},
                      pairs);
  }
  out << "<p class=\"note\">Per test example, log p(better) - log p(worse) in nats; models adjacent in the NLL "
         "ranking are paired.</p></section>\n";
  return out.str();
}

std::string eval_samples_section(const json& eval) {
  if (!eval.is_object() || !eval.contains("tables")) return "";
  std::ostringstream out;
  out << "<section><h2>Sample-based metrics</h2>\n";
  std::vector<std::string> headers = {"set", "n"};
  for (const auto& [key, header] : sample_metric_columns()) headers.push_back(header);
  for (const json& table : eval["tables"]) {
    out << "<h3>" << escape_xml(table["dataset"].get<std::string>()) << "</h3>\n";
    if (table["feature_space"].is_string())
      out << "<p>Feature space: " << escape_xml(table["feature_space"]) << "; real data: " << escape_xml(table["real"])
          << " (N=" << table["n_real"].dump() << ").</p>\n";
    if (!table["rows"].empty()) {
      std::vector<std::vector<Cell>> rows;
      for (const json& row : table["rows"]) {
        std::vector<Cell> cells = {{row["set"]}, {row["n"].dump(), true}};
        for (const auto& [key, header] : sample_metric_columns())
          cells.push_back({sample_metric_text(row["metrics"], key), true});
        rows.push_back(cells);
      }
      out << html_table(headers, rows);
    }
    if (!table["skipped"].empty()) {
      out << "<ul>\n";
      for (const json& skipped : table["skipped"])
        out << "<li>skipped " << escape_xml(model_label(skipped)) << ": " << escape_xml(skipped["reason"]) << "</li>\n";
      out << "</ul>\n";
    }
    if (table["command"].is_string()) out << "<p class=\"note\">Command: <code>" << escape_xml(table["command"]) << "</code></p>\n";
  }
  out << "<p class=\"note\">value ± spread (p-value where the metric is a test); n: samples per set, "
      << eval["n"].dump() << " drawn per model with seed " << eval["seed"].dump()
      << "; the reference row is the training split against the test split. Parzen LL is the legacy Parzen-window "
         "log-likelihood (nats/example), unreliable; copying z &lt;&lt; 0 means samples sit closer to the training "
         "data than test data does.</p></section>\n";
  return out.str();
}

// Per dataset: each fit's grid of samples (files next to the report), then the fits without one.
std::string sample_grids_section(const json& grids) {
  if (!grids.is_array() || grids.empty()) return "";
  std::ostringstream out;
  out << "<section><h2>Samples</h2>\n";
  for (const json& dataset : distinct(grids, [](const json& g) { return g["dataset"]; })) {
    out << "<h3>" << escape_xml(dataset) << "</h3>\n<div class=\"grids\">\n";
    for (const json& grid : grids)
      if (grid["dataset"] == dataset && grid.contains("file"))
        out << "<figure><img src=\"" << escape_xml(grid["file"]) << "\" alt=\"samples of " << escape_xml(model_label(grid))
            << "\"><figcaption>" << escape_xml(model_label(grid)) << "</figcaption></figure>\n";
    out << "</div>\n";
    std::ostringstream missing;
    for (const json& grid : grids)
      if (grid["dataset"] == dataset && grid["png"].is_null())
        missing << "<li>no samples from " << escape_xml(model_label(grid)) << ": " << escape_xml(grid["reason"]) << "</li>\n";
    if (!missing.str().empty()) out << "<ul>\n" << missing.str() << "</ul>\n";
  }
  out << "<p class=\"note\">" << escape_xml(kSampleGridsNote) << "</p></section>\n";
  return out.str();
}

std::string provenance_section(const json& report) {
  const json& p = report["provenance"];
  const json& m = p["machine"];
  std::ostringstream out;
  out << "<section><h2>Provenance</h2><ul>\n"
      << "<li>logp " << escape_xml(p["logp_version"]) << "; command: <code>" << escape_xml(p["command"])
      << "</code></li>\n"
      << "<li>threads per step: " << p["threads"].dump()
      << (p.value("ranks", 1) > 1 ? "; steps spread over " + p["ranks"].dump() + " MPI ranks" : "")
      << (p["max_epochs_override"].is_null() ? "" : "; epochs capped at " + p["max_epochs_override"].dump())
      << "</li>\n"
      << "<li>machine: " << escape_xml(m["host"]) << ", " << escape_xml(m["cpu"]) << ", " << m["logical_cores"].dump()
      << " logical cores, " << escape_xml(m["memory"]) << ", " << escape_xml(m["os"]) << "</li>\n"
      << "<li>started " << escape_xml(p["started"]) << ", finished " << escape_xml(p["finished"]) << "</li>\n";
  const json& samples = report["results"]["eval_samples"];
  if (samples.is_object() && samples.contains("status"))  // a report from before the runner ran eval-samples
    out << "<li>sample-based metrics: " << escape_xml(samples.value("status", "")) << " ("
        << escape_xml(samples.value("reason", "")) << ")</li>\n";
  out << "</ul>\n";
  std::vector<std::vector<Cell>> steps;
  for (const json& step : report["steps"])
    steps.push_back({{step["step"]}, {step["key"]}, {format_number(step["seconds"], 1), true},
                     {step["reused"].get<bool>() ? "reused"
                      : step.contains("rank")    ? "ran on rank " + step["rank"].dump()
                                                 : "ran"}});
  out << html_table({"step", "key", "seconds", "this run"}, steps) << "</section>\n";
  return out.str();
}

}  // namespace

std::string render_html(const json& report) {
  const json& suite = report["suite"];
  const json& results = report["results"];
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>logp benchmark: "
      << escape_xml(suite["name"]) << "</title>\n<style>" << kStyle << "</style></head>\n<body>\n"
      << "<h1>logp benchmark: " << escape_xml(suite["name"]) << "</h1>\n<p>" << escape_xml(suite["description"])
      << "</p>\n"
      << likelihood_section(results["likelihood"]) << one_class_section(results.value("one_class", json()))
      << roc_section(results["anomaly"])
      << training_section(results["training_curves"]) << comparison_section(results["comparisons"])
      << eval_samples_section(results.value("eval_samples", json()))
      << sample_grids_section(results.value("sample_grids", json())) << provenance_section(report) << "</body></html>\n";
  return out.str();
}

}  // namespace logp::bench
