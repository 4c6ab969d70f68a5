#pragma once
// Summaries of per-example log-likelihoods: mean NLL in nats per example with its standard
// error (sample std / sqrt(N)), and bits per dimension = nats / (D ln 2). Sums are in double and
// accumulated in input order, so the result does not depend on thread counts.
#include "logp/core/types.hpp"
#include "logp/model.hpp"

namespace logp {

struct LikelihoodSummary {
  Index n = 0;                 // examples
  Index dim = 0;               // D
  double mean_nll = 0.0;       // nats per example
  double std_error = 0.0;      // of mean_nll, nats
  double bits_per_dim = 0.0;   // mean_nll / (D ln 2)
  double bits_per_dim_se = 0.0;
  LikelihoodKind kind = LikelihoodKind::exact;
};

// Welford's running mean and variance of -log p over chunks of examples.
class LikelihoodAccumulator {
 public:
  void add(const Vector& log_probs);  // one value per example, nats
  LikelihoodSummary summary(Index dim, LikelihoodKind kind) const;
  Index count() const { return n_; }

 private:
  Index n_ = 0;
  double mean_ = 0.0;
  double m2_ = 0.0;
};

}  // namespace logp
