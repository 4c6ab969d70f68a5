#pragma once
// Changing an image batch's resolution by 2 (the progressive GAN's growing, Karras et al. 2018):
// nearest-neighbour upsampling and 2x2 average pooling. Images are columns in logp's layout
// (autodiff/conv.hpp): pixel (y, x) channel c at (y*W + x)*C + c.
#include "logp/autodiff/tape.hpp"

namespace logp::ad {

// x: [H*W*C, N] -> [2H*2W*C, N], out(y, x, c) = in(y / 2, x / 2, c).
template <class T>
BasicVar<T> upsample2x(BasicVar<T> x, Index height, Index width, Index channels);

// x: [H*W*C, N] with H, W even -> [(H/2)(W/2)C, N], out(y, x, c) = the mean of in(2y + a, 2x + b, c)
// over a, b in {0, 1}.
template <class T>
BasicVar<T> avg_pool2x(BasicVar<T> x, Index height, Index width, Index channels);

}  // namespace logp::ad
