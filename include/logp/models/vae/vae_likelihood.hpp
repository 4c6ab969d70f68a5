#pragma once
// The VAE decoder's observation model p(x|z), per column (one example or sample per column), nats.
//   bernoulli: decoder outputs D logits l; log p = sum_i x_i l_i - log(1 + e^{l_i})  (binary data)
//   gaussian:  decoder outputs 2D rows, means (rows 0..D-1) and log sigma (rows D..2D-1);
//              log p = sum_i log N(x_i; m_i, e^{2 s_i})  (real data)
// The same formulas on a tape (training) and on plain matrices (evaluation, sampling).
#include <span>
#include <string>

#include "logp/autodiff/ops.hpp"
#include "logp/core/rng.hpp"
#include "logp/data/data_spec.hpp"

namespace logp {

enum class VaeLikelihood { bernoulli, gaussian };
VaeLikelihood parse_vae_likelihood(const std::string& text);  // "bernoulli" | "gaussian"
std::string_view to_string(VaeLikelihood likelihood);
// The likelihood for a kind of data (binary: bernoulli, real: gaussian); refuses the others,
// naming the data; `given` (may be empty) is checked against the data.
VaeLikelihood vae_likelihood_for(const DataSpec& spec, const std::string& given);

// Decoder output rows for D data dimensions.
Index decoder_outputs(VaeLikelihood likelihood, Index dim);

// out: [decoder_outputs, M], x: [D, M] -> [1, M] on a tape.
template <class T>
ad::BasicVar<T> decoder_log_prob(VaeLikelihood likelihood, ad::BasicVar<T> out, ad::BasicVar<T> x) {
  if (likelihood == VaeLikelihood::bernoulli) return ad::bernoulli_log_prob(out, x);
  const Index dim = x.rows();
  return ad::gaussian_log_prob(x, ad::slice_rows(out, 0, dim), ad::slice_rows(out, dim, dim));
}

// The same without a tape: out [outputs, M], x [D, M]; writes M values (nats) into log_px_z.
void decoder_log_prob(VaeLikelihood likelihood, const Matrix& out, const Matrix& x, Eigen::Ref<Vector> log_px_z);
// The same with column c of out scored against column x_column[c] of x (x: [D, any]), so the
// draws of one example read its data column in place instead of a tiled copy.
void decoder_log_prob(VaeLikelihood likelihood, const Matrix& out, ConstMatrixRef x, std::span<const Index> x_column,
                      Eigen::Ref<Vector> log_px_z);

// Draws x ~ p(x|z) for each column of out: [outputs, M] -> [D, M].
Matrix decoder_sample(VaeLikelihood likelihood, const Matrix& out, Rng& rng);

}  // namespace logp
