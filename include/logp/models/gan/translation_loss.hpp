#pragma once
// The losses of image-to-image translation GANs (CycleGAN, Zhu et al. 2017), as tape nodes.
//
// A PatchGAN discriminator gives a grid of P outputs per image, d: [P, n] (raw outputs: the least-
// squares GAN of Mao et al. 2017, labels 1 real and 0 fake, as in Zhu et al. Section 4). Each
// image's term is the mean over its P outputs; the terms are summed over the n images:
//   discriminator: sum_j (1/P) sum_p [ (d_real - 1)^2 + d_fake^2 ] / 2   (the objective halved for D)
//   generator:     sum_j (1/P) sum_p (d_fake - 1)^2
// The reconstruction terms (cycle consistency, identity) are L1 distances between images,
// x, y: [D, n], each image's mean absolute difference per pixel, summed over images:
//   l1: sum_j (1/D) sum_i |x_ij - y_ij|       (|a| = leaky_relu(a, -1); derivative -1 at 0)
// Every loss returns a [1, 1] node.
#include "logp/autodiff/tape.hpp"

namespace logp {

// One least-squares term: d: [P, n] -> weight sum_j (1/P) sum_p (d_pj - target)^2, [1, 1]. The
// discriminator's loss is patch_least_squares(d_real, 1, 1/2) + patch_least_squares(d_fake, 0, 1/2),
// the generator's patch_least_squares(d_fake, 1, 1).
template <class T>
ad::BasicVar<T> patch_least_squares(ad::BasicVar<T> d, T target, T weight);
// x, y: [D, n] -> [1, 1].
template <class T>
ad::BasicVar<T> mean_l1_loss(ad::BasicVar<T> x, ad::BasicVar<T> y);
// The domain classification loss (StarGAN, Choi et al. 2018): logits [K, n], one_hot [K, n] (the
// classes, a constant) -> [1, 1] = -sum_j log softmax(logits_j)[y_j] (nats).
template <class T>
ad::BasicVar<T> class_cross_entropy(ad::BasicVar<T> logits, ad::BasicVar<T> one_hot);

}  // namespace logp
