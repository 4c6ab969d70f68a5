// The semi-supervised GAN (models/gan/sgan.hpp) and `logp classify`: the losses' gradients, the
// labelled pool, thread-count independence, that the unlabelled data helps, and the command.
#include <tbb/global_control.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "logp/autodiff/ops.hpp"
#include "logp/data/dataset_writer.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/gan/adversarial_trainer.hpp"
#include "logp/models/gan/sgan.hpp"
#include "support/op_check.hpp"
#include "support/real_data.hpp"
#include "support/run_cli.hpp"

namespace logp::testing {
namespace {

// K Gaussian blobs in 2-D: class k centred at radius 3 on angle 2 pi k / K, elongated
// (standard deviations `spread` along the circle, 0.35 across it) so that neighbouring classes
// nearly touch along the circle.
struct Blobs {
  Matrix x;
  std::vector<std::int64_t> y;
};

Blobs make_blobs(Index n, Index classes, double spread, std::uint64_t seed) {
  Rng rng(seed);
  Blobs b{Matrix(2, n), std::vector<std::int64_t>(static_cast<std::size_t>(n))};
  for (Index j = 0; j < n; ++j) {
    const auto k = static_cast<Index>(rng.uniform_index(static_cast<std::uint64_t>(classes)));
    const double angle = 2.0 * M_PI * static_cast<double>(k) / static_cast<double>(classes);
    const double along = spread * rng.normal(), across = 0.35 * rng.normal();
    b.x(0, j) = static_cast<float>((3.0 + across) * std::cos(angle) - along * std::sin(angle));
    b.x(1, j) = static_cast<float>((3.0 + across) * std::sin(angle) + along * std::cos(angle));
    b.y[static_cast<std::size_t>(j)] = k;
  }
  return b;
}

std::string write_blobs(const std::string& path, Index n, Index classes, double spread) {
  DatasetWriter writer(path, real_spec(2), {{"source", "test: labelled blobs"}});
  std::uint64_t seed = 7;
  for (const char* split : {"train", "valid", "test"}) {
    const Blobs b = make_blobs(n, classes, spread, seed++);
    writer.add_split(split, std::vector<float>(b.x.data(), b.x.data() + b.x.size()), b.y);
  }
  writer.commit();
  return path;
}

// Salimans et al.'s discriminator regularizers, at their MNIST values, and dropout.
void regularize(SganOptions& o) {
  o.network.input_noise = 0.3;
  o.network.hidden_noise = 0.5;
  o.network.dropout = 0.2;
}

SganOptions small_options(Index classes, Index per_class, bool supervised_only = false) {
  SganOptions o;
  o.network.architecture = GanArchitecture::mlp;
  o.network.latent = 4;
  o.network.hidden = {16, 16};
  o.classes = classes;
  o.labels_per_class = per_class;
  o.supervised_only = supervised_only;
  o.label_seed = 3;
  return o;
}

double accuracy(const Classifier& c, const DatasetSplit& split) {
  const std::vector<std::int64_t> predicted = c.classify(split.read_all());
  const std::vector<std::int64_t> labels = split.read_labels();
  Index correct = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) correct += predicted[i] == labels[i] ? 1 : 0;
  return static_cast<double>(correct) / static_cast<double>(labels.size());
}

// -log p(real | x) for logits l (one column), in double from its definition Z / (Z + 1).
double minus_log_real(const Eigen::VectorXd& l) {
  const double z = l.array().exp().sum();
  return -std::log(z / (z + 1.0));
}

}  // namespace

