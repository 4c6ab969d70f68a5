// The PixelRNN ops: line_conv, the LSTM gates, skew/unskew, reshape and the causal masks, each
// against a direct reference and through the op checker (tests/support/op_check.hpp).
#include <catch2/catch.hpp>
#include <cmath>

#include "logp/autodiff/line_conv.hpp"
#include "logp/autodiff/lstm_gates.hpp"
#include "logp/autodiff/masked_conv.hpp"
#include "logp/autodiff/ops.hpp"
#include "logp/autodiff/reshape.hpp"
#include "logp/autodiff/skew.hpp"
#include "support/op_check.hpp"

using namespace logp;
using logp::testing::check_op;
using logp::testing::random_matrix;

namespace {

// line_conv by its definition: y(p, o) = b(o) + sum_{t, c} w(o, t*C + c) x(p + t - pad, c).
MatrixD direct_line_conv(const MatrixD& x, const MatrixD& w, const MatrixD& b, Index channels, Index kernel,
                         Index pad) {
  const Index length = x.rows() / channels, out = w.rows();
  MatrixD y(length * out, x.cols());
  for (Index m = 0; m < x.cols(); ++m)
    for (Index p = 0; p < length; ++p)
      for (Index o = 0; o < out; ++o) {
        double total = b(o, 0);
        for (Index t = 0; t < kernel; ++t) {
          const Index q = p + t - pad;
          if (q < 0 || q >= length) continue;
          for (Index c = 0; c < channels; ++c) total += w(o, t * channels + c) * x(q * channels + c, m);
        }
        y(p * out + o, m) = total;
      }
  return y;
}

double sigmoid(double a) { return 1.0 / (1.0 + std::exp(-a)); }

}  // namespace

TEST_CASE("line_conv: equals the direct sum and passes the op checker", "[pixelrnn][autodiff]") {
  Rng rng(1);
  for (const auto& [kernel_, pad_] : {std::pair<Index, Index>{3, 1}, {2, 1}, {3, 2}, {1, 0}}) {
    const Index kernel = kernel_, pad = pad_;
    INFO("kernel " << kernel << ", pad " << pad);
    const Index channels = 2, length = 5, out = 3;
    const MatrixD x = random_matrix(length * channels, 4, rng), w = random_matrix(out, kernel * channels, rng);
    const MatrixD b = random_matrix(out, 1, rng);
    ad::BasicTape<double> tape;
    const MatrixD y = ad::line_conv(tape.input(x), tape.input(w), tape.input(b), channels, kernel, pad).value();
    CHECK((y - direct_line_conv(x, w, b, channels, kernel, pad)).cwiseAbs().maxCoeff() < 1e-12);
    check_op("line_conv", [=](auto&, const auto& v) { return ad::line_conv(v[0], v[1], v[2], channels, kernel, pad); },
             {x, w, b});
    // add_line_conv: base + the convolution without a bias, in one node.
    const MatrixD base = random_matrix(length * out, 4, rng);
    const MatrixD sum = ad::add_line_conv(tape.input(base), tape.input(x), tape.input(w), channels, kernel, pad).value();
    CHECK((sum - base - direct_line_conv(x, w, MatrixD::Zero(out, 1), channels, kernel, pad)).cwiseAbs().maxCoeff() <
          1e-12);
    check_op("add_line_conv",
             [=](auto&, const auto& v) { return ad::add_line_conv(v[0], v[1], v[2], channels, kernel, pad); },
             {base, x, w});
  }
  ad::Tape tape;
  CHECK_THROWS_WITH(ad::line_conv(tape.input(Matrix::Zero(5, 1)), tape.input(Matrix::Zero(3, 6)),
                                  tape.input(Matrix::Zero(3, 1)), 2, 3, 1),
                    Catch::Contains("multiple of 2"));
  CHECK_THROWS_WITH(ad::add_line_conv(tape.input(Matrix::Zero(14, 1)), tape.input(Matrix::Zero(10, 1)),
                                      tape.input(Matrix::Zero(3, 6)), 2, 3, 1),
                    Catch::Contains("base is 14x1, expected 15x1"));
}

