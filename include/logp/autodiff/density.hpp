#pragma once
// Log densities and divergences, per column (one example per column), in nats.
#include "logp/autodiff/tape.hpp"

namespace logp::ad {

// [D,N], [D,N] -> [1,N]: sum_i x l - log(1 + e^l), from logits (never log(sigmoid)).
// x is usually a constant in {0, 1}; a gradient flows into it too (it is l).
template <class T> BasicVar<T> bernoulli_log_prob(BasicVar<T> logits, BasicVar<T> x);
// [D,N] each -> [1,N]: sum_i log N(x_i; mean_i, sigma_i^2) with log_scale = log sigma.
template <class T> BasicVar<T> gaussian_log_prob(BasicVar<T> x, BasicVar<T> mean, BasicVar<T> log_scale);
// [L,N], [L,N] -> [1,N]: KL(N(mean, e^{2 log_scale}) || N(0, I)) =
// sum_i (mean_i^2 + e^{2 s_i} - 1 - 2 s_i) / 2.
template <class T> BasicVar<T> kl_diag_gaussian_standard(BasicVar<T> mean, BasicVar<T> log_scale);

}  // namespace logp::ad
