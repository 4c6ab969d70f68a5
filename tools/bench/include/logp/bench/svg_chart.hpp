#pragma once
// Static SVG charts for HTML reports: inline markup only (no scripts, fonts or links), with a
// <title> and <desc> for screen readers and labelled axes. Colors are the Okabe-Ito palette
// (distinguishable with common color-vision deficiencies); a series may also be dashed.
#include <string>
#include <vector>

namespace logp::bench {

// The i-th palette color, "#rrggbb" (cycles).
std::string chart_color(size_t i);

// Text escaped for HTML/SVG content and attribute values.
std::string escape_xml(const std::string& text);

struct LineSeries {
  std::string label;
  std::vector<double> x, y;  // same length
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

// A line chart with a legend, width x height pixels.
std::string render_line_chart(const LineChart& chart, int width = 640, int height = 360);

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

std::string render_interval_chart(const IntervalChart& chart, int width = 760);

}  // namespace logp::bench
