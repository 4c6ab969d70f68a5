#pragma once
// The typicality test for batches (Nalisnick et al. 2019, "Detecting out-of-distribution inputs
// to deep generative models using typicality"). A batch of M examples is flagged when its mean
// NLL is farther than epsilon from the entropy estimate H (the mean NLL of the training data);
// epsilon is the (1 - alpha) quantile of that distance over bootstrapped validation batches.
#include "logp/core/rng.hpp"
#include "logp/core/types.hpp"

namespace logp {

struct TypicalityThreshold {
  Index batch_size = 0;    // M
  double entropy = 0.0;    // H: mean NLL of the reference (training) examples, nats
  double epsilon = 0.0;    // nats
  double alpha = 0.05;
};

// reference_nll, validation_nll: per-example NLL in nats. `batches` validation batches of M
// examples are drawn with replacement.
TypicalityThreshold fit_typicality(ConstVectorRef reference_nll, ConstVectorRef validation_nll, Index batch_size,
                                   Index batches, double alpha, const Rng& rng);

// |mean(batch NLL) - H| > epsilon.
bool typicality_flags(ConstVectorRef batch_nll, const TypicalityThreshold& threshold);

// The fraction of `batches` random batches (M examples drawn with replacement from nll) flagged.
double fraction_flagged(ConstVectorRef nll, const TypicalityThreshold& threshold, Index batches, const Rng& rng);

}  // namespace logp
