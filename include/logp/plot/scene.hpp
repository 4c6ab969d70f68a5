#pragma once
// A picture as a list of drawing primitives in pixel coordinates (x right, y down, origin at the
// top left): what a chart's layout (plot/charts.hpp) computes once and the two backends draw,
// to_svg (svg_writer.cpp) and rasterize (raster.hpp) for PNG.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace logp::plot {

struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
  bool operator==(const Rgb&) const = default;
};

struct Point {
  double x = 0.0, y = 0.0;
};

// A line's color, width (pixels) and dash pattern (dash > 0: `dash` drawn, `gap` blank, repeated).
struct Stroke {
  Rgb color;
  double width = 1.0;
  double dash = 0.0, gap = 0.0;
};

// Two or more points joined by straight segments. tooltip: the SVG's <title> (not drawn).
struct Polyline {
  std::vector<Point> points;
  Stroke stroke;
  std::string tooltip;
};

// An axis-aligned rectangle, filled and/or outlined (the outline centred on its edges, as SVG).
struct Box {
  double x = 0.0, y = 0.0, width = 0.0, height = 0.0;
  bool filled = false;
  Rgb fill;
  bool outlined = false;
  Stroke outline;
  std::string tooltip;
};

struct Dot {
  Point center;
  double radius = 1.0;
  Rgb fill;
};

enum class Anchor { start, middle, end };

// One line of text. (x, y): the baseline point the anchor refers to; vertical: turned 90 degrees
// counter-clockwise about (x, y) (y-axis titles). size: the font size in pixels.
struct Label {
  double x = 0.0, y = 0.0;
  std::string text;  // UTF-8
  Anchor anchor = Anchor::start;
  double size = 12.0;
  bool bold = false;
  bool vertical = false;
  Rgb color;
};

using Item = std::variant<Polyline, Box, Dot, Label>;

// width x height pixels on a white background; items are drawn in order (later on top).
// title and description: the accessible name and description (SVG <title>, <desc>).
struct Scene {
  std::string id;  // prefix of the SVG's element ids (unique on a page)
  int width = 0, height = 0;
  std::string title, description;
  std::vector<Item> items;
};

// The SVG document of a scene (inline markup only: no scripts, fonts or links).
std::string to_svg(const Scene& scene);

// Text escaped for HTML/SVG content and attribute values.
std::string escape_xml(const std::string& text);

}  // namespace logp::plot
