#pragma once
// The raster backend of plot/scene.hpp: anti-aliased lines, dots and boxes (coverage per pixel),
// text in a small built-in bitmap font (stb_easy_font, ASCII; other characters become '?', '±'
// becomes "+/-"). The PNG of a scene is this image through logp's PNG writer (io/png.hpp).
#include <cstdint>
#include <vector>

#include "logp/plot/scene.hpp"

namespace logp::plot {

// height x width RGB pixels, row-major, 3 bytes each.
struct RgbImage {
  int width = 0, height = 0;
  std::vector<std::uint8_t> pixels;
  Rgb at(int x, int y) const;
};

// scale: image pixels per scene pixel (2 draws the same layout twice as sharp, text included).
RgbImage rasterize(const Scene& scene, int scale = 2);

// The text as the bitmap font draws it: printable ASCII only.
std::string ascii_text(const std::string& utf8);

}  // namespace logp::plot
