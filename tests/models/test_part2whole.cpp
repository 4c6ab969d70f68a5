// The part-to-whole GAN and `logp complete`: the patch loss and the masks, both players'
// gradients, 1 vs 2 threads, resume, save/load, and the verb (the model, the nearest-neighbour
// baseline, refusals). The model checker (test_model_checker.cpp) adds sample reproducibility.
#include <tbb/global_control.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "logp/autodiff/l1_loss.hpp"
#include "logp/data/dataset.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/gan/adversarial_trainer.hpp"
#include "logp/models/gan/part2whole.hpp"
#include "logp/models/gan/patch_masks.hpp"
#include "support/dataset_file.hpp"
#include "support/game_state.hpp"
#include "support/model_checker.hpp"
#include "support/op_check.hpp"
#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"

namespace logp::testing {
namespace {

PartToWholeOptions tiny_part2whole() {
  PartToWholeOptions options;
  options.network.architecture = GanArchitecture::dcgan;
  options.network.channels = 2;
  options.network.latent = 3;
  options.patches = 2;
  options.patch_size = 3;
  options.patch_weight = 1.0;  // a loss of O(1) per example: float central differences stay accurate
  options.whole_weight = 0.5;
  return options;
}

PartToWholeModel trained_part2whole(const DatasetSplit& train, const AdversarialTrainOptions& options) {
  PartToWholeModel model("part2whole", train.spec(), tiny_part2whole());
  Rng init(options.seed);
  model.initialize(init);
  train_adversarial(model, train, options, nullptr);
  return model;
}

}  // namespace

TEST_CASE("part2whole: the weighted L1 passes the op checker and has its closed form", "[part2whole][autodiff]") {
  Rng rng(6);
  const MatrixD a = random_matrix(5, 3, rng), t = random_matrix(5, 3, rng), w = random_matrix(5, 3, rng).cwiseAbs();
  check_op("weighted_l1", [](auto&, const auto& v) { return ad::weighted_l1(v[0], v[1], v[2]); }, {a, t, w});
  ad::BasicTape<double> tape;
  const double value = ad::weighted_l1(tape.input(a), tape.input(t), tape.input(w)).value()(0, 0);
  CHECK(std::abs(value - (w.array() * (a - t).array().abs()).sum()) < 1e-12);
}

TEST_CASE("part2whole: patch masks are squares inside the image, fixed by the stream", "[part2whole]") {
  const DataSpec spec = discrete_spec(6 * 5 * 2, 256, {6, 5, 2});
  const Rng rng(4);
  const Matrix m = draw_patch_masks(spec, 7, 1, 3, rng);
  for (Index j = 0; j < m.cols(); ++j) CHECK(m.col(j).sum() == 3 * 3 * 2);  // one patch: 9 pixels, 2 channels
  CHECK(draw_patch_masks(spec, 3, 1, 3, rng) == m.leftCols(3));            // a column does not depend on n
  const Matrix two = draw_patch_masks(spec, 7, 2, 3, rng);
  for (Index j = 0; j < two.cols(); ++j) CHECK(two.col(j).sum() >= 18);
  const Matrix w = per_example_weights(two);
  for (Index j = 0; j < w.cols(); ++j) CHECK(std::abs(w.col(j).sum() - 1.0f) < 1e-5f);
  CHECK_THROWS_WITH(draw_patch_masks(spec, 1, 1, 6, rng), Catch::Contains("do not fit 6x5"));
}

TEST_CASE("part2whole: both players' gradients match central differences", "[part2whole]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 64, 8, 256, {8, 8, 1});
  const DatasetSplit train = DatasetSplit::open(data, "train");
  PartToWholeModel model("part2whole", train.spec(), tiny_part2whole());
  Rng init(2);
  model.initialize(init);
  check_game_gradient(model, train.read(0, 6));
}

TEST_CASE("part2whole: training is bit-identical for 1 and 2 threads, resume equals the unbroken run", "[part2whole]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 64, 32, 256, {8, 8, 1});
  const DatasetSplit train = DatasetSplit::open(data, "train");
  const auto with_threads = [&](int threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
    return game_state(trained_part2whole(train, tiny_training(3)));
  };
  const std::vector<float> one = with_threads(1);
  CHECK(with_threads(2) == one);
  AdversarialTrainOptions options = tiny_training(3);
  options.checkpoint = dir.file("ckpt.h5");
  options.resume = true;
  options.stop_after_epochs = 1;
  trained_part2whole(train, options);
  options.stop_after_epochs = 0;
  CHECK(game_state(trained_part2whole(train, options)) == one);
}

TEST_CASE("part2whole: save and load give identical completions", "[part2whole]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 64, 32, 256, {8, 8, 1});
  const DatasetSplit train = DatasetSplit::open(data, "train");
  const PartToWholeModel model = trained_part2whole(train, tiny_training(1));
  const std::string path = dir.file("m.h5");
  {
    const H5File file = H5File::create(path);
    model.save(file.root());
  }
  const H5File file = H5File::open(path);
  const auto loaded = PartToWholeModel::load(file.root(), train.spec());
  const Matrix x = train.read(0, 10);
  const Matrix mask = draw_patch_masks(train.spec(), 10, 2, 3, Rng(1));
  Rng a(3), b(3), c(3);
  const Matrix completed = model.complete(x, mask, a);
  CHECK(dynamic_cast<const PatchCompleter&>(*loaded).complete(x, mask, b) == completed);
  CHECK(model.complete(x.leftCols(4), mask.leftCols(4), c) == completed.leftCols(4));
  CHECK(completed.minCoeff() >= 0.0f);
  CHECK(completed.maxCoeff() <= 255.0f);
}

TEST_CASE("part2whole: logp complete writes completions and errors, the baseline, refusals", "[part2whole][cli]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 64, 24, 256, {8, 8, 1});
  const std::string model = dir.file("m.h5");
  const CliResult fit = run_cli("fit part2whole --data " + data + " --out " + model +
                                " --channels 2 --latent 3 --patches 2 --patch-size 3 --epochs 1 --batch-size 8 --shard-size 4");
  INFO(fit.err);
  REQUIRE(fit.exit_code == 0);
  const std::string out = dir.file("c.h5"), png = dir.file("c.png");
  const CliResult run = run_cli("--json complete --model " + model + " --data " + data + " --patches 2 --seed 4 --out " +
                                out + " --png " + png);
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::Contains("\"outside_l1\"") && Catch::Contains("\"patch_size\": 3"));
  const DatasetSplit completed = DatasetSplit::open(out, "completed"), mask = DatasetSplit::open(out, "mask");
  CHECK(completed.size() == 24);
  CHECK(mask.read_all().maxCoeff() == 1.0f);
  CHECK(std::filesystem::exists(png));
  // The baseline on the train split itself finds each example: no error anywhere.
  const CliResult self = run_cli("--json complete --nearest --data " + data + " --split train --patch-size 3");
  INFO(self.err);
  REQUIRE(self.exit_code == 0);
  CHECK_THAT(self.out, Catch::Contains("\"outside_l1\": 0.0"));
  // Refusals: an output over an input, both or neither completer, a model that does not complete.
  const CliResult over = run_cli("complete --model " + model + " --data " + data + " --out " + data);
  CHECK(over.exit_code == 2);
  CHECK_THAT(over.err, Catch::Contains("--out " + data + " is the same file as --data"));
  CHECK(run_cli("complete --model " + model + " --nearest --data " + data).exit_code == 2);
  const std::string binary = write_discrete_dataset(dir.file("bin.h5"), 64, 10, 2, {8, 8, 1});
  const std::string bernoulli = dir.file("b.h5");
  REQUIRE(run_cli("fit bernoulli --data " + binary + " --out " + bernoulli).exit_code == 0);
  const CliResult other = run_cli("complete --model " + bernoulli + " --data " + binary);
  CHECK(other.exit_code == 1);
  CHECK_THAT(other.err, Catch::Contains("does not complete images from patches"));
}

}  // namespace logp::testing
