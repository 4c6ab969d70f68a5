// CycleGAN (models/gan/cyclegan.hpp): its losses and both players' gradients against central
// differences, 1 vs 2 threads, checkpoint + resume, save/load translations, the refusals, and
// `logp fit cyclegan` + `logp translate` through the binary.
#include <tbb/global_control.h>

#include <catch2/catch.hpp>
#include <cmath>

#include "logp/io/model_file.hpp"
#include "logp/models/gan/adversarial_trainer.hpp"
#include "logp/models/gan/cyclegan.hpp"
#include "logp/models/gan/translation_loss.hpp"
#include "support/dataset_file.hpp"
#include "support/game_state.hpp"
#include "support/gradient_check.hpp"
#include "support/labelled_images.hpp"
#include "support/op_check.hpp"
#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"

namespace logp::testing {
namespace {

// Domains: class 0 (ink in the top half) and class 1 (bottom half) of the labelled 8 x 8 images;
// class 2 is skipped. Small networks (C = 2).
CycleGanOptions small_cyclegan() {
  CycleGanOptions options;
  options.domain_a = 0;
  options.domain_b = 1;
  options.channels = 2;
  return options;
}

CycleGanModel trained_cyclegan(const DatasetSplit& train, const AdversarialTrainOptions& options,
                               const CycleGanOptions& model_options = small_cyclegan()) {
  CycleGanModel model("cyclegan", train.spec(), model_options);
  Rng init(options.seed);
  model.initialize(init);
  train_adversarial(model, train, options, nullptr);
  return model;
}

}  // namespace

TEST_CASE("cyclegan: the patch least-squares and L1 losses have the gradient of central differences", "[cyclegan]") {
  Rng rng(3);
  const MatrixD grid = random_matrix(4, 5, rng, 2.0);
  for (const auto& case_ : {std::pair{1.0, 0.5}, {0.0, 0.5}, {1.0, 1.0}}) {
    const double target = case_.first, weight = case_.second;
    INFO("target " << target << ", weight " << weight);
    check_op("patch_least_squares", [target, weight](auto&, const auto& v) {
      using T = typename std::decay_t<decltype(v[0].value())>::Scalar;
      return patch_least_squares(v[0], static_cast<T>(target), static_cast<T>(weight));
    }, {grid});
  }
  const MatrixD x = random_matrix(6, 3, rng, 2.0), y = random_matrix(6, 3, rng, 2.0);
  check_op("mean_l1_loss", [](auto&, const auto& v) { return mean_l1_loss(v[0], v[1]); }, {x, y});
}

TEST_CASE("cyclegan: the losses have their closed forms", "[cyclegan]") {
  ad::BasicTape<double> tape;
  // Two images of 4 outputs each, all 0: per image the mean of (0 - 1)^2 is 1, times the weight.
  const auto zeros = tape.constant(MatrixD::Zero(4, 2));
  CHECK(patch_least_squares(zeros, 1.0, 0.5).value()(0, 0) == Approx(1.0));
  CHECK(patch_least_squares(zeros, 0.0, 0.5).value()(0, 0) == 0.0);
  // Per image the mean |x - y| over its pixels, summed: (1 + 3) / 2 + (2 + 0) / 2.
  MatrixD x(2, 2), y = MatrixD::Zero(2, 2);
  x << 1, -2, -3, 0;
  CHECK(mean_l1_loss(tape.constant(x), tape.constant(y)).value()(0, 0) == Approx(3.0));
}

TEST_CASE("cyclegan: each player's loss has the gradient of central differences", "[cyclegan]") {
  TempDir dir;
  const DatasetSplit train = DatasetSplit::open(write_labelled_image_dataset(dir.file("d.h5"), 16, 8), "train");
  CycleGanModel model("cyclegan", train.spec(), small_cyclegan());
  Rng init(2);
  model.initialize(init);
  // Larger weights than the N(0, 0.02^2) start, so every term moves the loss visibly.
  for (Player p : kPlayers)
    for (float& v : model.parameters(p).values()) v *= 10.0f;
  const Matrix real = model.to_training_scale(train.read(0, 8));
  const std::vector<std::int64_t> labels = {0, 1, 2, 0, 1, 1, 2, 0};  // class 2: skipped
  for (Player player : kPlayers) {
    INFO((player == Player::generator ? "generator" : "discriminator"));
    std::span<float> theta = model.parameters(player).values();
    const auto loss = [&](std::span<float> grad) {
      Rng rng(7);
      GameNorms norms = model.norms();
      return model.loss_and_grad(player, real, labels, rng, norms, grad).loss;
    };
    std::vector<float> grad(theta.size(), 0.0f), scratch(theta.size());
    loss(grad);
    Rng pick(4);
    int nonzero = 0;
    for (int trial = 0; trial < 24; ++trial) {
      const auto k = static_cast<std::size_t>(pick.uniform_index(theta.size()));
      const double numeric = central_difference(theta[k], 1e-3f, [&] { return loss(scratch); });
      INFO("parameter " << k << ": analytic " << grad[k] << ", central difference " << numeric);
      CHECK(std::abs(grad[k] - numeric) <= 2e-2 * std::max(1.0, std::abs(numeric)));
      nonzero += grad[k] != 0.0f;
    }
    CHECK(nonzero > 0);
  }
}

TEST_CASE("cyclegan: the identity and cycle weights enter the generator's loss linearly", "[cyclegan]") {
  TempDir dir;
  const DatasetSplit train = DatasetSplit::open(write_labelled_image_dataset(dir.file("d.h5"), 16, 8), "train");
  const Matrix real = CycleGanModel("cyclegan", train.spec(), small_cyclegan()).to_training_scale(train.read(0, 6));
  const std::vector<std::int64_t> labels = {0, 1, 0, 1, 2, 0};
  // G's loss at cycle weight w and identity fraction f: adversarial + w cycle + w f identity.
  const auto g_loss = [&](double w, double f) {
    CycleGanOptions options = small_cyclegan();
    options.cycle_weight = w;
    options.identity_fraction = f;
    CycleGanModel model("cyclegan", train.spec(), options);
    Rng init(2), rng(1);
    model.initialize(init);
    GameNorms norms = model.norms();
    std::vector<float> grad(static_cast<std::size_t>(model.parameters(Player::generator).size()), 0.0f);
    return model.loss_and_grad(Player::generator, real, labels, rng, norms, grad);
  };
  const ShardLoss adversarial = g_loss(0.0, 0.0), cycle = g_loss(1.0, 0.0), both = g_loss(1.0, 1.0);
  const double cycle_term = cycle.loss - adversarial.loss, identity_term = both.loss - cycle.loss;
  CHECK(cycle.extra == Approx(cycle_term).epsilon(1e-4));  // the reported cycle L1 is the cycle term
  CHECK(identity_term > 0.0);
  CHECK(g_loss(10.0, 0.5).loss == Approx(adversarial.loss + 10.0 * cycle_term + 5.0 * identity_term).epsilon(1e-4));
}

TEST_CASE("cyclegan: training is bit-identical for 1 and 2 threads", "[cyclegan]") {
  TempDir dir;
  const DatasetSplit train = DatasetSplit::open(write_labelled_image_dataset(dir.file("d.h5"), 64, 8), "train");
  const auto with_threads = [&](int threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
    return game_state(trained_cyclegan(train, tiny_training(2)));
  };
  const std::vector<float> one = with_threads(1);
  CHECK(with_threads(2) == one);
  CycleGanModel fresh("cyclegan", train.spec(), small_cyclegan());
  Rng init(5);
  fresh.initialize(init);
  CHECK(game_state(fresh) != one);
}

TEST_CASE("cyclegan: a run resumed from its checkpoint ends where the unbroken run does", "[cyclegan]") {
  TempDir dir;
  const DatasetSplit train = DatasetSplit::open(write_labelled_image_dataset(dir.file("d.h5"), 48, 8), "train");
  const std::vector<float> unbroken = game_state(trained_cyclegan(train, tiny_training(3)));
  AdversarialTrainOptions options = tiny_training(3);
  options.checkpoint = dir.file("ckpt.h5");
  options.resume = true;
  options.stop_after_epochs = 1;
  trained_cyclegan(train, options);  // killed after its first epoch
  options.stop_after_epochs = 0;
  CHECK(game_state(trained_cyclegan(train, options)) == unbroken);
  // Other domains are another game: refused, naming the setting.
  CycleGanOptions swapped = small_cyclegan();
  swapped.domain_a = 1;
  swapped.domain_b = 0;
  CHECK_THROWS_WITH(trained_cyclegan(train, options, swapped),
                    Catch::Contains("ckpt.h5") && Catch::Contains("hyperparameters"));
}

TEST_CASE("cyclegan: save and load give the same translations, targets and sampling", "[cyclegan]") {
  TempDir dir;
  const DatasetSplit train = DatasetSplit::open(write_labelled_image_dataset(dir.file("d.h5"), 32, 8), "train");
  const CycleGanModel model = trained_cyclegan(train, tiny_training(1));
  save_model(model, FitRecord{}, dir.file("m.h5"));
  const std::unique_ptr<Model> loaded = load_model(dir.file("m.h5"));
  const auto* translator = dynamic_cast<const Translator*>(loaded.get());
  REQUIRE(translator != nullptr);
  const Matrix x = train.read(0, 6);
  for (Index target : {Index{0}, Index{1}}) {
    Rng a(9), b(9), c(9);
    const Matrix mine = model.translate(x, target, a);
    CHECK(translator->translate(x, target, b) == mine);
    CHECK(model.translate(x.leftCols(2), target, c) == mine.leftCols(2));  // a column does not depend on n
  }
  CHECK(translator->target_class("A") == 0);
  CHECK(translator->target_class("B") == 1);
  CHECK(translator->target_class("1") == 1);
  CHECK(translator->translates(0, 1));
  CHECK_FALSE(translator->translates(2, 1));
  CHECK_FALSE(translator->translates(1, 1));
  CHECK_THROWS_WITH(translator->target_class("2"), Catch::Contains("'2'") && Catch::Contains("give A, B, 0 or 1"));
  CHECK_THROWS_WITH(translator->target_class("C"), Catch::Contains("'C'"));
  Rng rng(1);
  CHECK_THROWS_WITH(loaded->sample(4, rng), Catch::Contains("logp translate"));
}

TEST_CASE("cyclegan: a split without labels or with too few images of a domain is refused", "[cyclegan]") {
  TempDir dir;
  const DatasetSplit unlabelled =
      DatasetSplit::open(write_discrete_dataset(dir.file("u.h5"), 64, 32, 2, {8, 8, 1}), "train");
  CHECK_THROWS_WITH(trained_cyclegan(unlabelled, tiny_training(1)), Catch::Contains("u.h5") && Catch::Contains("no labels"));
  const DatasetSplit train = DatasetSplit::open(write_labelled_image_dataset(dir.file("d.h5"), 32, 8), "train");
  CycleGanOptions missing = small_cyclegan();
  missing.domain_b = 5;
  CHECK_THROWS_WITH(trained_cyclegan(train, tiny_training(1), missing),
                    Catch::Contains("d.h5") && Catch::Contains("0 examples of domain B (class 5)"));
  CycleGanOptions same = small_cyclegan();
  same.domain_b = 0;
  CHECK_THROWS_WITH(CycleGanModel("cyclegan", train.spec(), same), Catch::Contains("two different classes"));
}

TEST_CASE("cyclegan: logp fit cyclegan, then translate through the binary", "[cyclegan][cli]") {
  TempDir dir;
  const std::string data = write_labelled_image_dataset(dir.file("d.h5"), 40, 12);
  const std::string model = dir.file("m.h5");
  const CliResult fit = run_cli("fit cyclegan --data " + data + " --out " + model +
                                " --domain-a 0 --domain-b 1 --channels 2 --epochs 1 --batch-size 20 --shard-size 5");
  INFO(fit.err);
  REQUIRE(fit.exit_code == 0);
  CHECK(fit.err.find("cycle L1") != std::string::npos);
  for (const char* likelihood : {"nats", "bits", "log p", "NLL"}) {  // no likelihood printed
    CHECK(fit.out.find(likelihood) == std::string::npos);
    CHECK(fit.err.find(likelihood) == std::string::npos);
  }
  const std::string out = dir.file("t.h5");
  const CliResult translate =
      run_cli("translate --model " + model + " --data " + data + " --to B --out " + out + " --png " + dir.file("t.png"));
  INFO(translate.err);
  REQUIRE(translate.exit_code == 0);
  CHECK(translate.out.find("cycle L1") != std::string::npos);
  const DatasetSplit samples = DatasetSplit::open(out, "samples"), inputs = DatasetSplit::open(out, "inputs");
  const std::vector<std::int64_t> test_labels = DatasetSplit::open(data, "test").read_labels();
  CHECK(samples.size() == std::count(test_labels.begin(), test_labels.end(), 0));
  CHECK(inputs.size() == samples.size());
  for (std::int64_t y : samples.read_labels()) CHECK(y == 1);
  for (std::int64_t y : inputs.read_labels()) CHECK(y == 0);
  // The same translations as the library's.
  const std::unique_ptr<Model> loaded = load_model(model);
  Rng rng(0);
  CHECK(dynamic_cast<const Translator&>(*loaded).translate(inputs.read_all(), 1, rng) == samples.read_all());
  // Refusals: an output over an input, a bad target, a model that does not translate, sampling.
  const CliResult over = run_cli("translate --model " + model + " --data " + data + " --to B --out " + data);
  CHECK(over.exit_code == 2);
  CHECK(over.err.find("--out") != std::string::npos);
  const CliResult bad_to = run_cli("translate --model " + model + " --data " + data + " --to 7 --out " + dir.file("b.h5"));
  CHECK(bad_to.exit_code == 2);
  CHECK(bad_to.err.find("--to '7'") != std::string::npos);
  const std::string dcgan = dir.file("dcgan.h5");
  REQUIRE(run_cli("fit dcgan --data " + data + " --out " + dcgan + " --channels 2 --latent 3 --epochs 1").exit_code == 0);
  const CliResult plain = run_cli("translate --model " + dcgan + " --data " + data + " --to B --out " + dir.file("p.h5"));
  CHECK(plain.exit_code == 1);
  CHECK(plain.err.find("does not translate") != std::string::npos);
  const CliResult sample = run_cli("sample --model " + model + " -n 4 --out " + dir.file("s.h5"));
  CHECK(sample.exit_code == 1);
  CHECK(sample.err.find("logp translate") != std::string::npos);
}

}  // namespace logp::testing
