#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>

#include <tbb/global_control.h>

#include "logp/core/error.hpp"
#include "logp/io/model_file.hpp"
#include "logp/models/classic/gaussian.hpp"
#include "logp/models/classic/gmm.hpp"
#include "support/real_data.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

// Three blobs in 2-D, N = 3 * per.
Matrix blobs(Index per, std::uint64_t seed) {
  Rng rng(seed);
  const double centers[3][2] = {{0, 0}, {6, 1}, {2, 7}};
  Matrix x(2, 3 * per);
  for (Index j = 0; j < x.cols(); ++j) {
    const auto& c = centers[j % 3];
    x(0, j) = static_cast<float>(c[0] + rng.normal());
    x(1, j) = static_cast<float>(c[1] + 0.5 * rng.normal() + 0.3 * x(0, j) - 0.3 * c[0]);
  }
  return x;
}

double normal_log_pdf_2d(double x0, double x1, const Vector& m, const MatrixD& cov) {
  const double det = cov(0, 0) * cov(1, 1) - cov(0, 1) * cov(1, 0);
  const double a = x0 - m(0), b = x1 - m(1);
  const double q = (cov(1, 1) * a * a - 2 * cov(0, 1) * a * b + cov(0, 0) * b * b) / det;
  return -std::log(2 * std::numbers::pi) - 0.5 * std::log(det) - 0.5 * q;
}

}  // namespace

const CovarianceType kAllTypes[] = {CovarianceType::full, CovarianceType::tied, CovarianceType::diag,
                                    CovarianceType::spherical};

TEST_CASE("gmm: log_prob is log sum_k w_k N(x | m_k, C_k), every covariance type", "[gmm]") {
  const Matrix x = blobs(40, 1);
  for (CovarianceType type : kAllTypes) {
    INFO(to_string(type));
    GmmOptions o;
    o.components = 3;
    o.covariance = type;
    o.max_iterations = 5;
    const GmmModel model = GmmModel::fit(x, real_spec(2), o);
    const MatrixD weighted = model.weighted_log_densities(x.leftCols(5).cast<double>());
    const Vector lp = model.log_prob(x.leftCols(5));
    for (Index j = 0; j < 5; ++j) {
      double total = 0.0;
      for (Index k = 0; k < 3; ++k) total += std::exp(weighted(k, j));
      CHECK(lp(j) == Approx(std::log(total)).epsilon(1e-12));
      // Each component is the closed-form 2-D normal with its mean and covariance.
      for (Index k = 0; k < 3; ++k)
        CHECK(weighted(k, j) - model.log_weights()(k) ==
              Approx(normal_log_pdf_2d(x(0, j), x(1, j), model.means().col(k), model.covariance(k))).epsilon(1e-10));
    }
    TempDir dir;  // save/load round trip
    save_model(model, FitRecord{"none", "train", 120, 0.0, "test", utc_now_iso8601()}, dir.file("m.h5"));
    const std::unique_ptr<DensityModel> copy = load_density_model(dir.file("m.h5"));
    CHECK((copy->log_prob(x).array() == model.log_prob(x).array()).all());
  }
}

TEST_CASE("gmm: one component is the Gaussian maximum-likelihood fit", "[gmm]") {
  const Matrix x = blobs(30, 2);
  GmmOptions o;
  o.components = 1;
  o.ridge = 0.0;
  const GmmModel mixture = GmmModel::fit(x, real_spec(2), o);
  const GaussianModel gaussian = GaussianModel::fit(x, real_spec(2), 0.0);
  const Vector a = mixture.log_prob(x), b = gaussian.log_prob(x);
  for (Index j = 0; j < x.cols(); ++j) CHECK(a(j) == Approx(b(j)).epsilon(1e-10));
  // And the closed-form 2-D density with the fitted mean and covariance.
  const Vector m = gaussian.factor().mean();
  const MatrixD cov = gaussian.factor().covariance();
  CHECK(a(0) == Approx(normal_log_pdf_2d(x(0, 0), x(1, 0), m, cov)).epsilon(1e-10));
}

