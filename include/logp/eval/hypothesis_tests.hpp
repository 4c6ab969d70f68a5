#pragma once
// Classical tests for paired comparisons of per-example values (Boost.Math distributions).
// All p-values are two-sided.
#include <vector>

#include "logp/core/types.hpp"

namespace logp {

// Student's t and standard normal quantiles: the x with P(T <= x) = p.
double student_t_quantile(double df, double p);
double normal_quantile(double p);

struct TTestResult {
  double mean = 0.0;       // of the sample (the paired differences)
  double std_error = 0.0;  // sample std / sqrt(n)
  double t = 0.0;
  double df = 0.0;
  double p = 1.0;
  double ci_low = 0.0, ci_high = 0.0;  // t interval for the mean at the requested confidence
};

// One-sample t-test of mean == 0 (on paired differences this is the paired t-test), with the
// two-sided interval at `confidence` (e.g. 0.95). Needs n >= 2. Zero variance: t = 0, p = 1 if
// the mean is 0, else t = +-inf, p = 0.
TTestResult one_sample_t_test(ConstVectorRef sample, double confidence);

struct WelchResult {
  double t = 0.0;
  double df = 0.0;  // Welch-Satterthwaite
  double p = 1.0;
};
// Two independent samples with unequal variances: t = (mean a - mean b) / sqrt(va/na + vb/nb).
WelchResult welch_t_test(ConstVectorRef a, ConstVectorRef b);

struct WilcoxonResult {
  Index n = 0;          // non-zero differences used (zeros are dropped, Wilcoxon's convention)
  double w_plus = 0.0;  // sum of the ranks of |d| over positive d (mid-ranks for ties)
  double z = 0.0;       // normal approximation with the tie-corrected variance, no continuity correction
  double p = 1.0;
};
// Wilcoxon signed-rank test of a symmetric distribution about 0. n = 0 gives p = 1.
WilcoxonResult wilcoxon_signed_rank(ConstVectorRef differences);

// Holm's step-down adjustment: adjusted p-values, same order as p, monotone, capped at 1.
std::vector<double> holm_adjust(const std::vector<double>& p);

// Ranks 1..n of values in ascending order; tied values share the mean of their ranks.
Vector mid_ranks(ConstVectorRef values);

}  // namespace logp
