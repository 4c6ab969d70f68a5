// Sample-based metrics (include/logp/eval/sample_metrics): each against a slow direct
// implementation on small sets, against closed forms, and for calibration under the null.
#include <tbb/global_control.h>

#include <algorithm>
#include <Eigen/LU>
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <numbers>
#include <numeric>
#include <vector>

#include "logp/core/error.hpp"
#include "logp/core/rng.hpp"
#include "logp/eval/sample_metrics/c2st.hpp"
#include "logp/eval/sample_metrics/data_copying.hpp"
#include "logp/eval/sample_metrics/distances.hpp"
#include "logp/eval/sample_metrics/exact_products.hpp"
#include "logp/eval/sample_metrics/fid.hpp"
#include "logp/eval/sample_metrics/kernel_mmd.hpp"
#include "logp/eval/sample_metrics/manifold.hpp"
#include "logp/eval/sample_metrics/parzen.hpp"

using namespace logp;

namespace {

// F x n standard normal draws, shifted by `shift` in every feature and scaled by `scale`.
MatrixD gaussian(Index f, Index n, std::uint64_t seed, double shift = 0.0, double scale = 1.0) {
  Rng rng(seed);
  MatrixD x(f, n);
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i < f; ++i) x(i, j) = shift + scale * rng.normal();
  return x;
}

// F x n random 0/1 values: distances are small integers with many ties.
MatrixD binary(Index f, Index n, std::uint64_t seed, double p_one = 0.5) {
  Rng rng(seed);
  MatrixD x(f, n);
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i < f; ++i) x(i, j) = rng.uniform() < p_one ? 1.0 : 0.0;
  return x;
}

// Euclidean distances, references x queries, by the direct sum.
MatrixD direct_distances(const MatrixD& queries, const MatrixD& references) {
  return direct_squared_distances(queries, references).cwiseSqrt();
}

// The k-th smallest distance from each point of x to another point of x (the radius).
Vector direct_radii(const MatrixD& x, Index k) {
  const MatrixD d = direct_distances(x, x);
  Vector r(x.cols());
  for (Index j = 0; j < x.cols(); ++j) {
    std::vector<double> others;
    for (Index i = 0; i < x.cols(); ++i)
      if (i != j) others.push_back(d(i, j));
    std::sort(others.begin(), others.end());
    r(j) = others[static_cast<size_t>(k - 1)];
  }
  return r;
}

// The partial Fisher-Yates draw the metrics document (first `count` of a seeded shuffle).
std::vector<Index> draw(Index n, Index count, Rng& rng) {
  std::vector<Index> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), Index{0});
  for (Index i = 0; i < count; ++i)
    std::swap(order[static_cast<size_t>(i)],
              order[static_cast<size_t>(i + static_cast<Index>(rng.uniform_index(static_cast<std::uint64_t>(n - i))))]);
  order.resize(static_cast<size_t>(count));
  return order;
}

double direct_unbiased_mmd2(const MatrixD& x, const MatrixD& y, const std::function<double(Index, Index, bool, bool)>& k) {
  const double n = static_cast<double>(x.cols()), m = static_cast<double>(y.cols());
  double xx = 0, yy = 0, xy = 0;
  for (Index i = 0; i < x.cols(); ++i)
    for (Index j = 0; j < x.cols(); ++j)
      if (i != j) xx += k(i, j, true, true);
  for (Index i = 0; i < y.cols(); ++i)
    for (Index j = 0; j < y.cols(); ++j)
      if (i != j) yy += k(i, j, false, false);
  for (Index i = 0; i < x.cols(); ++i)
    for (Index j = 0; j < y.cols(); ++j) xy += k(i, j, true, false);
  return xx / (n * (n - 1)) + yy / (m * (m - 1)) - 2 * xy / (n * m);
}

}  // namespace

