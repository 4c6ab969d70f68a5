#include "plots.hpp"

#include <filesystem>

#include "cli.hpp"
#include "logp/bench/svg_chart.hpp"

namespace logp::cli {

void require_svg_name(const std::string& option, const std::string& path) {
  if (!path.empty() && !path.ends_with(".svg"))
    throw UsageError(option + " " + path + ": give a .svg file name (the picture is SVG)");
}

std::string short_where(const std::string& where) {
  const size_t colon = where.rfind(":/");
  const std::string file = where.substr(0, colon);
  return std::filesystem::path(file).filename().string() + (colon == std::string::npos ? "" : where.substr(colon));
}

std::string training_curve_svg(const TrainingCurve& curve, const std::string& title) {
  bench::LineChart chart;
  chart.id = "curve";
  chart.title = title;
  chart.integer_x = true;
  chart.x_label = "epoch";
  chart.y_label = curve.is_likelihood ? "nats per example" : "objective per example";
  bench::LineSeries train{"train " + curve.train_name, {}, {}, 0, false};
  bench::LineSeries valid{"valid " + curve.valid_name, {}, {}, 1, true};
  for (const TrainingCurve::Epoch& e : curve.epochs) {
    train.x.push_back(e.epoch);
    train.y.push_back(e.train);
    valid.x.push_back(e.epoch);
    valid.y.push_back(e.valid);  // NaN without validation: not drawn
  }
  chart.description = "Training curve over " + std::to_string(curve.epochs.size()) + " epochs: " + train.label +
                      " (the mean over each epoch's batches)";
  chart.series.push_back(std::move(train));
  if (!curve.epochs.empty() && curve.epochs.front().valid == curve.epochs.front().valid) {  // not NaN
    chart.description += " and " + valid.label;
    chart.series.push_back(std::move(valid));
  }
  chart.description += ", lower is better.";
  return bench::render_line_chart(chart);
}

std::string roc_svg(const std::vector<RocPoint>& curve, double auroc, const std::string& model,
                    const std::string& title) {
  bench::LineChart chart;
  chart.id = "roc";
  chart.title = title;
  chart.unit_square = true;
  chart.x_label = "false positive rate";
  chart.y_label = "true positive rate";
  char value[32];
  std::snprintf(value, sizeof value, "%.4f", auroc);
  bench::LineSeries series{model + " (AUROC " + value + ")", {}, {}, 0, false};
  for (const RocPoint& p : curve) {
    series.x.push_back(p.fpr);
    series.y.push_back(p.tpr);
  }
  chart.description = "ROC curve of the anomaly score (higher = more anomalous) of " + series.label +
                      "; the dotted diagonal is a score that detects nothing (AUROC 0.5).";
  chart.series.push_back(std::move(series));
  return bench::render_line_chart(chart);
}

std::string differences_svg(const std::vector<DifferenceRow>& rows, int percent, const std::string& title) {
  bench::IntervalChart chart;
  chart.id = "differences";
  chart.title = title;
  chart.zero_line = true;
  chart.x_label = "mean log p(better) - log p(worse), nats per example, " + std::to_string(percent) + "% t interval";
  chart.description = "Paired differences of adjacent models in the ranking with their intervals; an interval "
                      "away from the dotted line at 0 is a clear difference.";
  for (const DifferenceRow& row : rows) chart.rows.push_back({row.label, row.mean, row.low, row.high, row.annotation, 0});
  return bench::render_interval_chart(chart);
}

}  // namespace logp::cli
