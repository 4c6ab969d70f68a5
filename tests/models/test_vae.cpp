#include <tbb/global_control.h>

#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>

#include "logp/core/error.hpp"
#include "logp/eval/score.hpp"
#include "logp/io/model_file.hpp"
#include "logp/models/vae/vae.hpp"
#include "logp/models/vae/vae_estimate.hpp"
#include "logp/train/trainer.hpp"
#include "support/binary_data.hpp"
#include "support/dataset_file.hpp"
#include "support/enumerate.hpp"
#include "support/gradient_check.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

VaeModel tiny_vae(const DataSpec& spec, std::vector<Index> hidden, Index latent, std::uint64_t seed,
                  VaeBound objective = VaeBound::elbo, Index k = 1) {
  VaeOptions options;
  options.hidden = std::move(hidden);
  options.latent = latent;
  options.activation = Activation::tanh;
  options.objective = objective;
  options.train_samples = k;
  VaeModel model(spec, options);
  Rng rng(seed);
  model.initialize(rng);
  // Non-zero biases, so that every parameter is exercised.
  std::span<float> values = model.parameters().values();
  for (float& v : values)
    if (v == 0.0f) v = static_cast<float>(0.3 * rng.normal());
  return model;
}

DataSpec real_spec(Index dim) { return DataSpec{DataKind::real, 0, dim, {}}; }

Matrix standard_normals(Index rows, Index cols, std::uint64_t seed) {
  Rng rng(seed);
  Matrix m(rows, cols);
  for (Index k = 0; k < m.size(); ++k) m.data()[k] = static_cast<float>(rng.normal());
  return m;
}

Eigen::VectorXd values_in_double(const VaeModel& model) {
  const std::span<const float> v = model.parameters().values();
  return Eigen::Map<const VectorF>(v.data(), static_cast<Index>(v.size())).cast<double>();
}

// log p(x|z) of one example at a scalar latent z (L = 1), nats.
double log_px_given_z(const VaeModel& model, const Matrix& x, double z) {
  const Matrix zm = Matrix::Constant(1, 1, static_cast<float>(z));
  const Matrix out = model.network().decoder.forward(model.parameters(), zm);
  Vector lp(1);
  decoder_log_prob(model.network().likelihood, out, x, lp);
  return lp(0);
}

double log_normal(double z) { return -0.5 * z * z - 0.5 * std::log(2.0 * std::numbers::pi); }

template <class F>
double integrate(F f, double a, double b) {
  return boost::math::quadrature::gauss_kronrod<double, 31>::integrate(f, a, b, 15, 1e-12);
}

}  // namespace

TEST_CASE("vae: the whole-model gradient matches central differences in double", "[vae][gradient]") {
  struct Case {
    const char* name;
    DataSpec spec;
    VaeBound bound;
    Index k;
  };
  const Case cases[] = {{"bernoulli elbo", discrete_spec(6, 2), VaeBound::elbo, 1},
                        {"bernoulli iwae k=3", discrete_spec(6, 2), VaeBound::iwae, 3},
                        {"gaussian elbo", real_spec(4), VaeBound::elbo, 1},
                        {"gaussian iwae k=2", real_spec(4), VaeBound::iwae, 2}};
  for (const Case& c : cases) {
    const VaeModel model = tiny_vae(c.spec, {5, 4}, 2, 11, c.bound, c.k);
    const Index n = 4;
    const MatrixD x = c.spec.kind == DataKind::real ? standard_normals(c.spec.dim, n, 3).cast<double>()
                                                    : random_discrete(c.spec.dim, n, 2, 5).cast<double>();
    const MatrixD eps = standard_normals(2, n * c.k, 8).cast<double>();
    const Objective f = [&](const Eigen::VectorXd& theta, Eigen::Ref<Eigen::VectorXd> grad) {
      ad::BasicTape<double> tape;
      const ad::BasicVar<double> loss = vae_negative_bound<double>(
          tape, model.network(), model.parameters().blocks(), std::span<const double>(theta.data(), theta.size()),
          std::span<double>(grad.data(), grad.size()), x, eps, c.bound, c.k);
      tape.backward(loss);
      return loss.value()(0, 0);
    };
    const GradientCheck check = check_gradient(f, values_in_double(model));
    INFO(c.name << ": worst entry " << check.worst << ", error " << check.max_abs_error);
    CHECK(check.max_abs_error < 1e-6 * std::max(1.0, check.max_scale));
  }
}

