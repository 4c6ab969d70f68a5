// The order-agnostic deep NADE ("nade-oa"): gradients, exact normalization of single orderings
// and ensembles, the unbiasedness of the training objective, old files, errors. Save/load,
// parallel scoring and sampling are the model checker's (test_model_checker.cpp).
#include <catch2/catch.hpp>
#include <cmath>

#include "logp/core/error.hpp"
#include "logp/core/math.hpp"
#include "logp/io/h5.hpp"
#include "logp/io/model_file.hpp"
#include "logp/models/nade/deep_nade.hpp"
#include "logp/models/nade/nade.hpp"
#include "logp/train/epoch_batches.hpp"
#include "support/binary_data.hpp"
#include "support/dataset_file.hpp"
#include "support/enumerate.hpp"
#include "support/gradient_check.hpp"
#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

// A double-precision parameter vector in the model's flat layout, N(0, scale^2) entries.
Eigen::VectorXd random_theta(const DeepNadeShape& shape, std::uint64_t seed, double scale) {
  Eigen::VectorXd theta(deep_nade_parameter_count(shape));
  Rng rng(seed);
  for (Index k = 0; k < theta.size(); ++k) theta(k) = scale * rng.normal();
  return theta;
}

std::vector<Index> raster(Index d) {
  std::vector<Index> order(static_cast<size_t>(d));
  for (Index k = 0; k < d; ++k) order[static_cast<size_t>(k)] = k;
  return order;
}

std::vector<Index> permutation(Index d, std::uint64_t seed) {
  Rng rng(seed);
  return random_permutation(d, rng);
}

// All d! permutations of 0..d-1.
std::vector<std::vector<Index>> all_orderings(Index d) {
  std::vector<Index> order = raster(d);
  std::vector<std::vector<Index>> all;
  do {
    all.push_back(order);
  } while (std::next_permutation(order.begin(), order.end()));
  return all;
}

Vector log_prob_double(const Eigen::VectorXd& theta, const DeepNadeShape& shape, const std::vector<Index>& order,
                       const MatrixX<double>& x) {
  Vector out(x.cols());
  deep_nade_log_prob<double>(deep_nade_weights<double>(shape, theta.data()), shape, order, x, out);
  return out;
}

const char* name(Activation activation) { return activation == Activation::sigmoid ? "sigmoid" : "relu"; }

DeepNadeModel small_model(Index d, DeepNadeOptions options, std::uint64_t seed) {
  DeepNadeModel model(discrete_spec(d, 2), std::move(options));
  Rng rng(seed);
  model.initialize(rng);
  return model;
}

}  // namespace

TEST_CASE("nade-oa: the order-agnostic gradient matches central differences (fixed draws)",
          "[deep_nade][gradient]") {
  const Index d = 6, h = 4;
  const MatrixX<double> x = random_discrete(d, 7, 2, 11).cast<double>();
  for (int layers : {1, 2}) {
    for (Activation activation : {Activation::sigmoid, Activation::relu}) {
      const DeepNadeShape shape{d, h, layers, activation};
      const Eigen::VectorXd theta = random_theta(shape, 3 + static_cast<std::uint64_t>(layers), 0.7);
      // A fresh Rng with the same seed at every call: the + and - perturbations see the same masks.
      const Objective f = [&](const Eigen::VectorXd& t, Eigen::Ref<Eigen::VectorXd> grad) {
        Rng rng(99);
        DeepNadeGradients<double> g = deep_nade_gradients<double>(shape, grad.data());
        return deep_nade_order_agnostic_nll_and_grad<double>(deep_nade_weights<double>(shape, t.data()), shape, x,
                                                             rng, g);
      };
      const GradientCheck check = check_gradient(f, theta);
      INFO(layers << " layer(s), " << name(activation) << ", worst entry " << check.worst);
      CHECK(check.max_scale > 0.0);
      CHECK(check.max_abs_error < 1e-6 * std::max(1.0, check.max_scale));
    }
  }
}

