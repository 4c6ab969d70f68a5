#pragma once
// The geometric transformations of GEOM (Golan & El-Yaniv 2018) on square images: transformation
// t in 0..T-1 (T = 4 or 8) turns the image by (t mod 4) quarter turns counter-clockwise, after a
// horizontal flip when t >= 4. Transformation 0 is the identity. Images are columns of H*W*C
// values, pixel (y, x) channel c at index (y*W + x)*C + c (the layout of autodiff/conv.hpp).
#include "logp/core/types.hpp"
#include "logp/data/data_spec.hpp"

namespace logp {

// Throws unless spec is a square image and transforms is 4 or 8 (the error names both).
void check_geometric_transforms(const DataSpec& spec, Index transforms);

// image: D = H*W*C values of one image (H == W) -> the image under transformation t.
VectorF rotate_quarter(const VectorF& image, Index side, Index channels);   // one turn counter-clockwise
VectorF flip_horizontal(const VectorF& image, Index side, Index channels);  // x -> W-1-x
VectorF geometric_transform(const VectorF& image, Index side, Index channels, Index t);

// x: D x N -> D x (T*N): column t*N + n is example n under transformation t.
Matrix all_geometric_transforms(ConstMatrixRef x, const DataSpec& spec, Index transforms);

}  // namespace logp
