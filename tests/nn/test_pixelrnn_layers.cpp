// The PixelRNN layers: the autoregressive property checked exhaustively on small images (output
// pixel i never moves when an input pixel j >= i changes, and does move for some j < i), and
// every layer's gradient (parameters and input) against central differences in double.
#include <catch2/catch.hpp>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "logp/autodiff/ops.hpp"
#include "logp/nn/pixelrnn/diagonal_bilstm.hpp"
#include "logp/nn/pixelrnn/masked_conv_layer.hpp"
#include "logp/nn/pixelrnn/row_lstm.hpp"
#include "logp/nn/pixelrnn/tape_parameter.hpp"
#include "support/gradient_check.hpp"
#include "support/op_check.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

using TapeD = ad::BasicTape<double>;
using VarD = ad::BasicVar<double>;
// Builds a layer's output [H*W*K, N] from its input on a double tape; parameters from values
// through the store's blocks.
using Build = std::function<VarD(TapeD&, VarD x, const std::vector<ParameterBlock>& blocks,
                                 std::span<const double> values, std::span<double> grad)>;
// A layer on top of the input layer: its input map and the image itself (the Diagonal BiLSTM's
// first layer reads both).
using StackedBuild = std::function<VarD(TapeD&, VarD map, VarD image, const std::vector<ParameterBlock>& blocks,
                                        std::span<const double> values, std::span<double> grad)>;

// A layer under test: its parameters and how to run it, for an H x W x C input image.
struct Subject {
  ParameterStore store;
  Build build;
  Eigen::VectorXd theta;  // the parameters in double, biases made non-zero
};

void finish(Subject& s, const std::function<void(ParameterStore&, Rng&)>& init, std::uint64_t seed) {
  Rng rng(seed);
  init(s.store, rng);
  s.theta.resize(s.store.size());
  for (Index k = 0; k < s.store.size(); ++k) {
    const float v = s.store.values()[static_cast<std::size_t>(k)];
    s.theta(k) = v != 0.0f ? v : 0.3 * rng.normal();
  }
}

// Which input entries each output pixel depends on: d(i, j) = 1 when changing input entry j
// changes some channel of output "position" i. Positions are pixels, or (pixel, channel group)
// when groups > 1 (output channel o of K in group o*G/K).
MatrixD dependence(const Subject& s, Index pixels, Index in_channels, Index groups) {
  Rng rng(77);
  const MatrixD x = random_matrix(pixels * in_channels, 1, rng);
  std::vector<double> grad(static_cast<std::size_t>(s.theta.size()));
  const std::span<const double> values(s.theta.data(), static_cast<std::size_t>(s.theta.size()));
  const auto run = [&](const MatrixD& input) {
    TapeD tape;
    return MatrixD(s.build(tape, tape.constant(input), s.store.blocks(), values, grad).value());
  };
  const MatrixD base = run(x);
  const Index out_channels = base.rows() / pixels;
  MatrixD d = MatrixD::Zero(pixels * groups, x.rows());
  for (Index j = 0; j < x.rows(); ++j) {
    MatrixD moved = x;
    moved(j) += 1.5;
    const MatrixD changed = run(moved);
    for (Index p = 0; p < pixels; ++p)
      for (Index o = 0; o < out_channels; ++o)
        if (std::abs(changed(p * out_channels + o) - base(p * out_channels + o)) > 0.0)
          d(p * groups + o * groups / out_channels, j) = 1.0;
  }
  return d;
}

