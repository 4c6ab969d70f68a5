// InfoGAN (models/gan/infogan.hpp): the information loss's gradient, code accuracy under the
// best matching, the code grid, save/load, threads, and the model checker's checks.
#include <tbb/global_control.h>

#include <catch2/catch.hpp>
#include <numeric>

#include "logp/io/h5.hpp"
#include "logp/io/model_file.hpp"
#include "logp/models/gan/adversarial_trainer.hpp"
#include "logp/models/gan/infogan.hpp"
#include "support/dataset_file.hpp"
#include "support/game_state.hpp"
#include "support/model_checker.hpp"
#include "support/op_check.hpp"
#include "support/temp_dir.hpp"

namespace logp::testing {
namespace {

InfoGanOptions tiny_infogan() {
  InfoGanOptions options;
  options.network.architecture = GanArchitecture::mlp;
  options.network.hidden = {8};
  options.network.latent = 3;
  options.categories = 3;
  options.continuous = 2;
  return options;
}

}  // namespace

TEST_CASE("infogan: the information loss has the gradient of central differences", "[gan][infogan]") {
  Rng rng(3);
  const Index k = 4, c = 2, n = 5;
  MatrixD codes = MatrixD::Zero(k + c, n);
  for (Index j = 0; j < n; ++j) {
    codes(static_cast<Index>(rng.uniform_index(k)), j) = 1.0;
    for (Index i = 0; i < c; ++i) codes(k + i, j) = 2.0 * rng.uniform() - 1.0;
  }
  const auto op = [k](auto& tape, const auto& vars) {
    using T = typename std::decay_t<decltype(tape)>::Scalar;
    return information_loss(vars[0], vars[1], k, T(0.1));
  };
  check_op("information_loss", op, {random_matrix(k + c, n, rng), codes});
}

TEST_CASE("infogan: the information loss is the categorical cross-entropy plus the weighted Gaussian NLL",
          "[gan][infogan]") {
  ad::BasicTape<double> tape;
  MatrixD q(3, 1), codes(3, 1);
  q << 1.0, 2.0, 0.5;      // logits 1, 2; mean 0.5
  codes << 0.0, 1.0, -0.5;  // code 1; u = -0.5
  const double ce = -(2.0 - std::log(std::exp(1.0) + std::exp(2.0)));
  const double nll = 0.5 * 1.0 * 1.0;
  CHECK(information_loss(tape.constant(q), tape.constant(codes), 2, 0.1).value()(0, 0) ==
        Approx(ce + 0.1 * nll).epsilon(1e-12));
}

TEST_CASE("infogan: code accuracy under the best matching", "[gan][infogan]") {
  // A perfect code under a permutation of the classes: accuracy 1 and the permutation recovered.
  const std::vector<Index> permutation = {3, 0, 4, 1, 2};  // class -> code
  std::vector<std::int64_t> labels;
  std::vector<Index> codes;
  for (int i = 0; i < 50; ++i) {
    labels.push_back(i % 5);
    codes.push_back(permutation[static_cast<std::size_t>(i % 5)]);
  }
  const CodeAccuracy perfect = matched_code_accuracy(codes, labels, 5);
  CHECK(perfect.accuracy == 1.0);
  for (Index cls = 0; cls < 5; ++cls)
    CHECK(perfect.class_of_code[static_cast<std::size_t>(permutation[static_cast<std::size_t>(cls)])] == cls);
  // One error in 50; more codes than classes leaves codes unmatched; fewer codes caps the accuracy.
  codes[0] = permutation[1];
  CHECK(matched_code_accuracy(codes, labels, 5).accuracy == Approx(49.0 / 50.0));
  CHECK(matched_code_accuracy(codes, labels, 7).accuracy == Approx(49.0 / 50.0));
  const std::vector<Index> constant(50, 0);
  CHECK(matched_code_accuracy(constant, labels, 5).accuracy == Approx(0.2));
  CHECK_THROWS(matched_code_accuracy({0, 1}, {0}, 2));
}

TEST_CASE("infogan: the code grid has one row per code value and shared columns", "[gan][infogan]") {
  const DataSpec spec{DataKind::real, 0, 4, {}};
  InfoGanModel model("infogan", spec, tiny_infogan());
  Rng init(1);
  model.initialize(init);
  Rng rng(2);
  const Matrix grid = model.code_grid(5, rng);
  REQUIRE(grid.rows() == 4);
  REQUIRE(grid.cols() == 3 * 5);
  // Row r, column c is G(z_c, one-hot(r), u_c): the same z and u down a column, another code.
  CHECK((grid.col(1) - grid.col(5 + 1)).norm() > 0.0f);
  Rng again(2);
  CHECK((model.code_grid(5, again).array() == grid.array()).all());
}

TEST_CASE("infogan: save and load give identical samples and codes", "[gan][infogan]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 16, 48, 2, {4, 4, 1});
  const DatasetSplit train = DatasetSplit::open(data, "train");
  InfoGanModel model("infogan", train.spec(), tiny_infogan());
  Rng init(5);
  model.initialize(init);
  train_adversarial(model, train, tiny_training(1), nullptr);
  const std::string path = dir.file("infogan.h5");
  save_model(model, FitRecord{data, "train", 48, 0.0, "test", "now"}, path);
  const std::unique_ptr<Model> loaded = load_model(path);
  REQUIRE(loaded->type() == "infogan");
  REQUIRE(loaded->hyperparameters() == model.hyperparameters());
  Rng a(9), b(9);
  CHECK((loaded->sample(20, a).array() == model.sample(20, b).array()).all());
  const auto& info = dynamic_cast<const InfoGanModel&>(*loaded);
  const Matrix x = train.read_all();
  CHECK(info.predict_codes(x) == model.predict_codes(x));
}

TEST_CASE("infogan: training is bit-identical for 1 and 2 threads", "[gan][infogan]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 16, 64, 2, {4, 4, 1});
  const DatasetSplit train = DatasetSplit::open(data, "train");
  const auto with_threads = [&](int threads, GanArchitecture architecture) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
    InfoGanOptions options = tiny_infogan();
    options.network.architecture = architecture;
    options.network.channels = 2;
    InfoGanModel model("infogan", train.spec(), options);
    Rng init(5);
    model.initialize(init);
    const AdversarialTrainResult result = train_adversarial(model, train, tiny_training(2), nullptr);
    CHECK(result.epochs.back().extra > 0.0);  // the information loss is reported
    return game_state(model);
  };
  for (GanArchitecture architecture : {GanArchitecture::mlp, GanArchitecture::dcgan}) {
    INFO(architecture_name(architecture));
    const std::vector<float> one = with_threads(1, architecture);
    CHECK(with_threads(2, architecture) == one);
  }
}

TEST_CASE("infogan: the model checker (samples only, save/load, each player's gradient, command line)",
          "[gan][infogan][checker]") {
  check_model({"infogan", "infogan", CheckerData::binary_4x4,
               {{"hidden-layers", "8"}, {"latent", "3"}, {"categories", "3"}, {"continuous", "1"}, {"epochs", "2"},
                {"batch-size", "20"}, {"shard-size", "5"}}});
  check_model({"infogan", "infogan", CheckerData::binary_4x4,
               {{"architecture", "dcgan"}, {"channels", "2"}, {"latent", "3"}, {"categories", "3"}, {"epochs", "1"},
                {"batch-size", "20"}, {"shard-size", "5"}}});
}

}  // namespace logp::testing
