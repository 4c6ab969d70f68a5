// Random square patches (include/logp/models/gan/patch_masks.hpp).
#include "logp/models/gan/patch_masks.hpp"

#include "logp/core/error.hpp"

namespace logp {

Matrix draw_patch_masks(const DataSpec& spec, Index n, Index patches, Index size, const Rng& rng) {
  require(spec.is_image(), "patches: need image data (H, W, C), got " + spec.describe());
  const Index height = spec.shape[0], width = spec.shape[1], channels = spec.shape[2];
  require(size >= 1 && size <= height && size <= width && patches >= 1,
          "patches: " + std::to_string(patches) + " patches of " + std::to_string(size) + "x" + std::to_string(size) +
              " do not fit " + std::to_string(height) + "x" + std::to_string(width) + " images");
  Matrix mask = Matrix::Zero(spec.dim, n);
  for (Index j = 0; j < n; ++j) {
    Rng column = rng.split(static_cast<std::uint64_t>(j));
    for (Index k = 0; k < patches; ++k) {
      const Index top = static_cast<Index>(column.uniform_index(static_cast<std::uint64_t>(height - size + 1)));
      const Index left = static_cast<Index>(column.uniform_index(static_cast<std::uint64_t>(width - size + 1)));
      for (Index y = top; y < top + size; ++y)
        for (Index x = left; x < left + size; ++x)
          for (Index c = 0; c < channels; ++c) mask((y * width + x) * channels + c, j) = 1.0f;
    }
  }
  return mask;
}

Matrix per_example_weights(const Matrix& mask) {
  Matrix w = mask;
  for (Index j = 0; j < w.cols(); ++j) {
    float count = 0.0f;
    for (Index i = 0; i < w.rows(); ++i) count += w(i, j);
    if (count > 0.0f) w.col(j) /= count;
  }
  return w;
}

}  // namespace logp
