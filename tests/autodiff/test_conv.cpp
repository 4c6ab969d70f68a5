// Convolutions, batch normalization and dropout: the op checker, a direct-loop reference and
// the adjoint identity between conv2d and conv_transpose2d.
#include <catch2/catch.hpp>
#include <cmath>

#include "logp/autodiff/ops.hpp"
#include "support/op_check.hpp"

using namespace logp;
using logp::testing::check_op;
using logp::testing::random_matrix;

namespace {

// conv2d by its definition: y(oy, ox, o) = b(o) + sum w(o, (ky k + kx) C + c) x(iy, ix, c).
MatrixD direct_conv2d(const MatrixD& x, const MatrixD& w, const MatrixD& b, const ad::Conv2dShape& s) {
  const Index ho = s.conv_height(), wo = s.conv_width(), co = s.out_channels, ci = s.in_channels;
  MatrixD y(ho * wo * co, x.cols());
  for (Index e = 0; e < x.cols(); ++e)
    for (Index oy = 0; oy < ho; ++oy)
      for (Index ox = 0; ox < wo; ++ox)
        for (Index o = 0; o < co; ++o) {
          double total = b(o, 0);
          for (Index ky = 0; ky < s.kernel; ++ky)
            for (Index kx = 0; kx < s.kernel; ++kx)
              for (Index c = 0; c < ci; ++c) {
                const Index iy = oy * s.stride - s.padding + ky, ix = ox * s.stride - s.padding + kx;
                if (iy < 0 || iy >= s.in_height || ix < 0 || ix >= s.in_width) continue;
                total += w(o, (ky * s.kernel + kx) * ci + c) * x((iy * s.in_width + ix) * ci + c, e);
              }
          y((oy * wo + ox) * co + o, e) = total;
        }
  return y;
}

}  // namespace

TEST_CASE("conv2d: equals the direct sum and passes the op checker", "[autodiff][conv]") {
  Rng rng(11);
  for (const ad::Conv2dShape shape : {ad::Conv2dShape{5, 4, 2, 3, 3, 1, 1, 0}, ad::Conv2dShape{6, 5, 2, 3, 3, 2, 1, 0},
                                      ad::Conv2dShape{4, 4, 1, 2, 2, 2, 0, 0}}) {
    INFO("input " << shape.in_height << "x" << shape.in_width << " stride " << shape.stride << " padding "
                  << shape.padding);
    const MatrixD x = random_matrix(shape.in_size(), 2, rng);
    const MatrixD w = random_matrix(shape.out_channels, shape.kernel * shape.kernel * shape.in_channels, rng);
    const MatrixD b = random_matrix(shape.out_channels, 1, rng);
    ad::BasicTape<double> tape;
    const MatrixD y = ad::conv2d(tape.input(x), tape.input(w), tape.input(b), shape).value();
    CHECK((y - direct_conv2d(x, w, b, shape)).cwiseAbs().maxCoeff() < 1e-12);
    check_op("conv2d", [shape](auto&, const auto& v) { return ad::conv2d(v[0], v[1], v[2], shape); }, {x, w, b});
  }
}

TEST_CASE("conv_transpose2d: is the adjoint of conv2d and passes the op checker", "[autodiff][conv]") {
  Rng rng(12);
  // A 7x7x2 image and its 4x4x3 conv2d (stride 2, padding 1); the transposed conv maps 4x4x3 back
  // to 7x7x2 (output_padding 0): <conv2d(x), y> = <x, conv_transpose2d(y)> with zero biases.
  const ad::Conv2dShape down{7, 7, 2, 3, 3, 2, 1, 0};
  const ad::Conv2dShape up{4, 4, 3, 2, 3, 2, 1, 0};
  REQUIRE(down.conv_height() == 4);
  REQUIRE(up.transposed_height() == 7);
  const MatrixD x = random_matrix(down.in_size(), 2, rng), y = random_matrix(up.in_size(), 2, rng);
  const MatrixD w = random_matrix(3, 3 * 3 * 2, rng);
  ad::BasicTape<double> tape;
  const MatrixD cx = ad::conv2d(tape.input(x), tape.input(w), tape.input(MatrixD::Zero(3, 1)), down).value();
  const MatrixD ty = ad::conv_transpose2d(tape.input(y), tape.input(w), tape.input(MatrixD::Zero(2, 1)), up).value();
  REQUIRE(ty.rows() == x.rows());
  CHECK(cx.cwiseProduct(y).sum() == Approx(x.cwiseProduct(ty).sum()).epsilon(1e-12));

  const ad::Conv2dShape padded{3, 2, 2, 3, 3, 2, 1, 1};  // output 6x4x3
  REQUIRE(padded.transposed_height() == 6);
  check_op("conv_transpose2d", [up](auto&, const auto& v) { return ad::conv_transpose2d(v[0], v[1], v[2], up); },
           {y, w, random_matrix(2, 1, rng)});
  check_op("conv_transpose2d (output_padding)",
           [padded](auto&, const auto& v) { return ad::conv_transpose2d(v[0], v[1], v[2], padded); },
           {random_matrix(padded.in_size(), 2, rng), random_matrix(2, 3 * 3 * 3, rng), random_matrix(3, 1, rng)});
}

