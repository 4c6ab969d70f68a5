// The adversarial autoencoder (models/gan/aae.hpp): the autoencoder player's loss and its
// gradient, the score by hand, save/load, threads, what kind of model it is, and the model
// checker's checks (batch independence, save/load, each player's gradient, command line).
#include <tbb/global_control.h>

#include <catch2/catch.hpp>

#include "logp/io/h5.hpp"
#include "logp/io/model_file.hpp"
#include "logp/models/gan/adversarial_trainer.hpp"
#include "logp/models/gan/aae.hpp"
#include "logp/models/registry.hpp"
#include "support/dataset_file.hpp"
#include "support/game_state.hpp"
#include "support/model_checker.hpp"
#include "support/op_check.hpp"
#include "support/temp_dir.hpp"

namespace logp::testing {
namespace {

AaeOptions tiny_aae() {
  AaeOptions options;
  options.latent = 2;
  options.hidden = {6};
  options.discriminator_hidden = {5};
  return options;
}

}  // namespace

TEST_CASE("aae: the autoencoder player's loss has the gradient of central differences", "[gan][aae]") {
  Rng rng(4);
  const auto op = [](auto& tape, const auto& vars) {
    using T = typename std::decay_t<decltype(tape)>::Scalar;
    return aae_generator_loss(vars[0], vars[1], vars[2], T(0.7));
  };
  check_op("aae_generator_loss", op, {random_matrix(5, 3, rng), random_matrix(5, 3, rng), random_matrix(1, 3, rng)});
}

TEST_CASE("aae: the autoencoder player's loss is the squared error plus the weighted non-saturating loss",
          "[gan][aae]") {
  ad::BasicTape<double> tape;
  MatrixD r(2, 1), x(2, 1), d(1, 1);
  r << 0.5, -1.0;
  x << 0.0, 1.0;
  d << 0.3;
  const double expected = 0.25 + 4.0 + 2.0 * std::log1p(std::exp(-0.3));
  CHECK(aae_generator_loss(tape.constant(r), tape.constant(x), tape.constant(d), 2.0).value()(0, 0) ==
        Approx(expected).epsilon(1e-12));
}

TEST_CASE("aae: the score is the squared reconstruction error in the training scale", "[gan][aae]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 9, 40, 4, {3, 3, 1});
  const DatasetSplit train = DatasetSplit::open(data, "train");
  AaeModel model("aae", train.spec(), tiny_aae());
  Rng init(1);
  model.initialize(init);
  const Matrix x = train.read_all();
  const Matrix scaled = model.to_training_scale(x);
  CHECK(scaled.minCoeff() >= -1.0f);
  CHECK(scaled.maxCoeff() <= 1.0f);
  const Matrix reconstruction = model.decode(model.encode(x));
  const Vector score = model.score(x);
  for (Index j = 0; j < x.cols(); ++j)
    CHECK(score(j) == Approx((reconstruction.col(j) - scaled.col(j)).cast<double>().squaredNorm()).epsilon(1e-5));
  CHECK(std::string(model.score_unit()).find("[-1, 1] training scale") != std::string::npos);
  // Samples are in the data's values (levels 0..3).
  Rng rng(2);
  const Matrix s = model.sample(30, rng);
  CHECK((s.array() == s.array().round()).all());
  CHECK(s.minCoeff() >= 0.0f);
  CHECK(s.maxCoeff() <= 3.0f);
}

TEST_CASE("aae: a score, never a likelihood, it also encodes and samples", "[gan][aae]") {
  // ModelKind::score: what it gives per example is the reconstruction error (anomaly and score
  // use it); implicit would mean samples only, and `score` would refuse it.
  CHECK(model_entry("aae").kind == ModelKind::score);
  const DataSpec spec{DataKind::real, 0, 4, {}};
  AaeModel model("aae", spec, tiny_aae());
  const Model& as_model = model;
  CHECK(dynamic_cast<const DensityModel*>(&as_model) == nullptr);
  CHECK(dynamic_cast<const ScoringModel*>(&as_model) != nullptr);
  CHECK(dynamic_cast<const Encoder*>(&as_model) != nullptr);
  CHECK(model.score_unit() == "squared error summed over dimensions");
  Rng init(1);
  model.initialize(init);
  CHECK(model.encode(Matrix::Ones(4, 3)).rows() == 2);
}

TEST_CASE("aae: save and load give identical samples and scores", "[gan][aae]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 16, 48, 2, {4, 4, 1});
  const DatasetSplit train = DatasetSplit::open(data, "train");
  AaeModel model("aae", train.spec(), tiny_aae());
  Rng init(5);
  model.initialize(init);
  train_adversarial(model, train, tiny_training(1), nullptr);
  const std::string path = dir.file("aae.h5");
  save_model(model, FitRecord{data, "train", 48, 0.0, "test", "now"}, path);
  const std::unique_ptr<Model> loaded = load_model(path);
  REQUIRE(loaded->type() == "aae");
  REQUIRE(loaded->hyperparameters() == model.hyperparameters());
  Rng a(9), b(9);
  CHECK((loaded->sample(20, a).array() == model.sample(20, b).array()).all());
  const Matrix x = train.read_all();
  CHECK((dynamic_cast<const ScoringModel&>(*loaded).score(x).array() == model.score(x).array()).all());
}

TEST_CASE("aae: training is bit-identical for 1 and 2 threads and lowers the reconstruction error", "[gan][aae]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 16, 64, 2, {4, 4, 1});
  const DatasetSplit train = DatasetSplit::open(data, "train");
  double before = 0.0, after = 0.0;
  const auto with_threads = [&](int threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
    AaeModel model("aae", train.spec(), tiny_aae());
    Rng init(5);
    model.initialize(init);
    before = model.score(train.read_all()).mean();
    AdversarialTrainOptions options = tiny_training(6);
    options.generator_optimizer.learning_rate = 1e-2;
    train_adversarial(model, train, options, nullptr);
    after = model.score(train.read_all()).mean();
    return game_state(model);
  };
  const std::vector<float> one = with_threads(1);
  CHECK(with_threads(2) == one);
  CHECK(after < before);
}

TEST_CASE("aae: the model checker (score, save/load, each player's gradient, command line)", "[gan][aae][checker]") {
  check_model({"aae", "aae", CheckerData::binary_3x3,
               {{"hidden-layers", "6"}, {"latent", "2"}, {"discriminator-hidden", "4"}, {"epochs", "2"},
                {"batch-size", "20"}, {"shard-size", "5"}}});
  check_model({"aae", "aae", CheckerData::real_4,
               {{"hidden-layers", "6"}, {"latent", "2"}, {"epochs", "2"}, {"batch-size", "20"}, {"shard-size", "5"}}});
}

}  // namespace logp::testing
