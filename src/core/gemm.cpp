#include "logp/core/gemm.hpp"

#include <algorithm>
#include <string>

#include "logp/core/error.hpp"

#ifdef LOGP_HAVE_OPENBLAS
#include <cblas.h>

#include <mutex>

// OpenBLAS's pthreads build exports this (its fork handler uses it); the serial and OpenMP builds
// do not, hence weak: null there.
extern "C" int blas_thread_shutdown_(void) __attribute__((weak));
#endif

namespace logp {

namespace {

template <class T>
void require_shapes(const GemmIn<T>& a, Op op_a, const GemmIn<T>& b, Op op_b, const GemmOut<T>& c) {
  const Eigen::Index m = op_a == Op::none ? a.rows() : a.cols(), k = op_a == Op::none ? a.cols() : a.rows();
  const Eigen::Index k_b = op_b == Op::none ? b.rows() : b.cols(), n = op_b == Op::none ? b.cols() : b.rows();
  require(k == k_b && c.rows() == m && c.cols() == n,
          "gemm: op(A) is " + std::to_string(m) + "x" + std::to_string(k) + ", op(B) " + std::to_string(k_b) + "x" +
              std::to_string(n) + ", C " + std::to_string(c.rows()) + "x" + std::to_string(c.cols()));
}

#ifdef LOGP_HAVE_OPENBLAS
CBLAS_TRANSPOSE blas_op(Op op) { return op == Op::none ? CblasNoTrans : CblasTrans; }

void blas_gemm(const GemmIn<float>& a, Op op_a, const GemmIn<float>& b, Op op_b, GemmOut<float>& c, float beta) {
  cblas_sgemm(CblasColMajor, blas_op(op_a), blas_op(op_b), static_cast<blasint>(c.rows()),
              static_cast<blasint>(c.cols()), static_cast<blasint>(op_a == Op::none ? a.cols() : a.rows()), 1.0f,
              a.data(), static_cast<blasint>(a.outerStride()), b.data(), static_cast<blasint>(b.outerStride()), beta,
              c.data(), static_cast<blasint>(c.outerStride()));
}

void blas_gemm(const GemmIn<double>& a, Op op_a, const GemmIn<double>& b, Op op_b, GemmOut<double>& c,
               double beta) {
  cblas_dgemm(CblasColMajor, blas_op(op_a), blas_op(op_b), static_cast<blasint>(c.rows()),
              static_cast<blasint>(c.cols()), static_cast<blasint>(op_a == Op::none ? a.cols() : a.rows()), 1.0,
              a.data(), static_cast<blasint>(a.outerStride()), b.data(), static_cast<blasint>(b.outerStride()), beta,
              c.data(), static_cast<blasint>(c.outerStride()));
}
#endif

template <class T, class A, class B>
void eigen_product(const A& a, const B& b, GemmOut<T>& c, T beta) {
  if (beta == T(0))
    c.noalias() = a * b;
  else if (beta == T(1))
    c.noalias() += a * b;
  else
    c = beta * c + a * b;
}

template <class T>
void eigen_gemm(const GemmIn<T>& a, Op op_a, const GemmIn<T>& b, Op op_b, GemmOut<T>& c, T beta) {
  if (op_a == Op::none && op_b == Op::none) eigen_product<T>(a, b, c, beta);
  else if (op_a == Op::none) eigen_product<T>(a, b.transpose(), c, beta);
  else if (op_b == Op::none) eigen_product<T>(a.transpose(), b, c, beta);
  else eigen_product<T>(a.transpose(), b.transpose(), c, beta);
}

// Eigen's product runs 2-3x slower when B is very wide (benchmarks/results/gemm_shapes.md: a 3x3
// convolution, M = 32, K = 288, N = 19600: 42-54 GFLOP/s; in 512-column tiles: 130), and packs B
// into a heap buffer of K x (up to N) floats on every call once that exceeds Eigen's stack limit
// (128 KiB): allocated and freed per call, that costs page faults. So gemm computes C in tiles of
// at most 512 columns whose packed B fits that limit (a multiple of 64 columns, at least 64); the
// last tile also takes a remainder of fewer than 64 columns. Every tile is wide enough for
// Eigen's blocked kernel, starts at a multiple of its 4-column panels, and Eigen's depth blocking
// depends on K alone, so a column is computed alike in any tile: the tiles change no value.
Eigen::Index tile_columns(Eigen::Index depth) {
  constexpr Eigen::Index kStackFloats = 128 * 1024 / 4, kMaxTile = 512, kStep = 64;
  return std::clamp<Eigen::Index>(kStackFloats / std::max<Eigen::Index>(depth, 1) / kStep * kStep, kStep, kMaxTile);
}

}  // namespace

template <class T>
void gemm(GemmIn<T> a, Op op_a, GemmIn<T> b, Op op_b, GemmOut<T> c, T beta) {
  require_shapes<T>(a, op_a, b, op_b, c);
  const Eigen::Index n = c.cols(), tile = tile_columns(op_a == Op::none ? a.cols() : a.rows());
  for (Eigen::Index j = 0; j < n;) {
    const Eigen::Index width = n - j < tile + 64 ? n - j : tile;
    const GemmIn<T> b_tile = op_b == Op::none ? GemmIn<T>(b.middleCols(j, width)) : GemmIn<T>(b.middleRows(j, width));
    GemmOut<T> c_tile = c.middleCols(j, width);
    eigen_gemm<T>(a, op_a, b_tile, op_b, c_tile, beta);
    j += width;
  }
}

template <class T>
void fixed_shape_gemm(GemmIn<T> a, Op op_a, GemmIn<T> b, Op op_b, GemmOut<T> c, T beta) {
  require_shapes<T>(a, op_a, b, op_b, c);
#ifdef LOGP_HAVE_OPENBLAS
  if (c.size() == 0) return;
  if ((op_a == Op::none ? a.cols() : a.rows()) == 0) {  // K = 0: BLAS would refuse the leading sizes
    if (beta == T(0)) c.setZero(); else c *= beta;
    return;
  }
  release_blas_threads();  // one thread: the caller's
  blas_gemm(a, op_a, b, op_b, c, beta);
#else
  eigen_gemm<T>(a, op_a, b, op_b, c, beta);
#endif
}

void release_blas_threads() {
#ifdef LOGP_HAVE_OPENBLAS
  static std::once_flag once;
  std::call_once(once, [] {
    openblas_set_num_threads(1);
    if (blas_thread_shutdown_ != nullptr) blas_thread_shutdown_();
  });
#endif
}

#ifdef LOGP_HAVE_OPENBLAS
// At load: OpenBLAS, a library logp depends on, has started its pool by then (its own initializer
// runs first), and every program linking logp (the CLI, the benchmarks, the Python module) gets
// the cores back before its work starts.
[[maybe_unused]] const bool blas_threads_released_at_load = (release_blas_threads(), true);
#endif

void trmm_lower_for(ColumnPlaces places, GemmIn<double> l, GemmOut<double> b) {
  require(l.rows() == l.cols() && l.cols() == b.rows(), "trmm: L is " + std::to_string(l.rows()) + "x" +
                                                            std::to_string(l.cols()) + ", B has " +
                                                            std::to_string(b.rows()) + " rows");
  if (b.size() == 0) return;
#ifdef LOGP_HAVE_OPENBLAS
  if (places == ColumnPlaces::fixed) {
    release_blas_threads();  // one thread: the caller's
    cblas_dtrmm(CblasColMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, static_cast<blasint>(b.rows()),
                static_cast<blasint>(b.cols()), 1.0, l.data(), static_cast<blasint>(l.outerStride()), b.data(),
                static_cast<blasint>(b.outerStride()));
    return;
  }
#endif
  static_cast<void>(places);
  const Eigen::MatrixXd product = l.triangularView<Eigen::Lower>() * b;
  b = product;
}

void fixed_shape_syrk_lower(GemmIn<double> a, GemmOut<double> c) {
  require(c.rows() == c.cols() && c.rows() == a.rows(), "syrk: A is " + std::to_string(a.rows()) + "x" +
                                                            std::to_string(a.cols()) + ", C " +
                                                            std::to_string(c.rows()) + "x" + std::to_string(c.cols()));
  if (a.size() == 0) return;
#ifdef LOGP_HAVE_OPENBLAS
  release_blas_threads();  // one thread: the caller's
  cblas_dsyrk(CblasColMajor, CblasLower, CblasNoTrans, static_cast<blasint>(c.rows()), static_cast<blasint>(a.cols()),
              1.0, a.data(), static_cast<blasint>(a.outerStride()), 1.0, c.data(),
              static_cast<blasint>(c.outerStride()));
#else
  c.selfadjointView<Eigen::Lower>().rankUpdate(a);
#endif
}

const char* fixed_shape_gemm_backend() {
#ifdef LOGP_HAVE_OPENBLAS
  static const std::string name = std::string("OpenBLAS (") + openblas_get_corename() + ")";
  return name.c_str();
#else
  return "Eigen";
#endif
}

template void gemm<float>(GemmIn<float>, Op, GemmIn<float>, Op, GemmOut<float>, float);
template void gemm<double>(GemmIn<double>, Op, GemmIn<double>, Op, GemmOut<double>, double);
template void fixed_shape_gemm<float>(GemmIn<float>, Op, GemmIn<float>, Op, GemmOut<float>, float);
template void fixed_shape_gemm<double>(GemmIn<double>, Op, GemmIn<double>, Op, GemmOut<double>, double);

}  // namespace logp
