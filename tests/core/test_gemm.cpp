#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "logp/core/error.hpp"
#include "logp/core/gemm.hpp"
#include "logp/core/rng.hpp"
#include "logp/core/types.hpp"

using namespace logp;

namespace {

MatrixD random_matrix(Index rows, Index cols, Rng& rng) {
  MatrixD a(rows, cols);
  for (Index i = 0; i < a.size(); ++i) a(i) = rng.normal();
  return a;
}

}  // namespace

TEST_CASE("gemm and fixed_shape_gemm: every transpose form, beta, strided blocks, against a plain product", "[core][gemm]") {
  Rng rng(11);
  const Index m = 37, n = 29, k = 53;  // no size a multiple of a SIMD width
  const MatrixD a = random_matrix(m, k, rng), at = a.transpose();
  const MatrixD b = random_matrix(k, n, rng), bt = b.transpose();
  const MatrixD c0 = random_matrix(m, n, rng);
  const MatrixD expected = a * b;
  for (const bool gradient : {false, true}) {
    const auto product = [&](GemmIn<double> x, Op op_x, GemmIn<double> y, Op op_y, GemmOut<double> c, double beta) {
      if (gradient)
        fixed_shape_gemm<double>(x, op_x, y, op_y, c, beta);
      else
        gemm<double>(x, op_x, y, op_y, c, beta);
    };
    INFO((gradient ? "fixed_shape_gemm" : "gemm"));
    MatrixD c(m, n);
    c.setConstant(std::numeric_limits<double>::quiet_NaN());  // beta = 0 ignores C, NaN included
    product(a, Op::none, b, Op::none, c, 0.0);
    CHECK((c - expected).cwiseAbs().maxCoeff() < 1e-12);
    product(at, Op::transpose, b, Op::none, c, 0.0);
    CHECK((c - expected).cwiseAbs().maxCoeff() < 1e-12);
    product(a, Op::none, bt, Op::transpose, c, 0.0);
    CHECK((c - expected).cwiseAbs().maxCoeff() < 1e-12);
    product(at, Op::transpose, bt, Op::transpose, c, 0.0);
    CHECK((c - expected).cwiseAbs().maxCoeff() < 1e-12);
    c = c0;
    product(a, Op::none, b, Op::none, c, 1.0);
    CHECK((c - (c0 + expected)).cwiseAbs().maxCoeff() < 1e-12);
    c = c0;
    product(a, Op::none, b, Op::none, c, 0.5);
    CHECK((c - (0.5 * c0 + expected)).cwiseAbs().maxCoeff() < 1e-12);

    // Blocks of larger matrices (outer stride != rows): only the block of C is written.
    MatrixD big_c = c0.replicate(2, 1);
    product(a.middleRows(3, 10), Op::none, b.middleCols(4, 7), Op::none, big_c.block(5, 2, 10, 7), 0.0);
    CHECK((big_c.block(5, 2, 10, 7) - expected.block(3, 4, 10, 7)).cwiseAbs().maxCoeff() < 1e-12);
    CHECK(big_c.topRows(5) == c0.replicate(2, 1).topRows(5));

    // K = 0: C = beta C.
    MatrixD empty_a(m, 0), empty_b(0, n);
    c = c0;
    product(empty_a, Op::none, empty_b, Op::none, c, 1.0);
    CHECK(c == c0);
    product(empty_a, Op::none, empty_b, Op::none, c, 0.0);
    CHECK(c.isZero(0.0));

    MatrixD wrong(m + 1, n);
    CHECK_THROWS_AS(product(a, Op::none, b, Op::none, wrong, 0.0), Error);
  }
}