TEST_CASE("sample metrics: blocked k-NN equals the direct search across block edges", "[sample-metrics]") {
  // 2600 references span two reference blocks, 300 queries two query blocks.
  const MatrixD refs = gaussian(7, 2600, 1), queries = gaussian(7, 300, 2);
  const Neighbours nn = nearest_neighbours(queries, refs, 4, false);
  const MatrixD d2 = direct_squared_distances(queries, refs);
  for (Index j = 0; j < queries.cols(); ++j) {
    std::vector<Index> order(static_cast<size_t>(refs.cols()));
    std::iota(order.begin(), order.end(), Index{0});
    std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return d2(a, j) < d2(b, j); });
    for (Index r = 0; r < 4; ++r) {
      REQUIRE(nn.indices(r, j) == order[static_cast<size_t>(r)]);
      REQUIRE(nn.squared_distances(r, j) == Approx(d2(order[static_cast<size_t>(r)], j)).epsilon(1e-10));
    }
  }
  // Within one set, a point is not its own neighbour; ties (binary data) go to the smaller index.
  const MatrixD bits = binary(5, 40, 3);
  const Neighbours self = nearest_neighbours(bits, bits, 3, true);
  const MatrixD bd2 = direct_squared_distances(bits, bits);
  for (Index j = 0; j < bits.cols(); ++j) {
    std::vector<Index> order;
    for (Index i = 0; i < bits.cols(); ++i)
      if (i != j) order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return bd2(a, j) < bd2(b, j); });
    for (Index r = 0; r < 3; ++r) {
      REQUIRE(self.indices(r, j) == order[static_cast<size_t>(r)]);
      REQUIRE(self.squared_distances(r, j) == bd2(order[static_cast<size_t>(r)], j));  // exact on integers
    }
  }
  CHECK_THROWS_AS(nearest_neighbours(bits, bits, 40, true), Error);
}

TEST_CASE("sample metrics: float32 products only where exact, and then equal to double", "[sample-metrics]") {
  // Binary pixels: F * 1 * 1 = 784 <= 2^24, so the Gram matrices and distances run in float32
  // and must equal the double GEMM bit for bit.
  const MatrixD a = binary(784, 70, 31), b = binary(784, 50, 32, 0.3);
  REQUIRE(products_exact_in_float(a, b));
  MatrixD cross(70, 50);
  cross.noalias() = a.transpose() * b;
  CHECK(cross_gram(a, b) == cross);
  MatrixD lower = MatrixD::Zero(70, 70);
  lower.selfadjointView<Eigen::Lower>().rankUpdate(a.transpose());
  CHECK(lower_gram(a) == lower);
  CHECK(direct_squared_distances(b, a) == [&] {
    MatrixD d2(70, 50);
    for_each_distance_block(b, a, [&](Index qf, Index rf, const MatrixD& block) {
      d2.block(rf, qf, block.rows(), block.cols()) = block;
    });
    return d2;
  }());
  // The bound: F * max|a| * max|b| <= 2^24 and integers only.
  MatrixD edge = MatrixD::Constant(4, 3, 2048.0);  // 4 * 2048^2 = 2^24
  CHECK(products_exact_in_float(edge, edge));
  edge(0, 0) = 2049.0;
  CHECK_FALSE(products_exact_in_float(edge, edge));
  CHECK_FALSE(products_exact_in_float(MatrixD::Constant(784, 2, 255.0), MatrixD::Constant(784, 2, 255.0)));  // 8-bit
  MatrixD halves = a;
  halves(3, 4) = 0.5;
  CHECK_FALSE(products_exact_in_float(halves, b));
  CHECK(cross_gram(halves, b) == MatrixD(halves.transpose() * b));  // the double path
}

