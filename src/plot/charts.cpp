#include "logp/plot/charts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace logp::plot {
namespace {

constexpr Rgb kGrid{0xe0, 0xe0, 0xe0};
constexpr Rgb kFrame{0x40, 0x40, 0x40};
constexpr Rgb kReference{0x90, 0x90, 0x90};  // the chance diagonal, the line at 0
constexpr Rgb kInk{0, 0, 0};

Polyline line(Point a, Point b, Stroke stroke) { return {{a, b}, stroke, {}}; }

Label text(double x, double y, std::string content, Anchor anchor) {
  Label label;
  label.x = x;
  label.y = y;
  label.text = std::move(content);
  label.anchor = anchor;
  label.color = kInk;
  return label;
}

// The title centred at the top.
Label title(const std::string& content, int width) {
  Label label = text(width / 2.0, 18, content, Anchor::middle);
  label.size = 14;
  label.bold = true;
  return label;
}

Scene open_scene(const std::string& id, int width, int height, const std::string& title_text,
                 const std::string& description) {
  Scene scene;
  scene.id = id;
  scene.width = width;
  scene.height = height;
  scene.title = title_text;
  scene.description = description;
  scene.items.push_back(title(title_text, width));
  return scene;
}

// Ticks of `axis` from low to high (inclusive, up to rounding).
template <class F>
void for_each_tick(const Axis& axis, F f) {
  for (double t = axis.low; t <= axis.high + axis.step * 1e-6; t += axis.step) f(t);
}

Box frame(double left, double top, double width, double height) {
  Box box;
  box.x = left;
  box.y = top;
  box.width = width;
  box.height = height;
  box.outlined = true;
  box.outline = {kFrame, 1.0};
  return box;
}

}  // namespace

Rgb chart_color(size_t i) {
  static constexpr Rgb palette[] = {{0x00, 0x72, 0xB2}, {0xD5, 0x5E, 0x00}, {0x00, 0x9E, 0x73}, {0xCC, 0x79, 0xA7},
                                    {0xE6, 0x9F, 0x00}, {0x56, 0xB4, 0xE9}, {0x00, 0x00, 0x00}};
  return palette[i % (sizeof palette / sizeof palette[0])];
}

Axis nice_axis(double low, double high, int target_ticks, bool integer) {
  if (!(high > low)) {
    const double pad = std::max(1.0, std::abs(low) * 0.05);
    low -= pad;
    high += pad;
  }
  const double raw = (high - low) / target_ticks;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double fraction = raw / magnitude;
  double step = (fraction < 1.5 ? 1.0 : fraction < 3.0 ? 2.0 : fraction < 7.0 ? 5.0 : 10.0) * magnitude;
  if (integer) step = std::max(step, 1.0);  // 1-2-5 steps of at least 1 are whole
  return {std::floor(low / step + 1e-9) * step, std::ceil(high / step - 1e-9) * step, step};
}

std::string tick_text(double value, double step) {
  const int decimals = std::clamp(static_cast<int>(-std::floor(std::log10(step) + 1e-9)), 0, 6);
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, std::abs(value) < step * 1e-6 ? 0.0 : value);
  return text;
}

