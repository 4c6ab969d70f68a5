#include "logp/eval/likelihood_summary.hpp"

#include <cmath>
#include <limits>

#include "logp/core/math.hpp"

namespace logp {

void RunningMean::add(double value) {
  ++n_;
  const double delta = value - mean_;
  mean_ += delta / static_cast<double>(n_);
  m2_ += delta * (value - mean_);
}

double RunningMean::std_error() const {
  if (n_ < 2) return std::numeric_limits<double>::quiet_NaN();  // undefined: no spread from one value
  return std::sqrt(m2_ / static_cast<double>(n_ - 1) / static_cast<double>(n_));
}

void LikelihoodAccumulator::add(const Vector& log_probs) {
  for (Index j = 0; j < log_probs.size(); ++j) nll_.add(-log_probs(j));
}

LikelihoodSummary LikelihoodAccumulator::summary(Index dim, LikelihoodKind kind) const {
  LikelihoodSummary s;
  s.n = nll_.count();
  s.dim = dim;
  s.kind = kind;
  s.mean_nll = nll_.mean();
  s.std_error = nll_.std_error();
  const double to_bits = dim > 0 ? 1.0 / (static_cast<double>(dim) * ln2) : 0.0;
  s.bits_per_dim = s.mean_nll * to_bits;
  s.bits_per_dim_se = s.std_error * to_bits;
  return s;
}

LikelihoodSummary summarize_log_probs(const Vector& log_probs, Index dim, LikelihoodKind kind) {
  LikelihoodAccumulator accumulator;
  accumulator.add(log_probs);
  return accumulator.summary(dim, kind);
}

ScoreSummary summarize_scores(const Vector& scores) {
  RunningMean running;
  for (Index j = 0; j < scores.size(); ++j) running.add(scores(j));
  return {running.count(), running.mean(), running.std_error()};
}

}  // namespace logp