TEST_CASE("sample metrics: FID closed form of two Gaussians", "[sample-metrics]") {
  // 2 x 2: tr sqrt(A B) = sqrt(tr(A B) + 2 sqrt(det A det B)) (the eigenvalues of A B are positive).
  MatrixD a(2, 2), b(2, 2);
  a << 2.0, 0.6, 0.6, 1.0;
  b << 0.5, -0.3, -0.3, 1.5;
  const double expected_trace = std::sqrt((a * b).trace() + 2.0 * std::sqrt(a.determinant() * b.determinant()));
  CHECK(trace_sqrt_product(a, b) == Approx(expected_trace).epsilon(1e-12));
  Vector mu1(2), mu2(2);
  mu1 << 0.0, 1.0;
  mu2 << 1.0, -1.0;
  CHECK(frechet_distance_gaussians(mu1, a, mu2, b) ==
        Approx(5.0 + a.trace() + b.trace() - 2.0 * expected_trace).epsilon(1e-12));
  CHECK(frechet_distance_gaussians(mu1, a, mu1, a) == Approx(0.0).margin(1e-12));

  // From samples: N = 40000 draws of N(0, I) and N(1, 4 I) in F = 3: closed form 3 * 1 + 3 * (2 - 1)^2 = 6.
  const MatrixD x = gaussian(3, 40000, 5), y = gaussian(3, 40000, 6, 1.0, 2.0);
  const MetricValue fid = frechet_distance(x, y, {.bootstrap = 8, .seed = 1});
  CHECK(fid.value == Approx(6.0).margin(0.15));
  CHECK(fid.spread > 0.0);
  CHECK(fid.spread < 0.15);
  CHECK(fid.warning.empty());
  CHECK(fid.n_real == 40000);

  // Against the direct computation (loops for the moments, the 2 x 2 closed form for the root).
  const MatrixD p = gaussian(2, 50, 7), q = gaussian(2, 60, 8, 0.5, 1.5);
  const auto moments = [](const MatrixD& s, Vector& mean, MatrixD& cov) {
    mean = Vector::Zero(2);
    for (Index j = 0; j < s.cols(); ++j) mean += s.col(j);
    mean /= static_cast<double>(s.cols());
    cov = MatrixD::Zero(2, 2);
    for (Index j = 0; j < s.cols(); ++j) cov += (s.col(j) - mean) * (s.col(j) - mean).transpose();
    cov /= static_cast<double>(s.cols() - 1);
  };
  Vector mp, mq;
  MatrixD cp, cq;
  moments(p, mp, cp);
  moments(q, mq, cq);
  const double root = std::sqrt((cp * cq).trace() + 2.0 * std::sqrt(cp.determinant() * cq.determinant()));
  CHECK(frechet_distance(p, q, {.bootstrap = 0}).value ==
        Approx((mp - mq).squaredNorm() + cp.trace() + cq.trace() - 2.0 * root).epsilon(1e-10));
  // Fewer examples than features: said.
  CHECK_FALSE(frechet_distance(gaussian(10, 8, 1), gaussian(10, 8, 2), {.bootstrap = 0}).warning.empty());
}

TEST_CASE("sample metrics: precision, recall, density, coverage equal the direct definitions", "[sample-metrics]") {
  const auto check = [](const MatrixD& real, const MatrixD& fake) {
    const Vector r3 = direct_radii(real, 3), r5 = direct_radii(real, 5), f3 = direct_radii(fake, 3);
    const MatrixD d = direct_distances(fake, real);  // real x fake
    double precision = 0, recall = 0, density = 0, coverage = 0;
    for (Index j = 0; j < fake.cols(); ++j) {
      bool inside = false;
      for (Index i = 0; i < real.cols(); ++i) {
        inside = inside || d(i, j) <= r3(i);
        density += d(i, j) < r5(i) ? 1 : 0;
      }
      precision += inside ? 1 : 0;
    }
    for (Index i = 0; i < real.cols(); ++i) {
      bool inside = false;
      for (Index j = 0; j < fake.cols(); ++j) inside = inside || d(i, j) <= f3(j);
      recall += inside ? 1 : 0;
      coverage += d.row(i).minCoeff() < r5(i) ? 1 : 0;
    }
    const double n = static_cast<double>(real.cols()), m = static_cast<double>(fake.cols());
    const ManifoldMetrics got = manifold_metrics(real, fake);
    CHECK(got.precision.value == precision / m);
    CHECK(got.recall.value == recall / n);
    CHECK(got.density.value == Approx(density / (5 * m)).epsilon(1e-14));
    CHECK(got.coverage.value == coverage / n);
    CHECK(got.precision.n_real == real.cols());
    CHECK(got.precision.n_samples == fake.cols());
  };
  check(gaussian(3, 60, 1), gaussian(3, 50, 2, 0.7));
  // Binary features: distances tie often, so <= versus < matters and must be as defined.
  check(binary(8, 70, 3), binary(8, 45, 4, 0.35));
}

