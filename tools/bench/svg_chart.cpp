#include "logp/bench/svg_chart.hpp"

#include <cstdio>

namespace logp::bench {

std::string chart_color(size_t i) {
  const plot::Rgb c = plot::chart_color(i);
  char text[8];
  std::snprintf(text, sizeof text, "#%02X%02X%02X", c.r, c.g, c.b);
  return text;
}

std::string render_line_chart(const LineChart& chart, int width, int height) {
  return plot::to_svg(plot::line_chart_scene(chart, width, height));
}

std::string render_interval_chart(const IntervalChart& chart, int width) {
  return plot::to_svg(plot::interval_chart_scene(chart, width));
}

}  // namespace logp::bench
