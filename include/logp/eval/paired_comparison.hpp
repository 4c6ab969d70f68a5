#pragma once
// Is model A really better than model B on these examples? Paired statistics of per-example
// log-likelihood differences d_i = log p_a(x_i) - log p_b(x_i) (nats; positive: A is better),
// and a ranking of several models with Holm-adjusted p-values for adjacent ranks.
#include <vector>

#include "logp/core/rng.hpp"
#include "logp/eval/bootstrap.hpp"
#include "logp/eval/hypothesis_tests.hpp"

namespace logp {

struct ComparisonOptions {
  double confidence = 0.95;
  Index bootstrap_resamples = 2000;
  std::uint64_t seed = 0;
};

struct PairedComparison {
  Index n = 0;
  Index dim = 0;            // D, for bits/dim = nats / (D ln 2)
  TTestResult t;            // paired t-test on d (mean, std_error, t interval), nats
  WilcoxonResult wilcoxon;  // signed-rank test on d
  Interval bootstrap;       // percentile interval of mean d, nats
  double nats_to_bits_per_dim() const;  // 1 / (D ln 2)
};

// log_prob_a, log_prob_b: N values each, nats, the same examples in the same order.
PairedComparison compare_paired(ConstVectorRef log_prob_a, ConstVectorRef log_prob_b, Index dim,
                                const ComparisonOptions& options);

struct Ranking {
  std::vector<Index> order;                 // model indices, best (lowest mean NLL) first
  std::vector<PairedComparison> adjacent;   // adjacent[k]: order[k] vs order[k+1]
  std::vector<double> p_t_holm;             // Holm-adjusted over the adjacent pairs
  std::vector<double> p_wilcoxon_holm;
};

// log_probs: one N-vector per model (nats). Ties in mean NLL keep the input order.
Ranking rank_models(const std::vector<Vector>& log_probs, Index dim, const ComparisonOptions& options);

}  // namespace logp