TEST_CASE("sgan: the losses match their definitions and central differences", "[gan][sgan][gradient]") {
  Rng rng(11);
  const MatrixD real = random_matrix(3, 5, rng, 2.0), fake = random_matrix(3, 4, rng, 2.0);
  const std::vector<std::int64_t> labels = {0, 2, 1, 2, 0};
  {  // values, from Z = sum exp(l) and the fake logit 0
    TapeD tape;
    double expect_d = 0.0, expect_g = 0.0, expect_s = 0.0;
    for (Index j = 0; j < real.cols(); ++j) expect_d += minus_log_real(real.col(j));
    for (Index j = 0; j < fake.cols(); ++j) {
      const double z = fake.col(j).array().exp().sum();
      expect_d += -std::log(1.0 / (z + 1.0));
      expect_g += minus_log_real(fake.col(j));
    }
    for (Index j = 0; j < real.cols(); ++j) {
      const Eigen::VectorXd l = real.col(j);
      expect_s += -(l(labels[static_cast<std::size_t>(j)]) - std::log(l.array().exp().sum()));
    }
    CHECK(sgan_unsupervised_loss(tape.constant(real), tape.constant(fake)).value()(0, 0) ==
          Approx(expect_d).epsilon(1e-12));
    CHECK(sgan_generator_loss(tape.constant(fake)).value()(0, 0) == Approx(expect_g).epsilon(1e-12));
    CHECK(sgan_supervised_loss(tape.constant(real), std::span<const std::int64_t>(labels)).value()(0, 0) ==
          Approx(expect_s).epsilon(1e-12));
    // Feature matching: m || mean of real's columns - mean of fake's ||^2 (here on the logits as
    // stand-in features: 5 real, 4 fake columns).
    const Eigen::VectorXd gap = real.rowwise().mean() - fake.rowwise().mean();
    CHECK(sgan_feature_matching_loss(tape.constant(real), tape.constant(fake)).value()(0, 0) ==
          Approx(4.0 * gap.squaredNorm()).epsilon(1e-12));
  }
  check_op("sgan discriminator loss (unsupervised + supervised)",
           [&](auto& tape, const auto& v) {
             (void)tape;
             return ad::add(sgan_unsupervised_loss(v[0], v[1]),
                            sgan_supervised_loss(v[0], std::span<const std::int64_t>(labels)));
           },
           {real, fake});
  check_op("sgan generator loss", [](auto& tape, const auto& v) { (void)tape; return sgan_generator_loss(v[0]); },
           {fake});
  check_op("sgan feature-matching loss",
           [](auto& tape, const auto& v) { (void)tape; return sgan_feature_matching_loss(v[0], v[1]); }, {real, fake});
  TapeD tape;
  CHECK_THROWS_WITH(sgan_feature_matching_loss(tape.constant(real), tape.constant(MatrixD::Zero(2, 4))),
                    Catch::Contains("features of 3 and 2 rows"));
}

TEST_CASE("sgan: each player's gradient through the networks matches central differences", "[gan][sgan][gradient]") {
  TempDir dir;
  const DatasetSplit train = DatasetSplit::open(write_blobs(dir.file("b.h5"), 60, 3, 1.0), "train");
  struct Case {
    bool supervised_only;
    SganGeneratorLoss generator_loss;
    bool regularized;  // noise and dropout in the discriminator (the same draws for the same stream)
  };
  for (const Case c : {Case{false, SganGeneratorLoss::feature_matching, false},
                       Case{false, SganGeneratorLoss::non_saturating, false},
                       Case{true, SganGeneratorLoss::feature_matching, false},
                       Case{false, SganGeneratorLoss::feature_matching, true},
                       Case{false, SganGeneratorLoss::non_saturating, true},
                       Case{true, SganGeneratorLoss::feature_matching, true}}) {
    const bool supervised_only = c.supervised_only;
    SganOptions o = small_options(3, 4, supervised_only);
    o.generator_loss = c.generator_loss;
    if (c.regularized) regularize(o);
    SganModel model("sgan", train.spec(), o);
    Rng init(5);
    model.initialize(init);
    model.prepare(train);
    const Matrix real = model.to_training_scale(train.read(0, 8));
    for (Player player : kPlayers) {
      INFO("supervised_only " << supervised_only << ", generator loss " << sgan_generator_loss_name(c.generator_loss)
                              << ", regularized " << c.regularized << ", player " << static_cast<int>(player));
      ParameterStore& store = model.parameters(player);
      std::vector<float> grad(static_cast<std::size_t>(store.size()), 0.0f), unused(grad);
      const auto loss_at = [&](std::vector<float>& g) {
        Rng rng(42);  // the same latents and labelled draws every time
        GameNorms norms = model.norms();
        return model.loss_and_grad(player, real, {}, rng, norms, g).loss;
      };
      loss_at(grad);
      // The directional derivative along a random direction, in double from float losses.
      Rng dir_rng(9);
      std::vector<float> direction(grad.size());
      double analytic = 0.0;
      for (std::size_t i = 0; i < grad.size(); ++i) {
        direction[i] = static_cast<float>(dir_rng.normal());
        analytic += static_cast<double>(direction[i]) * grad[i];
      }
      const std::vector<float> saved = store.copy_values();
      // Feature matching's generator loss is a large quadratic in the features (derivative ~1e3
      // here): a smaller step keeps central differences' h^2 term within the tolerance.
      const bool matching_generator =
          player == Player::generator && c.generator_loss == SganGeneratorLoss::feature_matching;
      // With the regularizers the (leaky) relus' kinks lie closer to the point (measured: 4.5e-4
      // along the direction for the matching generator, its slope jumping from 7.6 to -59; 7.5e-4
      // for the baseline's discriminator, 6.7 to -6): smaller steps stay on one side of them.
      const float h = c.regularized ? (matching_generator ? 2e-4f : 1e-4f) : (matching_generator ? 2e-3f : 1e-2f);
      for (std::size_t i = 0; i < saved.size(); ++i) store.values()[i] = saved[i] + h * direction[i];
      const double up = loss_at(unused);
      for (std::size_t i = 0; i < saved.size(); ++i) store.values()[i] = saved[i] - h * direction[i];
      const double down = loss_at(unused);
      std::copy(saved.begin(), saved.end(), store.values().begin());
      const double numeric = (up - down) / (2.0 * h);
      CAPTURE(analytic, numeric);
      if (supervised_only && player == Player::generator) {
        CHECK(analytic == 0.0);  // the baseline leaves the generator alone
        CHECK(numeric == 0.0);
      } else {
        CHECK(analytic != 0.0);
        CHECK(std::abs(analytic - numeric) <= 2e-2 * std::max(1.0, std::abs(numeric)));
      }
    }
  }
}

