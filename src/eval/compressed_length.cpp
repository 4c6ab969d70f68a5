#include "logp/eval/compressed_length.hpp"

#include <cmath>
#include <cstdint>
#include <vector>

#include "logp/core/error.hpp"
#include "logp/io/png.hpp"

namespace logp {

Vector png_bits_per_dim(const Matrix& x, const DataSpec& spec) {
  require(spec.is_image() && spec.is_discrete(),
          "compressed length: needs discrete images with a shape (H, W, C); the data is " + spec.describe());
  require(x.rows() == spec.dim, "compressed length: examples have D=" + std::to_string(x.rows()) + " but the data spec says " +
                                    std::to_string(spec.dim));
  const Index h = spec.shape[0], w = spec.shape[1], c = spec.shape[2];
  require(c == 1 || c == 3, "compressed length: PNG needs 1 or 3 channels, the data has " + std::to_string(c));
  const float scale = 255.0f / static_cast<float>(spec.levels - 1);
  Vector bits(x.cols());
  std::vector<std::uint8_t> pixels(static_cast<size_t>(spec.dim));
  for (Index j = 0; j < x.cols(); ++j) {
    // Example layout is (y, x, channel) row-major, which is also PNG's pixel order.
    for (Index k = 0; k < spec.dim; ++k) pixels[static_cast<size_t>(k)] = static_cast<std::uint8_t>(std::lround(scale * x(k, j)));
    const size_t bytes = encode_png(pixels, static_cast<int>(h), static_cast<int>(w), static_cast<int>(c)).size();
    bits(j) = 8.0 * static_cast<double>(bytes) / static_cast<double>(spec.dim);
  }
  return bits;
}

}  // namespace logp
