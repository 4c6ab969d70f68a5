#include "logp/models/geom/geometric_transforms.hpp"

#include <string>
#include <utility>

#include "logp/core/error.hpp"

namespace logp {

void check_geometric_transforms(const DataSpec& spec, Index transforms) {
  require(spec.is_image() && spec.shape[0] == spec.shape[1],
          "geometric transformations need square images (H = W), got " + spec.describe());
  require(transforms == 4 || transforms == 8,
          "transforms = " + std::to_string(transforms) + ": must be 4 (rotations) or 8 (rotations x horizontal flip)");
}

namespace {

// out pixel (y, x) = image pixel source(y, x), every channel; images H = W = side, HWC order.
template <class Source>
VectorF remap_pixels(const VectorF& image, Index side, Index channels, Source source) {
  VectorF out(image.size());
  for (Index y = 0; y < side; ++y)
    for (Index x = 0; x < side; ++x) {
      const auto [from_y, from_x] = source(y, x);
      for (Index c = 0; c < channels; ++c)
        out((y * side + x) * channels + c) = image((from_y * side + from_x) * channels + c);
    }
  return out;
}

}  // namespace

VectorF rotate_quarter(const VectorF& image, Index side, Index channels) {
  // Counter-clockwise: output pixel (y, x) is input pixel (x, side-1-y).
  return remap_pixels(image, side, channels, [side](Index y, Index x) { return std::pair{x, side - 1 - y}; });
}

VectorF flip_horizontal(const VectorF& image, Index side, Index channels) {
  return remap_pixels(image, side, channels, [side](Index y, Index x) { return std::pair{y, side - 1 - x}; });
}

VectorF geometric_transform(const VectorF& image, Index side, Index channels, Index t) {
  VectorF out = t >= 4 ? flip_horizontal(image, side, channels) : image;
  for (Index turn = 0; turn < t % 4; ++turn) out = rotate_quarter(out, side, channels);
  return out;
}

Matrix all_geometric_transforms(ConstMatrixRef x, const DataSpec& spec, Index transforms) {
  check_geometric_transforms(spec, transforms);
  require(x.rows() == spec.dim, "geometric transformations: examples have D=" + std::to_string(x.rows()) +
                                    ", expected " + std::to_string(spec.dim));
  const Index n = x.cols(), side = spec.shape[0], channels = spec.shape[2];
  Matrix out(x.rows(), transforms * n);
  for (Index j = 0; j < n; ++j) {
    const VectorF image = x.col(j);
    for (Index t = 0; t < transforms; ++t) out.col(t * n + j) = geometric_transform(image, side, channels, t);
  }
  return out;
}

}  // namespace logp
