#include "logp/plot/raster.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wshadow"
#include <stb/stb_easy_font.h>
#pragma GCC diagnostic pop

#include "logp/core/error.hpp"

namespace logp::plot {
namespace {

// How much of each pixel one item covers, 0..1 (the largest of its parts: overlapping segments of
// one polyline do not darken their joints). Composited once per item.
class Coverage {
 public:
  Coverage(int width, int height) : width_(width), height_(height), a_(static_cast<size_t>(width) * height, 0.0f) {}

  // The pixels of [x0, x1] x [y0, y1], each by the area inside it.
  void rect(double x0, double y0, double x1, double y1) {
    if (x1 < x0) std::swap(x0, x1);
    if (y1 < y0) std::swap(y0, y1);
    for (int y = std::max(0, static_cast<int>(std::floor(y0))); y < std::min(height_, static_cast<int>(std::ceil(y1))); ++y) {
      const double cy = std::min(y1, y + 1.0) - std::max(y0, static_cast<double>(y));
      for (int x = std::max(0, static_cast<int>(std::floor(x0))); x < std::min(width_, static_cast<int>(std::ceil(x1))); ++x)
        add(x, y, cy * (std::min(x1, x + 1.0) - std::max(x0, static_cast<double>(x))));
    }
  }

  // A segment `width` wide with round ends: by the distance of each pixel's centre to it.
  void segment(Point a, Point b, double width) {
    const double half = width / 2;
    const double dx = b.x - a.x, dy = b.y - a.y, length2 = dx * dx + dy * dy;
    for_pixels_near(std::min(a.x, b.x) - half, std::min(a.y, b.y) - half, std::max(a.x, b.x) + half,
                    std::max(a.y, b.y) + half, [&](double px, double py) {
                      const double t = length2 > 0 ? std::clamp(((px - a.x) * dx + (py - a.y) * dy) / length2, 0.0, 1.0) : 0.0;
                      return half + 0.5 - std::hypot(px - a.x - t * dx, py - a.y - t * dy);
                    });
  }

  void disc(Point c, double radius) {
    for_pixels_near(c.x - radius, c.y - radius, c.x + radius, c.y + radius,
                    [&](double px, double py) { return radius + 0.5 - std::hypot(px - c.x, py - c.y); });
  }

  // Blends `color` into the image (width x height x 3) by this coverage, then clears it.
  void paint(std::vector<std::uint8_t>& pixels, Rgb color) {
    const std::uint8_t channels[3] = {color.r, color.g, color.b};
    for (int y = y0_; y <= y1_; ++y)
      for (int x = x0_; x <= x1_; ++x) {
        const size_t i = static_cast<size_t>(y) * width_ + x;
        for (int c = 0; c < 3; ++c) {
          std::uint8_t& p = pixels[3 * i + c];
          p = static_cast<std::uint8_t>(std::lround(p + (channels[c] - p) * static_cast<double>(a_[i])));
        }
        a_[i] = 0.0f;
      }
    x0_ = y0_ = std::numeric_limits<int>::max();
    x1_ = y1_ = -1;
  }

 private:
  void add(int x, int y, double value) {
    if (value <= 0.0) return;
    float& a = a_[static_cast<size_t>(y) * width_ + x];
    a = std::max(a, static_cast<float>(std::min(value, 1.0)));
    x0_ = std::min(x0_, x), x1_ = std::max(x1_, x), y0_ = std::min(y0_, y), y1_ = std::max(y1_, y);
  }

  // f(pixel centre) -> coverage for the pixels of the box, widened by a pixel (the soft edge).
  template <class F>
  void for_pixels_near(double x0, double y0, double x1, double y1, F f) {
    for (int y = std::max(0, static_cast<int>(std::floor(y0)) - 1); y <= std::min(height_ - 1, static_cast<int>(std::ceil(y1))); ++y)
      for (int x = std::max(0, static_cast<int>(std::floor(x0)) - 1); x <= std::min(width_ - 1, static_cast<int>(std::ceil(x1))); ++x)
        add(x, y, f(x + 0.5, y + 0.5));
  }