TEST_CASE("vae: objective_and_grad in float agrees with the double objective", "[vae][gradient]") {
  const VaeModel model = tiny_vae(discrete_spec(8, 2), {6}, 3, 4, VaeBound::iwae, 4);
  const Matrix x = random_discrete(8, 10, 2, 2);
  Rng rng(17);
  std::vector<float> grad(static_cast<std::size_t>(model.parameters().size()), 0.0f);
  Rng replay = rng;
  const double value = model.objective_and_grad(x, rng, grad);
  // objective_and_grad draws eps column by column from its rng: replay the draws in double.
  MatrixD eps(3, 40);
  for (Index c = 0; c < eps.cols(); ++c)
    for (Index i = 0; i < 3; ++i) eps(i, c) = static_cast<float>(replay.normal());
  const Eigen::VectorXd theta = values_in_double(model);
  Eigen::VectorXd expected = Eigen::VectorXd::Zero(theta.size());
  ad::BasicTape<double> tape;
  const ad::BasicVar<double> loss =
      vae_negative_bound<double>(tape, model.network(), model.parameters().blocks(),
                                 std::span<const double>(theta.data(), theta.size()),
                                 std::span<double>(expected.data(), expected.size()), x.cast<double>(), eps,
                                 VaeBound::iwae, 4);
  tape.backward(loss);
  CHECK(value == Approx(loss.value()(0, 0)).epsilon(1e-5));
  const Eigen::VectorXd got = Eigen::Map<const VectorF>(grad.data(), static_cast<Index>(grad.size())).cast<double>();
  CHECK((got - expected).cwiseAbs().maxCoeff() < 1e-4 * std::max(1.0, expected.cwiseAbs().maxCoeff()));
}

TEST_CASE("vae: the tape-free evaluation equals the tape's value for the same draws", "[vae]") {
  for (const DataSpec& spec : {discrete_spec(9, 2), real_spec(5)}) {
    for (const auto& [bound, k] : {std::pair{VaeBound::elbo, Index{1}}, std::pair{VaeBound::iwae, Index{7}}}) {
      VaeModel model = tiny_vae(spec, {8, 6}, 3, 21);
      const Matrix x = spec.kind == DataKind::real ? standard_normals(spec.dim, 6, 1) : random_discrete(spec.dim, 6, 2, 9);
      VaeEstimator estimator;
      estimator.bound = bound;
      estimator.samples = k;
      estimator.seed = 5;
      estimator.sample_chunk = 4;  // several decoder passes per example
      model.set_estimator(estimator);
      const Vector values = model.log_prob(x);
      const Matrix eps = vae_estimator_draws(3, x, estimator);
      for (Index j = 0; j < x.cols(); ++j) {
        ad::Tape tape;
        std::vector<float> grad(static_cast<std::size_t>(model.parameters().size()), 0.0f);
        const ad::Var loss = vae_negative_bound<float>(tape, model.network(), model.parameters().blocks(),
                                                       std::as_const(model).parameters().values(), grad, x.col(j),
                                                       eps.middleCols(j * k, k), bound, k);
        CHECK(-loss.value()(0, 0) == Approx(values(j)).epsilon(1e-5));
      }
    }
  }
}