TEST_CASE("nade-oa: the float model's objective and gradient agree with the double kernel", "[deep_nade][gradient]") {
  const Index d = 12;
  DeepNadeOptions options;
  options.hidden = 9;
  const DeepNadeModel model = small_model(d, options, 4);
  const Matrix x = random_discrete(d, 20, 2, 4);
  std::vector<float> grad(static_cast<size_t>(model.parameters().size()), 0.0f);
  Rng rng(7);
  const double nll = model.objective_and_grad(x, rng, grad);

  const std::span<const float> values = model.parameters().values();
  const Eigen::VectorXd theta = Eigen::Map<const VectorF>(values.data(), static_cast<Index>(values.size())).cast<double>();
  Eigen::VectorXd expected = Eigen::VectorXd::Zero(theta.size());
  DeepNadeGradients<double> g = deep_nade_gradients<double>(model.shape(), expected.data());
  Rng same(7);
  const double expected_nll = deep_nade_order_agnostic_nll_and_grad<double>(
      deep_nade_weights<double>(model.shape(), theta.data()), model.shape(), x.cast<double>(), same, g);
  CHECK(nll == Approx(expected_nll).epsilon(1e-5));
  const Eigen::VectorXd got = Eigen::Map<const VectorF>(grad.data(), static_cast<Index>(grad.size())).cast<double>();
  CHECK((got - expected).cwiseAbs().maxCoeff() < 1e-4 * std::max(1.0, expected.cwiseAbs().maxCoeff()));
}

TEST_CASE("nade-oa: the masks are drawn as the order-agnostic objective says", "[deep_nade]") {
  const Index d = 5, n = 20000;
  Rng rng(3);
  MatrixX<double> mask;
  Vector weight;
  draw_order_agnostic_masks<double>(d, n, rng, mask, weight);
  // d observed uniform on 0..D-1, weight D / (D - d), and every dimension equally likely observed.
  Eigen::VectorXd count_of_observed = Eigen::VectorXd::Zero(d);
  for (Index j = 0; j < n; ++j) {
    const Index observed = static_cast<Index>(mask.col(j).sum());
    REQUIRE(observed < d);
    CHECK(weight(j) == static_cast<double>(d) / static_cast<double>(d - observed));
    count_of_observed(observed) += 1;
  }
  // Each of the D counts is Binomial(n, 1/D): sd sqrt(n (1/D)(1 - 1/D)) = 56.6; 5 sd.
  CHECK((count_of_observed.array() - static_cast<double>(n) / d).abs().maxCoeff() < 5 * 56.6);
  // P(dimension i observed) = E[d] / D = (D - 1) / (2 D) = 0.4; sd of the frequency 0.0035; 5 sd.
  CHECK((mask.rowwise().mean().array() - 0.4).abs().maxCoeff() < 5 * 0.0035);
}

