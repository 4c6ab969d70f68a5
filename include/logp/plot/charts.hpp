#pragma once
// Charts described by their data (series, intervals, labels) and laid out once into a Scene
// (plot/scene.hpp): the axes extended to 1-2-5 ticks, grid, tick labels, legend. Both backends,
// SVG and PNG, draw that scene. Colors are the Okabe-Ito palette (distinguishable with common
// color-vision deficiencies); a series may also be dashed.
#include <string>
#include <vector>

#include "logp/plot/scene.hpp"

namespace logp::plot {

// The i-th palette color (cycles).
Rgb chart_color(size_t i);

struct LineSeries {
  std::string label;
  std::vector<double> x, y;  // same length; pairs with a non-finite value are not drawn
  size_t color = 0;
  bool dashed = false;
};

struct LineChart {
  std::string id;           // unique on the page (prefix of the SVG's element ids)
  std::string title;
  std::string description;  // read by screen readers
  std::string x_label, y_label;
  std::vector<LineSeries> series;
  bool unit_square = false;  // ROC: both axes 0..1 and the chance diagonal
  bool integer_x = false;    // x ticks at whole numbers only (epochs)
};

// A line chart with a legend below it: the plot area is width x height pixels, the legend adds
// 18 pixels per row of two series.
Scene line_chart_scene(const LineChart& chart, int width = 640, int height = 360);

// One row per estimate: a point with a horizontal interval bar, its label on the left and the
// numbers on the right (e.g. mean NLL with its 95% interval).
struct IntervalRow {
  std::string label;
  double value = 0.0, low = 0.0, high = 0.0;
  std::string annotation;  // printed right of the bar, e.g. "88.12 ± 0.31"
  size_t color = 0;
};

struct IntervalChart {
  std::string id;
  std::string title;
  std::string description;
  std::string x_label;
  std::vector<IntervalRow> rows;
  bool zero_line = false;  // a dashed vertical line at x = 0 (kept in the axis): "no difference"
};

// 26 pixels per row.
Scene interval_chart_scene(const IntervalChart& chart, int width = 760);

// Axis ticks: [low, high] extended to whole multiples of a 1-2-5 step (about target_ticks of
// them). integer: the step is a whole number (epochs).
struct Axis {
  double low = 0.0, high = 1.0, step = 0.2;
};
Axis nice_axis(double low, double high, int target_ticks = 5, bool integer = false);

// A tick value with the decimals its step needs ("0.25" for step 0.05, "3" for step 1).
std::string tick_text(double value, double step);

}  // namespace logp::plot
