#pragma once
// Pictures of single runs: `fit --plot`, `anomaly --roc-plot`, `compare --plot`. Each is a chart
// (logp/plot/charts.hpp) laid out once and written as SVG or PNG by the file's extension
// (logp/plot/picture.hpp). Every picture is an output: refused over an input
// (refuse_outputs_over_inputs) and written atomically.
#include <string>
#include <vector>

#include "logp/eval/detection_metrics.hpp"
#include "logp/plot/scene.hpp"
#include "logp/train/trainer.hpp"

namespace logp::cli {

// A UsageError unless `path` is empty or ends in ".svg" or ".png" (`option` names the option).
void require_picture_name(const std::string& option, const std::string& path);

// "dir/f.h5:/test/x" -> "f.h5:/test/x" (a file path alone -> its file name), for titles.
std::string short_where(const std::string& where);

// Train (and valid) objective per epoch, ticks at whole epochs. `title`: e.g. "nade on f.h5:/train/x".
plot::Scene training_curve(const TrainingCurve& curve, const std::string& title);

// The ROC curve with the chance diagonal; the legend gives the AUROC.
plot::Scene roc_chart(const std::vector<RocPoint>& curve, double auroc, const std::string& model,
                      const std::string& title);

// One row per pair of models: the mean paired difference and its interval, with a line at 0.
struct DifferenceRow {
  std::string label;          // "a.h5 vs b.h5"
  double mean = 0.0, low = 0.0, high = 0.0;  // nats per example
  std::string annotation;     // "0.123 ± 0.045"
};
plot::Scene differences_chart(const std::vector<DifferenceRow>& rows, int percent, const std::string& title);

}  // namespace logp::cli
