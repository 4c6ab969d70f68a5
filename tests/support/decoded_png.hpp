#pragma once
// A PNG file decoded to 8-bit RGB (stb_image), for tests of the pictures logp writes.
#include <cstdint>
#include <string>
#include <vector>

namespace logp::testing {

struct DecodedPng {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgb;  // height x width x 3, row-major
  bool decoded() const { return width > 0; }
  // {r, g, b} of pixel (x, y).
  std::vector<int> at(int x, int y) const {
    const size_t i = 3 * (static_cast<size_t>(y) * width + x);
    return {rgb[i], rgb[i + 1], rgb[i + 2]};
  }
};

// Not decoded() when the file is missing or not a PNG.
DecodedPng decode_png(const std::string& path);

}  // namespace logp::testing