TEST_CASE("lstm gates: the LSTM update per position, and the op checker", "[pixelrnn][autodiff]") {
  Rng rng(2);
  const Index h = 2, positions = 3, n = 2;
  const MatrixD pre = random_matrix(positions * 4 * h, n, rng), c0 = random_matrix(positions * h, n, rng);
  ad::BasicTape<double> tape;
  const ad::BasicVar<double> pv = tape.input(pre);
  const ad::BasicVar<double> c = ad::lstm_cell_state(pv, tape.input(c0), h);
  const MatrixD hv = ad::lstm_hidden(pv, c, h).value();
  for (Index e = 0; e < n; ++e)
    for (Index p = 0; p < positions; ++p)
      for (Index u = 0; u < h; ++u) {
        const auto gate = [&](Index g) { return pre(p * 4 * h + g * h + u, e); };
        const double cell = sigmoid(gate(1)) * c0(p * h + u, e) + sigmoid(gate(0)) * std::tanh(gate(3));
        CHECK(c.value()(p * h + u, e) == Approx(cell).epsilon(1e-12));
        CHECK(hv(p * h + u, e) == Approx(sigmoid(gate(2)) * std::tanh(cell)).epsilon(1e-12));
      }
  check_op("lstm_cell_state", [=](auto&, const auto& v) { return ad::lstm_cell_state(v[0], v[1], h); }, {pre, c0});
  check_op("lstm_hidden", [=](auto&, const auto& v) { return ad::lstm_hidden(v[0], v[1], h); }, {pre, c0});
  check_op("lstm step",
           [=](auto&, const auto& v) { return ad::lstm_hidden(v[0], ad::lstm_cell_state(v[0], v[1], h), h); },
           {pre, c0});
}

TEST_CASE("skew: places pixel (i, x) at map column i + x (or i + W-1-x), round-trips, is unskew's adjoint",
          "[pixelrnn][autodiff]") {
  Rng rng(3);
  for (const bool reverse : {false, true}) {
    const ad::SkewShape s{3, 4, 2, reverse};
    INFO("reverse " << reverse);
    REQUIRE(s.columns() == 6);
    const MatrixD x = random_matrix(s.image_size(), 2, rng);
    ad::BasicTape<double> tape;
    const MatrixD skewed = ad::skew(tape.input(x), s).value();
    REQUIRE(skewed.rows() == 6 * 3 * 2);
    // Every pixel where the layout says, zeros elsewhere.
    MatrixD expected = MatrixD::Zero(skewed.rows(), 2);
    for (Index e = 0; e < 2; ++e)
      for (Index i = 0; i < 3; ++i)
        for (Index xx = 0; xx < 4; ++xx)
          for (Index c = 0; c < 2; ++c) {
            const Index j = i + (reverse ? 3 - xx : xx);
            expected((j * 3 + i) * 2 + c, e) = x((i * 4 + xx) * 2 + c, e);
          }
    CHECK(skewed == expected);
    CHECK(ad::unskew(tape.input(skewed), s).value() == x);
    const MatrixD y = random_matrix(s.skewed_size(), 2, rng);
    CHECK(skewed.cwiseProduct(y).sum() ==
          Approx(x.cwiseProduct(ad::unskew(tape.input(y), s).value()).sum()).epsilon(1e-12));
    check_op("skew", [s](auto&, const auto& v) { return ad::skew(v[0], s); }, {x});
    check_op("unskew", [s](auto&, const auto& v) { return ad::unskew(v[0], s); }, {y});
  }
}

TEST_CASE("reshape: same numbers, new shape, gradient flows back", "[pixelrnn][autodiff]") {
  Rng rng(4);
  const MatrixD x = random_matrix(6, 4, rng);
  ad::BasicTape<double> tape;
  const MatrixD r = ad::reshape(tape.input(x), 3, 8).value();
  CHECK(Eigen::Map<const MatrixD>(r.data(), 6, 4) == x);
  check_op("reshape", [](auto&, const auto& v) { return ad::reshape(v[0], 12, 2); }, {x});
  CHECK_THROWS_WITH(ad::reshape(tape.input(x), 5, 5), Catch::Contains("cannot become 5x5"));
}