TEST_CASE("sgan: the generator loss is kept in the model file and shown in the hyperparameters", "[gan][sgan]") {
  TempDir dir;
  const DatasetSplit train = DatasetSplit::open(write_blobs(dir.file("b.h5"), 60, 3, 1.0), "train");
  CHECK(SganOptions{}.generator_loss == SganGeneratorLoss::feature_matching);  // Salimans et al.'s default
  for (const SganGeneratorLoss loss : {SganGeneratorLoss::feature_matching, SganGeneratorLoss::non_saturating}) {
    SganOptions o = small_options(3, 4);
    o.generator_loss = loss;
    SganModel model("sgan", train.spec(), o);
    Rng init(5);
    model.initialize(init);
    const std::string path = dir.file(sgan_generator_loss_name(loss) + ".h5");
    {
      const H5File file = H5File::create(path);
      model.save(file.root());
    }
    const std::unique_ptr<Model> loaded = SganModel::load("sgan", H5File::open(path).root(), train.spec());
    CHECK(dynamic_cast<const SganModel&>(*loaded).options().generator_loss == loss);
    CHECK_THAT(loaded->hyperparameters(), Catch::Contains("generator_loss=" + sgan_generator_loss_name(loss)));
  }
  CHECK(parse_sgan_generator_loss("non-saturating") == SganGeneratorLoss::non_saturating);
  CHECK_THROWS_WITH(parse_sgan_generator_loss("minimax"), Catch::Contains("unknown sgan generator loss 'minimax'"));
}