// Output position i (pixel, or pixel and group) may depend on input entry j only when j comes
// before it in the data order: pixel-major, and for groups > 1, input channel c of a pixel
// counts as before group g when c < g.
// Positions before `first_seeing` may see nothing (the shifted right-to-left LSTM leaves row 0 empty).
void check_autoregressive(const MatrixD& d, Index in_channels, Index groups, bool expect_causal = true,
                          Index first_seeing = 1) {
  Index leaks = 0, blind = 0;
  for (Index i = 0; i < d.rows(); ++i) {
    const Index pixel = i / groups, group = i % groups;
    bool sees_past = false;
    for (Index j = 0; j < d.cols(); ++j) {
      const Index jp = j / in_channels, jc = j % in_channels;
      const bool before = jp < pixel || (jp == pixel && jc * groups / in_channels < group);
      if (!before && d(i, j) != 0.0) ++leaks;
      if (before && d(i, j) != 0.0) sees_past = true;
    }
    if (i >= first_seeing && !sees_past) ++blind;
  }
  if (expect_causal) {
    CHECK(leaks == 0);
    CHECK(blind == 0);  // every position from first_seeing on depends on some earlier input
  } else {
    CHECK(leaks > 0);  // the negative controls: the check sees a leak when there is one
  }
}

// The pairs (i, j), j < i, where output pixel i does NOT depend on input pixel j (one channel):
// empty when every pixel sees its whole context.
std::vector<std::pair<Index, Index>> missing_context(const MatrixD& d) {
  std::vector<std::pair<Index, Index>> missing;
  for (Index i = 0; i < d.rows(); ++i)
    for (Index j = 0; j < i; ++j)
      if (d(i, j) == 0.0) missing.emplace_back(i, j);
  return missing;
}

constexpr Index kH = 5, kW = 5, kF = 4, kHidden = 3;

// The mask-A 7x7 input layer (1 -> kF channels), then `next` on its output (and the image).
Subject stack(const std::function<StackedBuild(ParameterStore&)>& add_next,
              const std::function<void(ParameterStore&, Rng&)>& init_next) {
  Subject s;
  const nn::MaskedConvLayer in = nn::MaskedConvLayer::add_to(s.store, "in", kH, kW, 1, kF, 7, ad::MaskType::a);
  const StackedBuild next = add_next(s.store);
  s.build = [in, next](TapeD& tape, VarD x, const std::vector<ParameterBlock>& blocks, std::span<const double> values,
                       std::span<double> grad) {
    return next(tape, in.forward(tape, x, blocks, values, grad), x, blocks, values, grad);
  };
  finish(
      s,
      [&](ParameterStore& p, Rng& rng) {
        in.initialize(p, rng);
        init_next(p, rng);
      },
      5);
  return s;
}

}  // namespace