TEST_CASE("sample metrics: density is about 1 and coverage about 1 - 2^-k on one distribution", "[sample-metrics]") {
  const MatrixD real = gaussian(4, 3000, 11), fake = gaussian(4, 3000, 12);
  const ManifoldMetrics same = manifold_metrics(real, fake);
  CHECK(same.density.value == Approx(1.0).margin(0.05));
  CHECK(same.coverage.value == Approx(1.0 - std::pow(0.5, 5)).margin(0.015));
  CHECK(same.precision.value > 0.9);
  CHECK(same.recall.value > 0.9);
  // A shifted, narrower model: samples still look real (precision) but most real data is missed.
  const ManifoldMetrics narrow = manifold_metrics(real, gaussian(4, 3000, 13, 0.0, 0.3));
  CHECK(narrow.recall.value < 0.5);
  CHECK(narrow.coverage.value < 0.5);
  CHECK(narrow.precision.value > 0.9);
  CHECK(narrow.density.spread > 0.0);
}

TEST_CASE("sample metrics: MMD^2 and KID equal the direct sums", "[sample-metrics]") {
  const MatrixD x = gaussian(3, 40, 21), y = gaussian(3, 35, 22, 0.4);
  // Gaussian kernel with the median heuristic: the pooled subset is everything here.
  MatrixD pooled(3, 75);
  pooled << x, y;
  const MatrixD d = direct_distances(pooled, pooled);
  std::vector<double> pairs;
  for (Index j = 1; j < 75; ++j)
    for (Index i = 0; i < j; ++i) pairs.push_back(d(i, j));
  std::sort(pairs.begin(), pairs.end());
  const double sigma = pairs[(pairs.size() - 1) / 2];
  const auto gauss = [&](Index i, Index j, bool xi, bool xj) {
    const double dist = d(xi ? i : 40 + i, xj ? j : 40 + j);
    return std::exp(-dist * dist / (2 * sigma * sigma));
  };
  const MetricValue mmd = mmd2_gaussian(x, y, {.permutations = 200, .test_subset = 1000, .seed = 3});
  CHECK(mmd.value == Approx(direct_unbiased_mmd2(x, y, gauss)).epsilon(1e-10));
  CHECK(mmd.p_value > 0.0);
  CHECK(mmd.p_value <= 1.0);
  CHECK(mmd.n_real == 40);
  // A given bandwidth is used as given.
  const MetricValue fixed = mmd2_gaussian(x, y, {.permutations = 10, .bandwidth = 0.7});
  const auto gauss07 = [&](Index i, Index j, bool xi, bool xj) {
    const double dist = d(xi ? i : 40 + i, xj ? j : 40 + j);
    return std::exp(-dist * dist / (2 * 0.49));
  };
  CHECK(fixed.value == Approx(direct_unbiased_mmd2(x, y, gauss07)).epsilon(1e-10));

  // KID with subsets as large as the sets: every subset is the whole sets, so the mean is the
  // full statistic and the std is 0 (up to rounding), and the smaller subsets are said.
  const MetricValue k = kid(x, y, {.subsets = 5, .subset_size = 1000, .seed = 1});
  const MatrixD y35 = y, x35 = x.leftCols(35);
  CHECK(k.warning.find("subsets of 35") != std::string::npos);
  const MetricValue k_equal = kid(x35, y35, {.subsets = 4, .subset_size = 35, .seed = 1});
  const auto cubic35 = [&](Index i, Index j, bool xi, bool xj) {
    const double dot = (xi ? x35.col(i) : y35.col(i)).dot(xj ? x35.col(j) : y35.col(j));
    return std::pow(dot / 3.0 + 1.0, 3);
  };
  CHECK(k_equal.value == Approx(direct_unbiased_mmd2(x35, y35, cubic35)).epsilon(1e-10));
  CHECK(k_equal.spread < 1e-10);
  CHECK(k_equal.warning.empty());
  // Subsets of 20 of 40 and 35: the values vary, so the std is positive.
  CHECK(kid(x, y, {.subsets = 20, .subset_size = 20}).spread > 0.0);
}

