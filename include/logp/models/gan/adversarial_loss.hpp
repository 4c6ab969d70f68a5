#pragma once
// The losses of the two players of a GAN, on the discriminator's outputs (one row per example).
//
//   non-saturating (Goodfellow et al. 2014, their practical choice):
//     D: -log sigmoid(d_real) - log(1 - sigmoid(d_fake)) = softplus(-d_real) + softplus(d_fake)
//     G: -log sigmoid(d_fake) = softplus(-d_fake)
//   minimax (the game as stated): D as above; G: log(1 - sigmoid(d_fake)) = -softplus(d_fake)
//   least-squares (Mao et al. 2017, labels a = 0 fake, b = c = 1 real):
//     D: (d_real - 1)^2 / 2 + d_fake^2 / 2;  G: (d_fake - 1)^2 / 2
// For the first two d is a logit; for least squares it is the raw output. Every loss is summed
// over the examples (columns) and returned as a 1 x 1 node.
#include <string>

#include "logp/autodiff/tape.hpp"

namespace logp {

enum class AdversarialLoss { non_saturating, minimax, least_squares };

std::string adversarial_loss_name(AdversarialLoss loss);  // "non-saturating" | "minimax" | "least-squares"
AdversarialLoss parse_adversarial_loss(const std::string& text);

// d_real: [1, n_real], d_fake: [1, n_fake] -> [1, 1].
template <class T>
ad::BasicVar<T> discriminator_loss(ad::BasicVar<T> d_real, ad::BasicVar<T> d_fake, AdversarialLoss loss);
// d_fake: [1, n] -> [1, 1].
template <class T>
ad::BasicVar<T> generator_loss(ad::BasicVar<T> d_fake, AdversarialLoss loss);

// What the discriminator says of examples, for progress lines: sigmoid(d) for the logit losses
// (the probability of "real"), d itself for least squares. d: [1, n] -> the sum over n.
double discriminator_output_sum(const Matrix& d, AdversarialLoss loss);

}  // namespace logp
