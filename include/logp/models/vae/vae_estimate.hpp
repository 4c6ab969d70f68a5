#pragma once
// The VAE's bounds evaluated without a tape (plain float Eigen, values summed in double): the
// ELBO averaged over S draws, or the importance-weighted estimate with k draws, per example.
// The draws of example j come from example_rng(seed, x.col(j)), S (or k) columns of L standard
// normals in order; the decoder runs on chunks of `sample_chunk` (example, draw) columns and the
// importance weights are combined by a running log-sum-exp, so memory does not grow with k.
// With k > sample_chunk / 2 every example is estimated on its own, so its draws sit at the same
// columns of passes of the same sizes in any batch; those passes use the fixed-shape products
// (core/gemm.hpp), and a different sample_chunk then changes an estimate by float rounding only.
#include "logp/models/vae/vae.hpp"

namespace logp {

// x: [D, N] -> N values, nats.
Vector vae_estimate(const VaeNetwork& net, const ParameterStore& params, ConstMatrixRef x,
                    const VaeEstimator& estimator);

// KL(N(mean, diag e^{2 s}) || N(0, I)) = sum_i (mean_i^2 + e^{2 s_i} - 1 - 2 s_i) / 2, nats, in double.
double kl_to_standard_normal(const Eigen::Ref<const VectorF>& mean, const Eigen::Ref<const VectorF>& log_scale);

// The draws vae_estimate uses: [L, N * S], column j * S + s for example j, draw s.
Matrix vae_estimator_draws(Index latent, ConstMatrixRef x, const VaeEstimator& estimator);

}  // namespace logp