TEST_CASE("sample metrics: the MMD permutation test rejects about alpha under the null and has power",
          "[sample-metrics]") {
  int null_rejections = 0, shift_rejections = 0;
  const int trials = 300;
  for (int t = 0; t < trials; ++t) {
    const std::uint64_t seed = 1000 + 3 * static_cast<std::uint64_t>(t);
    const MatrixD x = gaussian(2, 30, seed), y = gaussian(2, 30, seed + 1);
    if (mmd2_gaussian(x, y, {.permutations = 99, .seed = seed}).p_value <= 0.05) ++null_rejections;
    const MatrixD shifted = gaussian(2, 30, seed + 2, 0.8);
    if (mmd2_gaussian(x, shifted, {.permutations = 99, .seed = seed}).p_value <= 0.05) ++shift_rejections;
  }
  const double null_rate = null_rejections / static_cast<double>(trials);
  // Binomial(300, 0.05): mean 15, sd 3.8; the window is about 2.6 sd either side.
  CHECK(null_rate >= 0.017);
  CHECK(null_rate <= 0.085);
  CHECK(shift_rejections / static_cast<double>(trials) > 0.8);
}

TEST_CASE("sample metrics: the classifier two-sample test is calibrated, powerful and as defined",
          "[sample-metrics]") {
  int null_rejections = 0, shift_rejections = 0;
  const int trials = 300;
  for (int t = 0; t < trials; ++t) {
    const std::uint64_t seed = 5000 + 3 * static_cast<std::uint64_t>(t);
    const MatrixD x = gaussian(2, 100, seed), y = gaussian(2, 100, seed + 1);
    if (classifier_two_sample_test(x, y, {.k = 5, .seed = seed}).p_value <= 0.05) ++null_rejections;
    if (classifier_two_sample_test(x, gaussian(2, 100, seed + 2, 1.0), {.k = 5, .seed = seed}).p_value <= 0.05)
      ++shift_rejections;
  }
  CHECK(null_rejections / static_cast<double>(trials) >= 0.017);
  CHECK(null_rejections / static_cast<double>(trials) <= 0.085);
  CHECK(shift_rejections / static_cast<double>(trials) > 0.8);

  // Against the direct procedure: the documented split, a brute-force 5-NN majority vote.
  const MatrixD real = gaussian(3, 41, 31), fake = gaussian(3, 47, 32, 0.6);
  Rng rng(9);
  const std::vector<Index> ro = draw(41, 41, rng), fo = draw(47, 41, rng);
  const Index n_train = 20, n_test = 21;
  MatrixD train(3, 40), test(3, 42);
  for (Index i = 0; i < n_train; ++i) {
    train.col(i) = real.col(ro[static_cast<size_t>(i)]);
    train.col(n_train + i) = fake.col(fo[static_cast<size_t>(i)]);
  }
  for (Index i = 0; i < n_test; ++i) {
    test.col(i) = real.col(ro[static_cast<size_t>(n_train + i)]);
    test.col(n_test + i) = fake.col(fo[static_cast<size_t>(n_train + i)]);
  }
  const MatrixD d2 = direct_squared_distances(test, train);
  int correct = 0;
  for (Index j = 0; j < 42; ++j) {
    std::vector<Index> order(40);
    std::iota(order.begin(), order.end(), Index{0});
    std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return d2(a, j) < d2(b, j); });
    int votes = 0;
    for (int r = 0; r < 5; ++r) votes += order[static_cast<size_t>(r)] >= n_train ? 1 : 0;
    correct += (votes >= 3) == (j >= n_test) ? 1 : 0;
  }
  const MetricValue c2st = classifier_two_sample_test(real, fake, {.k = 5, .seed = 9});
  CHECK(c2st.value == correct / 42.0);
  CHECK(c2st.n_real == 21);
  CHECK(c2st.p_value == Approx(0.5 * std::erfc((correct / 42.0 - 0.5) / std::sqrt(0.25 / 42) / std::sqrt(2.0))));
  CHECK_THROWS_AS(classifier_two_sample_test(real, fake, {.k = 4}), Error);
}