TEST_CASE("vae: analytic KL agrees with a Monte Carlo estimate", "[vae]") {
  const VectorF mean = (VectorF(3) << 0.5f, -1.2f, 0.1f).finished();
  const VectorF log_scale = (VectorF(3) << -0.3f, 0.4f, -1.0f).finished();
  const double analytic = kl_to_standard_normal(mean, log_scale);
  // KL = E_q[log q(z) - log p(z)]; per draw: sum_i (z_i^2 - eps_i^2) / 2 - s_i.
  Rng rng(3);
  const Index draws = 200000;
  double sum = 0.0, sum_sq = 0.0;
  for (Index n = 0; n < draws; ++n) {
    double term = 0.0;
    for (Index i = 0; i < 3; ++i) {
      const double eps = rng.normal();
      const double z = mean(i) + std::exp(static_cast<double>(log_scale(i))) * eps;
      term += 0.5 * (z * z - eps * eps) - log_scale(i);
    }
    sum += term;
    sum_sq += term * term;
  }
  const double mc = sum / draws;
  const double se = std::sqrt((sum_sq / draws - mc * mc) / draws);
  INFO("analytic " << analytic << ", Monte Carlo " << mc << " ± " << se);
  CHECK(std::abs(mc - analytic) < 4.0 * se);
  // The tape's KL op gives the same value.
  ad::Tape tape;
  const ad::Var kl = ad::kl_diag_gaussian_standard(tape.constant(mean), tape.constant(log_scale));
  CHECK(kl.value()(0, 0) == Approx(analytic).epsilon(1e-6));
}

TEST_CASE("vae: on a 3-pixel, 1-D latent model, ELBO <= log p(x) by quadrature and IWAE approaches it",
          "[vae][quadrature]") {
  VaeModel model = tiny_vae(discrete_spec(3, 2), {4}, 1, 7);
  const Matrix all = all_examples(3, 2);
  double total = 0.0;
  for (Index j = 0; j < all.cols(); ++j) {
    const Matrix x = all.col(j);
    // log p(x) = log int p(x|z) N(z; 0, 1) dz over [-12, 12] (the prior mass outside is 2e-33).
    const double log_px =
        std::log(integrate([&](double z) { return std::exp(log_px_given_z(model, x, z) + log_normal(z)); }, -12, 12));
    total += std::exp(log_px);
    // The exact ELBO: int q(z|x) log p(x|z) dz - KL, q = N(m, e^{2s}), over m +- 12 sigma.
    const Matrix h = model.network().encoder.forward(model.parameters(), x);
    const double m = h(0, 0), s = h(1, 0), sigma = std::exp(s);
    const double reconstruction = integrate(
        [&](double z) { return std::exp(log_normal((z - m) / sigma)) / sigma * log_px_given_z(model, x, z); },
        m - 12 * sigma, m + 12 * sigma);
    const double elbo = reconstruction - kl_to_standard_normal(h.col(0).head(1), h.col(0).tail(1));
    INFO("x = " << x.transpose() << ": log p(x) " << log_px << ", exact ELBO " << elbo);
    CHECK(elbo < log_px);
    CHECK(log_px - elbo > 0.01);  // the test model has a real gap to close

    // Mean and standard error over 20 seeds of the estimator's value.
    const auto over_seeds = [&](VaeBound bound, Index k) {
      VaeEstimator estimator;
      estimator.bound = bound;
      estimator.samples = k;
      double sum = 0.0, sum_sq = 0.0;
      for (std::uint64_t seed = 0; seed < 20; ++seed) {
        estimator.seed = seed;
        model.set_estimator(estimator);
        const double v = model.log_prob(x)(0);
        sum += v;
        sum_sq += v * v;
      }
      const double mean = sum / 20.0;
      return std::pair{mean, std::sqrt(std::max(0.0, sum_sq / 20.0 - mean * mean) / 19.0)};
    };
    // The ELBO estimator (1000 draws, 20 seeds) agrees with the exact ELBO within 4 s.e.
    const auto [elbo_mc, elbo_se] = over_seeds(VaeBound::elbo, 1000);
    INFO("Monte Carlo ELBO " << elbo_mc << " ± " << elbo_se);
    CHECK(std::abs(elbo_mc - elbo) < 4.0 * elbo_se + 1e-4);

    // IWAE-k: its expectation is the ELBO at k = 1 and rises to log p(x) as k grows. Tolerances:
    // 4 standard errors of the mean over 20 seeds, plus 1e-3 nats for float rounding.
    std::vector<double> gaps, errors;
    for (Index k : {1, 10, 100, 1000}) {
      const auto [mean, se] = over_seeds(VaeBound::iwae, k);
      gaps.push_back(log_px - mean);
      errors.push_back(4.0 * se + 1e-3);
    }
    INFO("gaps to log p(x) for k=1,10,100,1000: " << gaps[0] << " " << gaps[1] << " " << gaps[2] << " " << gaps[3]
                                                 << " (4 s.e. " << errors[0] << " " << errors[1] << " " << errors[2]
                                                 << " " << errors[3] << ")");
    CHECK(std::abs(gaps[0] - (log_px - elbo)) < errors[0]);
    for (std::size_t i = 1; i < gaps.size(); ++i) {
      CHECK(gaps[i] < gaps[i - 1] + errors[i] + errors[i - 1]);  // shrinks with k
      CHECK(gaps[i] > -errors[i]);                               // a lower bound in expectation
    }
    CHECK(std::abs(gaps[3]) < 0.1 * (log_px - elbo) + errors[3]);  // k = 1000 closes 90% of the gap
  }
  CHECK(std::abs(total - 1.0) < 1e-5);  // p(x) from quadrature is normalized over the 8 examples
}

