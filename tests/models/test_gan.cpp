// The GAN family's core: the players' losses, the adversarial trainer (threads, resume,
// divergence) and, on a ring of 8 Gaussians, that a trained GAN covers the modes and a collapsed
// generator is caught by the same sample metric. The model checker (test_model_checker.cpp) adds
// sample reproducibility, save/load and each player's gradient for gan, dcgan and lsgan.
#include <tbb/global_control.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>

#include "logp/eval/sample_metrics/manifold.hpp"
#include "logp/models/gan/adversarial_trainer.hpp"
#include "logp/models/gan/gan.hpp"
#include "support/dataset_file.hpp"
#include "support/game_state.hpp"
#include "support/op_check.hpp"
#include "support/real_data.hpp"
#include "support/temp_dir.hpp"

namespace logp::testing {
namespace {

constexpr AdversarialLoss kLosses[] = {AdversarialLoss::non_saturating, AdversarialLoss::minimax,
                                       AdversarialLoss::least_squares};

// n points of a ring of 8 Gaussians: centers at radius 2 (1.53 apart), standard deviation 0.2.
Matrix ring_of_gaussians(Index n, std::uint64_t seed) {
  Rng rng(seed);
  Matrix x(2, n);
  for (Index j = 0; j < n; ++j) {
    const double angle = 2.0 * std::numbers::pi * static_cast<double>(rng.uniform_index(8)) / 8.0;
    x(0, j) = static_cast<float>(2.0 * std::cos(angle) + 0.2 * rng.normal());
    x(1, j) = static_cast<float>(2.0 * std::sin(angle) + 0.2 * rng.normal());
  }
  return x;
}

GanOptions small_mlp_gan(Index hidden, Index latent) {
  GanOptions options;
  options.network.architecture = GanArchitecture::mlp;
  options.network.hidden = {hidden, hidden};
  options.network.latent = latent;
  return options;
}

GanModel trained_dcgan(const DatasetSplit& train, const AdversarialTrainOptions& options) {
  GanOptions gan;
  gan.network.architecture = GanArchitecture::dcgan;
  gan.network.channels = 3;
  gan.network.latent = 4;
  GanModel model("dcgan", train.spec(), gan);
  Rng init(options.seed);
  model.initialize(init);
  train_adversarial(model, train, options, nullptr);
  return model;
}

}  // namespace

TEST_CASE("gan: every adversarial loss has the gradient of central differences", "[gan]") {
  Rng rng(3);
  const MatrixD real = random_matrix(1, 5, rng, 2.0), fake = random_matrix(1, 4, rng, 2.0);
  for (AdversarialLoss loss : kLosses) {
    INFO(adversarial_loss_name(loss));
    check_op("discriminator_loss", [loss](auto&, const auto& v) { return discriminator_loss(v[0], v[1], loss); },
             {real, fake});
    check_op("generator_loss", [loss](auto&, const auto& v) { return generator_loss(v[0], loss); }, {fake});
  }
}

TEST_CASE("gan: the losses have their closed forms", "[gan]") {
  ad::BasicTape<double> tape;
  const auto value = [](ad::BasicVar<double> v) { return v.value()(0, 0); };
  const auto real = tape.constant(MatrixD::Constant(1, 1, 0.0)), fake = tape.constant(MatrixD::Constant(1, 1, 0.0));
  // At logits 0, D says 1/2 to both: each binary cross-entropy term is log 2.
  CHECK(value(discriminator_loss(real, fake, AdversarialLoss::non_saturating)) == Approx(2.0 * std::log(2.0)));
  CHECK(value(generator_loss(fake, AdversarialLoss::non_saturating)) == Approx(std::log(2.0)));
  CHECK(value(generator_loss(fake, AdversarialLoss::minimax)) == Approx(-std::log(2.0)));
  // Least squares at outputs 0: (0 - 1)^2 / 2 for the real term and the generator.
  CHECK(value(discriminator_loss(real, fake, AdversarialLoss::least_squares)) == Approx(0.5));
  CHECK(value(generator_loss(fake, AdversarialLoss::least_squares)) == Approx(0.5));
}

TEST_CASE("gan: training is bit-identical for 1 and 2 threads, batch norm included", "[gan]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 16, 64, 2, {4, 4, 1});
  const DatasetSplit train = DatasetSplit::open(data, "train");
  const auto with_threads = [&](int threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
    return game_state(trained_dcgan(train, tiny_training(2)));
  };
  const std::vector<float> one = with_threads(1);
  CHECK(with_threads(2) == one);
  GanOptions untrained;
  untrained.network.architecture = GanArchitecture::dcgan;
  untrained.network.channels = 3;
  untrained.network.latent = 4;
  GanModel fresh("dcgan", train.spec(), untrained);
  Rng init(5);
  fresh.initialize(init);
  CHECK(game_state(fresh) != one);  // it did train, running statistics included
}

TEST_CASE("gan: a run resumed from its checkpoint ends where the unbroken run does", "[gan]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 16, 48, 2, {4, 4, 1});
  const DatasetSplit train = DatasetSplit::open(data, "train");
  const std::vector<float> unbroken = game_state(trained_dcgan(train, tiny_training(3)));
  AdversarialTrainOptions options = tiny_training(3);
  options.checkpoint = dir.file("ckpt.h5");
  options.resume = true;
  options.stop_after_epochs = 1;
  trained_dcgan(train, options);  // killed after its first epoch
  options.stop_after_epochs = 0;
  CHECK(game_state(trained_dcgan(train, options)) == unbroken);
  // Other settings are refused, naming the checkpoint.
  AdversarialTrainOptions batch = options;
  batch.batch_size = 8;
  CHECK_THROWS_WITH(trained_dcgan(train, batch), Catch::Contains("ckpt.h5") && Catch::Contains("batch size"));
  AdversarialTrainOptions rate = options;
  rate.generator_optimizer.learning_rate = 1e-3;
  CHECK_THROWS_WITH(trained_dcgan(train, rate), Catch::Contains("with generator learning rate '2e-04'"));
  const std::string other = write_discrete_dataset(dir.file("other.h5"), 16, 49, 2, {4, 4, 1});
  CHECK_THROWS_WITH(trained_dcgan(DatasetSplit::open(other, "train"), options),
                    Catch::Contains("with training data '48 x 16"));
}

TEST_CASE("gan: a diverging game stops with an error naming the epoch", "[gan]") {
  TempDir dir;
  Matrix huge = random_real(2, 32, 1);
  huge.row(0).array() *= 1e30f;  // logits overflow: the losses are not finite
  const std::string data = write_real_dataset(dir.file("huge.h5"), huge, huge, huge);
  const DatasetSplit train = DatasetSplit::open(data, "train");
  GanOptions options = small_mlp_gan(8, 2);
  options.loss = AdversarialLoss::least_squares;  // squares of ~1e29 overflow
  GanModel model("gan", train.spec(), options);
  Rng init(1);
  model.initialize(init);
  CHECK_THROWS_WITH(train_adversarial(model, train, tiny_training(2), nullptr),
                    Catch::Contains("diverged at epoch 1") && Catch::Contains("discriminator"));
}

TEST_CASE("gan: on a ring of 8 Gaussians the samples cover the modes, a collapsed generator is caught", "[gan]") {
  TempDir dir;
  const Matrix test = ring_of_gaussians(1000, 3);
  const std::string data =
      write_real_dataset(dir.file("ring.h5"), ring_of_gaussians(2000, 1), ring_of_gaussians(200, 2), test);
  const DatasetSplit train = DatasetSplit::open(data, "train");
  GanModel model("gan", train.spec(), small_mlp_gan(64, 4));
  Rng init(2);
  model.initialize(init);
  AdversarialTrainOptions options;
  options.epochs = 150;  // 3000 steps, about 3 s
  options.batch_size = 100;
  options.shard_size = 50;
  options.seed = 2;
  options.discriminator_optimizer.learning_rate = options.generator_optimizer.learning_rate = 1e-3;
  const AdversarialTrainResult result = train_adversarial(model, train, options, nullptr);
  CHECK(result.collapse_epoch < 0);
  const auto coverage = [&test](const Model& m) {
    Rng rng(9);
    return manifold_metrics(test.cast<double>(), m.sample(1000, rng).cast<double>()).coverage.value;
  };
  const double trained = coverage(model);
  // The collapsed generator: every latent maps to the first mode's center (2, 0).
  const nn::StackLayer& last = model.networks().generator.layers().back();  // linear: real data has no tanh
  REQUIRE(last.kind == nn::LayerKind::linear);
  ParameterStore& g = model.parameters(Player::generator);
  g.matrix(last.linear.weight).setZero();
  g.matrix(last.linear.bias) << 2.0f, 0.0f;
  const double collapsed = coverage(model);
  INFO("coverage of the trained GAN " << trained << ", of the collapsed generator " << collapsed);
  // Covering m of the 8 modes well gives a coverage of about 0.97 m / 8: above 0.5 means at least
  // 5 modes (0.75 here on AVX-512, about 6; the trajectory, hence the value, differs between
  // instruction sets), one mode 0.12 at most.
  CHECK(trained > 0.5);
  CHECK(collapsed < 0.15);
}

}  // namespace logp::testing