TEST_CASE("conv2d and conv_transpose2d: single-channel images with padding (a DCGAN's first and last layers)",
          "[autodiff][conv]") {
  // Kernel 4, stride 2, padding 1: windows cut by every border; one image channel, whose rows
  // im2col and col2im move tap by tap.
  Rng rng(14);
  const ad::Conv2dShape down{6, 8, 1, 2, 4, 2, 1, 0};  // 6x8x1 -> 3x4x2
  const ad::Conv2dShape up{3, 4, 2, 1, 4, 2, 1, 0};    // 3x4x2 -> 6x8x1
  REQUIRE(up.transposed_height() == 6);
  REQUIRE(up.transposed_width() == 8);
  const MatrixD x = random_matrix(down.in_size(), 3, rng), y = random_matrix(up.in_size(), 3, rng);
  const MatrixD w = random_matrix(2, 4 * 4 * 1, rng), b = random_matrix(2, 1, rng);
  ad::BasicTape<double> tape;
  const MatrixD cx = ad::conv2d(tape.input(x), tape.input(w), tape.input(b), down).value();
  CHECK((cx - direct_conv2d(x, w, b, down)).cwiseAbs().maxCoeff() < 1e-12);
  const MatrixD ty = ad::conv_transpose2d(tape.input(y), tape.input(w), tape.input(MatrixD::Zero(1, 1)), up).value();
  const MatrixD cx0 = ad::conv2d(tape.input(x), tape.input(w), tape.input(MatrixD::Zero(2, 1)), down).value();
  CHECK(cx0.cwiseProduct(y).sum() == Approx(x.cwiseProduct(ty).sum()).epsilon(1e-12));
  check_op("conv2d (1 channel)", [down](auto&, const auto& v) { return ad::conv2d(v[0], v[1], v[2], down); },
           {x, w, b});
  check_op("conv_transpose2d (1 channel)",
           [up](auto&, const auto& v) { return ad::conv_transpose2d(v[0], v[1], v[2], up); },
           {y, w, random_matrix(1, 1, rng)});
}

TEST_CASE("conv2d: refuses a wrong input or weight with the shapes in the message", "[autodiff][conv]") {
  ad::Tape tape;
  const ad::Conv2dShape shape{4, 4, 2, 3, 3, 1, 1, 0};
  const ad::Var w = tape.input(Matrix::Zero(3, 18)), b = tape.input(Matrix::Zero(3, 1));
  CHECK_THROWS_WITH(ad::conv2d(tape.input(Matrix::Zero(31, 2)), w, b, shape), Catch::Contains("needs 32 rows"));
  CHECK_THROWS_WITH(ad::conv2d(tape.input(Matrix::Zero(32, 2)), tape.input(Matrix::Zero(3, 9)), b, shape),
                    Catch::Contains("expected 3x18"));
}

