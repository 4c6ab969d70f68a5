// The progressive GAN: its ops against central differences (pixel norm, minibatch stddev,
// upsampling, average pooling, the fade-in blend, an equalized-lr convolution), the schedule,
// both players' gradients at every phase, 1 vs 2 threads, resume across a stage boundary, and
// save/load. The model checker (test_model_checker.cpp) adds sample reproducibility and the CLI.
#include <tbb/global_control.h>

#include <catch2/catch.hpp>
#include <cmath>

#include "logp/autodiff/conv.hpp"
#include "logp/autodiff/feature_norm.hpp"
#include "logp/autodiff/resample.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/gan/adversarial_trainer.hpp"
#include "logp/models/gan/progan.hpp"
#include "support/dataset_file.hpp"
#include "support/game_state.hpp"
#include "support/model_checker.hpp"
#include "support/op_check.hpp"
#include "support/temp_dir.hpp"

namespace logp::testing {
namespace {

ProganOptions tiny_progan() {
  ProganOptions options;
  options.latent = 3;
  options.channels = 2;
  options.schedule.stage_steps = 2;  // stage 0: steps 0-1; fade 2-4; stage 1: 5-6; fade 7-9; stage 2: 10-
  options.schedule.fade_steps = 3;
  return options;
}

ProganModel trained_progan(const DatasetSplit& train, const AdversarialTrainOptions& options) {
  ProganModel model("progan", train.spec(), tiny_progan());
  Rng init(options.seed);
  model.initialize(init);
  train_adversarial(model, train, options, nullptr);
  return model;
}

}  // namespace

TEST_CASE("progan: pixel norm and the minibatch stddev pass the op checker", "[progan][autodiff]") {
  Rng rng(3);
  const MatrixD a = random_matrix(4, 6, rng);
  check_op("pixel_norm", [](auto&, const auto& v) { return ad::pixel_norm(v[0]); }, {a});
  check_op("minibatch_stddev", [](auto&, const auto& v) { return ad::minibatch_stddev(v[0]); }, {a});
  // Closed forms: unit root mean square per column; the stddev of rows (1, -1) and (2, 2) is (1 + 0) / 2.
  ad::BasicTape<double> tape;
  const MatrixD y = ad::pixel_norm(tape.input(a), 0.0 + 1e-300).value();
  for (Index j = 0; j < y.cols(); ++j) CHECK(std::abs(y.col(j).squaredNorm() / 4.0 - 1.0) < 1e-12);
  MatrixD rows(2, 2);
  rows << 1, -1, 2, 2;
  CHECK(std::abs(ad::minibatch_stddev(tape.input(rows), 1e-300).value()(0, 0) - 0.5) < 1e-12);
  CHECK_THROWS_WITH(ad::minibatch_stddev(tape.input(MatrixD::Ones(3, 1))), Catch::Contains("at least 2 columns"));
}

TEST_CASE("progan: upsampling, average pooling and the fade-in blend pass the op checker", "[progan][autodiff]") {
  Rng rng(4);
  const MatrixD small = random_matrix(2 * 3 * 2, 2, rng), big = random_matrix(4 * 6 * 2, 2, rng);
  check_op("upsample2x", [](auto&, const auto& v) { return ad::upsample2x(v[0], 2, 3, 2); }, {small});
  check_op("avg_pool2x", [](auto&, const auto& v) { return ad::avg_pool2x(v[0], 4, 6, 2); }, {big});
  check_op("fade_in", [](auto&, const auto& v) { return fade_in(v[0], v[1], 0.3); }, {big, big * 0.5});
  // Pooling an upsampled image gives it back; an upsampled pixel's 4 copies equal it.
  ad::BasicTape<double> tape;
  const ad::BasicVar<double> up = ad::upsample2x(tape.input(small), 2, 3, 2);
  CHECK((ad::avg_pool2x(up, 4, 6, 2).value() - small).cwiseAbs().maxCoeff() < 1e-15);
  CHECK(up.value()(((2 * 1 + 1) * 6 + 2 * 2 + 1) * 2 + 1, 0) == small((1 * 3 + 2) * 2 + 1, 0));
  CHECK(fade_in(tape.input(small), tape.input(small * 3.0), 0.25).value().isApprox(small * 1.5));
  CHECK_THROWS_WITH(ad::avg_pool2x(tape.input(small), 2, 3, 2), Catch::Contains("even"));
}

TEST_CASE("progan: an equalized-lr convolution (weight times He's constant) passes the op checker", "[progan][autodiff]") {
  Rng rng(5);
  const ad::Conv2dShape shape{3, 3, 2, 3, 3, 1, 1, 0};
  const MatrixD x = random_matrix(shape.in_size(), 2, rng), w = random_matrix(3, 18, rng), b = random_matrix(3, 1, rng);
  const double he = std::sqrt(2.0 / 18.0);
  check_op("equalized conv2d",
           [&](auto&, const auto& v) { return ad::conv2d(v[0], ad::scale(v[1], he), v[2], shape); }, {x, w, b});
}

TEST_CASE("progan: the schedule grows the resolution with linear fade-ins", "[progan]") {
  const ProganSchedule s{2, 4};
  const auto at = [&](Index step) { return std::pair{s.at(step).stage, s.at(step).alpha}; };
  CHECK(at(0) == std::pair{0, 1.0});
  CHECK(at(1) == std::pair{0, 1.0});
  CHECK(at(2) == std::pair{1, 0.25});
  CHECK(at(5) == std::pair{1, 1.0});
  CHECK(at(7) == std::pair{1, 1.0});
  CHECK(at(8) == std::pair{2, 0.25});
  CHECK(at(11) == std::pair{2, 1.0});
  CHECK(at(1000) == std::pair{2, 1.0});
  CHECK(ProganSchedule::describe({1, 0.5}, 28, 28) == "resolution 14x14, alpha 0.50");
}

TEST_CASE("progan: both players' gradients match central differences at every phase", "[progan]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 64, 8, 256, {8, 8, 1});
  const DatasetSplit train = DatasetSplit::open(data, "train");
  ProganModel model("progan", train.spec(), tiny_progan());
  Rng init(2);
  model.initialize(init);
  for (Index step : {0, 3, 6, 8, 12}) {
    model.at_step(step);
    INFO("step " << step << ": " << model.progress_note());
    check_game_gradient(model, train.read(0, 6));
  }
}

TEST_CASE("progan: training is bit-identical for 1 and 2 threads", "[progan]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 64, 48, 256, {8, 8, 1});
  const DatasetSplit train = DatasetSplit::open(data, "train");
  const auto with_threads = [&](int threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
    const ProganModel model = trained_progan(train, tiny_training(4));  // 12 steps: every stage
    CHECK(model.phase().stage == 2);
    return game_state(model);
  };
  const std::vector<float> one = with_threads(1);
  CHECK(with_threads(2) == one);
}

TEST_CASE("progan: a run resumed across a stage boundary ends where the unbroken run does", "[progan]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 64, 32, 256, {8, 8, 1});
  const DatasetSplit train = DatasetSplit::open(data, "train");
  const std::vector<float> unbroken = game_state(trained_progan(train, tiny_training(6)));  // 2 steps per epoch
  AdversarialTrainOptions options = tiny_training(6);
  options.checkpoint = dir.file("ckpt.h5");
  options.resume = true;
  options.stop_after_epochs = 1;  // after step 1: stage 0
  trained_progan(train, options);
  options.stop_after_epochs = 2;  // steps 2-5: stage 1 fading in
  trained_progan(train, options);
  options.stop_after_epochs = 0;  // steps 6-11: into stage 2
  const ProganModel resumed = trained_progan(train, options);
  CHECK(game_state(resumed) == unbroken);
  CHECK(resumed.step() == 11);
  // Another schedule is refused, naming it.
  ProganModel other("progan", train.spec(), [] {
    ProganOptions o = tiny_progan();
    o.schedule.fade_steps = 4;
    return o;
  }());
  CHECK_THROWS_WITH(train_adversarial(other, train, options, nullptr), Catch::Contains("fade_steps=3"));
}

TEST_CASE("progan: save and load give identical samples, mid fade-in", "[progan]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 64, 32, 256, {8, 8, 1});
  const DatasetSplit train = DatasetSplit::open(data, "train");
  AdversarialTrainOptions options = tiny_training(2);  // 4 steps: the last one at stage 1, alpha 2/3
  const ProganModel model = trained_progan(train, options);
  REQUIRE(model.phase().stage == 1);
  REQUIRE(model.phase().alpha < 1.0);
  const std::string path = dir.file("m.h5");
  {
    const H5File file = H5File::create(path);
    model.save(file.root());
  }
  const H5File file = H5File::open(path);
  const auto loaded = ProganModel::load(file.root(), train.spec());
  Rng a(9), b(9);
  const Matrix x = model.sample(40, a);
  CHECK(loaded->sample(40, b) == x);
  CHECK(x.rows() == 64);
  CHECK(x.minCoeff() >= 0.0f);
  CHECK(x.maxCoeff() <= 255.0f);
}

}  // namespace logp::testing
