// PixelRNN: exact normalization by enumeration, the whole-model gradient against central
// differences, save/load, sampling, thread-count independence, refusals.
#include <tbb/global_control.h>

#include <catch2/catch.hpp>
#include <cmath>

#include "logp/io/model_file.hpp"
#include "logp/models/pixelrnn/pixelrnn.hpp"
#include "logp/train/trainer.hpp"
#include "support/binary_data.hpp"
#include "support/dataset_file.hpp"
#include "support/enumerate.hpp"
#include "support/gradient_check.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

constexpr PixelRnnLayer kLayers[] = {PixelRnnLayer::row_lstm, PixelRnnLayer::diagonal_bilstm, PixelRnnLayer::conv};

PixelRnnModel tiny_pixelrnn(Index height, Index width, int levels, PixelRnnLayer layer, Index layers, Index hidden,
                            std::uint64_t seed) {
  PixelRnnOptions options;
  options.layer = layer;
  options.layers = layers;
  options.hidden = hidden;
  options.eval_chunk = 50;  // several chunks in the enumerations
  PixelRnnModel model(discrete_spec(height * width, levels, {height, width, 1}), options);
  Rng rng(seed);
  model.initialize(rng);
  // Non-zero biases and larger weights, so that every parameter matters and p is far from uniform.
  for (float& v : model.parameters().values()) v = v == 0.0f ? static_cast<float>(0.5 * rng.normal()) : 2.0f * v;
  return model;
}

}  // namespace

TEST_CASE("pixelrnn: probabilities sum to 1 over every image (3x3 binary: 512; 2x2 with 4 levels: 256)",
          "[pixelrnn][normalization]") {
  for (const PixelRnnLayer layer : kLayers) {
    INFO(to_string(layer));
    const PixelRnnModel binary = tiny_pixelrnn(3, 3, 2, layer, 2, 3, 1);
    const double total_binary = total_probability(binary);
    const PixelRnnModel four = tiny_pixelrnn(2, 2, 4, layer, 2, 3, 2);
    const double total_four = total_probability(four);
    INFO("sums - 1: " << total_binary - 1.0 << " (512 binary images), " << total_four - 1.0
                      << " (256 images, 4 levels)");
    CHECK(std::abs(total_binary - 1.0) < 1e-5);
    CHECK(std::abs(total_four - 1.0) < 1e-5);
    // Not uniform: the test model has real structure.
    const Vector lp = binary.log_prob(all_examples(9, 2));
    CHECK(lp.maxCoeff() - lp.minCoeff() > 1.0);
  }
}

TEST_CASE("pixelrnn: the whole network is autoregressive (4x4: logits at pixel i ignore pixels j >= i)",
          "[pixelrnn][autoregressive]") {
  for (const PixelRnnLayer layer : kLayers) {
    for (const int levels : {2, 3}) {
      INFO(to_string(layer) << ", " << levels << " levels");
      const PixelRnnModel model = tiny_pixelrnn(4, 4, levels, layer, 2, 3, 12);
      const std::span<const float> v = model.parameters().values();
      const Eigen::VectorXd theta = Eigen::Map<const VectorF>(v.data(), static_cast<Index>(v.size())).cast<double>();
      std::vector<double> unused(v.size());
      const auto logits = [&](const MatrixD& x) {
        ad::BasicTape<double> tape;
        return MatrixD(model.network()
                           .logits<double>(tape, x, model.parameters().blocks(),
                                           std::span<const double>(theta.data(), theta.size()), unused)
                           .value());
      };
      const MatrixD x = random_discrete(16, 1, levels, 3).cast<double>();
      const MatrixD base = logits(x);
      const Index k = model.network().outputs_per_pixel();
      Index leaks = 0, blind = 0;
      std::vector<bool> sees_past(16, false);
      for (Index j = 0; j < 16; ++j) {
        MatrixD moved = x;
        moved(j) = std::fmod(x(j) + 1.0, levels);  // another level
        const MatrixD changed = logits(moved);
        for (Index i = 0; i < 16; ++i) {
          const bool differs = (changed.middleRows(i * k, k) - base.middleRows(i * k, k)).cwiseAbs().maxCoeff() > 0.0;
          if (differs && j >= i) ++leaks;
          if (differs && j < i) sees_past[static_cast<std::size_t>(i)] = true;
        }
      }
      for (Index i = 1; i < 16; ++i) blind += sees_past[static_cast<std::size_t>(i)] ? 0 : 1;
      CHECK(leaks == 0);
      CHECK(blind == 0);
    }
  }
}

