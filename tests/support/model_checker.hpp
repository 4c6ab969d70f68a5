#pragma once
// The checker every registered model type passes (docs/architecture.md, "The model checker").
// A CheckerCase says how to fit a tiny instance of one type through its registry entry (the same
// option names as the command line); check_model then asserts, for whatever capabilities the
// fitted model has:
//   density/score: wrong D refused with an Error; a column's value is the same alone and inside
//     batches of width 1, 3, 7, 16, 64 and 300; parallel (blocks of 7 and 64) = serial, bit for
//     bit; save/load gives the same type, hyperparameters and values bit for bit;
//   exact density on a discrete space: the probabilities of all levels^D examples sum to 1, and a
//     chi-square test of 20,000 samples against those probabilities passes (p > 1e-6);
//   trainable: objective_and_grad adds (never overwrites) a gradient that matches central
//     differences of the objective, with the random draws held fixed;
//   implicit (samples only): the first k columns of sample(n) are sample(k) for the same seed, and
//     save/load gives the same samples bit for bit; a translator that draws no samples (cyclegan,
//     stargan): the same for the translations of the first k examples into class 1;
//   a two-player game (the GAN family): each player's loss_and_grad adds a gradient that matches
//     central differences of its loss, with the draws held fixed;
//   the command line: fit TYPE -> score -> sample round trip (sample only where the model samples;
//     score refused, naming the file, for implicit models).
#include <boost/math/distributions/chi_squared.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "logp/core/error.hpp"
#include "logp/eval/score.hpp"
#include "logp/io/model_file.hpp"
#include "logp/models/gan/adversarial_game.hpp"
#include "logp/models/registry.hpp"
#include "logp/models/translator.hpp"
#include "logp/train/trainable.hpp"
#include "support/binary_data.hpp"
#include "support/dataset_file.hpp"
#include "support/enumerate.hpp"
#include "support/gradient_check.hpp"
#include "support/labelled_images.hpp"
#include "support/real_data.hpp"
#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"