TEST_CASE("sample metrics: Parzen window log-likelihood equals the direct sum", "[sample-metrics]") {
  const MatrixD centres = gaussian(3, 30, 41), valid = gaussian(3, 20, 42), test = gaussian(3, 25, 43);
  const std::vector<double> grid = {0.2, 0.5, 1.0, 3.0};
  const auto direct = [&](const MatrixD& q, double s) {
    const MatrixD d2 = direct_squared_distances(q, centres);
    Vector lp(q.cols());
    for (Index j = 0; j < q.cols(); ++j) {
      double sum = 0;
      for (Index i = 0; i < centres.cols(); ++i) sum += std::exp(-d2(i, j) / (2 * s * s));
      lp(j) = std::log(sum / 30.0) - 1.5 * std::log(2 * std::numbers::pi * s * s);
    }
    return lp;
  };
  const MatrixD lp = parzen_log_prob(centres, test, grid);
  for (size_t h = 0; h < grid.size(); ++h)
    for (Index j = 0; j < test.cols(); ++j) REQUIRE(lp(static_cast<Index>(h), j) == Approx(direct(test, grid[h])(j)).epsilon(1e-10));
  size_t best = 0;
  for (size_t h = 1; h < grid.size(); ++h)
    if (direct(valid, grid[h]).mean() > direct(valid, grid[best]).mean()) best = h;
  const MetricValue parzen = parzen_log_likelihood(centres, valid, test, {.bandwidths = grid});
  CHECK(parzen.value == Approx(direct(test, grid[best]).mean()).epsilon(1e-10));
  CHECK(parzen.details.find("legacy") != std::string::npos);
  // Far-off tests underflow exp() in a naive sum; the shifted sum stays finite.
  CHECK(std::isfinite(parzen_log_prob(centres, gaussian(3, 5, 44, 200.0), {0.05})(0, 0)));
}

TEST_CASE("sample metrics: the data-copying test flags noisy copies of the training data", "[sample-metrics]") {
  // Mann-Whitney z: a = {1, 2, 3} all below b = {4, 5, 6}: U = 0, z = -4.5 / sqrt(5.25).
  Vector a(3), b(3);
  a << 1, 2, 3;
  b << 4, 5, 6;
  CHECK(mann_whitney_z(a, b) == Approx(-4.5 / std::sqrt(5.25)).epsilon(1e-12));
  // With ties: scipy.stats.mannwhitneyu([1, 2, 2], [2, 3, 3, 4]) has U = 1 (two ties of 2 count 1/2); the
  // tie-corrected z:
  Vector c(3), e(4);
  c << 1, 2, 2;
  e << 2, 3, 3, 4;
  const double ties = (27.0 - 3.0) + (8.0 - 2.0);  // groups: three 2s, two 3s
  const double variance = 3.0 * 4.0 / 12.0 * (8.0 - ties / (7.0 * 6.0));
  CHECK(mann_whitney_z(c, e) == Approx((1.0 - 6.0) / std::sqrt(variance)).epsilon(1e-12));

  const MatrixD train = gaussian(5, 600, 51), test = gaussian(5, 300, 52);
  MatrixD copies = train.leftCols(300) + 0.05 * gaussian(5, 300, 53);  // a "model" that returns train + noise
  const MetricValue copying = data_copying_test(train, copies, test);
  CHECK(copying.value < -5.0);
  CHECK(copying.p_value < 1e-6);
  const MetricValue honest = data_copying_test(train, gaussian(5, 300, 54), test);
  CHECK(std::abs(honest.value) < 3.0);
  CHECK(data_copying_test(train, gaussian(5, 300, 55, 0.0, 2.0), test).value > 3.0);  // too wide: far from train
}

TEST_CASE("sample metrics: results are bit-identical for 1 and 2 threads", "[sample-metrics]") {
  const MatrixD x = gaussian(6, 900, 61), y = gaussian(6, 700, 62, 0.2);
  const auto run = [&](int threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
    const ManifoldMetrics mm = manifold_metrics(x, y);
    return std::vector<double>{mm.precision.value, mm.recall.value, mm.density.value, mm.coverage.value,
                               mmd2_gaussian(x, y, {.permutations = 50}).value,
                               mmd2_gaussian(x, y, {.permutations = 50}).p_value,
                               kid(x, y, {.subsets = 6, .subset_size = 300}).value,
                               frechet_distance(x, y, {.bootstrap = 4}).spread,
                               parzen_log_likelihood(y, x.leftCols(100), x.rightCols(200)).value};
  };
  CHECK(run(1) == run(2));
}
