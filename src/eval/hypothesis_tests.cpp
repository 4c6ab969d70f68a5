#include "logp/eval/hypothesis_tests.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/statistics/t_test.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "logp/core/error.hpp"

namespace logp {
namespace {

double two_sided_normal_p(double z) {
  const boost::math::normal standard;
  return 2.0 * boost::math::cdf(boost::math::complement(standard, std::abs(z)));
}

double two_sided_t_p(double t, double df) {
  if (std::isinf(t)) return 0.0;
  const boost::math::students_t dist(df);
  return 2.0 * boost::math::cdf(boost::math::complement(dist, std::abs(t)));
}

}  // namespace

double student_t_quantile(double df, double p) {
  require(df > 0.0 && p > 0.0 && p < 1.0,
          "student_t_quantile: need df > 0 and 0 < p < 1, got df=" + std::to_string(df) + ", p=" + std::to_string(p));
  return boost::math::quantile(boost::math::students_t(df), p);
}

double normal_quantile(double p) {
  require(p > 0.0 && p < 1.0, "normal_quantile: need 0 < p < 1, got " + std::to_string(p));
  return boost::math::quantile(boost::math::normal(), p);
}

TTestResult one_sample_t_test(ConstVectorRef sample, double confidence) {
  const Index n = sample.size();
  require(n >= 2, "t-test: need at least 2 values, got " + std::to_string(n));
  require(confidence > 0.0 && confidence < 1.0, "t-test: confidence must be in (0, 1), got " + std::to_string(confidence));
  TTestResult r;
  r.mean = sample.mean();
  const double variance = (sample.array() - r.mean).square().sum() / static_cast<double>(n - 1);
  r.std_error = std::sqrt(variance / static_cast<double>(n));
  r.df = static_cast<double>(n - 1);
  if (variance > 0.0) {
    // Boost 1.74 has the one-sample test only; on paired differences it is the paired test.
    const std::pair<double, double> tp =
        boost::math::statistics::one_sample_t_test(r.mean, variance, static_cast<double>(n), 0.0);
    r.t = tp.first;
    r.p = tp.second;
  } else {
    r.t = r.mean == 0.0 ? 0.0 : std::copysign(std::numeric_limits<double>::infinity(), r.mean);
    r.p = r.mean == 0.0 ? 1.0 : 0.0;
  }
  const double half_width = student_t_quantile(r.df, 0.5 + confidence / 2.0) * r.std_error;
  r.ci_low = r.mean - half_width;
  r.ci_high = r.mean + half_width;
  return r;
}

WelchResult welch_t_test(ConstVectorRef a, ConstVectorRef b) {
  require(a.size() >= 2 && b.size() >= 2, "Welch t-test: need at least 2 values in each sample, got " +
                                              std::to_string(a.size()) + " and " + std::to_string(b.size()));
  const double na = static_cast<double>(a.size()), nb = static_cast<double>(b.size());
  const double va = (a.array() - a.mean()).square().sum() / (na - 1.0);
  const double vb = (b.array() - b.mean()).square().sum() / (nb - 1.0);
  const double sa = va / na, sb = vb / nb;
  require(sa + sb > 0.0, "Welch t-test: both samples are constant");
  WelchResult r;
  r.t = (a.mean() - b.mean()) / std::sqrt(sa + sb);
  r.df = (sa + sb) * (sa + sb) / (sa * sa / (na - 1.0) + sb * sb / (nb - 1.0));
  r.p = two_sided_t_p(r.t, r.df);
  return r;
}

Vector mid_ranks(ConstVectorRef values) {
  const Index n = values.size();
  std::vector<Index> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), Index{0});
  std::stable_sort(order.begin(), order.end(), [&](Index i, Index j) { return values(i) < values(j); });
  Vector ranks(n);
  for (Index start = 0; start < n;) {
    Index end = start + 1;
    while (end < n && values(order[static_cast<size_t>(end)]) == values(order[static_cast<size_t>(start)])) ++end;
    const double rank = 0.5 * static_cast<double>(start + 1 + end);  // mean of ranks start+1 .. end
    for (Index k = start; k < end; ++k) ranks(order[static_cast<size_t>(k)]) = rank;
    start = end;
  }
  return ranks;
}

WilcoxonResult wilcoxon_signed_rank(ConstVectorRef differences) {
  std::vector<double> nonzero;
  for (Index i = 0; i < differences.size(); ++i)
    if (differences(i) != 0.0) nonzero.push_back(differences(i));
  WilcoxonResult r;
  r.n = static_cast<Index>(nonzero.size());
  if (r.n == 0) return r;
  Vector magnitude(r.n);
  for (Index i = 0; i < r.n; ++i) magnitude(i) = std::abs(nonzero[static_cast<size_t>(i)]);
  const Vector ranks = mid_ranks(magnitude);
  for (Index i = 0; i < r.n; ++i)
    if (nonzero[static_cast<size_t>(i)] > 0.0) r.w_plus += ranks(i);

  // Tie correction: each group of t equal |d| lowers the variance by (t^3 - t) / 48.
  std::vector<double> sorted(magnitude.data(), magnitude.data() + r.n);
  std::sort(sorted.begin(), sorted.end());
  double tie_term = 0.0;
  for (size_t start = 0; start < sorted.size();) {
    size_t end = start + 1;
    while (end < sorted.size() && sorted[end] == sorted[start]) ++end;
    const double t = static_cast<double>(end - start);
    tie_term += t * t * t - t;
    start = end;
  }
  const double n = static_cast<double>(r.n);
  const double mean = n * (n + 1.0) / 4.0;
  const double variance = n * (n + 1.0) * (2.0 * n + 1.0) / 24.0 - tie_term / 48.0;
  r.z = variance > 0.0 ? (r.w_plus - mean) / std::sqrt(variance) : 0.0;
  r.p = two_sided_normal_p(r.z);
  return r;
}

std::vector<double> holm_adjust(const std::vector<double>& p) {
  const size_t m = p.size();
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t i, size_t j) { return p[i] < p[j]; });
  std::vector<double> adjusted(m);
  double running = 0.0;
  for (size_t k = 0; k < m; ++k) {
    running = std::max(running, std::min(1.0, static_cast<double>(m - k) * p[order[k]]));
    adjusted[order[k]] = running;
  }
  return adjusted;
}

}  // namespace logp