TEST_CASE("nade-oa: the objective's expectation is the NLL averaged over all orderings (exact)",
          "[deep_nade][objective]") {
  // E over (d, first d of a random ordering) by enumeration: every subset S of observed
  // dimensions has probability 1 / (D * C(D, |S|)). Compared with the mean over all D!
  // orderings of -log p_o(x), both in double: equal up to rounding.
  for (Index d : {2, 4}) {
    for (int layers : {1, 2}) {
      const DeepNadeShape shape{d, 5, layers, Activation::relu};
      const Eigen::VectorXd theta = random_theta(shape, 20 + static_cast<std::uint64_t>(d), 0.9);
      const DeepNadeWeights<double> w = deep_nade_weights<double>(shape, theta.data());
      const MatrixX<double> x = random_discrete(d, 3, 2, 8).cast<double>();
      Eigen::VectorXd unused = Eigen::VectorXd::Zero(theta.size());
      DeepNadeGradients<double> g = deep_nade_gradients<double>(shape, unused.data());

      double expectation = 0.0;
      for (Index subset = 0; subset < (Index(1) << d); ++subset) {
        MatrixX<double> mask = MatrixX<double>::Zero(d, x.cols());
        Index observed = 0;
        for (Index i = 0; i < d; ++i)
          if (subset & (Index(1) << i)) {
            mask.row(i).setOnes();
            ++observed;
          }
        if (observed == d) continue;  // d runs over 0..D-1
        double binomial = 1.0;
        for (Index k = 0; k < observed; ++k) binomial = binomial * static_cast<double>(d - k) / static_cast<double>(k + 1);
        const Vector weight = Vector::Constant(x.cols(), static_cast<double>(d) / static_cast<double>(d - observed));
        expectation +=
            deep_nade_masked_nll_and_grad<double>(w, shape, x, mask, weight, g) / (static_cast<double>(d) * binomial);
      }
      double mean_nll = 0.0;
      const std::vector<std::vector<Index>> orders = all_orderings(d);
      for (const std::vector<Index>& order : orders) mean_nll -= log_prob_double(theta, shape, order, x).sum();
      mean_nll /= static_cast<double>(orders.size());
      INFO("D=" << d << ", " << layers << " layer(s)");
      CHECK(expectation == Approx(mean_nll).epsilon(1e-12));
    }
  }
}

TEST_CASE("nade-oa: the float model's stochastic objective averages to the mean NLL over orderings",
          "[deep_nade][objective]") {
  // Monte Carlo over the model's own draws: 20000 draws of the objective on one example of
  // D=5 against the mean of -log p_o(x) over its 120 orderings. Tolerance: 4 standard errors of
  // the Monte Carlo mean, estimated from the draws (a fixed seed, so the test is deterministic).
  const Index d = 5;
  DeepNadeOptions options;
  options.hidden = 6;
  const DeepNadeModel model = small_model(d, options, 12);
  const Matrix x = random_discrete(d, 1, 2, 30);
  std::vector<float> grad(static_cast<size_t>(model.parameters().size()), 0.0f);
  Rng rng(5);
  const int draws = 20000;
  double sum = 0.0, sum_sq = 0.0;
  for (int r = 0; r < draws; ++r) {
    const double value = model.objective_and_grad(x, rng, grad);
    sum += value;
    sum_sq += value * value;
  }
  const double mean = sum / draws;
  const double standard_error = std::sqrt((sum_sq / draws - mean * mean) / draws);
  double mean_nll = 0.0;
  const std::vector<std::vector<Index>> orders = all_orderings(d);
  Vector lp(1);
  for (const std::vector<Index>& order : orders) {
    deep_nade_log_prob<float>(model.weights(), model.shape(), order, x, lp);
    mean_nll -= lp(0);
  }
  mean_nll /= static_cast<double>(orders.size());
  INFO("Monte Carlo mean " << mean << " +- " << standard_error << ", exact " << mean_nll);
  CHECK(std::abs(mean - mean_nll) < 4 * standard_error);
}

TEST_CASE("nade-oa: exp(log_prob) sums to 1 over all 2^D vectors, single orderings and ensembles",
          "[deep_nade][normalization]") {
  const Index d = 10;
  const MatrixX<double> all = all_examples(d, 2).cast<double>();
  for (int layers : {1, 2}) {
    for (Activation activation : {Activation::sigmoid, Activation::relu}) {
      const DeepNadeShape shape{d, 6, layers, activation};
      const Eigen::VectorXd theta = random_theta(shape, 40 + static_cast<std::uint64_t>(layers), 1.2);
      const std::vector<std::vector<Index>> orders = {raster(d), permutation(d, 1), permutation(d, 2)};
      MatrixD per_ordering(3, all.cols());
      for (Index k = 0; k < 3; ++k) {
        per_ordering.row(k) = log_prob_double(theta, shape, orders[static_cast<size_t>(k)], all).transpose();
        INFO(layers << " layer(s), " << name(activation) << ", ordering " << k);
        CHECK(std::abs(per_ordering.row(k).array().exp().sum() - 1.0) < 1e-9);  // double: exact to rounding
      }
      const Vector ensemble = DeepNadeModel::ensemble_log_prob(per_ordering, 3);
      INFO(layers << " layer(s), " << name(activation) << ", ensemble of 3");
      CHECK(std::abs(ensemble.array().exp().sum() - 1.0) < 1e-9);
    }
  }
  // The float model: the same up to float32 rounding of the activations.
  for (const auto& [ordering, k] : std::vector<std::pair<std::string, int>>{{"raster", 1}, {"random", 1}, {"raster", 3}}) {
    DeepNadeOptions options;
    options.hidden = 7;
    options.ordering = ordering;
    options.orderings = k;
    const DeepNadeModel model = small_model(d, options, 3);
    INFO(model.hyperparameters());
    CHECK(std::abs(total_probability(model) - 1.0) < 1e-5);
  }
}

