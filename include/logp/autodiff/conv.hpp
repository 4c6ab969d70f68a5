#pragma once
// 2-D convolution and transposed convolution of images, by im2col + one GEMM per batch.
//
// Image layout: an image is one column of H*W*C floats, the pixel (y, x) channel c at index
// (y*W + x)*C + c: row-major height, width, channels, as logp stores images (the HDF5 `shape`
// attribute is H,W,C). A batch [H*W*C, N] is then, in memory, a [C, H*W*N] matrix: a column per
// pixel. An im2col matrix has a row per (ky, kx, c), index (ky*k + kx)*C + c, and a column per
// output pixel, index (oy*Wo + ox) + Ho*Wo*e for example e; a product with the weights gives the
// output batch directly in the same layout.
#include "logp/autodiff/tape.hpp"

namespace logp::ad {

// The geometry of a square-kernel convolution, stated for its input image.
struct Conv2dShape {
  Index in_height = 0, in_width = 0, in_channels = 0;  // input image H, W, C
  Index out_channels = 0;
  Index kernel = 3;          // k x k
  Index stride = 1;
  Index padding = 0;         // zeros on each side
  Index output_padding = 0;  // conv_transpose2d only: extra rows/columns at the bottom/right, < stride

  // conv2d: floor((H + 2 padding - k) / stride) + 1.
  Index conv_height() const { return (in_height + 2 * padding - kernel) / stride + 1; }
  Index conv_width() const { return (in_width + 2 * padding - kernel) / stride + 1; }
  // conv_transpose2d: (H - 1) stride - 2 padding + k + output_padding (the inverse map of conv2d).
  Index transposed_height() const { return (in_height - 1) * stride - 2 * padding + kernel + output_padding; }
  Index transposed_width() const { return (in_width - 1) * stride - 2 * padding + kernel + output_padding; }
  Index in_size() const { return in_height * in_width * in_channels; }
};

// x: [H*W*C_in, N], weight: [C_out, k*k*C_in] (column (ky*k + kx)*C_in + c), bias: [C_out, 1]
// -> [Ho*Wo*C_out, N] with Ho = shape.conv_height(), Wo = shape.conv_width().
template <class T>
BasicVar<T> conv2d(BasicVar<T> x, BasicVar<T> weight, BasicVar<T> bias, const Conv2dShape& shape);

// conv2d over only the first `taps` taps of the k x k window in raster order (tap t = ky*k + kx),
// the others taken as zero: weight [C_out, taps*C_in] is conv2d's weight less its last columns.
// A masked convolution's causal taps are such a prefix (masked_conv.hpp); the GEMM and im2col
// shrink by the skipped taps. 1 <= taps <= k*k.
template <class T>
BasicVar<T> conv2d_taps(BasicVar<T> x, BasicVar<T> weight, BasicVar<T> bias, const Conv2dShape& shape, Index taps);

// The transpose (adjoint) of conv2d in x, plus a bias: x: [H*W*C_in, N],
// weight: [C_in, k*k*C_out] (column (ky*k + kx)*C_out + o), bias: [C_out, 1]
// -> [Ho*Wo*C_out, N] with Ho = shape.transposed_height(), Wo = shape.transposed_width().
// With output_padding 0 and the same weight reshaped, it is conv2d's gradient with respect to
// its input: the upsampling layer of a decoder.
template <class T>
BasicVar<T> conv_transpose2d(BasicVar<T> x, BasicVar<T> weight, BasicVar<T> bias, const Conv2dShape& shape);

}  // namespace logp::ad
