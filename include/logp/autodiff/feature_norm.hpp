#pragma once
// The progressive GAN's two normalizations (Karras et al. 2018, sections 3 and 4.2).
#include "logp/autodiff/tape.hpp"

namespace logp::ad {

// Pixel norm: each column scaled to unit root mean square,
//   a: [C, M] -> [C, M], y_j = a_j / sqrt(mean_i a_ij^2 + eps).
// An image batch [H*W*C, N] reshaped to [C, H*W*N] normalizes every pixel's feature vector.
template <class T>
BasicVar<T> pixel_norm(BasicVar<T> a, std::type_identity_t<T> eps = T(1e-8));

// The minibatch standard deviation: a: [F, N] (N >= 2) -> [1, 1], the mean over the F rows of
// sqrt(var_n + eps), var_n the biased variance of the row over the N columns (the examples).
// The discriminator appends it as a constant feature map, so it can see a batch's diversity.
template <class T>
BasicVar<T> minibatch_stddev(BasicVar<T> a, std::type_identity_t<T> eps = T(1e-8));

}  // namespace logp::ad
