// Scene -> SVG (plot/scene.hpp): one element per item, a <title> child for tooltips.
#include <cstdio>
#include <sstream>

#include "logp/plot/scene.hpp"

namespace logp::plot {
namespace {

// Pixels with one decimal, without a trailing ".0" ("70", "70.5").
std::string px(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  std::string s = text;
  if (s.ends_with(".0")) s.resize(s.size() - 2);
  return s == "-0" ? "0" : s;
}

std::string hex(Rgb c) {
  char text[8];
  std::snprintf(text, sizeof text, "#%02x%02x%02x", c.r, c.g, c.b);
  return text;
}

std::string stroke_attributes(const Stroke& s) {
  std::string out = " stroke=\"" + hex(s.color) + "\"";
  if (s.width != 1.0) out += " stroke-width=\"" + px(s.width) + "\"";
  if (s.dash > 0) out += " stroke-dasharray=\"" + px(s.dash) + " " + px(s.gap) + "\"";
  return out;
}

// "/>" or "><title>tooltip</title></element>".
std::string close(const std::string& element, const std::string& tooltip) {
  return tooltip.empty() ? "/>\n" : "><title>" + escape_xml(tooltip) + "</title></" + element + ">\n";
}

struct Writer {
  std::ostringstream& svg;

  void operator()(const Polyline& p) const {
    if (p.points.size() == 2) {
      svg << "<line x1=\"" << px(p.points[0].x) << "\" y1=\"" << px(p.points[0].y) << "\" x2=\"" << px(p.points[1].x)
          << "\" y2=\"" << px(p.points[1].y) << "\"" << stroke_attributes(p.stroke) << close("line", p.tooltip);
      return;
    }
    svg << "<polyline fill=\"none\"" << stroke_attributes(p.stroke) << " points=\"";
    for (size_t i = 0; i < p.points.size(); ++i) svg << (i ? " " : "") << px(p.points[i].x) << "," << px(p.points[i].y);
    svg << "\"" << close("polyline", p.tooltip);
  }
  void operator()(const Box& b) const {
    svg << "<rect x=\"" << px(b.x) << "\" y=\"" << px(b.y) << "\" width=\"" << px(b.width) << "\" height=\""
        << px(b.height) << "\" fill=\"" << (b.filled ? hex(b.fill) : "none") << "\""
        << (b.outlined ? stroke_attributes(b.outline) : "") << close("rect", b.tooltip);
  }
  void operator()(const Dot& d) const {
    svg << "<circle cx=\"" << px(d.center.x) << "\" cy=\"" << px(d.center.y) << "\" r=\"" << px(d.radius)
        << "\" fill=\"" << hex(d.fill) << "\"/>\n";
  }
  void operator()(const Label& l) const {
    static const char* const anchors[] = {"start", "middle", "end"};
    svg << "<text";
    if (l.vertical)
      svg << " transform=\"translate(" << px(l.x) << "," << px(l.y) << ") rotate(-90)\"";
    else
      svg << " x=\"" << px(l.x) << "\" y=\"" << px(l.y) << "\"";
    svg << " text-anchor=\"" << anchors[static_cast<int>(l.anchor)] << "\"";
    if (l.size != 12.0) svg << " font-size=\"" << px(l.size) << "\"";
    if (l.bold) svg << " font-weight=\"bold\"";
    if (l.color != Rgb{}) svg << " fill=\"" << hex(l.color) << "\"";
    svg << ">" << escape_xml(l.text) << "</text>\n";
  }
};

}  // namespace

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

std::string to_svg(const Scene& scene) {
  std::ostringstream svg;
  const std::string& id = scene.id;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << scene.width << "\" height=\"" << scene.height
      << "\" viewBox=\"0 0 " << scene.width << " " << scene.height << "\" role=\"img\" aria-labelledby=\"" << id
      << "-title " << id << "-desc\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<title id=\"" << id << "-title\">" << escape_xml(scene.title) << "</title>\n"
      << "<desc id=\"" << id << "-desc\">" << escape_xml(scene.description) << "</desc>\n"
      << "<rect width=\"" << scene.width << "\" height=\"" << scene.height << "\" fill=\"#ffffff\"/>\n";
  const Writer writer{svg};
  for (const Item& item : scene.items) std::visit(writer, item);
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace logp::plot