TEST_CASE("pixelrnn: the whole-model gradient matches central differences in double", "[pixelrnn][gradient]") {
  for (const PixelRnnLayer layer : kLayers) {
    for (const int levels : {2, 3}) {
      INFO(to_string(layer) << ", " << levels << " levels");
      const PixelRnnModel model = tiny_pixelrnn(3, 3, levels, layer, 2, 2, 7);
      const MatrixD x = random_discrete(9, 3, levels, 4).cast<double>();
      const PixelRnnNetwork& net = model.network();
      const Objective f = [&](const Eigen::VectorXd& theta, Eigen::Ref<Eigen::VectorXd> grad) {
        ad::BasicTape<double> tape;
        const ad::BasicVar<double> loss = net.negative_log_likelihood<double>(
            tape, x, model.parameters().blocks(), std::span<const double>(theta.data(), theta.size()),
            std::span<double>(grad.data(), grad.size()));
        tape.backward(loss);
        return loss.value()(0, 0);
      };
      const std::span<const float> v = model.parameters().values();
      const Eigen::VectorXd theta = Eigen::Map<const VectorF>(v.data(), static_cast<Index>(v.size())).cast<double>();
      const GradientCheck check = check_gradient(f, theta);
      INFO("worst entry " << check.worst << " of " << theta.size() << ", error " << check.max_abs_error);
      CHECK(check.max_abs_error < 1e-6 * std::max(1.0, check.max_scale));

      // objective_and_grad (float) agrees with the double objective, and log_prob with the NLL.
      std::vector<float> grad(v.size(), 0.0f);
      Rng rng(1);
      const double nll = model.objective_and_grad(x.cast<float>(), rng, grad);
      Eigen::VectorXd expected = Eigen::VectorXd::Zero(theta.size());
      const double nll_double = f(theta, expected);
      CHECK(nll == Approx(nll_double).epsilon(1e-5));
      CHECK(-model.log_prob(x.cast<float>()).sum() == Approx(nll_double).epsilon(1e-5));
      const Eigen::VectorXd got =
          Eigen::Map<const VectorF>(grad.data(), static_cast<Index>(grad.size())).cast<double>();
      CHECK((got - expected).cwiseAbs().maxCoeff() < 1e-3 * std::max(1.0, expected.cwiseAbs().maxCoeff()));
    }
  }
}

TEST_CASE("pixelrnn: save/load gives bit-identical log_prob; samples are valid images", "[pixelrnn][io]") {
  TempDir dir;
  for (const PixelRnnLayer layer : kLayers) {
    INFO(to_string(layer));
    const PixelRnnModel model = tiny_pixelrnn(4, 3, 2, layer, 2, 3, 9);
    const std::string path = dir.file(std::string(to_string(layer)) + ".h5");
    save_model(model, FitRecord{}, path);
    const std::unique_ptr<DensityModel> loaded = load_density_model(path);
    CHECK(loaded->type() == "pixelrnn");
    CHECK(loaded->hyperparameters() == model.hyperparameters());
    const Matrix x = random_discrete(12, 20, 2, 6);
    CHECK(loaded->log_prob(x) == model.log_prob(x));
    Rng a(3), b(3);
    const Matrix s = model.sample(70, a);  // two eval chunks
    CHECK(s.rows() == 12);
    CHECK((s.array() == 0.0f || s.array() == 1.0f).all());
    CHECK(loaded->sample(70, b) == s);
  }
}