namespace logp::testing {

enum class CheckerData { binary_3x3, binary_4x4, real_4, labelled_8x8 };

struct CheckerCase {
  std::string type;      // the registered type the fitted model has
  std::string fit_type;  // the entry that fits it (differs for wrappers: transformed <- gaussian)
  CheckerData data;
  std::vector<std::pair<std::string, std::string>> options;  // name, value ("" for a flag)
  bool samples = true;   // Model::sample is defined
};

// The checker's data files: binary 3x3 images (D = 9, 200 examples per split), binary 4x4 images
// (D = 16, for convolutional models that halve the size twice) and correlated real vectors
// (D = 4, 200 per split).
inline std::string checker_data_file(CheckerData data, const TempDir& dir) {
  if (data == CheckerData::labelled_8x8) {  // the labelled 8 x 8 images (3 classes; image-to-image models)
    const std::string path = dir.file("labelled8.h5");
    if (!std::filesystem::exists(path)) write_labelled_image_dataset(path, 200, 100);
    return path;
  }
  if (data == CheckerData::binary_4x4) {
    const std::string path = dir.file("binary4.h5");
    if (!std::filesystem::exists(path)) write_discrete_dataset(path, 16, 200, 2, {4, 4, 1});
    return path;
  }
  if (data == CheckerData::binary_3x3) {
    const std::string path = dir.file("binary.h5");
    if (!std::filesystem::exists(path)) write_discrete_dataset(path, 9, 200, 2, {3, 3, 1});
    return path;
  }
  const std::string path = dir.file("real.h5");
  if (!std::filesystem::exists(path)) {
    auto correlated = [](std::uint64_t seed) {
      Matrix x = random_real(4, 200, seed);
      x.row(1) += 0.8f * x.row(0);
      x.row(3) -= 0.5f * x.row(2);
      return x;
    };
    DatasetWriter writer(path, real_spec(4), {{"source", "test"}});
    std::uint64_t seed = 1;
    for (const char* split : {"train", "valid", "test"}) {
      const Matrix x = correlated(seed++);
      std::vector<std::int64_t> y;
      for (Index j = 0; j < x.cols(); ++j) y.push_back(x(0, j) > 0.5f ? 1 : 0);
      writer.add_split(split, std::vector<float>(x.data(), x.data() + x.size()), y);
    }
    writer.commit();
  }
  return path;
}

inline std::string cli_options(const CheckerCase& c) {
  std::string text;
  for (const auto& [name, value] : c.options) text += " --" + name + (value.empty() ? "" : " " + value);
  return text;
}

inline std::unique_ptr<Model> fit_checker_case(const CheckerCase& c, const std::string& data_file) {
  const ModelEntry& entry = model_entry(c.fit_type);
  REQUIRE(entry.make_fit != nullptr);
  const std::unique_ptr<ModelFit> fit = entry.make_fit();
  for (const auto& [name, value] : c.options) fit->options().set(name, value);
  const DatasetSplit train = DatasetSplit::open(data_file, "train");
  std::ostringstream log;
  std::unique_ptr<Model> model = fit->fit(FitContext{train, data_file, log});
  REQUIRE(model->type() == c.type);
  return model;
}

// Per-example values of a density or scoring model.
inline Vector checker_values(const Model& model, ConstMatrixRef x) {
  if (const auto* density = dynamic_cast<const DensityModel*>(&model)) return density->log_prob(x);
  return dynamic_cast<const ScoringModel&>(model).score(x);
}

inline void check_batch_independence(const Model& model, const Matrix& x) {
  const Vector all = checker_values(model, x);
  REQUIRE(all.allFinite());
  for (Index width : {1, 3, 7, 16, 64, 300}) {
    INFO("batch width " << width);
    CHECK((checker_values(model, x.leftCols(width)).array() == all.head(width).array()).all());
  }
  for (Index j : {0, 5, 31, 32, 33, 299}) {
    INFO("column " << j << " alone");
    CHECK(checker_values(model, x.col(j))(0) == all(j));
  }
  const auto values = [&model](ConstMatrixRef columns) { return checker_values(model, columns); };
  for (Index block : {7, 64}) {
    INFO("parallel blocks of " << block);
    CHECK((parallel_map_columns(x, values, block).array() == all.array()).all());
  }
  CHECK_THROWS_AS(checker_values(model, Matrix::Zero(model.dim() + 1, 3)), Error);
}

inline bool has_values(const Model& model) {
  return dynamic_cast<const DensityModel*>(&model) != nullptr || dynamic_cast<const ScoringModel*>(&model) != nullptr;
}

inline Matrix checker_samples(const Model& model, Index n) {
  Rng rng(3);
  return model.sample(n, rng);
}

// x's translations into class 1 (a Translator's target_class("1")), seed 3.
inline Matrix checker_translations(const Model& model, const Matrix& x) {
  const auto& translator = dynamic_cast<const Translator&>(model);
  Rng rng(3);
  return translator.translate(x, translator.target_class("1"), rng);
}

// A column's translation does not depend on how many are translated.
inline void check_translation_prefix(const Model& model, const Matrix& x) {
  const Matrix all = checker_translations(model, x.leftCols(70));
  REQUIRE(all.allFinite());
  for (Index n : {1, 7, 33}) {
    INFO("first " << n << " of 70 translations");
    CHECK((checker_translations(model, x.leftCols(n)).array() == all.leftCols(n).array()).all());
  }
}

// Samples of an implicit model do not depend on how many are drawn.
inline void check_sample_prefix(const Model& model) {
  const Matrix all = checker_samples(model, 70);
  REQUIRE(all.allFinite());
  for (Index n : {1, 7, 33}) {
    INFO("first " << n << " of 70 samples");
    CHECK((checker_samples(model, n).array() == all.leftCols(n).array()).all());
  }
}

inline void check_save_load(const Model& model, const Matrix& x, const TempDir& dir) {
  const std::string path = dir.file(std::string(model.type()) + "-roundtrip.h5");
  save_model(model, FitRecord{"data.h5", "train", 200, 0.0, "checker", "now"}, path);
  const std::unique_ptr<Model> loaded = load_model(path);
  CHECK(loaded->type() == model.type());
  CHECK(loaded->hyperparameters() == model.hyperparameters());
  CHECK(loaded->num_parameters() == model.num_parameters());
  if (has_values(model)) {
    CHECK((checker_values(*loaded, x).array() == checker_values(model, x).array()).all());
  } else if (dynamic_cast<const Translator*>(&model) != nullptr) {
    CHECK((checker_translations(*loaded, x.leftCols(40)).array() == checker_translations(model, x.leftCols(40)).array()).all());
  } else {
    CHECK((checker_samples(*loaded, 40).array() == checker_samples(model, 40).array()).all());
  }
}

// Exact normalization by enumeration and a chi-square test of samples against it.
inline void check_discrete_distribution(const DensityModel& model) {
  const Matrix all = all_examples(model.dim(), model.data_spec().levels);
  const Vector p = model.log_prob(all).array().exp();
  CHECK(p.sum() == Approx(1.0).epsilon(1e-4));

  const Index n = 20000;
  Rng rng(99);
  const Matrix samples = model.sample(n, rng);
  std::map<Index, double> counts;
  for (Index j = 0; j < n; ++j) {
    Index code = 0, scale = 1;
    for (Index i = 0; i < model.dim(); ++i, scale *= model.data_spec().levels)
      code += static_cast<Index>(samples(i, j)) * scale;
    counts[code] += 1.0;
  }
  // Cells with fewer than 5 expected samples are pooled into one.
  double chi2 = 0.0, pooled_expected = 0.0, pooled_observed = 0.0;
  int cells = 0;
  for (Index code = 0; code < all.cols(); ++code) {
    const double expected = static_cast<double>(n) * p(code) / p.sum();
    const double observed = counts.count(code) ? counts[code] : 0.0;
    if (expected < 5.0) {
      pooled_expected += expected;
      pooled_observed += observed;
      continue;
    }
    chi2 += (observed - expected) * (observed - expected) / expected;
    ++cells;
  }
  if (pooled_expected > 0.0) {
    chi2 += (pooled_observed - pooled_expected) * (pooled_observed - pooled_expected) / pooled_expected;
    ++cells;
  }
  REQUIRE(cells >= 2);
  const double p_value = boost::math::cdf(boost::math::complement(boost::math::chi_squared(cells - 1), chi2));
  INFO("chi-square " << chi2 << " over " << cells << " cells");
  CHECK(p_value > 1e-6);
}

// objective_and_grad against central differences of the objective (float parameters; the draws
// held fixed by reusing one rng state), on 20 parameters, with a pre-filled gradient buffer.
inline void check_trainable_gradient(Trainable& trainable, const Matrix& x) {
  const std::span<float> theta = trainable.parameters().values();
  const Index count = static_cast<Index>(theta.size());
  REQUIRE(count > 0);
  const Rng draws(7);
  const auto objective = [&] {
    Rng rng = draws;
    std::vector<float> scratch(theta.size(), 0.0f);
    return trainable.objective_and_grad(x, rng, scratch);
  };
  Rng fill(11);
  std::vector<float> prefill(theta.size());
  for (float& g : prefill) g = static_cast<float>(fill.normal());
  std::vector<float> grad = prefill;
  {
    Rng rng = draws;
    trainable.objective_and_grad(x, rng, grad);
  }
  for (int trial = 0; trial < 20; ++trial) {
    const std::size_t k = static_cast<std::size_t>(fill.uniform_index(static_cast<std::uint64_t>(count)));
    const double numeric = central_difference(theta[k], 1e-2f, objective);
    const double analytic = static_cast<double>(grad[k]) - static_cast<double>(prefill[k]);
    INFO("parameter " << k << ": analytic " << analytic << ", central difference " << numeric);
    CHECK(std::abs(analytic - numeric) <= 3e-2 * std::max(1.0, std::abs(numeric)));
  }
}

// Each player's loss_and_grad against central differences of its loss (float parameters, draws
// and batch-norm states held fixed), on 12 parameters per player, with a pre-filled buffer.
inline void check_game_gradient(AdversarialGame& game, const Matrix& x) {
  const Matrix real = game.to_training_scale(x);
  std::vector<std::int64_t> labels;  // a conditional game's: classes 0, 1, 0, 1, ...
  if (game.conditional())
    for (Index j = 0; j < x.cols(); ++j) labels.push_back(j % 2);
  for (Player player : kPlayers) {
    const std::span<float> theta = game.parameters(player).values();
    const Index count = static_cast<Index>(theta.size());
    REQUIRE(count > 0);
    const Rng draws(7);
    const auto loss = [&](std::span<float> grad) {
      Rng rng = draws;
      GameNorms norms = game.norms();
      return game.loss_and_grad(player, real, labels, rng, norms, grad).loss;
    };
    Rng fill(11);
    std::vector<float> prefill(theta.size());
    for (float& g : prefill) g = static_cast<float>(fill.normal());
    std::vector<float> grad = prefill, scratch(theta.size());
    loss(grad);
    for (int trial = 0; trial < 12; ++trial) {
      const std::size_t k = static_cast<std::size_t>(fill.uniform_index(static_cast<std::uint64_t>(count)));
      // A small step: batch norm over a few examples curves sharply.
      const double numeric = central_difference(theta[k], 2e-4f, [&] { return loss(scratch); });
      const double analytic = static_cast<double>(grad[k]) - static_cast<double>(prefill[k]);
      INFO("player " << static_cast<int>(player) << ", parameter " << k << ": analytic " << analytic
                     << ", central difference " << numeric);
      CHECK(std::abs(analytic - numeric) <= 3e-2 * std::max(1.0, std::abs(numeric)));
    }
  }
}

inline void check_cli_round_trip(const CheckerCase& c, const std::string& data_file, const TempDir& dir,
                                  bool has_likelihood_or_score) {
  const std::string model = dir.file(c.type + "-cli.h5");
  const CliResult fit = run_cli("fit " + c.fit_type + " --data " + data_file + " --out " + model + cli_options(c));
  INFO(fit.err);
  REQUIRE(fit.exit_code == 0);
  const CliResult score = run_cli("score --model " + model + " --data " + data_file + " --split test");
  INFO(score.err);
  if (has_likelihood_or_score) {
    CHECK(score.exit_code == 0);
  } else {  // an implicit model: never a log-likelihood
    CHECK(score.exit_code == 1);
    CHECK(score.err.find(model) != std::string::npos);
    CHECK(score.out.find("log_prob") == std::string::npos);
  }
  if (!c.samples) return;
  const CliResult sample = run_cli("sample --model " + model + " -n 4 --out " + dir.file(c.type + "-samples.h5"));
  INFO(sample.err);
  CHECK(sample.exit_code == 0);
}

inline void check_model(const CheckerCase& c) {
  TempDir dir;
  const std::string data_file = checker_data_file(c.data, dir);
  const std::unique_ptr<Model> model = fit_checker_case(c, data_file);
  const Matrix x = c.data == CheckerData::binary_3x3     ? random_discrete(9, 300, 2, 5)
                   : c.data == CheckerData::binary_4x4   ? random_discrete(16, 300, 2, 5)
                   : c.data == CheckerData::labelled_8x8 ? random_discrete(64, 300, 2, 5)
                                                         : random_real(4, 300, 6);
  if (has_values(*model)) {
    check_batch_independence(*model, x);
  } else if (c.samples) {
    check_sample_prefix(*model);
  } else {
    check_translation_prefix(*model, x);
  }
  check_save_load(*model, x, dir);
  const auto* density = dynamic_cast<const DensityModel*>(model.get());
  if (density && density->likelihood_kind() == LikelihoodKind::exact && density->data_spec().is_discrete())
    check_discrete_distribution(*density);
  if (auto* trainable = dynamic_cast<Trainable*>(model.get())) check_trainable_gradient(*trainable, x.leftCols(6));
  if (auto* game = dynamic_cast<AdversarialGame*>(model.get())) check_game_gradient(*game, x.leftCols(6));
  check_cli_round_trip(c, data_file, dir, has_values(*model));
}

}  // namespace logp::testing
