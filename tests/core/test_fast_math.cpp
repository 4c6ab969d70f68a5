#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "logp/core/fast_math.hpp"

#if LOGP_HAVE_AVX2_FMA

namespace {

// fast::sigmoid over xs, 8 at a time (xs.size() a multiple of 8).
std::vector<float> fast_sigmoid(const std::vector<float>& xs) {
  std::vector<float> out(xs.size());
  for (std::size_t k = 0; k < xs.size(); k += 8)
    _mm256_storeu_ps(out.data() + k, logp::fast::sigmoid(_mm256_loadu_ps(xs.data() + k)));
  return out;
}

double exact_sigmoid(float x) { return 1.0 / (1.0 + std::exp(-static_cast<double>(x))); }

}  // namespace

TEST_CASE("fast_math: sigmoid is accurate on a dense grid of [-100, 100]", "[fast_math]") {
  // 2^21 evenly spaced points, the endpoints and the float neighbours of 0 and of the clamp.
  std::vector<float> xs;
  const int n = 1 << 21;
  for (int k = 0; k <= n; ++k) xs.push_back(static_cast<float>(-100.0 + 200.0 * k / n));
  for (float x : {0.0f, -0.0f, 1e-30f, -1e-30f, 1e-7f, -1e-7f, 87.0f, -87.0f, 86.99f, -86.99f, 16.6f, 17.0f, -17.0f,
                  std::numeric_limits<float>::max(), std::numeric_limits<float>::lowest(),
                  std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()})
    xs.push_back(x);
  while (xs.size() % 8 != 0) xs.push_back(0.5f);
  const std::vector<float> ys = fast_sigmoid(xs);
  double worst_rel = 0.0, worst_abs = 0.0;
  float worst_rel_x = 0.0f;
  bool finite_in_range = true;
  for (std::size_t k = 0; k < xs.size(); ++k) {
    const double exact = exact_sigmoid(xs[k]);
    const double y = ys[k];
    finite_in_range = finite_in_range && std::isfinite(y) && y >= 0.0 && y <= 1.0;
    worst_abs = std::max(worst_abs, std::abs(y - exact));
    if (std::abs(xs[k]) <= 87.0f && std::abs(y - exact) / exact > worst_rel) {
      worst_rel = std::abs(y - exact) / exact;
      worst_rel_x = xs[k];
    }
  }
  INFO("worst relative error " << worst_rel << " at x = " << worst_rel_x << "; worst absolute error " << worst_abs);
  CHECK(finite_in_range);
  CHECK(worst_rel < 4e-7);
  CHECK(worst_abs < 1e-7);
}

TEST_CASE("fast_math: sigmoid saturates cleanly and propagates NaN", "[fast_math]") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<float> ys = fast_sigmoid({100.0f, -100.0f, 1e30f, -1e30f, nan, 0.0f, 30.0f, -30.0f});
  CHECK(ys[0] == 1.0f);
  CHECK(ys[1] >= 0.0f);
  CHECK(ys[1] < 2e-38f);
  CHECK(ys[2] == 1.0f);
  CHECK(ys[3] < 2e-38f);
  CHECK(std::isnan(ys[4]));
  CHECK(ys[5] == Approx(0.5).margin(1e-7));
  CHECK(ys[6] == 1.0f);
  CHECK(ys[7] == Approx(exact_sigmoid(-30.0f)).epsilon(4e-7));
}

TEST_CASE("fast_math: softplus_sigmoid is accurate on a dense grid of [-800, 800]", "[fast_math]") {
  std::vector<double> ls;
  const int n = 1 << 20;
  for (int k = 0; k <= n; ++k) ls.push_back(-800.0 + 1600.0 * k / n);
  for (int k = -400; k <= 400; ++k) ls.push_back(k * 1e-3);  // around 0, where u = 1 + e is near 2
  for (double l : {0.0, -0.0, 1e-300, -1e-300, 0.34657359027997264, -0.34657359027997264, 700.0, -700.0, 36.7, -36.7,
                   std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest(),
                   std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()})
    ls.push_back(l);
  while (ls.size() % 4 != 0) ls.push_back(1.0);
  double worst_softplus = 0.0, worst_sigmoid = 0.0;
  double worst_softplus_at = 0.0, worst_sigmoid_at = 0.0;
  bool sane = true;
  for (std::size_t k = 0; k < ls.size(); k += 4) {
    __m256d sp, sg;
    logp::fast::softplus_sigmoid(_mm256_loadu_pd(ls.data() + k), sp, sg);
    double sps[4], sgs[4];
    _mm256_storeu_pd(sps, sp);
    _mm256_storeu_pd(sgs, sg);
    for (int i = 0; i < 4; ++i) {
      const long double l = ls[k + i];
      const long double e = std::exp(-std::fabs(l));
      const long double softplus = (l > 0 ? l : 0.0L) + std::log1p(e);
      const long double sigmoid = l >= 0 ? 1.0L / (1.0L + e) : e / (1.0L + e);
      sane = sane && !std::isnan(sps[i]) && !std::isnan(sgs[i]) && sps[i] >= 0.0 && sgs[i] >= 0.0 && sgs[i] <= 1.0;
      if (std::isinf(ls[k + i])) {
        sane = sane && (ls[k + i] > 0 ? std::isinf(sps[i]) && sgs[i] == 1.0 : sps[i] < 1e-300 && sgs[i] < 1e-300);
        continue;
      }
      const double sp_error = static_cast<double>(std::fabs(sps[i] - softplus) / std::max(1.0L, softplus));
      if (sp_error > worst_softplus) worst_softplus = sp_error, worst_softplus_at = ls[k + i];
      if (std::fabs(l) <= 700) {
        const double sg_error = static_cast<double>(std::fabs(sgs[i] - sigmoid) / sigmoid);
        if (sg_error > worst_sigmoid) worst_sigmoid = sg_error, worst_sigmoid_at = ls[k + i];
      } else {
        sane = sane && std::fabs(sgs[i] - static_cast<double>(sigmoid)) < 1e-300;
      }
    }
  }
  INFO("softplus: worst error " << worst_softplus << " at " << worst_softplus_at << "; sigmoid: worst relative error "
                                << worst_sigmoid << " at " << worst_sigmoid_at);
  CHECK(sane);
  CHECK(worst_softplus < 1e-15);
  CHECK(worst_sigmoid < 1e-15);
  __m256d sp, sg;
  logp::fast::softplus_sigmoid(_mm256_set1_pd(std::numeric_limits<double>::quiet_NaN()), sp, sg);
  CHECK(std::isnan(_mm256_cvtsd_f64(sp)));
  CHECK(std::isnan(_mm256_cvtsd_f64(sg)));
}

#else

TEST_CASE("fast_math: not built (no AVX2 and FMA)", "[fast_math]") { SUCCEED("the portable paths are used"); }

#endif
