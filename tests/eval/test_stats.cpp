// Statistics behind `logp compare`: quantiles, t-tests, Wilcoxon, Holm and bootstrap intervals
// against published values and closed forms.
#include <tbb/global_control.h>

#include <catch2/catch.hpp>
#include <cmath>

#include "logp/core/error.hpp"
#include "logp/eval/bootstrap.hpp"
#include "logp/eval/hypothesis_tests.hpp"
#include "logp/eval/paired_comparison.hpp"

using namespace logp;

namespace {

Vector vec(std::initializer_list<double> values) {
  Vector v(static_cast<Index>(values.size()));
  Index i = 0;
  for (double x : values) v(i++) = x;
  return v;
}

}  // namespace

TEST_CASE("stats: t and normal quantiles match published tables", "[stats]") {
  // Two-tailed critical values: t(df 20, p 0.01) = 2.845, t(df 10, p 0.05) = 2.228.
  CHECK(student_t_quantile(20, 0.995) == Approx(2.845).margin(5e-4));
  CHECK(student_t_quantile(10, 0.975) == Approx(2.228).margin(5e-4));
  CHECK(student_t_quantile(20, 0.005) == Approx(-2.845).margin(5e-4));
  CHECK(normal_quantile(0.975) == Approx(1.959964).margin(1e-6));
  CHECK(normal_quantile(0.995) == Approx(2.575829).margin(1e-6));
  CHECK_THROWS_AS(student_t_quantile(20, 1.0), Error);
}

TEST_CASE("stats: Welch t-test reproduces R's t.test example", "[stats]") {
  // R: t.test(a, b) -> t = -1.5379, df = 18.137, p-value = 0.1413.
  const Vector a = vec({14, 15, 15, 15, 16, 18, 22, 23, 24, 25, 25});
  const Vector b = vec({10, 12, 14, 15, 18, 22, 24, 27, 31, 33, 34, 34, 34});
  const WelchResult r = welch_t_test(a, b);
  CHECK(r.t == Approx(-1.5379).margin(5e-5));
  CHECK(r.df == Approx(18.137).margin(5e-4));
  CHECK(r.p == Approx(0.1413).margin(5e-5));
}

TEST_CASE("stats: paired t-test on differences: statistic, p and interval", "[stats]") {
  // R's wilcox.test paired example data; scipy.stats.ttest_1samp(x - y, 0): t = 3.03537541565, p = 0.01617662743.
  const Vector x = vec({1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30});
  const Vector y = vec({0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29});
  const TTestResult r = one_sample_t_test(x - y, 0.95);
  CHECK(r.t == Approx(3.0353754156).epsilon(1e-9));
  CHECK(r.p == Approx(0.0161766274).epsilon(1e-8));
  CHECK(r.df == 8);
  // The interval is mean +- t(0.975, 8) * se and excludes 0 exactly when p < 0.05.
  CHECK(r.ci_high - r.mean == Approx(student_t_quantile(8, 0.975) * r.std_error).epsilon(1e-12));
  CHECK(r.ci_low > 0.0);
  // Constant differences: no variance, the decision is certain.
  const TTestResult constant = one_sample_t_test(vec({1, 1, 1}), 0.95);
  CHECK(constant.p == 0.0);
  CHECK(one_sample_t_test(vec({0, 0, 0}), 0.95).p == 1.0);
  CHECK_THROWS_AS(one_sample_t_test(vec({1}), 0.95), Error);
}

TEST_CASE("stats: Wilcoxon signed-rank matches R's statistic and scipy's normal approximation", "[stats]") {
  const Vector x = vec({1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30});
  const Vector y = vec({0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29});
  // R: wilcox.test(x, y, paired = TRUE) -> V = 40; scipy.stats.wilcoxon(x - y, correction=False,
  // mode="approx") -> p = 0.038151710173415135.
  const WilcoxonResult r = wilcoxon_signed_rank(x - y);
  CHECK(r.n == 9);
  CHECK(r.w_plus == 40.0);
  CHECK(r.p == Approx(0.038151710173415135).epsilon(1e-10));

  // Zeros dropped, tied magnitudes share ranks and reduce the variance. scipy (zero_method="wilcox",
  // correction=False, mode="approx"): min(W+, W-) = 14, p = 0.026950831549747395.
  const Vector d = vec({1, 2, 2, -3, 3, 3, 0, 4, -1, 5, 5, -2, 6, 0, 2});
  const WilcoxonResult tied = wilcoxon_signed_rank(d);
  CHECK(tied.n == 13);
  CHECK(tied.w_plus == 91.0 - 14.0);
  CHECK(tied.p == Approx(0.026950831549747395).epsilon(1e-10));
  CHECK(wilcoxon_signed_rank(vec({0, 0})).p == 1.0);
}

