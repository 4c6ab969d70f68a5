// Masked convolutions (include/logp/autodiff/masked_conv.hpp).
#include "logp/autodiff/masked_conv.hpp"

#include "logp/autodiff/arithmetic.hpp"
#include "logp/autodiff/shape.hpp"

namespace logp::ad {

MatrixD causal_mask(Index kernel_height, Index kernel_width, Index centre_y, Index centre_x, Index in_channels,
                    Index out_channels, Index groups, MaskType type) {
  require(kernel_height > 0 && kernel_width > 0 && centre_y >= 0 && centre_y < kernel_height && centre_x >= 0 &&
              centre_x < kernel_width && groups > 0 && in_channels >= groups && out_channels >= groups,
          "causal_mask: bad geometry: kernel " + std::to_string(kernel_height) + "x" + std::to_string(kernel_width) +
              ", centre (" + std::to_string(centre_y) + ", " + std::to_string(centre_x) + "), channels " +
              std::to_string(in_channels) + " -> " + std::to_string(out_channels) + ", " + std::to_string(groups) +
              " groups");
  MatrixD mask = MatrixD::Zero(out_channels, kernel_height * kernel_width * in_channels);
  for (Index ky = 0; ky < kernel_height; ++ky)
    for (Index kx = 0; kx < kernel_width; ++kx)
      for (Index c = 0; c < in_channels; ++c)
        for (Index o = 0; o < out_channels; ++o) {
          const bool before = ky < centre_y || (ky == centre_y && kx < centre_x);
          const bool centre = ky == centre_y && kx == centre_x;
          const Index in_group = c * groups / in_channels, out_group = o * groups / out_channels;
          const bool group_ok = type == MaskType::a ? in_group < out_group : in_group <= out_group;
          if (before || (centre && group_ok)) mask(o, (ky * kernel_width + kx) * in_channels + c) = 1.0;
        }
  return mask;
}

template <class T>
BasicVar<T> masked_conv2d(BasicVar<T> x, BasicVar<T> weight, BasicVar<T> bias, const Conv2dShape& shape,
                          MaskType type, Index groups) {
  require(shape.stride == 1 && shape.kernel % 2 == 1 && shape.padding == shape.kernel / 2,
          "masked_conv2d: needs stride 1, an odd kernel and padding kernel/2, got kernel " +
              std::to_string(shape.kernel) + ", stride " + std::to_string(shape.stride) + ", padding " +
              std::to_string(shape.padding));
  const Index centre = shape.kernel / 2;
  const MatrixD mask =
      causal_mask(shape.kernel, shape.kernel, centre, centre, shape.in_channels, shape.out_channels, groups, type);
  // The taps after the last one the mask keeps are never read: conv2d_taps skips them.
  Index taps = shape.kernel * shape.kernel;
  while (taps > 1 && mask.middleCols((taps - 1) * shape.in_channels, shape.in_channels).isZero()) --taps;
  const Index kept = taps * shape.in_channels;
  return conv2d_taps(x, mul(slice_cols(weight, 0, kept), x.tape->constant(mask.leftCols(kept).template cast<T>())),
                     bias, shape, taps);
}

template BasicVar<float> masked_conv2d(BasicVar<float>, BasicVar<float>, BasicVar<float>, const Conv2dShape&,
                                       MaskType, Index);
template BasicVar<double> masked_conv2d(BasicVar<double>, BasicVar<double>, BasicVar<double>, const Conv2dShape&,
                                        MaskType, Index);

}  // namespace logp::ad
