#pragma once
// Summaries of per-example values: for log-likelihoods the mean NLL in nats per example with its
// standard error (sample std / sqrt(N)) and bits per dimension = nats / (D ln 2); for scores their
// mean and standard error. The standard error of fewer than two values is undefined: NaN, which
// JSON writes as null and tables should print as "n/a", never as a misleading 0. Sums are in double and accumulated in input order, so the result does
// not depend on thread counts.
#include "logp/core/types.hpp"
#include "logp/model.hpp"

namespace logp {

struct LikelihoodSummary {
  Index n = 0;                 // examples
  Index dim = 0;               // D
  double mean_nll = 0.0;       // nats per example
  double std_error = 0.0;      // of mean_nll, nats; NaN (undefined) when n < 2
  double bits_per_dim = 0.0;   // mean_nll / (D ln 2)
  double bits_per_dim_se = 0.0;
  LikelihoodKind kind = LikelihoodKind::exact;
};

struct ScoreSummary {
  Index n = 0;
  double mean = 0.0;       // in the score's unit
  double std_error = 0.0;  // of mean; NaN (undefined) when n < 2
};

// Welford's running mean and variance, one value at a time in input order.
class RunningMean {
 public:
  void add(double value);
  Index count() const { return n_; }
  double mean() const { return mean_; }
  double std_error() const;  // sample std / sqrt(n); NaN (undefined) below two values

 private:
  Index n_ = 0;
  double mean_ = 0.0;
  double m2_ = 0.0;
};

// The running summary of -log p over chunks of examples.
class LikelihoodAccumulator {
 public:
  void add(const Vector& log_probs);  // one value per example, nats
  LikelihoodSummary summary(Index dim, LikelihoodKind kind) const;
  Index count() const { return nll_.count(); }

 private:
  RunningMean nll_;
};

LikelihoodSummary summarize_log_probs(const Vector& log_probs, Index dim, LikelihoodKind kind);
ScoreSummary summarize_scores(const Vector& scores);

}  // namespace logp