TEST_CASE("nade-oa: the ensemble is the log-mean-exp of its orderings and is labelled", "[deep_nade]") {
  const Index d = 9;
  DeepNadeOptions options;
  options.hidden = 5;
  options.orderings = 4;
  options.ordering = "raster";
  options.ordering_seed = 17;
  DeepNadeModel model = small_model(d, options, 1);
  CHECK_THAT(model.hyperparameters(), Catch::Contains("ensemble of 4 orderings"));
  REQUIRE(model.orderings().size() == 4);
  CHECK(model.orderings()[0] == raster(d));
  const Matrix x = random_discrete(d, 13, 2, 2);
  const MatrixD each = model.log_prob_each_ordering(x);
  const Vector lp = model.log_prob(x);
  for (Index j = 0; j < x.cols(); ++j) CHECK(lp(j) == Approx(log_sum_exp(each.col(j)) - std::log(4.0)).epsilon(1e-12));

  // Shrinking to K = 1 keeps ordering 0 and gives the single-ordering model; growing redraws the same.
  const std::vector<std::vector<Index>> orders = model.orderings();
  model.set_ensemble_size(1);
  CHECK_THAT(model.hyperparameters(), Catch::Contains("single ordering (raster)"));
  CHECK(model.log_prob(x) == each.row(0).transpose());
  model.set_ensemble_size(4);
  CHECK(model.orderings() == orders);
  CHECK_THROWS_WITH(model.set_ensemble_size(0), Catch::Contains("at least 1"));
}

TEST_CASE("nade-oa: bad options are refused with a clear message", "[deep_nade][errors]") {
  DeepNadeOptions options;
  options.hidden = 3;
  options.layers = 3;
  CHECK_THROWS_WITH(DeepNadeModel(discrete_spec(4, 2), options), Catch::Contains("--layers must be 1 or 2"));
  options.layers = 0;
  CHECK_THROWS_WITH(DeepNadeModel(discrete_spec(4, 2), options), Catch::Contains("--layers must be 1 or 2"));
  options.layers = 2;
  options.orderings = 0;
  CHECK_THROWS_WITH(DeepNadeModel(discrete_spec(4, 2), options), Catch::Contains("--orderings"));
  options.orderings = 1;
  CHECK_THROWS_WITH(DeepNadeModel(discrete_spec(4, 4), options), Catch::Contains("needs binary data"));
  CHECK_THROWS_WITH(DeepNadeModel(DataSpec{DataKind::real, 0, 4, {}}, options), Catch::Contains("needs binary data"));
  options.ordering = "0,1,1,2";
  CHECK_THROWS_WITH(DeepNadeModel(discrete_spec(4, 2), options), Catch::Contains("not a permutation"));
  options.ordering = "raster";
  options.hidden = 0;
  CHECK_THROWS_WITH(DeepNadeModel(discrete_spec(4, 2), options), Catch::Contains("--hidden"));
}

