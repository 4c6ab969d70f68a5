#pragma once
// The VAE's training objective on a tape, templated on the scalar (float to train, double for the
// gradient checks), with the standard-normal draws passed in so a test can replay them.
//
// Notation: x [D, N] a batch, q(z|x) = N(mean, diag e^{2 s}) from the encoder ([2L, N]: mean
// rows 0..L-1, s = log sigma rows L..2L-1), z = mean + e^s * eps (the reparameterization),
// prior p(z) = N(0, I), decoder p(x|z) (vae_likelihood.hpp). Nats throughout.
//   elbo (k = 1):  log p(x|z) - KL(q(z|x) || p(z)), the KL analytic
//   iwae (k >= 1): log (1/k) sum_s p(x, z_s) / q(z_s|x), z_s from eps column j*k + s
#include <cmath>
#include <numbers>

#include "logp/models/vae/vae_likelihood.hpp"
#include "logp/nn/mlp.hpp"

namespace logp {

enum class VaeBound { elbo, iwae };

// The activations of the VAE's and the autoencoder's networks.
inline const std::vector<Activation> kVaeActivations = {Activation::relu, Activation::tanh, Activation::softplus};
// Refuses an activation outside kVaeActivations, naming the model.
void require_vae_activation(Activation activation, const std::string& model);

struct VaeNetwork {
  nn::Mlp encoder;  // D -> hidden... -> 2L
  nn::Mlp decoder;  // L -> hidden (reversed)... -> decoder outputs (vae_likelihood.hpp)
  Index latent = 0;
  VaeLikelihood likelihood = VaeLikelihood::bernoulli;
};

// Returns the 1x1 node sum over examples of minus the bound; backward() on it adds the gradient
// into grad. x: [D, N]; eps: [L, N * k] (k = 1 for the ELBO).
template <class T>
ad::BasicVar<T> vae_negative_bound(ad::BasicTape<T>& tape, const VaeNetwork& net,
                                   const std::vector<ParameterBlock>& blocks, std::span<const T> values,
                                   std::span<T> grad, const Eigen::Ref<const ad::MatrixOf<T>>& x,
                                   const Eigen::Ref<const ad::MatrixOf<T>>& eps,
                                   VaeBound bound, Index k) {
  using MatrixT = ad::MatrixOf<T>;
  const Index n = x.cols(), latent = net.latent;
  require(eps.rows() == latent && eps.cols() == n * k,
          "vae: eps is " + std::to_string(eps.rows()) + "x" + std::to_string(eps.cols()) + ", expected " +
              std::to_string(latent) + "x" + std::to_string(n * k));
  require(bound == VaeBound::iwae || k == 1, "vae: the ELBO objective uses one sample per example");
  const ad::BasicVar<T> h = net.encoder.forward(tape, tape.constant(x), blocks, values, grad);  // [2L, N]
  ad::BasicVar<T> mean = ad::slice_rows(h, 0, latent);
  ad::BasicVar<T> log_scale = ad::slice_rows(h, latent, latent);
  if (k > 1) {
    mean = ad::tile_columns(mean, k);  // [L, N k]
    log_scale = ad::tile_columns(log_scale, k);
  }
  const ad::BasicVar<T> z = ad::add(mean, ad::mul(ad::exp(log_scale), tape.constant(eps)));  // [L, N k]
  const ad::BasicVar<T> out = net.decoder.forward(tape, z, blocks, values, grad);
  MatrixT x_tiled(x.rows(), n * k);
  for (Index j = 0; j < n; ++j) x_tiled.middleCols(j * k, k) = x.col(j).replicate(1, k);
  const ad::BasicVar<T> log_px_z = decoder_log_prob(net.likelihood, out, tape.constant(x_tiled));  // [1, N k]
  if (bound == VaeBound::elbo)
    return ad::sum(ad::sub(ad::kl_diag_gaussian_standard(mean, log_scale), log_px_z));
  // log p(z) - log q(z|x) = -|z|^2 / 2 + |eps|^2 / 2 + sum_i s_i (the 2 pi terms cancel).
  const MatrixT half_eps_sq = (eps.array().square() * T(0.5)).colwise().sum();  // [1, N k]
  const ad::BasicVar<T> log_ratio =
      ad::add(ad::sub(ad::sum_rows(log_scale), ad::scale(ad::sum_rows(ad::square(z)), T(0.5))),
              tape.constant(half_eps_sq));
  return ad::scale(ad::sum(ad::log_mean_exp_groups(ad::add(log_px_z, log_ratio), k)), T(-1));
}

}  // namespace logp
