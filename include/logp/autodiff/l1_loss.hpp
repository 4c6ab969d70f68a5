#pragma once
// A weighted L1 distance (the part-to-whole GAN's patch reconstruction loss).
#include "logp/autodiff/tape.hpp"

namespace logp::ad {

// a, target, weights: [M, N] -> [1, 1], sum_ij weights_ij |a_ij - target_ij|. The derivative of
// |d| at d = 0 is taken as 0.
template <class T>
BasicVar<T> weighted_l1(BasicVar<T> a, BasicVar<T> target, BasicVar<T> weights);

}  // namespace logp::ad
