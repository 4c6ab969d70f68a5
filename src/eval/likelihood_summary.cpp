#include "logp/eval/likelihood_summary.hpp"

#include <cmath>

#include "logp/core/math.hpp"

namespace logp {

void LikelihoodAccumulator::add(const Vector& log_probs) {
  for (Index j = 0; j < log_probs.size(); ++j) {
    const double nll = -log_probs(j);
    ++n_;
    const double delta = nll - mean_;
    mean_ += delta / static_cast<double>(n_);
    m2_ += delta * (nll - mean_);
  }
}

LikelihoodSummary LikelihoodAccumulator::summary(Index dim, LikelihoodKind kind) const {
  LikelihoodSummary s;
  s.n = n_;
  s.dim = dim;
  s.kind = kind;
  s.mean_nll = mean_;
  s.std_error = n_ > 1 ? std::sqrt(m2_ / static_cast<double>(n_ - 1) / static_cast<double>(n_)) : 0.0;
  const double to_bits = dim > 0 ? 1.0 / (static_cast<double>(dim) * ln2) : 0.0;
  s.bits_per_dim = mean_ * to_bits;
  s.bits_per_dim_se = s.std_error * to_bits;
  return s;
}

}  // namespace logp