TEST_CASE("vae: training is bit-identical for 1 and 2 threads, scoring too", "[vae][threads]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 10, 120, 2);
  const DatasetSplit train = DatasetSplit::open(data, "train"), valid = DatasetSplit::open(data, "valid");
  for (const auto& [bound_, k_] : {std::pair{VaeBound::elbo, Index{1}}, std::pair{VaeBound::iwae, Index{3}}}) {
    const VaeBound bound = bound_;
    const Index k = k_;
    const auto trained = [&](int threads) {
      tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
      VaeModel model = tiny_vae(discrete_spec(10, 2), {8}, 2, 1, bound, k);
      TrainOptions options;
      options.batch_size = 20;
      options.shard_size = 5;
      options.max_epochs = 2;
      options.seed = 3;
      options.optimizer.learning_rate = 0.01;
      train_model(model, train, &valid, options);
      return model.parameters().copy_values();
    };
    const std::vector<float> one = trained(1);
    CHECK(trained(2) == one);
    CHECK(one != tiny_vae(discrete_spec(10, 2), {8}, 2, 1, bound, k).parameters().copy_values());
  }
  VaeModel model = tiny_vae(discrete_spec(10, 2), {8}, 2, 1);
  VaeEstimator estimator;
  estimator.bound = VaeBound::iwae;
  estimator.samples = 50;
  model.set_estimator(estimator);
  const Matrix x = train.read(0, 60);
  const auto scored = [&](int threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
    return parallel_log_prob(model, x, 7);
  };
  CHECK(scored(2) == scored(1));
  // An example's value does not depend on the batch around it (up to float rounding in the GEMMs).
  CHECK(model.log_prob(x.col(5))(0) == Approx(scored(1)(5)).epsilon(1e-5));
}

