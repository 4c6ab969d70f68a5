#pragma once
// The matrix products of logp's dense and convolution layers and of its Gaussian mixtures' EM:
//   C = op(A) op(B) + beta C   on column-major blocks (float or double, any outer stride).
// Two entry points, because the fastest GEMM is not column-invariant:
// - gemm (values whose columns may sit anywhere in a batch: evaluation) is Eigen's product. Each
//   column of C is computed the same way wherever it sits in B, so a column's value is the same
//   alone and in any batch.
// - fixed_shape_gemm (products whose shapes and column places the caller fixes: training shards,
//   forward and backward; one example's own draws in the VAE's estimates) calls OpenBLAS when logp
//   is built with it (CMake option LOGP_BLAS), limited to one thread so that the calling TBB thread
//   runs the product. OpenBLAS rounds a column differently at different positions of its
//   micro-kernel (a feature network's column changed by 1 ulp when moved by one place), which is
//   harmless where every column's place is part of the computation's definition.
// gemm_for picks one of the two by ColumnPlaces. Either way C depends only on the operands'
// shapes and values, never on the thread count.
// The measurements behind the choice: benchmarks/results/gemm_shapes.md.
#include <Eigen/Core>

namespace logp {

enum class Op { none, transpose };

template <class T>
using GemmIn = Eigen::Ref<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>, 0, Eigen::OuterStride<>>;
template <class T>
using GemmOut = Eigen::Ref<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>, 0, Eigen::OuterStride<>>;

// C [M, N] = op_a(A) [M, K] op_b(B) [K, N] + beta C. With beta = 0, C's old values are ignored
// (NaN included). Shapes are checked.
template <class T>
void gemm(GemmIn<T> a, Op op_a, GemmIn<T> b, Op op_b, GemmOut<T> c, T beta = T(0));
template <class T>
void fixed_shape_gemm(GemmIn<T> a, Op op_a, GemmIn<T> b, Op op_b, GemmOut<T> c, T beta = T(0));

// The backend of fixed_shape_gemm in this build: "OpenBLAS (<core>)" or "Eigen".
const char* fixed_shape_gemm_backend();

// OpenBLAS (pthreads build) starts a pool of threads when it is loaded, which spin for about 0.1 s
// before they sleep: CPU taken from TBB's workers. logp runs every BLAS call on one thread (the
// caller's), so this sets one thread and stops the pool; logp calls it when it is loaded (a static
// initializer in gemm.cpp) and before each BLAS call. Idempotent; nothing without OpenBLAS.
void release_blas_threads();

// Whether the caller fixes where each column of B sits (fixed: fixed_shape_gemm may be used) or a
// column must get the same value at any place (vary: gemm).
enum class ColumnPlaces { vary, fixed };

template <class T>
void gemm_for(ColumnPlaces places, GemmIn<T> a, Op op_a, GemmIn<T> b, Op op_b, GemmOut<T> c, T beta = T(0)) {
  if (places == ColumnPlaces::fixed)
    fixed_shape_gemm<T>(a, op_a, b, op_b, c, beta);
  else
    gemm<T>(a, op_a, b, op_b, c, beta);
}

// The triangular products of the Gaussian mixtures (double), under the same two-backend rule:
// b [M, N] = L b in place, L [M, M] lower triangular (its upper triangle is not read).
void trmm_lower_for(ColumnPlaces places, GemmIn<double> l, GemmOut<double> b);
// The lower triangle of c [M, M] += a a^T, a [M, K] (c's strict upper triangle is not touched): a
// sum over a's columns whose order the caller fixes (an EM fit's blocks of examples).
void fixed_shape_syrk_lower(GemmIn<double> a, GemmOut<double> c);

extern template void gemm<float>(GemmIn<float>, Op, GemmIn<float>, Op, GemmOut<float>, float);
extern template void gemm<double>(GemmIn<double>, Op, GemmIn<double>, Op, GemmOut<double>, double);
extern template void fixed_shape_gemm<float>(GemmIn<float>, Op, GemmIn<float>, Op, GemmOut<float>, float);
extern template void fixed_shape_gemm<double>(GemmIn<double>, Op, GemmIn<double>, Op, GemmOut<double>, double);

}  // namespace logp
