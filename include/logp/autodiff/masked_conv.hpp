#pragma once
// Masked convolutions (PixelRNN/PixelCNN, van den Oord et al. 2016): a kernel whose taps on
// pixels that come later in raster order are zero, so output pixel (i, x) depends only on input
// pixels before it, (i', x') with i' < i, or i' = i and x' < x, and at the centre on the channels
// the mask allows.
//
// Channel groups: with G groups (G = 3 for R, G, B; 1 for one channel) channel c of n belongs to
// group c*G/n. At the centre tap, output group g sees input groups < g (mask A, the first layer:
// the pixel itself is excluded) or <= g (mask B, later layers). With G = 1, mask A drops the centre
// and mask B keeps it. Shapes and layout: autodiff/conv.hpp.
#include "logp/autodiff/conv.hpp"

namespace logp::ad {

enum class MaskType { a, b };

// [C_out, kh*kw*C_in], column (ky*kw + kx)*C_in + c (conv2d's weight layout for kh = kw = k, and
// line_conv's for kh = 1): 1 where the tap may be used, 0 where it must not. The centre tap is
// (centre_y, centre_x); taps in a row above the centre, or left of it in its row, are 1.
MatrixD causal_mask(Index kernel_height, Index kernel_width, Index centre_y, Index centre_x, Index in_channels,
                    Index out_channels, Index groups, MaskType type);

// conv2d with weight .* causal_mask: x [H*W*C_in, N] -> [H*W*C_out, N]. The shape must keep the
// image size: stride 1, odd kernel k, padding k/2; weight [C_out, k*k*C_in], bias [C_out, 1].
// The masked taps receive zero gradient.
template <class T>
BasicVar<T> masked_conv2d(BasicVar<T> x, BasicVar<T> weight, BasicVar<T> bias, const Conv2dShape& shape,
                          MaskType type, Index groups = 1);

}  // namespace logp::ad