TEST_CASE("sgan: the discriminator's sizes and regularizers round-trip, it classifies with the clean network",
          "[gan][sgan]") {
  TempDir dir;
  const DatasetSplit train = DatasetSplit::open(write_blobs(dir.file("b.h5"), 60, 3, 1.0), "train");
  SganOptions o = small_options(3, 4);
  o.network.discriminator_hidden = {24, 12, 8};
  regularize(o);
  SganModel model("sgan", train.spec(), o);
  Rng init(5);
  model.initialize(init);
  model.prepare(train);
  CHECK_THAT(model.hyperparameters(), Catch::Contains("hidden=16,16, discriminator_hidden=24,12,8, input_noise=0.3, "
                                                      "hidden_noise=0.5, dropout=0.2"));
  const std::string path = dir.file("regularized.h5");
  {
    const H5File file = H5File::create(path);
    model.save(file.root());
  }
  const std::unique_ptr<Model> loaded = SganModel::load("sgan", H5File::open(path).root(), train.spec());
  const auto& back = dynamic_cast<const SganModel&>(*loaded);
  CHECK(back.options().network.discriminator_hidden == std::vector<Index>{24, 12, 8});
  CHECK(back.options().network.input_noise == 0.3);
  CHECK(back.options().network.hidden_noise == 0.5);
  CHECK(back.options().network.dropout == 0.2);
  CHECK(back.hyperparameters() == model.hyperparameters());
  CHECK(back.parameters(Player::discriminator).copy_values() == model.parameters(Player::discriminator).copy_values());
  // classify() is the network without its regularizers: the same answers as an unregularized
  // model with the same parameters, on every call.
  SganOptions clean_options = o;
  clean_options.network.input_noise = clean_options.network.hidden_noise = clean_options.network.dropout = 0.0;
  SganModel clean("sgan", train.spec(), clean_options);
  const std::vector<float> d = model.parameters(Player::discriminator).copy_values();
  REQUIRE(clean.parameters(Player::discriminator).size() == static_cast<Index>(d.size()));
  std::copy(d.begin(), d.end(), clean.parameters(Player::discriminator).values().begin());
  const Matrix x = train.read_all();
  CHECK(model.classify(x) == clean.classify(x));
  CHECK(back.classify(x) == clean.classify(x));
  // The default sgan (no regularizers) keeps its former hyperparameter text (checkpoints compare it).
  CHECK(SganModel("sgan", train.spec(), small_options(3, 4)).hyperparameters().find("noise") == std::string::npos);
}

TEST_CASE("sgan: the labelled pool is N per class, seeded, and refuses bad labels", "[gan][sgan]") {
  std::vector<std::int64_t> labels;
  for (int i = 0; i < 300; ++i) labels.push_back(i % 3 == 2 && i > 30 ? 0 : i % 3);  // class 2 has 10 examples
  const std::vector<Index> a = choose_labelled_examples(labels, 3, 20, 1);
  CHECK(a == choose_labelled_examples(labels, 3, 20, 1));
  CHECK(a != choose_labelled_examples(labels, 3, 20, 2));
  CHECK(std::is_sorted(a.begin(), a.end()));
  std::vector<Index> per_class(3, 0);
  for (Index i : a) ++per_class[static_cast<std::size_t>(labels[static_cast<std::size_t>(i)])];
  CHECK(per_class == std::vector<Index>{20, 20, 10});  // a class with fewer gives all it has
  CHECK(std::adjacent_find(a.begin(), a.end()) == a.end());
  labels[5] = 3;
  CHECK_THROWS_WITH(choose_labelled_examples(labels, 3, 20, 1), Catch::Contains("label 3 of example 5"));
}

TEST_CASE("sgan: refuses a training split without labels", "[gan][sgan][errors]") {
  TempDir dir;
  const Matrix x = random_real(2, 20, 1);
  const DatasetSplit train = DatasetSplit::open(write_real_dataset(dir.file("u.h5"), x, x, x), "train");
  CHECK_THROWS_WITH(classes_of_labels(train), Catch::Contains("has no labels"));
  SganModel model("sgan", train.spec(), small_options(3, 4));
  CHECK_THROWS_WITH(model.prepare(train), Catch::Contains("has no labels"));
}

TEST_CASE("sgan: training is bit-identical for 1 and 2 threads", "[gan][sgan][threads]") {
  TempDir dir;
  const DatasetSplit train = DatasetSplit::open(write_blobs(dir.file("b.h5"), 96, 3, 1.0), "train");
  const auto run = [&](int threads, bool regularized) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
    SganOptions o = small_options(3, 5);
    if (regularized) regularize(o);
    SganModel model("sgan", train.spec(), o);
    Rng init(1);
    model.initialize(init);
    AdversarialTrainOptions options;
    options.epochs = 2;
    options.batch_size = 32;
    options.shard_size = 8;
    options.seed = 4;
    train_adversarial(model, train, options, nullptr);
    return std::make_pair(model.parameters(Player::discriminator).copy_values(),
                          model.parameters(Player::generator).copy_values());
  };
  for (const bool regularized : {false, true}) {
    INFO("regularized " << regularized);
    const auto one = run(1, regularized), two = run(2, regularized);
    CHECK(one.first == two.first);
    CHECK(one.second == two.second);
  }
}