TEST_CASE("causal masks: mask A drops the centre and later taps, mask B keeps the centre, channel groups",
          "[pixelrnn][autodiff]") {
  const MatrixD a = ad::causal_mask(7, 7, 3, 3, 1, 1, 1, ad::MaskType::a);
  const MatrixD b = ad::causal_mask(7, 7, 3, 3, 1, 1, 1, ad::MaskType::b);
  CHECK(a.sum() == 24);  // 3 rows of 7 above, 3 taps to the left
  CHECK(b.sum() == 25);
  CHECK(a(0, 3 * 7 + 3) == 0);
  CHECK(b(0, 3 * 7 + 3) == 1);
  CHECK(b(0, 3 * 7 + 4) == 0);
  CHECK(b(0, 2 * 7 + 6) == 1);
  // R, G, B: at the centre, output group g sees input groups < g (A) or <= g (B).
  const MatrixD ga = ad::causal_mask(3, 3, 1, 1, 3, 6, 3, ad::MaskType::a);
  const MatrixD gb = ad::causal_mask(3, 3, 1, 1, 3, 6, 3, ad::MaskType::b);
  for (Index o = 0; o < 6; ++o)
    for (Index c = 0; c < 3; ++c) {
      CHECK(ga(o, 4 * 3 + c) == (c < o / 2 ? 1 : 0));
      CHECK(gb(o, 4 * 3 + c) == (c <= o / 2 ? 1 : 0));
      CHECK(ga(o, 3 * 3 + c) == 1);  // left neighbour: every channel
    }
  // A 1 x 3 row kernel (the Row LSTM's input-to-state): left tap and centre under mask B.
  const MatrixD row = ad::causal_mask(1, 3, 0, 1, 1, 2, 1, ad::MaskType::b);
  CHECK(row == (MatrixD(2, 3) << 1, 1, 0, 1, 1, 0).finished());
  // masked_conv2d is conv2d with the masked weight, and passes the checker.
  Rng rng(5);
  const ad::Conv2dShape shape{4, 3, 2, 3, 3, 1, 1, 0};
  const MatrixD x = random_matrix(shape.in_size(), 2, rng), w = random_matrix(3, 18, rng);
  const MatrixD bias = random_matrix(3, 1, rng);
  ad::BasicTape<double> tape;
  const MatrixD mask = ad::causal_mask(3, 3, 1, 1, 2, 3, 1, ad::MaskType::a);
  CHECK(ad::masked_conv2d(tape.input(x), tape.input(w), tape.input(bias), shape, ad::MaskType::a).value() ==
        ad::conv2d(tape.input(x), tape.input(MatrixD(w.cwiseProduct(mask))), tape.input(bias), shape).value());
  check_op("masked_conv2d",
           [shape](auto&, const auto& v) { return ad::masked_conv2d(v[0], v[1], v[2], shape, ad::MaskType::b); },
           {x, w, bias});
}

TEST_CASE("masked_conv2d: reads only the causal taps, equals conv2d with the masked weight for masks A and B, "
          "channel groups and 1x1 kernels", "[pixelrnn][autodiff]") {
  Rng rng(6);
  struct Case {
    Index kernel, in_channels, out_channels, groups;
    ad::MaskType type;
  };
  for (const Case& c : {Case{3, 2, 3, 1, ad::MaskType::a}, Case{3, 2, 3, 1, ad::MaskType::b},
                        Case{5, 3, 6, 3, ad::MaskType::a}, Case{3, 3, 3, 3, ad::MaskType::b},
                        Case{1, 4, 2, 1, ad::MaskType::b}, Case{1, 3, 3, 3, ad::MaskType::a}}) {
    INFO("kernel " << c.kernel << ", channels " << c.in_channels << " -> " << c.out_channels << ", groups "
                   << c.groups << ", mask " << (c.type == ad::MaskType::a ? "A" : "B"));
    const ad::Conv2dShape shape{4, 5, c.in_channels, c.out_channels, c.kernel, 1, c.kernel / 2, 0};
    const MatrixD x = random_matrix(shape.in_size(), 3, rng);
    const MatrixD w = random_matrix(c.out_channels, c.kernel * c.kernel * c.in_channels, rng);
    const MatrixD bias = random_matrix(c.out_channels, 1, rng);
    const Index centre = c.kernel / 2;
    const MatrixD mask =
        ad::causal_mask(c.kernel, c.kernel, centre, centre, c.in_channels, c.out_channels, c.groups, c.type);
    ad::BasicTape<double> tape;
    const MatrixD masked =
        ad::masked_conv2d(tape.input(x), tape.input(w), tape.input(bias), shape, c.type, c.groups).value();
    const MatrixD full =
        ad::conv2d(tape.input(x), tape.input(MatrixD(w.cwiseProduct(mask))), tape.input(bias), shape).value();
    CHECK((masked - full).cwiseAbs().maxCoeff() < 1e-12);
    check_op("masked_conv2d",
             [shape, c](auto&, const auto& v) { return ad::masked_conv2d(v[0], v[1], v[2], shape, c.type, c.groups); },
             {x, w, bias});
  }
}
