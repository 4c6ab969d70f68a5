#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "logp/core/error.hpp"
#include "logp/models/training_fit.hpp"
#include "logp/train/optimizer.hpp"

using namespace logp;

TEST_CASE("optimizer: adam's first step moves each parameter by the learning rate", "[optimizer]") {
  OptimizerOptions options;
  options.learning_rate = 0.1;
  Optimizer adam(options, 3);
  std::vector<float> theta{1.0f, -2.0f, 0.5f}, grad{4.0f, -0.01f, 0.0f};
  adam.step(theta, grad, 0);
  // Bias-corrected m/sqrt(v) = sign(g) on the first step (|g| >> epsilon).
  CHECK(theta[0] == Approx(0.9f).epsilon(1e-5));
  CHECK(theta[1] == Approx(-1.9f).epsilon(1e-5));
  CHECK(theta[2] == 0.5f);
}

TEST_CASE("optimizer: sgd with momentum follows the closed form", "[optimizer]") {
  OptimizerOptions options;
  options.kind = "sgd";
  options.learning_rate = 0.5;
  options.momentum = 0.9;
  Optimizer sgd(options, 1);
  std::vector<float> theta{0.0f}, grad{1.0f};
  sgd.step(theta, grad, 0);  // v = 1, theta = -0.5
  grad = {1.0f};
  sgd.step(theta, grad, 0);  // v = 1.9, theta = -0.5 - 0.95
  CHECK(theta[0] == Approx(-1.45f));
}

TEST_CASE("optimizer: adam minimizes a quadratic", "[optimizer]") {
  OptimizerOptions options;
  options.learning_rate = 0.05;
  Optimizer adam(options, 2);
  std::vector<float> theta{3.0f, -4.0f}, grad(2);
  for (int step = 0; step < 2000; ++step) {
    grad = {2.0f * (theta[0] - 1.0f), 20.0f * (theta[1] + 1.0f)};
    adam.step(theta, grad, 0);
  }
  CHECK(theta[0] == Approx(1.0f).margin(1e-3));
  CHECK(theta[1] == Approx(-1.0f).margin(1e-3));
}

TEST_CASE("optimizer: clipping rescales to the global norm, L2 adds theta", "[optimizer]") {
  OptimizerOptions options;
  options.kind = "sgd";
  options.momentum = 0.0;
  options.learning_rate = 1.0;
  options.clip_norm = 1.0;
  Optimizer sgd(options, 2);
  std::vector<float> theta{0.0f, 0.0f}, grad{3.0f, 4.0f};
  CHECK(sgd.step(theta, grad, 0) == Approx(5.0));
  CHECK(theta[0] == Approx(-0.6f));
  CHECK(theta[1] == Approx(-0.8f));

  options.clip_norm = 0.0;
  options.l2 = 0.5;
  Optimizer decay(options, 1);
  std::vector<float> t{2.0f}, g{0.0f};
  decay.step(t, g, 0);
  CHECK(t[0] == Approx(1.0f));
}

TEST_CASE("optimizer: learning-rate schedules", "[optimizer]") {
  OptimizerOptions options;
  options.learning_rate = 1.0;
  options.schedule = Schedule::step;
  options.step_epochs = 2;
  options.step_gamma = 0.1;
  CHECK(scheduled_learning_rate(options, 1) == Approx(1.0));
  CHECK(scheduled_learning_rate(options, 2) == Approx(0.1));
  CHECK(scheduled_learning_rate(options, 5) == Approx(0.01));
  options.schedule = Schedule::cosine;
  options.total_epochs = 10;
  CHECK(scheduled_learning_rate(options, 0) == Approx(1.0));
  CHECK(scheduled_learning_rate(options, 5) == Approx(0.5));
  CHECK(scheduled_learning_rate(options, 10) == Approx(0.0).margin(1e-12));
  // The schedule is named as text by the training options, the one place that parses it.
  TrainingSettings settings;
  OptionList list;
  declare_training_options(list, settings);
  list.set("schedule", "cosine");
  CHECK(settings.train.optimizer.schedule == Schedule::cosine);
  CHECK_THROWS_WITH(list.set("schedule", "linear"), Catch::Contains("linear") && Catch::Contains("schedule"));
  OptimizerOptions bad;
  bad.kind = "rmsprop";
  CHECK_THROWS_WITH(Optimizer(bad, 1), Catch::Contains("rmsprop"));
}

TEST_CASE("optimizer: a non-finite or out-of-range setting is refused, naming the option", "[optimizer][errors]") {
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  const auto refused = [](auto change) {
    OptimizerOptions options;
    change(options);
    try {
      Optimizer optimizer(options, 3);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK(refused([&](OptimizerOptions& o) { o.learning_rate = inf; }) == "--learning-rate must be finite and > 0, got inf");
  CHECK(refused([&](OptimizerOptions& o) { o.learning_rate = nan; }).rfind("--learning-rate", 0) == 0);
  CHECK(refused([&](OptimizerOptions& o) { o.l2 = -1; }) == "--l2 must be finite and >= 0, got -1");
  CHECK(refused([&](OptimizerOptions& o) { o.l2 = nan; }).rfind("--l2", 0) == 0);
  CHECK(refused([&](OptimizerOptions& o) { o.clip_norm = inf; }).rfind("--clip-norm", 0) == 0);
  CHECK(refused([&](OptimizerOptions& o) { o.momentum = 1; }).rfind("--momentum", 0) == 0);
  CHECK(refused([&](OptimizerOptions& o) { o.step_gamma = nan; }).rfind("--step-gamma", 0) == 0);
  CHECK(refused([&](OptimizerOptions& o) { o.learning_rate = 1e-3; }) == "accepted");
}