// What this shows, and what it does not: on 4 elongated blobs with ONE label per class, the
// SGAN trained on all 600 unlabelled examples classifies better than the same discriminator
// trained on the 4 labelled ones (same initialization, labelled examples and draws), for this
// fixed seed (about 0.89 against 0.73). It is not a claim for most seeds: on seeds 0-4 the SGAN
// beats the baseline by 5 points or more on 2 of 5 with feature matching (the default: seeds 2
// and 3; 0.87/0.92/0.89/0.95/0.85 against 0.92/0.96/0.73/0.85/0.94) and on 2 of 5 with the
// non-saturating loss (0.87/0.94/0.90/0.95/0.97), and on 1 of 5 with Salimans et al.'s
// discriminator noise (0.3 / 0.5, with or without a wider discriminator), so a majority-of-seeds
// test is not possible here; on Fashion-MNIST see benchmarks/results/sgan_fmnist.md. The test pins the
// semi-supervised path end to end: the unlabelled terms change the classifier, in a setting
// where that helps. Hidden from the default run ("[.]"): its outcome depends on the training
// trajectory, which changes with the seed and with the instruction set (Eigen's kernels round
// differently on AVX2 and AVX-512), and the claim holds for 2 seeds of 5, so it is not a property
// logp guarantees. Run it with: logp_tests "[seed-dependent]".
TEST_CASE("sgan: with one label per class it beats the supervised-only baseline (fixed seed)",
          "[.][gan][sgan][seed-dependent]") {
  TempDir dir;
  const std::string path = write_blobs(dir.file("b.h5"), 600, 4, 1.2);
  const DatasetSplit train = DatasetSplit::open(path, "train"), test = DatasetSplit::open(path, "test");
  const std::uint64_t seed = 2;
  const auto trained_accuracy = [&](bool supervised_only) {
    SganOptions o = small_options(4, 1, supervised_only);  // feature matching, the default
    o.network.latent = 2;
    o.network.hidden = {32, 32};
    o.label_seed = seed;
    SganModel model("sgan", train.spec(), o);
    Rng init(seed);
    model.initialize(init);
    AdversarialTrainOptions options;
    options.epochs = 20;
    options.batch_size = 64;
    options.shard_size = 32;
    options.seed = seed;
    options.discriminator_optimizer.learning_rate = options.generator_optimizer.learning_rate = 2e-3;
    train_adversarial(model, train, options, nullptr);
    REQUIRE(model.labelled_indices().size() == 4);
    return accuracy(model, test);
  };
  const double baseline = trained_accuracy(true), sgan = trained_accuracy(false);
  INFO("supervised-only " << baseline << ", sgan " << sgan);
  CHECK(sgan >= baseline + 0.05);
}

TEST_CASE("cli: logp classify reports an sgan's accuracy and refuses a model that does not classify",
          "[gan][sgan][cli]") {
  TempDir dir;
  const std::string data = write_blobs(dir.file("b.h5"), 120, 3, 1.0);
  const std::string model = dir.file("sgan.h5");
  const CliResult fit = run_cli("--threads 2 fit sgan --hidden-layers 8,8 --latent 2 --labels-per-class 5 --epochs 2 "
                                "--batch-size 32 --shard-size 16 --data " + data + " --out " + model);
  INFO(fit.err);
  REQUIRE(fit.exit_code == 0);
  const CliResult classify = run_cli("--json classify --model " + model + " --data " + data + " --split test");
  INFO(classify.err);
  REQUIRE(classify.exit_code == 0);
  const nlohmann::json r = nlohmann::json::parse(classify.out);
  CHECK(r["n"] == 120);
  CHECK(r["classes"] == 3);
  CHECK(r["accuracy"].get<double>() >= 0.0);
  CHECK(r["accuracy"].get<double>() <= 1.0);
  CHECK(r["correct"].get<Index>() == static_cast<Index>(std::lround(r["accuracy"].get<double>() * 120)));
  const CliResult text = run_cli("classify --model " + model + " --data " + data);
  CHECK_THAT(text.out, Catch::Contains("accuracy") && Catch::Contains("of 120 correct"));

  const std::string other = dir.file("gauss.h5");
  REQUIRE(run_cli("fit gaussian --data " + data + " --out " + other).exit_code == 0);
  const CliResult refused = run_cli("classify --model " + other + " --data " + data);
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Catch::Contains(other) && Catch::Contains("does not classify"));
}

}  // namespace logp::testing