TEST_CASE("pixelrnn layers: output pixel i depends on input pixels < i only, for every layer type",
          "[pixelrnn][autoregressive]") {
  const Index pixels = kH * kW;
  SECTION("mask A alone, 7x7 and 3x3; a mask-B 3x3 stack on top (PixelCNN)") {
    for (const Index k : {Index{7}, Index{3}}) {
      Subject s;
      const nn::MaskedConvLayer a = nn::MaskedConvLayer::add_to(s.store, "a", kH, kW, 1, kF, k, ad::MaskType::a);
      const nn::MaskedConvLayer b = nn::MaskedConvLayer::add_to(s.store, "b", kH, kW, kF, kF, 3, ad::MaskType::b);
      s.build = [a](TapeD& tape, VarD x, const std::vector<ParameterBlock>& blocks, std::span<const double> v,
                    std::span<double> g) { return a.forward(tape, x, blocks, v, g); };
      finish(
          s,
          [&](ParameterStore& p, Rng& rng) {
            a.initialize(p, rng);
            b.initialize(p, rng);
          },
          3);
      check_autoregressive(dependence(s, pixels, 1, 1), 1, 1);
      s.build = [a, b](TapeD& tape, VarD x, const std::vector<ParameterBlock>& blocks, std::span<const double> v,
                       std::span<double> g) {
        return b.forward(tape, ad::relu(b.forward(tape, a.forward(tape, x, blocks, v, g), blocks, v, g)), blocks, v, g);
      };
      check_autoregressive(dependence(s, pixels, 1, 1), 1, 1);
    }
  }
  SECTION("negative control: mask B on the raw image sees the pixel itself") {
    Subject s;
    const nn::MaskedConvLayer b = nn::MaskedConvLayer::add_to(s.store, "b", kH, kW, 1, kF, 3, ad::MaskType::b);
    s.build = [b](TapeD& tape, VarD x, const std::vector<ParameterBlock>& blocks, std::span<const double> v,
                  std::span<double> g) { return b.forward(tape, x, blocks, v, g); };
    finish(
        s, [&](ParameterStore& p, Rng& rng) { b.initialize(p, rng); }, 3);
    check_autoregressive(dependence(s, pixels, 1, 1), 1, 1, false);
  }
  SECTION("R, G, B channel groups: mask A then mask B, causal over (pixel, channel)") {
    Subject s;
    const nn::MaskedConvLayer a = nn::MaskedConvLayer::add_to(s.store, "a", 3, 3, 3, 6, 3, ad::MaskType::a, 3);
    const nn::MaskedConvLayer b = nn::MaskedConvLayer::add_to(s.store, "b", 3, 3, 6, 6, 3, ad::MaskType::b, 3);
    s.build = [a, b](TapeD& tape, VarD x, const std::vector<ParameterBlock>& blocks, std::span<const double> v,
                     std::span<double> g) {
      return b.forward(tape, a.forward(tape, x, blocks, v, g), blocks, v, g);  // no relu: it can hide a dependence
    };
    finish(
        s,
        [&](ParameterStore& p, Rng& rng) {
          a.initialize(p, rng);
          b.initialize(p, rng);
        },
        4);
    check_autoregressive(dependence(s, 9, 3, 3), 3, 3);
  }
  SECTION("Row LSTM") {
    nn::RowLstm l;
    Subject s = stack(
        [&](ParameterStore& store) {
          l = nn::RowLstm::add_to(store, "row", kH, kW, kF, kHidden);
          return StackedBuild([l](TapeD& tape, VarD x, VarD /*image*/, const std::vector<ParameterBlock>& blocks,
                                  std::span<const double> v, std::span<double> g) { return l.forward(tape, x, blocks, v, g); });
        },
        [&](ParameterStore& p, Rng& rng) { l.initialize(p, rng); });
    check_autoregressive(dependence(s, pixels, 1, 1), 1, 1);
  }
  SECTION("Diagonal LSTM, each direction, and the BiLSTM") {
    // Variants: 0 ltr, 1 rtl shifted, 2 both, 3 rtl NOT shifted (must leak), 4 both without the
    // image input of the first layer's rtl direction (causal, but blind to one context pixel).
    for (const int variant : {0, 1, 2, 3, 4}) {
      INFO("variant " << variant);
      nn::DiagonalBiLstm l;
      Subject s = stack(
          [&](ParameterStore& store) {
            l = nn::DiagonalBiLstm::add_to(store, "diag", kH, kW, kF, kHidden, variant == 4 ? 0 : 1);
            return StackedBuild([l, variant](TapeD& tape, VarD x, VarD image, const std::vector<ParameterBlock>& blocks,
                                             std::span<const double> v, std::span<double> g) {
              switch (variant) {
                case 0:
                  return l.left_to_right.forward(tape, x, image, blocks, v, g);
                case 1:
                  return nn::shift_down_one_row(l.right_to_left.forward(tape, x, image, blocks, v, g), kH, kW,
                                                kHidden);
                case 2:
                case 4:
                  return l.forward(tape, x, image, blocks, v, g);
                default:
                  return l.right_to_left.forward(tape, x, image, blocks, v, g);
              }
            });
          },
          [&](ParameterStore& p, Rng& rng) { l.initialize(p, rng); });
      const MatrixD d = dependence(s, pixels, 1, 1);
      check_autoregressive(d, 1, 1, variant != 3, variant == 1 ? kW : 1);
      if (variant == 2) {
        // The paper's claim: the BiLSTM sees every pixel before i, from the first layer on.
        std::string missing;
        for (const auto& [i, j] : missing_context(d)) missing += " " + std::to_string(i) + "<-" + std::to_string(j);
        INFO("output pixel <- unseen earlier pixel:" << missing);
        CHECK(missing.empty());
      }
      if (variant == 4) {
        // Without the image, pixel (i, x) misses (i-1, W-1) for x < W-4 (beyond the 7x7 window's
        // reach of 3): with W = 5, pixel (i, 0) misses (i-1, 4), and nothing else is missing.
        std::vector<std::pair<Index, Index>> expected;
        for (Index i = 1; i < kH; ++i) expected.emplace_back(i * kW, i * kW - 1);
        CHECK(missing_context(d) == expected);
      }
    }
  }
}

