#pragma once
// Compressed length of images as a complexity estimate (Serra et al. 2020, "Input complexity and
// out-of-distribution detection with likelihood-based generative models"): the PNG encoding of
// each example by the same writer as sample grids (encode_png), values mapped to 0..255 as there
// (binary 0/1 -> 0/255, categorical v -> round(255 v / (levels - 1))).
#include "logp/core/types.hpp"
#include "logp/data/data_spec.hpp"

namespace logp {

// x: D x N examples of a discrete image spec (H, W, C with C in {1, 3}). Returns N lengths in
// bits per dimension: 8 * (PNG bytes) / D.
Vector png_bits_per_dim(const Matrix& x, const DataSpec& spec);

}  // namespace logp
