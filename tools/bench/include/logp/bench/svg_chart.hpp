#pragma once
// Static SVG charts for HTML reports: the charts of logp/plot/charts.hpp (laid out once, drawn by
// plot::to_svg; the same layout gives the CLI's PNG pictures). Inline markup only (no scripts,
// fonts or links), with a <title> and <desc> for screen readers and labelled axes.
#include <string>

#include "logp/plot/charts.hpp"

namespace logp::bench {

// The i-th palette color, "#rrggbb" (cycles).
std::string chart_color(size_t i);

using plot::escape_xml;  // text escaped for HTML/SVG content and attribute values
using plot::IntervalChart;
using plot::IntervalRow;
using plot::LineChart;
using plot::LineSeries;

// A line chart with a legend, width x height pixels.
std::string render_line_chart(const LineChart& chart, int width = 640, int height = 360);

std::string render_interval_chart(const IntervalChart& chart, int width = 760);

}  // namespace logp::bench