TEST_CASE("stats: mid-ranks share tied positions", "[stats]") {
  const Vector r = mid_ranks(vec({3.0, 1.0, 3.0, 2.0, 3.0}));
  CHECK(r(1) == 1.0);
  CHECK(r(3) == 2.0);
  CHECK(r(0) == 4.0);
  CHECK(r(2) == 4.0);
  CHECK(r(4) == 4.0);
}

TEST_CASE("stats: Holm adjustment is the step-down rule, monotone and capped", "[stats]") {
  // p sorted 0.01, 0.02, 0.04 with m = 3: 0.03, max(0.03, 0.04), max(0.04, 0.04).
  const std::vector<double> adjusted = holm_adjust({0.04, 0.01, 0.02});
  CHECK(adjusted[1] == Approx(0.03));
  CHECK(adjusted[2] == Approx(0.04));
  CHECK(adjusted[0] == Approx(0.04));
  CHECK(holm_adjust({0.6, 0.5})[0] == 1.0);
}

TEST_CASE("stats: bootstrap intervals of a mean cover the true mean at about the nominal rate", "[stats]") {
  // 400 simulated samples of 40 exponential values (skewed; true mean 1), 300 resamples each.
  Rng data_rng(2024);
  const int trials = 400;
  int covered = 0;
  for (int trial = 0; trial < trials; ++trial) {
    Vector sample(40);
    for (Index i = 0; i < sample.size(); ++i) sample(i) = -std::log(1.0 - data_rng.uniform());
    const Interval ci = bootstrap_mean_interval(sample, 300, 0.90, Rng(static_cast<std::uint64_t>(trial)));
    if (ci.low <= 1.0 && 1.0 <= ci.high) ++covered;
  }
  // Percentile intervals undercover slightly at n = 40; the binomial sd of the rate is 0.015.
  const double rate = static_cast<double>(covered) / trials;
  CHECK(rate > 0.84);
  CHECK(rate < 0.95);
}

TEST_CASE("stats: the same seed gives the same bootstrap interval, whatever the threads", "[stats]") {
  const Vector values = vec({0.3, -1.2, 2.5, 0.7, 0.1, -0.4, 1.9, 0.0});
  auto with_threads = [&](int threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
    return bootstrap_mean_interval(values, 500, 0.95, Rng(7));
  };
  const Interval a = with_threads(1);
  const Interval b = with_threads(4);
  CHECK(a.low == b.low);
  CHECK(a.high == b.high);
  CHECK(a.low < values.mean());
  CHECK(values.mean() < a.high);
}

TEST_CASE("stats: ranking orders models by mean NLL and compares adjacent pairs", "[stats]") {
  Rng rng(3);
  const Index n = 200;
  Vector base(n);
  for (Index i = 0; i < n; ++i) base(i) = -100.0 + 10.0 * rng.normal();
  Vector noise(n);
  for (Index i = 0; i < n; ++i) noise(i) = rng.normal();
  // Model 1 is best by 2 nats per example, model 0 next, model 2 worst by 5 more.
  const std::vector<Vector> log_probs{base + 0.1 * noise, base + Vector::Constant(n, 2.0) + noise,
                                      base - Vector::Constant(n, 5.0) + noise};
  const Ranking ranking = rank_models(log_probs, 10, {0.95, 200, 1});
  REQUIRE(ranking.order == std::vector<Index>{1, 0, 2});
  REQUIRE(ranking.adjacent.size() == 2);
  CHECK(ranking.adjacent[0].t.mean > 1.5);
  CHECK(ranking.adjacent[1].t.mean > 4.5);
  CHECK(ranking.adjacent[0].nats_to_bits_per_dim() == Approx(1.0 / (10.0 * std::log(2.0))));
  for (size_t k = 0; k < 2; ++k) CHECK(ranking.p_t_holm[k] >= ranking.adjacent[k].t.p);
  CHECK_THROWS_AS(compare_paired(base, base.head(10), 10, {}), Error);
  // Empty or single-example splits are refused, not ranked (issue 16: an empty split crashed).
  CHECK_THROWS_WITH(rank_models({Vector(0), Vector(0)}, 10, {}), Catch::Contains("N >= 2"));
  CHECK_THROWS_WITH(rank_models({base.head(1), base.head(1)}, 10, {}), Catch::Contains("N >= 2"));
}