TEST_CASE("vae: copies of a block's first example are not estimated again and keep their values", "[vae]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 10, 40, 2);
  const Matrix all = DatasetSplit::open(data, "train").read(0, 40);
  Matrix x(all.rows(), 3);  // three different examples
  Index found = 0;
  for (Index j = 0; j < all.cols() && found < 3; ++j) {
    bool is_new = true;
    for (Index i = 0; i < found; ++i) is_new = is_new && all.col(j) != x.col(i);
    if (is_new) x.col(found++) = all.col(j);
  }
  REQUIRE(found == 3);
  VaeModel model = tiny_vae(discrete_spec(10, 2), {8}, 2, 1);
  // k >= the sample chunk: one example per group; k < it: several examples share a group.
  for (const auto& [k, chunk] : {std::pair{Index{40}, Index{16}}, std::pair{Index{5}, Index{16}}}) {
    INFO("k=" << k << ", sample chunk " << chunk);
    VaeEstimator estimator;
    estimator.bound = VaeBound::iwae;
    estimator.samples = k;
    estimator.sample_chunk = chunk;
    model.set_estimator(estimator);
    // Columns a, b, c, a, a: the trailing copies of a get a's value, the others their own, each
    // equal to the example scored alone (a block of its copies).
    Matrix batch(x.rows(), 5);
    batch << x.col(0), x.col(1), x.col(2), x.col(0), x.col(0);
    const Vector values = model.log_prob(batch);
    for (Index j = 0; j < 5; ++j) CHECK(values(j) == model.log_prob(batch.col(j))(0));
    CHECK(values(3) == values(0));
    CHECK(values(1) != values(0));
  }
}

TEST_CASE("vae: save/load gives identical bounds, kinds and names say what the value is", "[vae][io]") {
  TempDir dir;
  VaeModel model = tiny_vae(discrete_spec(12, 2, {3, 4, 1}), {7, 5}, 2, 9, VaeBound::iwae, 2);
  save_model(model, FitRecord{}, dir.file("vae.h5"));
  std::unique_ptr<DensityModel> loaded = load_density_model(dir.file("vae.h5"));
  auto& vae = dynamic_cast<VaeModel&>(*loaded);
  CHECK(vae.hyperparameters() == model.hyperparameters());
  const Matrix x = random_discrete(12, 30, 2, 6);
  CHECK(loaded->log_prob(x) == model.log_prob(x));
  CHECK(loaded->likelihood_kind() == LikelihoodKind::lower_bound);
  CHECK(loaded->value_name() == "elbo");
  VaeEstimator estimator;
  estimator.bound = VaeBound::iwae;
  estimator.samples = 10;
  vae.set_estimator(estimator);
  model.set_estimator(estimator);
  CHECK(loaded->log_prob(x) == model.log_prob(x));
  CHECK(loaded->likelihood_kind() == LikelihoodKind::estimate);
  CHECK(loaded->value_name() == "iwae");
  CHECK_THAT(vae.estimator_description(), Catch::Contains("k=10"));
  CHECK(vae.encode(x).rows() == 2);
  Rng rng(1);
  const Matrix s = vae.sample(5, rng);
  CHECK(s.rows() == 12);
  CHECK((s.array() == 0.0f || s.array() == 1.0f).all());
}

TEST_CASE("vae: bad options and data are refused with a clear message", "[vae][errors]") {
  VaeOptions options;
  CHECK_THROWS_WITH(VaeModel(discrete_spec(4, 256), options), Catch::Contains("categorical"));
  options.likelihood = "gaussian";
  CHECK_THROWS_WITH(VaeModel(discrete_spec(4, 2), options), Catch::Contains("does not fit"));
  options.likelihood = "";
  options.latent = 0;
  CHECK_THROWS_WITH(VaeModel(discrete_spec(4, 2), options), Catch::Contains("--latent"));
  options.latent = 2;
  options.train_samples = 5;
  CHECK_THROWS_WITH(VaeModel(discrete_spec(4, 2), options), Catch::Contains("--objective iwae"));
  CHECK_THROWS_WITH(parse_layer_sizes("500,x", "--hidden-layers"), Catch::Contains("'x'"));
  const VaeModel model = tiny_vae(discrete_spec(4, 2), {3}, 2, 1);
  CHECK_THROWS_WITH(model.log_prob(Matrix::Zero(5, 2)), Catch::Contains("D=5"));
}
