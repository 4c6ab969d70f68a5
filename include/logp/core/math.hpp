#pragma once
// Log-space scalar helpers (double). Bernoulli terms come from logits: log p(x | l) =
// x * l - log1p_exp(l); never log(sigmoid(l)).
#include <cmath>
#include <limits>

#include "logp/core/types.hpp"

namespace logp {

// log(1 + exp(x)), accurate for every x (softplus).
inline double log1p_exp(double x) {
  if (x > 35.0) return x;
  if (x < -35.0) return std::exp(x);
  return x > 0.0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}

inline double softplus(double x) { return log1p_exp(x); }

// log(sigmoid(x)) = -log1p_exp(-x).
inline double log_sigmoid(double x) { return -log1p_exp(-x); }

// log(sum_i exp(v_i)); -inf for an empty or all -inf input.
inline double log_sum_exp(const Eigen::Ref<const Vector>& v) {
  if (v.size() == 0) return -std::numeric_limits<double>::infinity();
  const double top = v.maxCoeff();
  if (!std::isfinite(top)) return top;
  return top + std::log((v.array() - top).exp().sum());
}

inline constexpr double ln2 = 0.69314718055994530942;

}  // namespace logp