TEST_CASE("gmm: tied components share one covariance, spherical ones are v_k I, one component of each is its "
          "closed-form fit", "[gmm]") {
  const Matrix x = blobs(50, 6);
  GmmOptions o;
  o.components = 3;
  o.covariance = CovarianceType::tied;
  const GmmModel tied = GmmModel::fit(x, real_spec(2), o);
  CHECK((tied.covariance(0).array() == tied.covariance(1).array()).all());
  CHECK((tied.covariance(0).array() == tied.covariance(2).array()).all());
  CHECK(tied.covariance(0)(0, 1) != 0.0);  // a full shared matrix, not a diagonal one
  CHECK(tied.num_parameters() == 2 + 3 * 2 + 3);
  o.covariance = CovarianceType::spherical;
  const GmmModel spherical = GmmModel::fit(x, real_spec(2), o);
  for (Index c = 0; c < 3; ++c) {
    const MatrixD cov = spherical.covariance(c);
    CHECK(cov(0, 0) == cov(1, 1));
    CHECK(cov(0, 1) == 0.0);
  }
  CHECK(spherical.num_parameters() == 2 + 3 * 2 + 3);

  // K = 1: tied is the full fit (the ML covariance); spherical is the mean of the ML variances.
  o.components = 1;
  o.ridge = 0.0;
  o.covariance = CovarianceType::full;
  const MatrixD full_cov = GmmModel::fit(x, real_spec(2), o).covariance(0);
  o.covariance = CovarianceType::tied;
  const MatrixD tied_cov = GmmModel::fit(x, real_spec(2), o).covariance(0);
  for (Index i = 0; i < 4; ++i) CHECK(tied_cov(i) == Approx(full_cov(i)).epsilon(1e-10));
  o.covariance = CovarianceType::spherical;
  const double v = GmmModel::fit(x, real_spec(2), o).covariance(0)(0, 0);
  CHECK(v == Approx((full_cov(0, 0) + full_cov(1, 1)) / 2).epsilon(1e-10));
}

TEST_CASE("gmm: EM never decreases the training log-likelihood", "[gmm]") {
  const Matrix x = blobs(60, 3);
  for (CovarianceType type : kAllTypes) {
    INFO(to_string(type));
    GmmOptions o;
    o.components = 4;
    o.covariance = type;
    o.ridge = 0.0;
    o.tolerance = 0.0;
    o.max_iterations = 40;
    GmmFitReport report;
    GmmModel::fit(x, real_spec(2), o, &report);
    REQUIRE(report.log_likelihood.size() >= 10);
    for (size_t t = 1; t < report.log_likelihood.size(); ++t)
      CHECK(report.log_likelihood[t] >= report.log_likelihood[t - 1] - 1e-12 * std::abs(report.log_likelihood[t - 1]));
  }
}

TEST_CASE("gmm: restarts keep the best run, the fit is the same at 1 thread and many", "[gmm]") {
  const Matrix x = blobs(400, 4);  // 1200 examples: several E-step blocks
  GmmOptions o;
  o.components = 3;
  o.restarts = 3;
  o.covariance = GENERATE(CovarianceType::full, CovarianceType::tied, CovarianceType::diag, CovarianceType::spherical);
  INFO(to_string(o.covariance));
  GmmFitReport many;
  const GmmModel a = GmmModel::fit(x, real_spec(2), o, &many);
  GmmFitReport one;
  const Vector b = [&] {
    tbb::global_control single(tbb::global_control::max_allowed_parallelism, 1);
    return GmmModel::fit(x, real_spec(2), o, &one).log_prob(x);
  }();
  CHECK((a.log_prob(x).array() == b.array()).all());
  CHECK(many.log_likelihood == one.log_likelihood);
  CHECK(many.converged);
  // The kept run is at least as good as a single-restart run from the first seed.
  o.restarts = 1;
  GmmFitReport first;
  GmmModel::fit(x, real_spec(2), o, &first);
  CHECK(many.log_likelihood.back() >= first.log_likelihood.back());
}

