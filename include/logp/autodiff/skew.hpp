#pragma once
// The skew of the Diagonal BiLSTM (PixelRNN, van den Oord et al. 2016): row i of an image is
// shifted right by i, so that each diagonal of the image becomes a column, and a column-by-column
// recurrence with a 2 x 1 state kernel sees, at pixel (i, x), the states of its left neighbour
// (i, x-1) and of the pixel above (i-1, x).
//
// Layouts. Image: [H*W*C, N], pixel (i, x) channel c at (i*W + x)*C + c (autodiff/conv.hpp).
// Skewed map: H rows by S = W + H - 1 columns, stored COLUMN by column so that one column of the
// map is one contiguous block of rows: [S*H*C, N], entry ((j*H + i)*C + c) for map column j and
// row i. Pixel (i, x) sits at map column j = i + x, or j = i + (W-1-x) when `reverse` (the
// right-to-left direction: the image mirrored left-right before the skew). The other entries
// (j - i outside 0..W-1) are zero padding.
#include "logp/autodiff/tape.hpp"

namespace logp::ad {

struct SkewShape {
  Index height = 0, width = 0, channels = 0;  // the image H, W, C
  bool reverse = false;                       // mirror x before the skew (right-to-left)
  Index columns() const { return width + height - 1; }                // S
  Index image_size() const { return height * width * channels; }      // H*W*C
  Index skewed_size() const { return columns() * height * channels; }  // S*H*C
  // The row of the skewed map holding pixel (i, x) channel c.
  Index skewed_index(Index i, Index x, Index c) const {
    const Index j = i + (reverse ? width - 1 - x : x);
    return (j * height + i) * channels + c;
  }
};

// [H*W*C, N] -> [S*H*C, N], zeros at the padding.
template <class T> BasicVar<T> skew(BasicVar<T> image, const SkewShape& shape);
// [S*H*C, N] -> [H*W*C, N]: reads the pixels back and drops the padding (skew's left inverse).
template <class T> BasicVar<T> unskew(BasicVar<T> skewed, const SkewShape& shape);

}  // namespace logp::ad
