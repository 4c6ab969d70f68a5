#include "plots.hpp"

#include <filesystem>

#include "cli.hpp"
#include "logp/plot/charts.hpp"
#include "logp/plot/picture.hpp"

namespace logp::cli {

void require_picture_name(const std::string& option, const std::string& path) {
  if (!path.empty() && !plot::picture_format(path))
    throw UsageError(option + " " + path + ": give a .svg or .png file name (the extension picks the format)");
}

std::string short_where(const std::string& where) {
  const size_t colon = where.rfind(":/");
  const std::string file = where.substr(0, colon);
  return std::filesystem::path(file).filename().string() + (colon == std::string::npos ? "" : where.substr(colon));
}

plot::Scene training_curve(const TrainingCurve& curve, const std::string& title) {
  plot::LineChart chart;
  chart.id = "curve";
  chart.title = title;
  chart.integer_x = true;
  chart.x_label = "epoch";
  chart.y_label = curve.is_likelihood ? "nats per example" : "objective per example";
  plot::LineSeries train{"train " + curve.train_name, {}, {}, 0, false};
  plot::LineSeries valid{"valid " + curve.valid_name, {}, {}, 1, true};
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
  return plot::line_chart_scene(chart);
}

plot::Scene roc_chart(const std::vector<RocPoint>& curve, double auroc, const std::string& model,
                      const std::string& title) {
  plot::LineChart chart;
  chart.id = "roc";
  chart.title = title;
  chart.unit_square = true;
  chart.x_label = "false positive rate";
  chart.y_label = "true positive rate";
  char value[32];
  std::snprintf(value, sizeof value, "%.4f", auroc);
  plot::LineSeries series{model + " (AUROC " + value + ")", {}, {}, 0, false};
  for (const RocPoint& p : curve) {
    series.x.push_back(p.fpr);
    series.y.push_back(p.tpr);
  }
  chart.description = "ROC curve of the anomaly score (higher = more anomalous) of " + series.label +
                      "; the dotted diagonal is a score that detects nothing (AUROC 0.5).";
  chart.series.push_back(std::move(series));
  return plot::line_chart_scene(chart);
}

plot::Scene differences_chart(const std::vector<DifferenceRow>& rows, int percent, const std::string& title) {
  plot::IntervalChart chart;
  chart.id = "differences";
  chart.title = title;
  chart.zero_line = true;
  chart.x_label = "mean log p(better) - log p(worse), nats per example, " + std::to_string(percent) + "% t interval";
  chart.description = "Paired differences of adjacent models in the ranking with their intervals; an interval "
                      "away from the dotted line at 0 is a clear difference.";
  for (const DifferenceRow& row : rows) chart.rows.push_back({row.label, row.mean, row.low, row.high, row.annotation, 0});
  return plot::interval_chart_scene(chart);
}

}  // namespace logp::cli