TEST_CASE("nade-oa: logp fit trains and saves an ensemble model", "[deep_nade][cli]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("data.h5"), 8, 60, 2);
  const std::string model = dir.file("oa.h5");
  const CliResult fit = run_cli("fit --model nade-oa --hidden 5 --layers 2 --orderings 2 --epochs 2 --valid-examples 20 "
                                "--data " + data + " --out " + model);
  INFO(fit.err);
  REQUIRE(fit.exit_code == 0);
  CHECK_THAT(fit.out, Catch::Contains("nade-oa") && Catch::Contains("ensemble of 2 orderings (random(seed 0)") &&
                          Catch::Contains("activation=relu"));
  CHECK_THAT(fit.err, Catch::Contains("first 20 examples"));
  const std::unique_ptr<DensityModel> loaded = load_density_model(model);
  CHECK(loaded->type() == "nade-oa");
  CHECK(std::abs(total_probability(*loaded) - 1.0) < 1e-5);

  const CliResult raster = run_cli("fit --model nade-oa --hidden 3 --layers 1 --ordering raster --epochs 1 --data " +
                                   data + " --out " + model);
  CHECK_THAT(raster.out, Catch::Contains("layers=1") && Catch::Contains("single ordering (raster)"));

  const CliResult bad = run_cli("fit --model nade-oa --layers 3 --epochs 1 --data " + data + " --out " + model);
  CHECK(bad.exit_code == 1);
  CHECK_THAT(bad.err, Catch::Contains("--layers must be 1 or 2"));
  const CliResult no_orderings = run_cli("fit --model nade-oa --orderings 0 --epochs 1 --data " + data + " --out " + model);
  CHECK(no_orderings.exit_code == 2);  // a usage error, refused while parsing
  CHECK_THAT(no_orderings.err, Catch::Contains("--orderings: expected a positive number, got '0'"));
}

TEST_CASE("nade-oa: a file from before the Ordering type (K x D orderings) still loads", "[deep_nade][io]") {
  // The old layout: every ordering stored as a row of the K x D dataset "orderings".
  TempDir dir;
  DeepNadeOptions options;
  options.hidden = 5;
  options.layers = 1;
  options.orderings = 3;
  options.ordering = "2,0,3,1";
  options.ordering_seed = 9;
  const DeepNadeModel model = small_model(4, options, 2);
  const H5File file = H5File::create(dir.file("old.h5"));
  const H5Group g = file.root().create_group("model");
  g.set_attr("hidden", std::int64_t{5});
  g.set_attr("layers", std::int64_t{1});
  g.set_attr("activation", std::string(activation_name(options.activation)));
  g.set_attr("orderings", std::int64_t{3});
  g.set_attr("ordering_rule", std::string("given"));
  g.set_attr("ordering_seed", std::int64_t{9});
  std::vector<std::int64_t> rows;
  for (const std::vector<Index>& order : model.orderings()) rows.insert(rows.end(), order.begin(), order.end());
  g.write<std::int64_t>("orderings", {3, 4}, rows.data());
  model.parameters().save(g.create_group("parameters"));

  const std::unique_ptr<Model> loaded = DeepNadeModel::load(g, model.data_spec());
  const auto& oa = dynamic_cast<const DeepNadeModel&>(*loaded);
  CHECK(oa.orderings() == model.orderings());
  CHECK(oa.hyperparameters() == model.hyperparameters());
  const Matrix x = all_examples(4, 2);
  CHECK(oa.log_prob(x) == model.log_prob(x));

  rows[0] = rows[1];  // ordering 0 is no longer a permutation
  const H5Group bad = file.root().create_group("bad");
  for (const char* name : {"hidden", "layers", "orderings", "ordering_seed"}) bad.set_attr(name, g.attr_int(name));
  for (const char* name : {"activation", "ordering_rule"}) bad.set_attr(name, g.attr_string(name));
  bad.write<std::int64_t>("orderings", {3, 4}, rows.data());
  model.parameters().save(bad.create_group("parameters"));
  CHECK_THROWS_WITH(DeepNadeModel::load(bad, model.data_spec()), Catch::Contains("not a permutation"));
}