Scene line_chart_scene(const LineChart& chart, int width, int height) {
  double x_low = std::numeric_limits<double>::infinity(), x_high = -x_low, y_low = x_low, y_high = -x_low;
  for (const LineSeries& s : chart.series)
    for (size_t i = 0; i < s.x.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
      x_low = std::min(x_low, s.x[i]);
      x_high = std::max(x_high, s.x[i]);
      y_low = std::min(y_low, s.y[i]);
      y_high = std::max(y_high, s.y[i]);
    }
  if (chart.unit_square || !std::isfinite(x_low)) x_low = 0, x_high = 1, y_low = 0, y_high = 1;
  const Axis x_axis = chart.unit_square ? Axis{0, 1, 0.2} : nice_axis(x_low, x_high, 5, chart.integer_x);
  const Axis y_axis = chart.unit_square ? Axis{0, 1, 0.2} : nice_axis(y_low, y_high);

  const double left = 70, right = 20, top = 32, bottom = 48;
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  const int legend_columns = 2;
  const int legend_rows = static_cast<int>((chart.series.size() + legend_columns - 1) / legend_columns);
  const auto to_x = [&](double x) { return left + (x - x_axis.low) / (x_axis.high - x_axis.low) * plot_w; };
  const auto to_y = [&](double y) { return top + plot_h - (y - y_axis.low) / (y_axis.high - y_axis.low) * plot_h; };

  Scene scene = open_scene(chart.id, width, height + 18 * legend_rows + 6, chart.title, chart.description);
  std::vector<Item>& items = scene.items;
  // Grid and tick labels.
  for_each_tick(x_axis, [&](double t) {
    items.push_back(line({to_x(t), top}, {to_x(t), top + plot_h}, {kGrid}));
    items.push_back(text(to_x(t), top + plot_h + 16, tick_text(t, x_axis.step), Anchor::middle));
  });
  for_each_tick(y_axis, [&](double t) {
    items.push_back(line({left, to_y(t)}, {left + plot_w, to_y(t)}, {kGrid}));
    items.push_back(text(left - 6, to_y(t) + 4, tick_text(t, y_axis.step), Anchor::end));
  });
  items.push_back(frame(left, top, plot_w, plot_h));
  items.push_back(text(left + plot_w / 2, top + plot_h + 38, chart.x_label, Anchor::middle));
  Label y_title = text(16, top + plot_h / 2, chart.y_label, Anchor::middle);
  y_title.vertical = true;
  items.push_back(y_title);
  if (chart.unit_square) items.push_back(line({to_x(0), to_y(0)}, {to_x(1), to_y(1)}, {kReference, 1.0, 2, 4}));
  // Series: the line, and a dot per point when there are few.
  for (const LineSeries& s : chart.series) {
    const Stroke stroke{chart_color(s.color), 2.0, s.dashed ? 6.0 : 0.0, s.dashed ? 4.0 : 0.0};
    std::vector<Point> points;
    for (size_t i = 0; i < s.x.size(); ++i)
      if (std::isfinite(s.x[i]) && std::isfinite(s.y[i])) points.push_back({to_x(s.x[i]), to_y(s.y[i])});
    items.push_back(Polyline{points, stroke, s.label});
    if (!chart.unit_square && s.x.size() <= 40)
      for (const Point& p : points) items.push_back(Dot{p, 2.5, stroke.color});
  }
  // Legend below the plot.
  for (size_t i = 0; i < chart.series.size(); ++i) {
    const double x = left + static_cast<double>(i % legend_columns) * plot_w / legend_columns;
    const double y = height + 6 + 18 * static_cast<double>(i / legend_columns);
    const LineSeries& s = chart.series[i];
    items.push_back(line({x, y - 4}, {x + 24, y - 4}, {chart_color(s.color), 3.0, s.dashed ? 6.0 : 0.0, s.dashed ? 4.0 : 0.0}));
    items.push_back(text(x + 30, y, s.label, Anchor::start));
  }
  return scene;
}

Scene interval_chart_scene(const IntervalChart& chart, int width) {
  double low = std::numeric_limits<double>::infinity(), high = -low;
  for (const IntervalRow& row : chart.rows) {
    low = std::min({low, row.low, row.value});
    high = std::max({high, row.high, row.value});
  }
  if (!std::isfinite(low)) low = 0, high = 1;
  if (chart.zero_line) low = std::min(low, 0.0), high = std::max(high, 0.0);
  const Axis axis = nice_axis(low, high);
  const double left = 230, right = 170, top = 32, row_height = 26, bottom = 48;
  const double plot_w = width - left - right;
  const double plot_h = row_height * static_cast<double>(std::max<size_t>(chart.rows.size(), 1));
  const auto to_x = [&](double x) { return left + (x - axis.low) / (axis.high - axis.low) * plot_w; };

  Scene scene = open_scene(chart.id, width, static_cast<int>(top + plot_h + bottom), chart.title, chart.description);
  std::vector<Item>& items = scene.items;
  for_each_tick(axis, [&](double t) {
    items.push_back(line({to_x(t), top}, {to_x(t), top + plot_h}, {kGrid}));
    items.push_back(text(to_x(t), top + plot_h + 16, tick_text(t, axis.step), Anchor::middle));
  });
  items.push_back(frame(left, top, plot_w, plot_h));
  items.push_back(text(left + plot_w / 2, top + plot_h + 38, chart.x_label, Anchor::middle));
  if (chart.zero_line) items.push_back(line({to_x(0), top}, {to_x(0), top + plot_h}, {kReference, 1.0, 2, 4}));
  for (size_t i = 0; i < chart.rows.size(); ++i) {
    const IntervalRow& row = chart.rows[i];
    const double y = top + row_height * (static_cast<double>(i) + 0.5);
    const Stroke stroke{chart_color(row.color), 2.0};
    items.push_back(text(left - 8, y + 4, row.label, Anchor::end));
    // The interval with end caps, then the point (a square, 8 px so it shows).
    items.push_back(line({to_x(row.low), y}, {to_x(row.high), y}, stroke));
    items.push_back(line({to_x(row.low), y - 6}, {to_x(row.low), y + 6}, stroke));
    items.push_back(line({to_x(row.high), y - 6}, {to_x(row.high), y + 6}, stroke));
    Box point;
    point.x = to_x(row.value) - 4;
    point.y = y - 4;
    point.width = point.height = 8;
    point.filled = true;
    point.fill = stroke.color;
    point.tooltip = row.label + ": " + row.annotation;
    items.push_back(point);
    items.push_back(text(left + plot_w + 8, y + 4, row.annotation, Anchor::start));
  }
  return scene;
}

}  // namespace logp::plot
