// PixelRNN: exact normalization by enumeration, the whole-model gradient against central
// differences, save/load, sampling, thread-count independence, refusals.
#include <tbb/global_control.h>

#include <catch2/catch.hpp>
#include <bit>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

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

TEST_CASE("pixelrnn: probabilities sum to 1 over every image (3x3 binary: 512, 2x2 with 4 levels: 256)",
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

namespace {

// The receptive field the paper's architecture gives each output pixel, by propagating sets of
// input pixels through its definitions (independent of the tape code): context[p] bit j set when
// output p can depend on input pixel j. 7x7 mask A, then per layer
//   row-lstm:    s(i,x) = r(i,x-1) | r(i,x) | s(i-1,x-1) | s(i-1,x) | s(i-1,x+1)  (1x3 input mask B, 1x3 state)
//   diag-bilstm: l(i,x) = r(i,x) | l(i,x-1) | l(i-1,x);  b(i,x) = r(i,x) | b(i,x+1) | b(i-1,x)  (+ the pixel
//                itself in the first layer);  f(i,x) = l(i,x) | b(i-1,x)
//   conv:        f = 3x3 mask B of r
// with r = r | f, then 1x1 mask-B outputs (no change). H*W <= 64.
std::vector<std::uint64_t> paper_context(PixelRnnLayer layer, Index height, Index width, Index layers) {
  const Index d = height * width;
  const auto at = [&](const std::vector<std::uint64_t>& m, Index i, Index x) -> std::uint64_t {
    return i < 0 || i >= height || x < 0 || x >= width ? 0 : m[static_cast<std::size_t>(i * width + x)];
  };
  const auto masked_conv = [&](const std::vector<std::uint64_t>& in, Index k, bool centre) {
    std::vector<std::uint64_t> out(static_cast<std::size_t>(d), 0);
    for (Index i = 0; i < height; ++i)
      for (Index x = 0; x < width; ++x)
        for (Index dy = -k / 2; dy <= 0; ++dy)
          for (Index dx = -k / 2; dx <= k / 2; ++dx)
            if (dy < 0 || dx < 0 || (dx == 0 && centre)) out[static_cast<std::size_t>(i * width + x)] |= at(in, i + dy, x + dx);
    return out;
  };
  std::vector<std::uint64_t> pixel(static_cast<std::size_t>(d));
  for (Index p = 0; p < d; ++p) pixel[static_cast<std::size_t>(p)] = std::uint64_t{1} << p;
  std::vector<std::uint64_t> r = masked_conv(pixel, 7, false);
  for (Index k = 0; k < layers; ++k) {
    std::vector<std::uint64_t> f(static_cast<std::size_t>(d), 0);
    if (layer == PixelRnnLayer::conv) f = masked_conv(r, 3, true);
    if (layer == PixelRnnLayer::row_lstm)
      for (Index i = 0; i < height; ++i)
        for (Index x = 0; x < width; ++x)
          f[static_cast<std::size_t>(i * width + x)] = at(r, i, x - 1) | at(r, i, x) | at(f, i - 1, x - 1) |
                                                       at(f, i - 1, x) | at(f, i - 1, x + 1);
    if (layer == PixelRnnLayer::diagonal_bilstm) {
      std::vector<std::uint64_t> l(static_cast<std::size_t>(d), 0), b(static_cast<std::size_t>(d), 0);
      for (Index i = 0; i < height; ++i) {
        for (Index x = 0; x < width; ++x)
          l[static_cast<std::size_t>(i * width + x)] = at(r, i, x) | at(l, i, x - 1) | at(l, i - 1, x);
        for (Index x = width - 1; x >= 0; --x)
          b[static_cast<std::size_t>(i * width + x)] =
              at(r, i, x) | (k == 0 ? at(pixel, i, x) : 0) | at(b, i, x + 1) | at(b, i - 1, x);
      }
      for (Index i = 0; i < height; ++i)
        for (Index x = 0; x < width; ++x) f[static_cast<std::size_t>(i * width + x)] = at(l, i, x) | at(b, i - 1, x);
    }
    for (Index p = 0; p < d; ++p) r[static_cast<std::size_t>(p)] |= f[static_cast<std::size_t>(p)];
  }
  return r;
}

}  // namespace

TEST_CASE("pixelrnn: the receptive field of the paper's architecture (reference for the next test)",
          "[pixelrnn][autoregressive]") {
  const Index h = 6, w = 6;
  const auto all_before = [](Index p) { return (std::uint64_t{1} << p) - 1; };
  // The Diagonal BiLSTM sees the whole context: every pixel before p, from one layer on.
  for (const Index layers : {1, 2}) {
    const std::vector<std::uint64_t> c = paper_context(PixelRnnLayer::diagonal_bilstm, h, w, layers);
    for (Index p = 0; p < h * w; ++p) CHECK(c[static_cast<std::size_t>(p)] == all_before(p));
  }
  // The Row LSTM's triangle and PixelCNN's blind spot: pixel (3, 0) does not see (2, 5).
  for (const PixelRnnLayer layer : {PixelRnnLayer::row_lstm, PixelRnnLayer::conv}) {
    const std::vector<std::uint64_t> c = paper_context(layer, h, w, 2);
    for (Index p = 0; p < h * w; ++p) CHECK((c[static_cast<std::size_t>(p)] & ~all_before(p)) == 0);
    CHECK((c[3 * w] >> (2 * w + 5) & 1) == 0);
    CHECK((c[3 * w] >> (2 * w + 3) & 1) == 1);  // inside the 7x7 window
  }
}

TEST_CASE("pixelrnn: the whole network is autoregressive with the paper's context (6x6: logits at pixel i "
          "depend on exactly the pixels j < i its architecture covers)",
          "[pixelrnn][autoregressive]") {
  // 6 columns: wider than the 7x7 input window's reach (3), so a missing context pixel in the
  // row above shows (pixel (i-1, 5) for x < 2 in the Diagonal BiLSTM without its fix).
  const Index h = 6, w = 6, d = h * w;
  for (const PixelRnnLayer layer : kLayers) {
    for (const int levels : {2, 3}) {
      INFO(to_string(layer) << ", " << levels << " levels");
      const PixelRnnModel model = tiny_pixelrnn(h, w, levels, layer, 2, 3, 12);
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
      const Index k = model.network().outputs_per_pixel();
      // seen[i] bit j: changing pixel j moved a logit of pixel i, for some of 3 base images
      // (a dependence hidden by a dead ReLU at one image shows at another).
      std::vector<std::uint64_t> seen(static_cast<std::size_t>(d), 0);
      for (const std::uint64_t seed : {3, 4, 5}) {
        const MatrixD x = random_discrete(d, 1, levels, seed).cast<double>();
        const MatrixD base = logits(x);
        for (Index j = 0; j < d; ++j) {
          MatrixD moved = x;
          moved(j) = std::fmod(x(j) + 1.0, levels);  // another level
          const MatrixD changed = logits(moved);
          for (Index i = 0; i < d; ++i)
            if ((changed.middleRows(i * k, k) - base.middleRows(i * k, k)).cwiseAbs().maxCoeff() > 0.0)
              seen[static_cast<std::size_t>(i)] |= std::uint64_t{1} << j;
        }
      }
      const std::vector<std::uint64_t> expected = paper_context(layer, h, w, 2);
      Index leaks = 0, missing = 0;
      for (Index i = 0; i < d; ++i) {
        const std::uint64_t got = seen[static_cast<std::size_t>(i)];
        const std::uint64_t want = expected[static_cast<std::size_t>(i)];
        leaks += std::popcount(got & ~((std::uint64_t{1} << i) - 1));  // j >= i
        missing += std::popcount(want & ~got);
        INFO("pixel " << i << ": sees " << std::popcount(got) << ", expected " << std::popcount(want));
        CHECK(got == want);
      }
      CHECK(leaks == 0);
      CHECK(missing == 0);
    }
  }
}

TEST_CASE("pixelrnn: num_parameters counts free parameters only (masked convolution taps excluded)",
          "[pixelrnn]") {
  // h = 2 (4 residual maps), one layer, binary 5x5. Masked taps: 7x7 mask A keeps 24 of 49, 3x3
  // mask B keeps 5 of 9, the Row LSTM's 1x3 input mask B keeps 2 of 3; 1x1 mask B keeps all.
  //   input 7x7 A 1 -> 4: 4*24 + 4 = 100; outputs 1x1 4 -> 4 -> 1: 20 + 5 = 25
  //   row-lstm: input 8*(2*4) + bias 8 + state 8*(3*2) = 120, residual 1x1 2 -> 4: 12
  //   diag-bilstm: ltr 8*4 + 8 + 8*4 = 72, rtl 72 + image 8*1 = 80, residual 12
  //   conv: 3x3 B 4 -> 4: 4*(5*4) + 4 = 84
  const std::pair<PixelRnnLayer, Index> expected[] = {
      {PixelRnnLayer::row_lstm, 100 + 25 + 120 + 12},
      {PixelRnnLayer::diagonal_bilstm, 100 + 25 + 72 + 80 + 12},
      {PixelRnnLayer::conv, 100 + 25 + 84}};
  for (const auto& [layer, count] : expected) {
    INFO(to_string(layer));
    const PixelRnnModel model = tiny_pixelrnn(5, 5, 2, layer, 1, 2, 1);
    CHECK(model.num_parameters() == count);
    CHECK(model.parameters().size() > count);  // the store also holds the masked taps
    // Every masked tap is zero after initialize() and stays zero: its gradient is exactly zero.
    Rng rng(2);
    PixelRnnModel fresh(model.data_spec(), model.options());
    fresh.initialize(rng);
    const std::span<const float> v = fresh.parameters().values();
    std::vector<float> grad(v.size(), 0.0f);
    fresh.objective_and_grad(random_discrete(25, 4, 2, 3), rng, grad);
    Index zero_and_flat = 0;
    for (std::size_t k = 0; k < v.size(); ++k) zero_and_flat += v[k] == 0.0f && grad[k] == 0.0f ? 1 : 0;
    CHECK(zero_and_flat >= model.parameters().size() - count);
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

TEST_CASE("pixelrnn: save/load gives bit-identical log_prob, samples are valid images", "[pixelrnn][io]") {
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

TEST_CASE("pixelrnn: the network on the first r rows gives the full network's logits of those rows (sampling "
          "crops)",
          "[pixelrnn][sample]") {
  const Index h = 5, w = 4;
  for (const PixelRnnLayer layer : kLayers) {
    for (const int levels : {2, 3}) {
      INFO(to_string(layer) << ", " << levels << " levels");
      const PixelRnnModel model = tiny_pixelrnn(h, w, levels, layer, 2, 3, 21);
      const std::span<const float> v = model.parameters().values();
      const Eigen::VectorXd theta = Eigen::Map<const VectorF>(v.data(), static_cast<Index>(v.size())).cast<double>();
      const std::span<const double> values(theta.data(), static_cast<std::size_t>(theta.size()));
      std::vector<double> unused(v.size());
      const MatrixD x = random_discrete(h * w, 3, levels, 5).cast<double>();
      ad::BasicTape<double> tape;
      const MatrixD full = model.network().logits<double>(tape, x, model.parameters().blocks(), values, unused).value();
      const Index k = model.network().outputs_per_pixel();
      for (Index rows = 1; rows < h; ++rows) {
        ParameterStore layout;
        const PixelRnnNetwork top =
            PixelRnnNetwork::add_to(layout, layer, rows, w, levels, model.options().hidden, model.options().layers);
        REQUIRE(layout.size() == model.parameters().size());
        ad::BasicTape<double> t;
        const MatrixD cropped = top.logits<double>(t, x.topRows(rows * w), layout.blocks(), values, unused).value();
        CHECK((cropped - full.topRows(rows * w * k)).cwiseAbs().maxCoeff() < 1e-12 * (1.0 + full.cwiseAbs().maxCoeff()));
      }
    }
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