TEST_CASE("gmm: bad input and options are refused", "[gmm]") {
  Matrix x = blobs(10, 5);
  GmmOptions o;
  o.components = 40;
  CHECK_THROWS_WITH(GmmModel::fit(x, real_spec(2), o), Catch::Contains("--components must be in 1..N"));
  o.components = 2;
  x(1, 3) = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_WITH(GmmModel::fit(x, real_spec(2), o), Catch::Contains("NaN"));
  Matrix flat = blobs(10, 5);
  flat.row(0).setConstant(1.0f);
  o.ridge = 0.0;
  o.covariance = CovarianceType::diag;
  CHECK_THROWS_WITH(GmmModel::fit(flat, real_spec(2), o), Catch::Contains("--ridge"));
}

TEST_CASE("gmm: each way of whitening (the components in one product up to D = 128, one factor at a time above, "
          "and EM's fixed-place products) gives every component's own density", "[gmm]") {
  for (Index d : {Index{5}, GmmModel::kStackedWhiteningMaxDim + 1}) {
    for (CovarianceType type : {CovarianceType::full, CovarianceType::tied}) {
      INFO("D=" << d << " " << to_string(type));
      Rng rng(static_cast<std::uint64_t>(d));
      const Index k = 3;
      MatrixD means(d, k);
      std::vector<GaussianFactor> factors;
      MatrixD shared;
      for (Index c = 0; c < k; ++c) {
        MatrixD a(d, d);
        for (Index i = 0; i < a.size(); ++i) a(i) = rng.normal();
        if (type == CovarianceType::full || c == 0)
          shared = a * a.transpose() / static_cast<double>(d) + MatrixD::Identity(d, d);
        for (Index i = 0; i < d; ++i) means(i, c) = 3.0 * rng.normal();
        factors.emplace_back(means.col(c), shared, "test");
      }
      const Vector log_weights = Vector::Constant(k, -std::log(3.0));
      GmmOptions o;
      o.covariance = type;
      const GmmModel model(real_spec(d), o, log_weights, means, factors, MatrixD());
      MatrixD x(d, 7);
      for (Index i = 0; i < x.size(); ++i) x(i) = 2.0 * rng.normal();
      for (const ColumnPlaces places : {ColumnPlaces::vary, ColumnPlaces::fixed}) {
        const MatrixD weighted = model.weighted_log_densities(x, places);
        for (Index c = 0; c < k; ++c) {
          const Vector direct = factors[static_cast<size_t>(c)].log_density(x);  // L^-1 (x - mean)
          for (Index j = 0; j < x.cols(); ++j)
            CHECK(weighted(c, j) - log_weights(c) == Approx(direct(j)).epsilon(1e-11));
        }
      }
    }
  }
}

TEST_CASE("gmm: the E-step's statistics, summed over chunks of examples, give the one-component ML fit", "[gmm]") {
  const Matrix x = blobs(2000, 5);  // 6000 examples: 24 blocks of 256, summed chunk by chunk
  GmmOptions o;
  o.components = 1;
  o.ridge = 0.0;
  for (CovarianceType type : kAllTypes) {
    INFO(to_string(type));
    o.covariance = type;
    const GmmModel mixture = GmmModel::fit(x, real_spec(2), o);
    const MatrixD data = x.cast<double>();
    const Vector mean = data.rowwise().mean();
    const MatrixD centered = data.colwise() - mean;
    const MatrixD cov = centered * centered.transpose() / static_cast<double>(x.cols());
    for (Index i = 0; i < 2; ++i) CHECK(mixture.means()(i, 0) == Approx(mean(i)).epsilon(1e-12));
    const MatrixD fitted = mixture.covariance(0);
    if (type == CovarianceType::full || type == CovarianceType::tied) {
      for (Index i = 0; i < 4; ++i) CHECK(fitted(i) == Approx(cov(i)).epsilon(1e-10));
    } else if (type == CovarianceType::diag) {
      for (Index i = 0; i < 2; ++i) CHECK(fitted(i, i) == Approx(cov(i, i)).epsilon(1e-10));
    } else {
      CHECK(fitted(0, 0) == Approx(cov.trace() / 2).epsilon(1e-10));
    }
  }
}
