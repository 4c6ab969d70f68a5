#pragma once
// Random square patches of images, as masks (the part-to-whole GAN's inputs and `logp complete`).
#include "logp/core/rng.hpp"
#include "logp/data/data_spec.hpp"

namespace logp {

// [D, n] of 0 and 1 for H x W x C images (spec.shape): column j marks `patches` squares of
// size x size pixels (every channel), each at a top-left corner drawn uniformly from
// [0, H - size] x [0, W - size] (they may overlap), drawn from rng.split(j).
Matrix draw_patch_masks(const DataSpec& spec, Index n, Index patches, Index size, const Rng& rng);

// Column j of mask divided by its number of ones (a column of zeros stays zero): weights whose
// column sums are 1, for per-example means over the given values.
Matrix per_example_weights(const Matrix& mask);

}  // namespace logp