TEST_CASE("batch_norm: normalizes per channel, passes the op checker in both modes", "[autodiff][batchnorm]") {
  Rng rng(13);
  const Index channels = 3, positions = 2, n = 4;
  const MatrixD x = (random_matrix(positions * channels, n, rng, 2.0).array() + 1.0).matrix();
  const MatrixD gamma = random_matrix(channels, 1, rng), beta = random_matrix(channels, 1, rng);
  for (const bool training : {true, false}) {
    INFO("training " << training);
    check_op("batch_norm",
             [training, channels](auto& tape, const auto& v) {
               using T = typename std::remove_reference_t<decltype(tape)>::Scalar;
               ad::BasicBatchNormState<T> state(channels);
               state.running_mean.setConstant(T(0.5));
               state.running_var.setConstant(T(2.0));
               return ad::batch_norm(v[0], v[1], v[2], state, training);
             },
             {x, gamma, beta});
  }
  // Training output with gamma 1, beta 0: each channel has mean 0 and (biased) variance 1 - eps/var.
  ad::BasicTape<double> tape;
  ad::BasicBatchNormState<double> state(channels);
  state.epsilon = 0.0;
  const MatrixD y = ad::batch_norm(tape.input(x), tape.constant(MatrixD::Ones(channels, 1)),
                                   tape.constant(MatrixD::Zero(channels, 1)), state, true)
                        .value();
  const Eigen::Map<const MatrixD> by_channel(y.data(), channels, positions * n);
  CHECK(by_channel.rowwise().mean().cwiseAbs().maxCoeff() < 1e-12);
  CHECK((by_channel.rowwise().squaredNorm() / double(positions * n) - Eigen::VectorXd::Ones(channels)).cwiseAbs().maxCoeff() <
        1e-12);
  // Folded, the running statistics moved 10% of the way from (0, 1) to the batch mean and unbiased
  // variance.
  CHECK(state.running_mean.isZero());
  ad::fold_batch_statistics(state);
  CHECK(state.batch_count == 0.0);
  const Eigen::Map<const MatrixD> xc(x.data(), channels, positions * n);
  const Eigen::VectorXd mu = xc.rowwise().mean();
  CHECK((state.running_mean - 0.1 * mu).cwiseAbs().maxCoeff() < 1e-12);
  const Eigen::VectorXd unbiased = (xc.colwise() - mu).rowwise().squaredNorm() / double(positions * n - 1);
  CHECK((state.running_var - (0.9 * Eigen::VectorXd::Ones(channels) + 0.1 * unbiased)).cwiseAbs().maxCoeff() < 1e-12);
}

TEST_CASE("batch_norm: statistics merged over shards equal one pass over the whole batch", "[autodiff][batchnorm]") {
  Rng rng(17);
  const Index channels = 2, positions = 3, n = 10;
  const MatrixD x = (random_matrix(positions * channels, n, rng, 3.0).array() + 2.0).matrix();
  const auto forward = [&](const MatrixD& part, ad::BasicBatchNormState<double>& state) {
    ad::BasicTape<double> tape;
    ad::batch_norm(tape.input(part), tape.constant(MatrixD::Ones(channels, 1)), tape.constant(MatrixD::Zero(channels, 1)),
                   state, true);
  };
  ad::BasicBatchNormState<double> whole(channels), merged(channels);
  forward(x, whole);
  for (const auto& [first, count] : {std::pair<Index, Index>{0, 3}, {3, 4}, {7, 3}}) {  // unequal shards
    ad::BasicBatchNormState<double> shard(channels);
    forward(x.middleCols(first, count), shard);
    ad::merge_batch_statistics(merged, shard);
  }
  CHECK(merged.batch_count == whole.batch_count);
  CHECK((merged.batch_mean - whole.batch_mean).cwiseAbs().maxCoeff() < 1e-12);
  CHECK((merged.batch_m2 - whole.batch_m2).cwiseAbs().maxCoeff() < 1e-10);
  ad::fold_batch_statistics(whole);
  ad::fold_batch_statistics(merged);
  CHECK((merged.running_var - whole.running_var).cwiseAbs().maxCoeff() < 1e-12);
}

TEST_CASE("dropout: inverted scaling, identity in eval, passes the op checker", "[autodiff][dropout]") {
  Rng rng(14);
  check_op("dropout",
           [](auto&, const auto& v) {
             Rng mask_rng(5);  // the same mask at every evaluation
             return ad::dropout(v[0], 0.3, mask_rng, true);
           },
           {random_matrix(6, 5, rng)});
  ad::Tape tape;
  const ad::Var x = tape.input(Matrix::Ones(100, 100));
  Rng mask_rng(6);
  const Matrix y = ad::dropout(x, 0.25, mask_rng, true).value();
  const Index kept = (y.array() != 0.0f).count();
  CHECK(std::abs(kept - 7500) < 4 * std::sqrt(10000 * 0.25 * 0.75));  // 4 standard deviations
  CHECK(((y.array() == 0.0f) || (y.array() == 1.0f / 0.75f)).all());
  CHECK(ad::dropout(x, 0.25, mask_rng, false).id == x.id);
  CHECK_THROWS_WITH(ad::dropout(x, 1.0, mask_rng, true), Catch::Contains("[0, 1)"));
}
