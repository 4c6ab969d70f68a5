// StarGAN (models/gan/stargan.hpp): the domain classification loss and both players' gradients
// against central differences, 1 vs 2 threads, checkpoint + resume, save/load translations, and
// `logp fit stargan` + `logp translate --to CLASS` through the binary.
#include <tbb/global_control.h>

#include <catch2/catch.hpp>
#include <cmath>

#include "logp/io/model_file.hpp"
#include "logp/models/gan/adversarial_trainer.hpp"
#include "logp/models/gan/stargan.hpp"
#include "logp/models/gan/translation_loss.hpp"
#include "support/game_state.hpp"
#include "support/gradient_check.hpp"
#include "support/labelled_images.hpp"
#include "support/op_check.hpp"
#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"

namespace logp::testing {
namespace {

// The three classes of the labelled 8 x 8 images, small networks (C = 2).
StarGanOptions small_stargan() {
  StarGanOptions options;
  options.classes = 3;
  options.channels = 2;
  return options;
}

StarGanModel trained_stargan(const DatasetSplit& train, const AdversarialTrainOptions& options) {
  StarGanModel model("stargan", train.spec(), small_stargan());
  Rng init(options.seed);
  model.initialize(init);
  train_adversarial(model, train, options, nullptr);
  return model;
}

}  // namespace

TEST_CASE("stargan: the domain classification loss has the gradient of central differences", "[stargan]") {
  Rng rng(3);
  const MatrixD logits = random_matrix(4, 5, rng, 2.0);
  MatrixD one_hot = MatrixD::Zero(4, 5);
  for (Index j = 0; j < 5; ++j) one_hot((j * 3) % 4, j) = 1.0;
  check_op("class_cross_entropy", [](auto&, const auto& v) { return class_cross_entropy(v[0], v[1]); },
           {logits, one_hot});
  // Closed form: uniform logits give log K per image.
  ad::BasicTape<double> tape;
  CHECK(class_cross_entropy(tape.constant(MatrixD::Zero(4, 5)), tape.constant(one_hot)).value()(0, 0) ==
        Approx(5.0 * std::log(4.0)));
}

TEST_CASE("stargan: each player's loss has the gradient of central differences", "[stargan]") {
  TempDir dir;
  const DatasetSplit train = DatasetSplit::open(write_labelled_image_dataset(dir.file("d.h5"), 16, 8), "train");
  StarGanModel model("stargan", train.spec(), small_stargan());
  Rng init(2);
  model.initialize(init);
  for (Player p : kPlayers)  // larger than the N(0, 0.02^2) start, small enough for float central differences
    for (float& v : model.parameters(p).values()) v *= 4.0f;
  const Matrix real = model.to_training_scale(train.read(0, 6));
  const std::vector<std::int64_t> labels = train.read_labels();
  const std::span<const std::int64_t> shard_labels(labels.data(), 6);
  for (Player player : kPlayers) {
    INFO((player == Player::generator ? "generator" : "discriminator"));
    std::span<float> theta = model.parameters(player).values();
    const auto loss = [&](std::span<float> grad) {
      Rng rng(7);  // the same targets every time
      GameNorms norms = model.norms();
      return model.loss_and_grad(player, real, shard_labels, rng, norms, grad).loss;
    };
    std::vector<float> grad(theta.size(), 0.0f), scratch(theta.size());
    loss(grad);
    // The loss has many kinks (relu, leaky relu, L1 over every pixel), and a step of h that
    // crosses one moves a central difference by O(1) of the slope change: (measured) the numeric
    // derivative of a parameter drifts from -0.38 at h = 1e-2 to -0.29 at h = 3e-4 towards the
    // analytic -0.278. So: every parameter within 10%, and nearly all within 2%.
    Rng pick(4);
    int nonzero = 0, close = 0;
    const int trials = 24;
    for (int trial = 0; trial < trials; ++trial) {
      const auto k = static_cast<std::size_t>(pick.uniform_index(theta.size()));
      const double numeric = central_difference(theta[k], 1e-3f, [&] { return loss(scratch); });
      INFO("parameter " << k << ": analytic " << grad[k] << ", central difference " << numeric);
      const double error = std::abs(grad[k] - numeric) / std::max(1.0, std::abs(numeric));
      CHECK(error <= 0.1);
      close += error <= 2e-2;
      nonzero += grad[k] != 0.0f;
    }
    CHECK(close >= trials - 2);
    CHECK(nonzero > 0);
  }
}

TEST_CASE("stargan: training is bit-identical for 1 and 2 threads, resume equals the unbroken run", "[stargan]") {
  TempDir dir;
  const DatasetSplit train = DatasetSplit::open(write_labelled_image_dataset(dir.file("d.h5"), 48, 8), "train");
  const auto with_threads = [&](int threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
    return game_state(trained_stargan(train, tiny_training(3)));
  };
  const std::vector<float> unbroken = with_threads(1);
  CHECK(with_threads(2) == unbroken);
  AdversarialTrainOptions options = tiny_training(3);
  options.checkpoint = dir.file("ckpt.h5");
  options.resume = true;
  options.stop_after_epochs = 1;
  trained_stargan(train, options);  // killed after its first epoch
  options.stop_after_epochs = 0;
  CHECK(game_state(trained_stargan(train, options)) == unbroken);
  StarGanModel fresh("stargan", train.spec(), small_stargan());
  Rng init(5);
  fresh.initialize(init);
  CHECK(game_state(fresh) != unbroken);
}

TEST_CASE("stargan: save and load give the same translations, targets and sampling", "[stargan]") {
  TempDir dir;
  const DatasetSplit train = DatasetSplit::open(write_labelled_image_dataset(dir.file("d.h5"), 32, 8), "train");
  const StarGanModel model = trained_stargan(train, tiny_training(1));
  save_model(model, FitRecord{}, dir.file("m.h5"));
  const std::unique_ptr<Model> loaded = load_model(dir.file("m.h5"));
  const auto* translator = dynamic_cast<const Translator*>(loaded.get());
  REQUIRE(translator != nullptr);
  const Matrix x = train.read(0, 6);
  for (Index target : {Index{0}, Index{1}, Index{2}}) {
    Rng a(9), b(9), c(9);
    const Matrix mine = model.translate(x, target, a);
    CHECK(translator->translate(x, target, b) == mine);
    CHECK(model.translate(x.leftCols(2), target, c) == mine.leftCols(2));
  }
  const Matrix scaled = model.to_training_scale(x);
  const std::vector<std::int64_t> to_0(6, 0), to_1(6, 1);
  CHECK(model.translate_training_scale(scaled, to_0) != model.translate_training_scale(scaled, to_1));  // the target matters
  CHECK(translator->target_class("2") == 2);
  CHECK(translator->translates(0, 2));
  CHECK_FALSE(translator->translates(2, 2));
  CHECK_THROWS_WITH(translator->target_class("3"), Catch::Contains("'3'") && Catch::Contains("classes 0..2"));
  CHECK_THROWS_WITH(translator->target_class("B"), Catch::Contains("'B'"));
  Rng rng(1);
  CHECK_THROWS_WITH(loaded->sample(4, rng), Catch::Contains("logp translate"));
}

TEST_CASE("stargan: logp fit stargan, then translate --to a class through the binary", "[stargan][cli]") {
  TempDir dir;
  const std::string data = write_labelled_image_dataset(dir.file("d.h5"), 40, 12);
  const std::string model = dir.file("m.h5");
  const CliResult fit =
      run_cli("fit stargan --data " + data + " --out " + model + " --channels 2 --epochs 1 --batch-size 20 --shard-size 5");
  INFO(fit.err);
  REQUIRE(fit.exit_code == 0);
  const std::string out = dir.file("t.h5");
  const CliResult translate = run_cli("translate --model " + model + " --data " + data + " --to 2 --out " + out);
  INFO(translate.err);
  REQUIRE(translate.exit_code == 0);
  const std::vector<std::int64_t> test_labels = DatasetSplit::open(data, "test").read_labels();
  const DatasetSplit inputs = DatasetSplit::open(out, "inputs");
  CHECK(inputs.size() == static_cast<Index>(test_labels.size()) - std::count(test_labels.begin(), test_labels.end(), 2));
  for (std::int64_t y : inputs.read_labels()) CHECK(y != 2);
  const CliResult bad_to = run_cli("translate --model " + model + " --data " + data + " --to 3 --out " + dir.file("b.h5"));
  CHECK(bad_to.exit_code == 2);
  CHECK(bad_to.err.find("--to '3'") != std::string::npos);
}

}  // namespace logp::testing