TEST_CASE("pixelrnn layers: gradients of parameters and input match central differences in double",
          "[pixelrnn][gradient]") {
  const Index h = 3, w = 4, c = 2, hidden = 2, n = 2;
  struct Case {
    const char* name;
    std::function<Build(ParameterStore&)> add;
    std::function<void(ParameterStore&, Rng&)> init;
  };
  nn::RowLstm row;
  nn::DiagonalBiLstm diag;
  nn::MaskedConvLayer conv;
  const std::vector<Case> cases = {
      {"masked conv 3x3 B",
       [&](ParameterStore& s) {
         conv = nn::MaskedConvLayer::add_to(s, "conv", h, w, c, 3, 3, ad::MaskType::b);
         return Build([l = conv](TapeD& t, VarD x, const std::vector<ParameterBlock>& b, std::span<const double> v,
                                 std::span<double> g) { return l.forward(t, x, b, v, g); });
       },
       [&](ParameterStore& p, Rng& rng) { conv.initialize(p, rng); }},
      {"row lstm",
       [&](ParameterStore& s) {
         row = nn::RowLstm::add_to(s, "row", h, w, c, hidden);
         return Build([l = row](TapeD& t, VarD x, const std::vector<ParameterBlock>& b, std::span<const double> v,
                                std::span<double> g) { return l.forward(t, x, b, v, g); });
       },
       [&](ParameterStore& p, Rng& rng) { row.initialize(p, rng); }},
      {"diagonal bilstm",
       [&](ParameterStore& s) {
         // The image input (first layer) is the layer's own input here: its gradient is checked too.
         diag = nn::DiagonalBiLstm::add_to(s, "diag", h, w, c, hidden, c);
         return Build([l = diag](TapeD& t, VarD x, const std::vector<ParameterBlock>& b, std::span<const double> v,
                                 std::span<double> g) { return l.forward(t, x, x, b, v, g); });
       },
       [&](ParameterStore& p, Rng& rng) { diag.initialize(p, rng); }},
  };
  for (const Case& test : cases) {
    INFO(test.name);
    Subject s;
    s.build = test.add(s.store);
    finish(s, test.init, 9);
    Rng rng(10);
    const MatrixD x = random_matrix(h * w * c, n, rng);
    const Index np = s.theta.size();
    MatrixD projection;
    {
      TapeD tape;
      std::vector<double> g(static_cast<std::size_t>(np));
      const VarD out =
          s.build(tape, tape.constant(x), s.store.blocks(), std::span<const double>(s.theta.data(), np), g);
      projection = random_matrix(out.rows(), out.cols(), rng);
    }
    // theta = [parameters; x]: the input is checked through the same objective.
    Eigen::VectorXd all(np + x.size());
    all << s.theta, Eigen::Map<const Eigen::VectorXd>(x.data(), x.size());
    const Objective f = [&](const Eigen::VectorXd& t, Eigen::Ref<Eigen::VectorXd> grad) {
      TapeD tape;
      const VarD xin = tape.parameter(Eigen::Map<const MatrixD>(t.data() + np, x.rows(), x.cols()),
                                      Eigen::Map<MatrixD>(grad.data() + np, x.rows(), x.cols()));
      const VarD out = s.build(tape, xin, s.store.blocks(), std::span<const double>(t.data(), np),
                               std::span<double>(grad.data(), np));
      const VarD loss = ad::sum(ad::mul(out, tape.constant(projection)));
      tape.backward(loss);
      return loss.value()(0, 0);
    };
    const GradientCheck check = check_gradient(f, all);
    INFO("worst entry " << check.worst << " of " << all.size() << ", error " << check.max_abs_error);
    CHECK(check.max_abs_error < 1e-6 * std::max(1.0, check.max_scale));
  }
}