  int width_, height_;
  std::vector<float> a_;
  int x0_ = std::numeric_limits<int>::max(), y0_ = std::numeric_limits<int>::max(), x1_ = -1, y1_ = -1;  // touched
};

// The drawn pieces of a polyline: all of it, or its dashes (the pattern runs on across corners).
std::vector<std::pair<Point, Point>> dashes(const std::vector<Point>& points, const Stroke& stroke) {
  std::vector<std::pair<Point, Point>> out;
  double phase = 0.0;  // distance into the current dash + gap period
  const double period = stroke.dash + stroke.gap;
  for (size_t i = 1; i < points.size(); ++i) {
    const Point a = points[i - 1], b = points[i];
    const double length = std::hypot(b.x - a.x, b.y - a.y);
    if (stroke.dash <= 0 || period <= 0) {
      out.push_back({a, b});
      continue;
    }
    const auto at = [&](double s) { return Point{a.x + (b.x - a.x) * s / length, a.y + (b.y - a.y) * s / length}; };
    for (double s = 0; s < length;) {
      const double step = std::min(length - s, phase < stroke.dash ? stroke.dash - phase : period - phase);
      if (phase < stroke.dash) out.push_back({at(s), at(s + step)});
      s += step;
      phase = std::fmod(phase + step, period);
    }
  }
  return out;
}

// The bitmap font's size for a font size in image pixels: whole image pixels per font unit (crisp),
// capitals 7 units high (12 px text: 7 px capitals at scale 1, 14 px at scale 2).
double font_unit(double size, int scale) { return std::max(1.0, std::round(size / 12.0 * scale)); }

void text(Coverage& coverage, const Label& label, int scale) {
  std::string ascii = ascii_text(label.text);
  if (ascii.empty()) return;
  std::vector<char> quads(ascii.size() * 300 + 1024);  // stb_easy_font: ~270 bytes per character
  const int count = stb_easy_font_print(0, 0, ascii.data(), nullptr, quads.data(), static_cast<int>(quads.size()));
  const double unit = font_unit(label.size, scale);
  const double width = (stb_easy_font_width(ascii.data()) - 2) * unit;  // less the last glyph's spacing
  const double shift = label.anchor == Anchor::start ? 0.0 : label.anchor == Anchor::middle ? -width / 2 : -width;
  const double x = label.x * scale, y = label.y * scale;
  for (int q = 0; q < count; ++q) {
    const float* corner = reinterpret_cast<const float*>(quads.data() + 64 * q);  // 4 vertices of 16 bytes
    const float* opposite = reinterpret_cast<const float*>(quads.data() + 64 * q + 32);
    // Along the text (u) and down from the baseline (v), in image pixels.
    const double u0 = shift + corner[0] * unit, u1 = shift + opposite[0] * unit;
    const double v0 = (corner[1] - 7) * unit, v1 = (opposite[1] - 7) * unit;
    for (int pass = 0; pass < (label.bold ? 2 : 1); ++pass) {  // bold: drawn twice, a pixel apart
      const double bold = pass * std::max(1.0, unit / 2);
      if (label.vertical)  // turned counter-clockwise: u runs up, v to the right
        coverage.rect(x + v0, y - u1 - bold, x + v1, y - u0 - bold);
      else
        coverage.rect(x + u0 + bold, y + v0, x + u1 + bold, y + v1);
    }
  }
}

}  // namespace

Rgb RgbImage::at(int x, int y) const {
  const size_t i = 3 * (static_cast<size_t>(y) * width + x);
  return {pixels[i], pixels[i + 1], pixels[i + 2]};
}

std::string ascii_text(const std::string& utf8) {
  std::string out;
  for (size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c >= 32 && c < 127) {
      out += static_cast<char>(c);
    } else if (c == 0xC2 && i + 1 < utf8.size() && static_cast<unsigned char>(utf8[i + 1]) == 0xB1) {
      out += "+/-";  // ±
      ++i;
    } else if (c >= 0xC0) {  // the first byte of another character; its continuation bytes are skipped
      out += '?';
    }
  }
  return out;
}

RgbImage rasterize(const Scene& scene, int scale) {
  require(scale >= 1 && scene.width > 0 && scene.height > 0 && scene.width * scale <= 16384 && scene.height * scale <= 16384,
          "rasterize: a " + std::to_string(scene.width) + "x" + std::to_string(scene.height) + " scene at scale " +
              std::to_string(scale));
  RgbImage image{scene.width * scale, scene.height * scale, {}};
  image.pixels.assign(static_cast<size_t>(image.width) * image.height * 3, 255);
  const double s = scale;
  const auto device = [s](Point p) { return Point{p.x * s, p.y * s}; };
  Coverage coverage(image.width, image.height);  // of one item at a time
  for (const Item& item : scene.items) {
    Rgb color;
    if (const auto* p = std::get_if<Polyline>(&item)) {
      std::vector<Point> points;
      for (const Point& q : p->points) points.push_back(device(q));
      Stroke stroke = p->stroke;
      stroke.dash *= s;
      stroke.gap *= s;
      for (const auto& [a, b] : dashes(points, stroke)) coverage.segment(a, b, p->stroke.width * s);
      color = p->stroke.color;
    } else if (const auto* b = std::get_if<Box>(&item)) {
      const double x0 = b->x * s, y0 = b->y * s, x1 = (b->x + b->width) * s, y1 = (b->y + b->height) * s;
      if (b->filled) {
        coverage.rect(x0, y0, x1, y1);
        coverage.paint(image.pixels, b->fill);
      }
      if (!b->outlined) continue;
      const double half = b->outline.width * s / 2;
      coverage.rect(x0 - half, y0 - half, x1 + half, y0 + half);
      coverage.rect(x0 - half, y1 - half, x1 + half, y1 + half);
      coverage.rect(x0 - half, y0 - half, x0 + half, y1 + half);
      coverage.rect(x1 - half, y0 - half, x1 + half, y1 + half);
      color = b->outline.color;
    } else if (const auto* d = std::get_if<Dot>(&item)) {
      coverage.disc(device(d->center), d->radius * s);
      color = d->fill;
    } else if (const auto* l = std::get_if<Label>(&item)) {
      text(coverage, *l, scale);
      color = l->color;
    }
    coverage.paint(image.pixels, color);
  }
  return image;
}

}  // namespace logp::plot