TEST_CASE("pixelrnn: ancestral samples follow the model (2x2, 3 levels: frequencies vs probabilities)",
          "[pixelrnn][sample]") {
  const PixelRnnModel model = tiny_pixelrnn(2, 2, 3, PixelRnnLayer::diagonal_bilstm, 1, 2, 4);
  const Matrix all = all_examples(4, 3);
  const Vector p = model.log_prob(all).array().exp();
  Rng rng(8);
  const Index n = 4000;
  const Matrix s = model.sample(n, rng);
  Vector counts = Vector::Zero(all.cols());
  for (Index e = 0; e < n; ++e) {
    Index code = 0, scale = 1;
    for (Index i = 0; i < 4; ++i, scale *= 3) code += static_cast<Index>(s(i, e)) * scale;
    counts(code) += 1.0;
  }
  // Chi-square over the 81 images, cells with expected count >= 5 (pooling the rest).
  double chi2 = 0.0, rest_expected = 0.0, rest_observed = 0.0;
  Index cells = 0;
  for (Index k = 0; k < all.cols(); ++k) {
    const double expected = n * p(k);
    if (expected >= 5.0) {
      chi2 += (counts(k) - expected) * (counts(k) - expected) / expected;
      ++cells;
    } else {
      rest_expected += expected;
      rest_observed += counts(k);
    }
  }
  if (rest_expected > 0.0) {
    chi2 += (rest_observed - rest_expected) * (rest_observed - rest_expected) / rest_expected;
    ++cells;
  }
  // df = cells - 1; mean df, s.d. sqrt(2 df): 5 s.d. above the mean is a failure.
  const double df = static_cast<double>(cells - 1);
  INFO("chi2 " << chi2 << " with " << df << " degrees of freedom");
  CHECK(chi2 < df + 5.0 * std::sqrt(2.0 * df));
}

TEST_CASE("pixelrnn: training is bit-identical for 1 and 2 threads", "[pixelrnn][threads]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 16, 60, 2, {4, 4, 1});
  const DatasetSplit train = DatasetSplit::open(data, "train"), valid = DatasetSplit::open(data, "valid");
  for (const PixelRnnLayer layer : kLayers) {
    INFO(to_string(layer));
    const auto trained = [&](int threads) {
      tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
      PixelRnnModel model = tiny_pixelrnn(4, 4, 2, layer, 1, 3, 1);
      TrainOptions options;
      options.batch_size = 20;
      options.shard_size = 5;
      options.max_epochs = 2;
      options.seed = 3;
      options.optimizer.learning_rate = 0.01;
      const TrainResult result = train_model(model, train, &valid, options);
      return std::pair{model.parameters().copy_values(), result.final_train_nll};
    };
    const auto [one, nll_one] = trained(1);
    const auto [two, nll_two] = trained(2);
    CHECK(two == one);
    CHECK(nll_two == nll_one);
    CHECK(one != tiny_pixelrnn(4, 4, 2, layer, 1, 3, 1).parameters().copy_values());
  }
}

TEST_CASE("pixelrnn: refuses data it cannot model, and bad options, with a clear message", "[pixelrnn][errors]") {
  PixelRnnOptions options;
  CHECK_THROWS_WITH(PixelRnnModel(discrete_spec(9, 2), options), Catch::Contains("one channel"));
  CHECK_THROWS_WITH(PixelRnnModel(DataSpec{DataKind::real, 0, 9, {3, 3, 1}}, options),
                    Catch::Contains("binary or categorical"));
  CHECK_THROWS_WITH(PixelRnnModel(discrete_spec(27, 2, {3, 3, 3}), options), Catch::Contains("one channel"));
  options.hidden = 0;
  CHECK_THROWS_WITH(PixelRnnModel(discrete_spec(9, 2, {3, 3, 1}), options), Catch::Contains("--hidden"));
  CHECK_THROWS_WITH(parse_pixelrnn_layer("gru"), Catch::Contains("'gru'"));
  const PixelRnnModel model = tiny_pixelrnn(3, 3, 2, PixelRnnLayer::conv, 1, 2, 1);
  CHECK_THROWS_WITH(model.log_prob(Matrix::Zero(10, 1)), Catch::Contains("D=10"));
  CHECK_THROWS_WITH(model.log_prob(Matrix::Constant(9, 1, 2.0f)), Catch::Contains("outside 0..1"));
}