TEST_CASE("gemm: a column's value does not depend on its place in an evaluation block", "[core][gemm]") {
  // The contract of gemm (values), which fixed_shape_gemm does not promise: in a block of 32 columns
  // (kEvaluationBlock), a column's product is bit-identical at every place, whatever its neighbours.
  Rng rng(12);
  const Index m = 50, k = 37, width = 32;
  const Matrix a = random_matrix(m, k, rng).cast<float>();
  const Matrix others = random_matrix(k, width, rng).cast<float>();
  const Matrix column = random_matrix(k, 1, rng).cast<float>();
  Matrix block = others, product(m, width), first(m, 1);
  block.col(0) = column.col(0);
  gemm<float>(a, Op::none, block, Op::none, product);
  first = product.col(0);
  for (Index place = 1; place < width; ++place) {
    block = others;
    block.col(place) = column.col(0);
    gemm<float>(a, Op::none, block, Op::none, product);
    INFO("place " << place);
    CHECK(product.col(place) == first.col(0));
  }
}

TEST_CASE("gemm: a wide product (computed in column tiles) equals its 32-column blocks bit for bit", "[core][gemm]") {
  // gemm cuts a wide C into tiles (src/core/gemm.cpp); a column's value must not change with that.
  // Depths below and above Eigen's depth blocking (a few hundred), widths that leave a remainder.
  Rng rng(13);
  for (const auto& [k_, n_] : {std::pair<Index, Index>{45, 1600 + 17}, {700, 2 * 32 * 9 + 5}}) {
    const Index m = 32, k = k_, n = n_;
    INFO("K " << k << ", N " << n);
    const Matrix a = random_matrix(m, k, rng).cast<float>();
    const Matrix b = random_matrix(k, n, rng).cast<float>(), bt = b.transpose();
    Matrix wide(m, n), wide_t(m, n), block(m, 32);
    gemm<float>(a, Op::none, b, Op::none, wide);
    gemm<float>(a, Op::none, bt, Op::transpose, wide_t);
    for (Index j = 0; j + 32 <= n; j += 32) {
      INFO("columns " << j << " .. " << j + 31);
      gemm<float>(a, Op::none, b.middleCols(j, 32), Op::none, block);
      CHECK(wide.middleCols(j, 32) == block);
      gemm<float>(a, Op::none, bt.middleRows(j, 32), Op::transpose, block);
      CHECK(wide_t.middleCols(j, 32) == block);
    }
  }
}

TEST_CASE("fixed_shape_gemm names its backend", "[core][gemm]") {
  const std::string backend = fixed_shape_gemm_backend();
  CHECK((backend == "Eigen" || backend.rfind("OpenBLAS (", 0) == 0));
}

TEST_CASE("trmm_lower_for and fixed_shape_syrk_lower: against plain products, upper triangles untouched",
          "[core][gemm]") {
  Rng rng(13);
  const Index m = 37, n = 29, k = 53;
  const MatrixD full = random_matrix(m, m, rng);
  const MatrixD lower = full.triangularView<Eigen::Lower>();
  const MatrixD b0 = random_matrix(m, n, rng);
  for (const ColumnPlaces places : {ColumnPlaces::vary, ColumnPlaces::fixed}) {
    MatrixD b = b0;
    trmm_lower_for(places, full, b);  // full's strict upper triangle is not read
    CHECK((b - lower * b0).cwiseAbs().maxCoeff() < 1e-12);
  }
  const MatrixD a = random_matrix(m, k, rng), c0 = random_matrix(m, m, rng);
  MatrixD c = c0;
  fixed_shape_syrk_lower(a, c);
  const MatrixD expected = c0 + a * a.transpose();
  const MatrixD lower_c = c.triangularView<Eigen::Lower>(), lower_expected = expected.triangularView<Eigen::Lower>();
  CHECK((lower_c - lower_expected).cwiseAbs().maxCoeff() < 1e-12);
  CHECK(MatrixD(c.triangularView<Eigen::StrictlyUpper>()) == MatrixD(c0.triangularView<Eigen::StrictlyUpper>()));
  CHECK_THROWS_WITH(fixed_shape_syrk_lower(a, c.leftCols(5)), Catch::Contains("syrk: A is 37x53, C 37x5"));
  MatrixD wrong(m + 1, n);
  CHECK_THROWS_WITH(trmm_lower_for(ColumnPlaces::vary, full, wrong),
                    Catch::Contains("trmm: L is 37x37, B has 38 rows"));
}
