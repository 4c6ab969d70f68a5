#pragma once
// Checks a hand-derived or tape-derived gradient against central differences, in double.
//
// f(theta, grad) must return the objective and ADD its gradient into grad. The checker
// pre-fills grad with a known random vector and checks that exactly that vector plus the true
// gradient comes back, so a gradient that overwrites instead of accumulating fails, and so does
// one that leaves an entry unwritten.
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>

#include "logp/core/rng.hpp"
#include "logp/core/types.hpp"

namespace logp::testing {

using Objective = std::function<double(const Eigen::VectorXd& theta, Eigen::Ref<Eigen::VectorXd> grad)>;

struct GradientCheck {
  double max_abs_error = 0.0;  // max over entries of |analytic - numeric|
  double max_scale = 0.0;      // max over entries of |numeric|
  Index worst = -1;
};

inline GradientCheck check_gradient(const Objective& f, const Eigen::VectorXd& theta, double step = 1e-5) {
  const Index n = theta.size();
  Rng rng(1234);
  Eigen::VectorXd prefill(n);
  for (Index k = 0; k < n; ++k) prefill(k) = rng.normal();
  Eigen::VectorXd analytic = prefill;
  f(theta, analytic);
  analytic -= prefill;

  Eigen::VectorXd scratch(n);
  GradientCheck result;
  for (Index k = 0; k < n; ++k) {
    Eigen::VectorXd plus = theta, minus = theta;
    plus(k) += step;
    minus(k) -= step;
    scratch.setZero();
    const double up = f(plus, scratch);
    scratch.setZero();
    const double down = f(minus, scratch);
    const double numeric = (up - down) / (2.0 * step);
    const double error = std::abs(analytic(k) - numeric);
    if (error > result.max_abs_error) {
      result.max_abs_error = error;
      result.worst = k;
    }
    result.max_scale = std::max(result.max_scale, std::abs(numeric));
  }
  return result;
}

// (f(p + step) - f(p - step)) / (2 step) for one float parameter p that `f()` reads in place;
// p is restored afterwards.
template <class Loss>
double central_difference(float& parameter, float step, Loss&& f) {
  const float saved = parameter;
  parameter = saved + step;
  const double up = f();
  parameter = saved - step;
  const double down = f();
  parameter = saved;
  return (up - down) / (2.0 * static_cast<double>(step));
}

}  // namespace logp::testing
