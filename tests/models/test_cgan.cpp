// The conditional and text-to-image GAN (models/gan/cgan.hpp): its losses and text encoder
// against central differences, the tokenizer and vocabulary, 1 vs 2 threads, checkpoint + resume,
// save/load, and the refusals. The model checker (test_model_checker.cpp) adds sample
// reproducibility, save/load and each player's gradient on random parameters.
#include <tbb/global_control.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <set>

#include "logp/io/model_file.hpp"
#include "logp/models/gan/adversarial_trainer.hpp"
#include "logp/models/gan/cgan.hpp"
#include "support/dataset_file.hpp"
#include "support/game_state.hpp"
#include "support/gradient_check.hpp"
#include "support/labelled_images.hpp"
#include "support/op_check.hpp"
#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"

namespace logp::testing {
namespace {

// Text (or label) conditioning on the labelled 8 x 8 images (3 classes), small DCGAN players.
CganOptions small_cgan(ConditionKind condition) {
  CganOptions options;
  options.network.architecture = GanArchitecture::dcgan;
  options.network.channels = 2;
  options.network.latent = 3;
  options.condition = condition;
  options.classes = 3;
  options.embedding = 4;
  const ClassDescriptions all = fashion_mnist_descriptions();
  options.descriptions.class_names.assign(all.class_names.begin(), all.class_names.begin() + 3);
  for (const Wording& w : all.training)
    if (w.label < 3) options.descriptions.training.push_back(w);
  for (const Wording& w : all.held_out)
    if (w.label < 3) options.descriptions.held_out.push_back(w);
  return options;
}

ConditionalGanModel trained_cgan(const DatasetSplit& train, const AdversarialTrainOptions& options,
                                 ConditionKind condition = ConditionKind::text) {
  ConditionalGanModel model("cgan", train.spec(), small_cgan(condition));
  Rng init(options.seed);
  model.initialize(init);
  train_adversarial(model, train, options, nullptr);
  return model;
}

}  // namespace

TEST_CASE("cgan: the projection and the matching-aware loss have the gradient of central differences", "[cgan]") {
  Rng rng(3);
  const MatrixD outputs = random_matrix(4, 5, rng, 2.0), embedding = random_matrix(3, 5, rng, 2.0);
  check_op("projection_logit", [](auto&, const auto& v) { return projection_logit(v[0], v[1]); }, {outputs, embedding});
  const MatrixD real = random_matrix(1, 5, rng, 2.0), wrong = random_matrix(1, 5, rng, 2.0),
                fake = random_matrix(1, 5, rng, 2.0);
  for (double m : {0.0, 0.5, 0.8}) {
    INFO("mismatch weight " << m);
    check_op("matching_aware_loss", [m](auto&, const auto& v) {
      using T = typename std::decay_t<decltype(v[0].value())>::Scalar;
      return matching_aware_loss(v[0], v[1], v[2], static_cast<T>(m));
    }, {real, wrong, fake});
  }
}

TEST_CASE("cgan: the losses have their closed forms", "[cgan]") {
  ad::BasicTape<double> tape;
  const auto zero = [&](Index rows) { return tape.constant(MatrixD::Zero(rows, 1)); };
  // At logits 0 each term is log 2; the real term has weight 1, wrong and fake share the other 1.
  CHECK(matching_aware_loss(zero(1), zero(1), zero(1), 0.3).value()(0, 0) == Approx(2.0 * std::log(2.0)));
  // Only the wrong term grows with the wrong logit, by m softplus.
  const auto wrong = tape.constant(MatrixD::Constant(1, 1, 2.0));
  CHECK(matching_aware_loss(zero(1), wrong, zero(1), 0.25).value()(0, 0) ==
        Approx(1.75 * std::log(2.0) + 0.25 * std::log1p(std::exp(2.0))));
  // o_0 + <o_1.., e>: [1 + 2] outputs (1, 2, 3) against the embedding (4, 5) -> 1 + 8 + 15.
  MatrixD o(3, 1), e(2, 1);
  o << 1, 2, 3;
  e << 4, 5;
  CHECK(projection_logit(tape.constant(o), tape.constant(e)).value()(0, 0) == Approx(24.0));
}

TEST_CASE("cgan: tokens, vocabulary and bag of words", "[cgan]") {
  CHECK(tokenize("T-shirt/top") == std::vector<std::string>{"t-shirt", "top"});
  CHECK(tokenize("  An ANKLE boot!-- -x 2") == std::vector<std::string>{"an", "ankle", "boot", "x", "2"});
  CHECK(tokenize("").empty());
  const std::vector<Wording> wordings = {{0, "a pair of trousers"}, {1, "an ankle boot"}, {1, "a boot"}};
  const Vocabulary vocabulary(wordings);
  CHECK(vocabulary.words() == std::vector<std::string>{"a", "an", "ankle", "boot", "of", "pair", "trousers"});
  CHECK(vocabulary.find("boot") == 3);
  CHECK(vocabulary.find("shoe") == -1);
  // The mean of the known tokens' one-hot vectors; unknown words are ignored.
  const VectorF bag = vocabulary.bag("A boot, a BOOT for the ankle");
  CHECK(bag.sum() == Approx(1.0));
  CHECK(bag(0) == Approx(0.4));
  CHECK(bag(2) == Approx(0.2));
  CHECK(bag(3) == Approx(0.4));
  CHECK(vocabulary.bag("an ankle boot xyzzy") == vocabulary.bag("an ankle boot"));
  CHECK_THROWS_WITH(vocabulary.bag("purple umbrella!"), Catch::Contains("'purple umbrella!'") && Catch::Contains("no known word"));
  CHECK_THROWS_WITH(Vocabulary(wordings).bag("the shoe"), Catch::Contains("no known word"));
}

TEST_CASE("cgan: Fashion-MNIST's held-out wordings are unseen sentences of known words", "[cgan]") {
  const ClassDescriptions d = fashion_mnist_descriptions();
  REQUIRE(d.class_names.size() == 10);
  const Vocabulary vocabulary(d.training);
  std::set<std::string> seen;
  std::vector<int> per_class(10, 0);
  for (const Wording& w : d.training) {
    seen.insert(w.text);
    ++per_class[static_cast<std::size_t>(w.label)];
  }
  for (int count : per_class) CHECK(count >= 2);
  CHECK(d.held_out.size() == 20);
  for (const Wording& w : d.held_out) {
    INFO(w.text);
    CHECK(seen.count(w.text) == 0);
    for (const std::string& token : tokenize(w.text)) CHECK(vocabulary.find(token) >= 0);
  }
}

TEST_CASE("cgan: wordings survive their text form, bad lines are refused", "[cgan]") {
  const std::vector<Wording> wordings = {{0, "a pair of trousers"}, {2, "an ankle boot"}};
  const std::vector<Wording> back = wordings_from_lines(wordings_to_lines(wordings), 3, "m.h5:/model wordings");
  REQUIRE(back.size() == 2);
  CHECK(back[1].label == 2);
  CHECK(back[1].text == "an ankle boot");
  CHECK_THROWS_WITH(wordings_from_lines("3\tan ankle boot\n", 3, "m.h5:/model wordings"),
                    Catch::Contains("m.h5:/model wordings") && Catch::Contains("[0, 3)"));
  CHECK_THROWS_WITH(wordings_from_lines("x1\ta boot\n", 3, "w"), Catch::Contains("not a class"));
  CHECK_THROWS_WITH(wordings_from_lines("a boot\n", 3, "w"), Catch::Contains("label<TAB>text"));
}

TEST_CASE("cgan: the discriminator's text encoder has the gradient of central differences", "[cgan]") {
  TempDir dir;
  const DatasetSplit train = DatasetSplit::open(write_labelled_image_dataset(dir.file("d.h5"), 16, 8), "train");
  ConditionalGanModel model("cgan", train.spec(), small_cgan(ConditionKind::text));
  Rng init(2);
  model.initialize(init);
  const Matrix real = model.to_training_scale(train.read(0, 6));
  const std::vector<std::int64_t> labels = {0, 1, 2, 2, 1, 0};
  // The encoder's weights and bias are the last E * (V + 1) entries of the discriminator's store.
  const Index encoder = model.options().embedding * (model.condition_size() + 1);
  std::span<float> theta = model.parameters(Player::discriminator).values();
  const auto loss = [&](std::span<float> grad) {
    Rng rng(7);
    GameNorms norms = model.norms();
    return model.loss_and_grad(Player::discriminator, real, labels, rng, norms, grad).loss;
  };
  std::vector<float> grad(theta.size(), 0.0f), scratch(theta.size());
  loss(grad);
  Rng pick(4);
  int nonzero = 0;
  for (int trial = 0; trial < 16; ++trial) {
    const auto k = theta.size() - 1 - static_cast<std::size_t>(pick.uniform_index(static_cast<std::uint64_t>(encoder)));
    const double numeric = central_difference(theta[k], 2e-3f, [&] { return loss(scratch); });
    INFO("parameter " << k << ": analytic " << grad[k] << ", central difference " << numeric);
    CHECK(std::abs(grad[k] - numeric) <= 2e-2 * std::max(1.0, std::abs(numeric)));
    nonzero += grad[k] != 0.0f;
  }
  CHECK(nonzero > 0);
}

TEST_CASE("cgan: training is bit-identical for 1 and 2 threads", "[cgan]") {
  TempDir dir;
  const DatasetSplit train = DatasetSplit::open(write_labelled_image_dataset(dir.file("d.h5"), 64, 8), "train");
  for (ConditionKind condition : {ConditionKind::text, ConditionKind::label}) {
    const auto with_threads = [&](int threads) {
      tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
      return game_state(trained_cgan(train, tiny_training(2), condition));
    };
    const std::vector<float> one = with_threads(1);
    CHECK(with_threads(2) == one);
    ConditionalGanModel fresh("cgan", train.spec(), small_cgan(condition));
    Rng init(5);
    fresh.initialize(init);
    CHECK(game_state(fresh) != one);
  }
}

TEST_CASE("cgan: a run resumed from its checkpoint ends where the unbroken run does", "[cgan]") {
  TempDir dir;
  const DatasetSplit train = DatasetSplit::open(write_labelled_image_dataset(dir.file("d.h5"), 48, 8), "train");
  const std::vector<float> unbroken = game_state(trained_cgan(train, tiny_training(3)));
  AdversarialTrainOptions options = tiny_training(3);
  options.checkpoint = dir.file("ckpt.h5");
  options.resume = true;
  options.stop_after_epochs = 1;
  trained_cgan(train, options);  // killed after its first epoch
  options.stop_after_epochs = 0;
  CHECK(game_state(trained_cgan(train, options)) == unbroken);
  // The same images with other labels are other training data: refused, naming the labels.
  const std::string relabelled = dir.file("relabelled.h5");
  {
    DatasetWriter writer(relabelled, labelled_image_spec(), {{"source", "test"}});
    const Matrix x = train.read_all();
    std::vector<std::int64_t> labels = train.read_labels();
    labels[0] = (labels[0] + 1) % 3;
    writer.add_split("train", std::vector<std::uint8_t>(x.data(), x.data() + x.size()), labels);
    writer.commit();
  }
  CHECK_THROWS_WITH(trained_cgan(DatasetSplit::open(relabelled, "train"), options),
                    Catch::Contains("ckpt.h5") && Catch::Contains("training labels"));
}

TEST_CASE("cgan: a conditional game refuses a training split without labels", "[cgan]") {
  TempDir dir;
  const DatasetSplit train = DatasetSplit::open(write_discrete_dataset(dir.file("d.h5"), 64, 32, 2, {8, 8, 1}), "train");
  CHECK_THROWS_WITH(trained_cgan(train, tiny_training(1)), Catch::Contains("d.h5") && Catch::Contains("no labels"));
}

TEST_CASE("cgan: save and load give the same samples of a text, a label and random classes", "[cgan]") {
  TempDir dir;
  const DatasetSplit train = DatasetSplit::open(write_labelled_image_dataset(dir.file("d.h5"), 32, 8), "train");
  const ConditionalGanModel model = trained_cgan(train, tiny_training(1));
  save_model(model, FitRecord{}, dir.file("m.h5"));
  const std::unique_ptr<Model> loaded = load_model(dir.file("m.h5"));
  const auto* sampler = dynamic_cast<const ConditionalSampler*>(loaded.get());
  REQUIRE(sampler != nullptr);
  CHECK(sampler->classes() == 3);
  const auto same = [](auto&& draw_a, auto&& draw_b) {
    Rng a(9), b(9);
    return draw_a(a) == draw_b(b);
  };
  CHECK(same([&](Rng& r) { return model.sample_text("a pair of pants", 5, r); },
             [&](Rng& r) { return sampler->sample_text("a pair of pants", 5, r); }));
  CHECK(same([&](Rng& r) { return model.sample_label(2, 5, r); }, [&](Rng& r) { return sampler->sample_label(2, 5, r); }));
  CHECK(same([&](Rng& r) { return model.sample(7, r); }, [&](Rng& r) { return loaded->sample(7, r); }));
  // The first k samples of a text are its k samples; other texts give other samples.
  Rng a(9), b(9), c(9);
  CHECK(model.sample_text("a sweater", 6, a).leftCols(2) == model.sample_text("a sweater", 2, b));
  CHECK(model.sample_text("a t-shirt", 6, c) != model.sample_text("a sweater", 6, a));
  CHECK_THROWS_WITH(model.sample_text("an umbrella", 2, a), Catch::Contains("'an umbrella'"));
  const ConditionalGanModel labels = trained_cgan(train, tiny_training(1), ConditionKind::label);
  CHECK_THROWS_WITH(labels.sample_text("a sweater", 2, a), Catch::Contains("conditioned on labels"));
}

TEST_CASE("cgan: logp fit cgan, then sample --text and --label through the binary", "[cgan][cli]") {
  TempDir dir;
  const std::string data = write_labelled_image_dataset(dir.file("d.h5"), 40, 8);
  const std::string model = dir.file("m.h5");
  const CliResult fit = run_cli("fit cgan --data " + data + " --out " + model +
                                " --channels 2 --latent 3 --embedding 4 --epochs 1 --batch-size 20 --shard-size 5");
  INFO(fit.err);
  REQUIRE(fit.exit_code == 0);
  const CliResult text = run_cli("sample --model " + model + " --text \"a warm sweater\" -n 4 --png " +
                                 dir.file("s.png") + " --out " + dir.file("s.h5"));
  INFO(text.err);
  CHECK(text.exit_code == 0);
  const CliResult label = run_cli("sample --model " + model + " --label 1 -n 4 --out " + dir.file("l.h5"));
  CHECK(label.exit_code == 0);
  const CliResult unknown = run_cli("sample --model " + model + " --text \"purple umbrella\" -n 4 --out " + dir.file("u.h5"));
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err.find("'purple umbrella'") != std::string::npos);
  const CliResult range = run_cli("sample --model " + model + " --label 3 -n 4 --out " + dir.file("r.h5"));
  CHECK(range.exit_code == 2);
  const std::string dcgan = dir.file("dcgan.h5");
  REQUIRE(run_cli("fit dcgan --data " + data + " --out " + dcgan + " --channels 2 --latent 3 --epochs 1").exit_code == 0);
  const CliResult plain = run_cli("sample --model " + dcgan + " --text \"a sweater\" -n 4 --out " + dir.file("p.h5"));
  CHECK(plain.exit_code == 1);
  CHECK(plain.err.find("not conditional") != std::string::npos);
}

}  // namespace logp::testing
