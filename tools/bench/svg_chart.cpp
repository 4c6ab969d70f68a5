#include "logp/bench/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

namespace logp::bench {
namespace {

// An axis: [low, high] extended to whole ticks of a 1-2-5 step.
struct Axis {
  double low = 0.0, high = 1.0, step = 0.2;
};

// integer: the step is a whole number (1, 2, 5, 10, ...), for counts such as epochs.
Axis nice_axis(double low, double high, int target_ticks = 5, bool integer = false) {
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

std::string number(double value, double step) {
  const int decimals = std::clamp(static_cast<int>(-std::floor(std::log10(step) + 1e-9)), 0, 6);
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, std::abs(value) < step * 1e-6 ? 0.0 : value);
  return text;
}

std::string px(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

// The opening <svg> with its accessible name and description (element ids start with `id`).
std::string svg_open(const std::string& id, int width, int height, const std::string& title,
                     const std::string& description) {
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << width << " " << height << "\" role=\"img\" aria-labelledby=\"" << id << "-title "
      << id << "-desc\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<title id=\"" << id << "-title\">" << escape_xml(title) << "</title>\n"
      << "<desc id=\"" << id << "-desc\">" << escape_xml(description) << "</desc>\n"
      << "<rect width=\"" << width << "\" height=\"" << height << "\" fill=\"#ffffff\"/>\n"
      << "<text x=\"" << width / 2 << "\" y=\"18\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">"
      << escape_xml(title) << "</text>\n";
  return svg.str();
}

}  // namespace

std::string chart_color(size_t i) {
  static const char* const palette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"};
  return palette[i % (sizeof palette / sizeof palette[0])];
}

std::string escape_xml(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string render_line_chart(const LineChart& chart, int width, int height) {
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
  const int total_height = height + 18 * legend_rows + 6;
  const auto to_x = [&](double x) { return left + (x - x_axis.low) / (x_axis.high - x_axis.low) * plot_w; };
  const auto to_y = [&](double y) { return top + plot_h - (y - y_axis.low) / (y_axis.high - y_axis.low) * plot_h; };

  std::ostringstream svg;
  svg << svg_open(chart.id, width, total_height, chart.title, chart.description);
  // Grid and tick labels.
  for (double t = x_axis.low; t <= x_axis.high + x_axis.step * 1e-6; t += x_axis.step)
    svg << "<line x1=\"" << px(to_x(t)) << "\" y1=\"" << top << "\" x2=\"" << px(to_x(t)) << "\" y2=\"" << top + plot_h
        << "\" stroke=\"#e0e0e0\"/><text x=\"" << px(to_x(t)) << "\" y=\"" << top + plot_h + 16
        << "\" text-anchor=\"middle\">" << number(t, x_axis.step) << "</text>\n";
  for (double t = y_axis.low; t <= y_axis.high + y_axis.step * 1e-6; t += y_axis.step)
    svg << "<line x1=\"" << left << "\" y1=\"" << px(to_y(t)) << "\" x2=\"" << left + plot_w << "\" y2=\""
        << px(to_y(t)) << "\" stroke=\"#e0e0e0\"/><text x=\"" << left - 6 << "\" y=\"" << px(to_y(t) + 4)
        << "\" text-anchor=\"end\">" << number(t, y_axis.step) << "</text>\n";
  svg << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << plot_w << "\" height=\"" << plot_h
      << "\" fill=\"none\" stroke=\"#404040\"/>\n";
  svg << "<text x=\"" << px(left + plot_w / 2) << "\" y=\"" << top + plot_h + 38 << "\" text-anchor=\"middle\">"
      << escape_xml(chart.x_label) << "</text>\n";
  svg << "<text transform=\"translate(16," << px(top + plot_h / 2) << ") rotate(-90)\" text-anchor=\"middle\">"
      << escape_xml(chart.y_label) << "</text>\n";
  if (chart.unit_square)
    svg << "<line x1=\"" << px(to_x(0)) << "\" y1=\"" << px(to_y(0)) << "\" x2=\"" << px(to_x(1)) << "\" y2=\""
        << px(to_y(1)) << "\" stroke=\"#909090\" stroke-dasharray=\"2 4\"/>\n";
  // Series.
  for (const LineSeries& s : chart.series) {
    const std::string color = chart_color(s.color);
    svg << "<polyline fill=\"none\" stroke=\"" << color << "\" stroke-width=\"2\""
        << (s.dashed ? " stroke-dasharray=\"6 4\"" : "") << " points=\"";
    for (size_t i = 0; i < s.x.size(); ++i)
      if (std::isfinite(s.x[i]) && std::isfinite(s.y[i])) svg << px(to_x(s.x[i])) << "," << px(to_y(s.y[i])) << " ";
    svg << "\"><title>" << escape_xml(s.label) << "</title></polyline>\n";
    if (!chart.unit_square && s.x.size() <= 40)
      for (size_t i = 0; i < s.x.size(); ++i)
        if (std::isfinite(s.x[i]) && std::isfinite(s.y[i]))
          svg << "<circle cx=\"" << px(to_x(s.x[i])) << "\" cy=\"" << px(to_y(s.y[i])) << "\" r=\"2.5\" fill=\""
              << color << "\"/>";
    svg << "\n";
  }
  // Legend below the plot.
  for (size_t i = 0; i < chart.series.size(); ++i) {
    const double x = left + static_cast<double>(i % legend_columns) * plot_w / legend_columns;
    const double y = height + 6 + 18 * static_cast<double>(i / legend_columns);
    svg << "<line x1=\"" << px(x) << "\" y1=\"" << px(y - 4) << "\" x2=\"" << px(x + 24) << "\" y2=\"" << px(y - 4)
        << "\" stroke=\"" << chart_color(chart.series[i].color) << "\" stroke-width=\"3\""
        << (chart.series[i].dashed ? " stroke-dasharray=\"6 4\"" : "") << "/><text x=\"" << px(x + 30) << "\" y=\""
        << px(y) << "\">" << escape_xml(chart.series[i].label) << "</text>\n";
  }
  svg << "</svg>\n";
  return svg.str();
}

std::string render_interval_chart(const IntervalChart& chart, int width) {
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
  const int height = static_cast<int>(top + plot_h + bottom);
  const auto to_x = [&](double x) { return left + (x - axis.low) / (axis.high - axis.low) * plot_w; };

  std::ostringstream svg;
  svg << svg_open(chart.id, width, height, chart.title, chart.description);
  for (double t = axis.low; t <= axis.high + axis.step * 1e-6; t += axis.step)
    svg << "<line x1=\"" << px(to_x(t)) << "\" y1=\"" << top << "\" x2=\"" << px(to_x(t)) << "\" y2=\"" << top + plot_h
        << "\" stroke=\"#e0e0e0\"/><text x=\"" << px(to_x(t)) << "\" y=\"" << top + plot_h + 16
        << "\" text-anchor=\"middle\">" << number(t, axis.step) << "</text>\n";
  svg << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << plot_w << "\" height=\"" << plot_h
      << "\" fill=\"none\" stroke=\"#404040\"/>\n";
  svg << "<text x=\"" << px(left + plot_w / 2) << "\" y=\"" << top + plot_h + 38 << "\" text-anchor=\"middle\">"
      << escape_xml(chart.x_label) << "</text>\n";
  if (chart.zero_line)
    svg << "<line x1=\"" << px(to_x(0)) << "\" y1=\"" << top << "\" x2=\"" << px(to_x(0)) << "\" y2=\"" << top + plot_h
        << "\" stroke=\"#909090\" stroke-dasharray=\"2 4\"/>\n";
  for (size_t i = 0; i < chart.rows.size(); ++i) {
    const IntervalRow& row = chart.rows[i];
    const double y = top + row_height * (static_cast<double>(i) + 0.5);
    const std::string color = chart_color(row.color);
    svg << "<g><title>" << escape_xml(row.label + ": " + row.annotation) << "</title>"
        << "<text x=\"" << left - 8 << "\" y=\"" << px(y + 4) << "\" text-anchor=\"end\">" << escape_xml(row.label)
        << "</text>"
        // the interval, with end caps, then the point (a square, at least 5 px so it shows)
        << "<line x1=\"" << px(to_x(row.low)) << "\" y1=\"" << px(y) << "\" x2=\"" << px(to_x(row.high))
        << "\" y2=\"" << px(y) << "\" stroke=\"" << color << "\" stroke-width=\"2\"/>"
        << "<line x1=\"" << px(to_x(row.low)) << "\" y1=\"" << px(y - 6) << "\" x2=\"" << px(to_x(row.low))
        << "\" y2=\"" << px(y + 6) << "\" stroke=\"" << color << "\" stroke-width=\"2\"/>"
        << "<line x1=\"" << px(to_x(row.high)) << "\" y1=\"" << px(y - 6) << "\" x2=\"" << px(to_x(row.high))
        << "\" y2=\"" << px(y + 6) << "\" stroke=\"" << color << "\" stroke-width=\"2\"/>"
        << "<rect x=\"" << px(to_x(row.value) - 4) << "\" y=\"" << px(y - 4) << "\" width=\"8\" height=\"8\" fill=\""
        << color << "\"/>"
        << "<text x=\"" << px(left + plot_w + 8) << "\" y=\"" << px(y + 4) << "\">" << escape_xml(row.annotation)
        << "</text></g>\n";
  }
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace logp::bench
