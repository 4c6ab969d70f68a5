#include "logp/io/png.hpp"

#include <algorithm>
#include <cmath>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <stb/stb_image_write.h>
#pragma GCC diagnostic pop

#include <fstream>

#include "logp/core/error.hpp"
#include "logp/io/atomic_output.hpp"

namespace logp {
namespace {

void append_bytes(void* context, void* data, int size) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(context);
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  out->insert(out->end(), bytes, bytes + size);
}

}  // namespace

std::vector<std::uint8_t> encode_png(const std::vector<std::uint8_t>& pixels, int height, int width, int channels) {
  require(pixels.size() == static_cast<size_t>(height) * width * channels,
          "encode_png: " + std::to_string(pixels.size()) + " bytes for a " + std::to_string(height) + "x" +
              std::to_string(width) + "x" + std::to_string(channels) + " image");
  std::vector<std::uint8_t> png;
  if (!stbi_write_png_to_func(&append_bytes, &png, width, height, channels, pixels.data(), width * channels))
    throw Error("encode_png: stb could not encode the image");
  return png;
}

void write_png_grid(const std::string& path, const Matrix& examples, const DataSpec& spec, Index columns) {
  if (!spec.is_image())
    throw Error(path + ": data has no image shape (H, W, C); cannot draw a PNG grid of " + spec.describe());
  const Index h = spec.shape[0], w = spec.shape[1], c = spec.shape[2];
  if (c != 1 && c != 3) throw Error(path + ": PNG grids need 1 or 3 channels, the data has " + std::to_string(c));
  require(examples.rows() == spec.dim, path + ": examples have D=" + std::to_string(examples.rows()) +
                                           " but the shape says " + std::to_string(spec.dim));
  const Index n = examples.cols();
  columns = std::max<Index>(1, std::min(columns, n));
  const Index rows = (n + columns - 1) / columns;
  const Index grid_h = rows * (h + 1) + 1, grid_w = columns * (w + 1) + 1;

  float low = 0.0f, high = 1.0f;
  if (spec.kind == DataKind::categorical) high = static_cast<float>(spec.levels - 1);
  if (spec.kind == DataKind::real && n > 0) {
    low = examples.minCoeff();
    high = std::max(examples.maxCoeff(), low + 1e-12f);
  }
  std::vector<std::uint8_t> grid(static_cast<size_t>(grid_h * grid_w * c), 64);
  for (Index k = 0; k < n; ++k) {
    const Index top = (k / columns) * (h + 1) + 1, left = (k % columns) * (w + 1) + 1;
    for (Index y = 0; y < h; ++y)
      for (Index x = 0; x < w; ++x)
        for (Index ch = 0; ch < c; ++ch) {
          const float v = examples((y * w + x) * c + ch, k);
          const float scaled = std::clamp((v - low) / (high - low), 0.0f, 1.0f);
          grid[static_cast<size_t>(((top + y) * grid_w + left + x) * c + ch)] =
              static_cast<std::uint8_t>(std::lround(255.0f * scaled));
        }
  }
  write_png(path, grid, static_cast<int>(grid_h), static_cast<int>(grid_w), static_cast<int>(c));
}

void write_png(const std::string& path, const std::vector<std::uint8_t>& pixels, int height, int width, int channels) {
  const std::vector<std::uint8_t> png = encode_png(pixels, height, width, channels);
  AtomicOutput output(path);
  {
    std::ofstream file(output.temp_path(), std::ios::binary);
    file.write(reinterpret_cast<const char*>(png.data()), static_cast<std::streamsize>(png.size()));
    if (!file) throw Error(path + ": write failed");
  }
  output.commit();
}

}  // namespace logp
