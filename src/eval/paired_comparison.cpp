#include "logp/eval/paired_comparison.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "logp/core/error.hpp"

namespace logp {

double PairedComparison::nats_to_bits_per_dim() const { return 1.0 / (static_cast<double>(dim) * std::log(2.0)); }

PairedComparison compare_paired(ConstVectorRef log_prob_a, ConstVectorRef log_prob_b, Index dim,
                                const ComparisonOptions& options) {
  require(log_prob_a.size() == log_prob_b.size(), "paired comparison: the models scored different numbers of examples (" +
                                                      std::to_string(log_prob_a.size()) + " and " +
                                                      std::to_string(log_prob_b.size()) + ")");
  require(dim > 0, "paired comparison: D must be positive, got " + std::to_string(dim));
  const Vector d = log_prob_a - log_prob_b;
  require(d.allFinite(), "paired comparison: a log-likelihood is not finite (inf or nan); cannot compare");
  PairedComparison c;
  c.n = d.size();
  c.dim = dim;
  c.t = one_sample_t_test(d, options.confidence);
  c.wilcoxon = wilcoxon_signed_rank(d);
  c.bootstrap = bootstrap_mean_interval(d, options.bootstrap_resamples, options.confidence, Rng(options.seed));
  return c;
}

Ranking rank_models(const std::vector<Vector>& log_probs, Index dim, const ComparisonOptions& options) {
  require(log_probs.size() >= 2, "ranking: need at least two models, got " + std::to_string(log_probs.size()));
  for (const Vector& values : log_probs)
    require(values.size() >= 2 && values.size() == log_probs.front().size(),
            "ranking: paired tests need the same N >= 2 examples for every model, got " +
                std::to_string(values.size()) + " and " + std::to_string(log_probs.front().size()));
  Ranking ranking;
  ranking.order.resize(log_probs.size());
  std::iota(ranking.order.begin(), ranking.order.end(), Index{0});
  std::vector<double> mean(log_probs.size());
  for (size_t m = 0; m < log_probs.size(); ++m) mean[m] = log_probs[m].mean();
  std::stable_sort(ranking.order.begin(), ranking.order.end(),
                   [&](Index i, Index j) { return mean[static_cast<size_t>(i)] > mean[static_cast<size_t>(j)]; });
  std::vector<double> p_t, p_wilcoxon;
  for (size_t k = 0; k + 1 < ranking.order.size(); ++k) {
    const Vector& better = log_probs[static_cast<size_t>(ranking.order[k])];
    const Vector& worse = log_probs[static_cast<size_t>(ranking.order[k + 1])];
    ranking.adjacent.push_back(compare_paired(better, worse, dim, options));
    p_t.push_back(ranking.adjacent.back().t.p);
    p_wilcoxon.push_back(ranking.adjacent.back().wilcoxon.p);
  }
  ranking.p_t_holm = holm_adjust(p_t);
  ranking.p_wilcoxon_holm = holm_adjust(p_wilcoxon);
  return ranking;
}

}  // namespace logp
