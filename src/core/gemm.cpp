#include "logp/core/gemm.hpp"

#include <string>

#include "logp/core/error.hpp"

#ifdef LOGP_HAVE_OPENBLAS
#include <cblas.h>

#include <mutex>
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
// OpenBLAS starts its own thread pool; one thread per call keeps TBB the only owner of the cores.
void use_one_blas_thread() {
  static std::once_flag once;
  std::call_once(once, [] { openblas_set_num_threads(1); });
}

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

}  // namespace

template <class T>
void gemm(GemmIn<T> a, Op op_a, GemmIn<T> b, Op op_b, GemmOut<T> c, T beta) {
  require_shapes<T>(a, op_a, b, op_b, c);
  eigen_gemm<T>(a, op_a, b, op_b, c, beta);
}

template <class T>
void gradient_gemm(GemmIn<T> a, Op op_a, GemmIn<T> b, Op op_b, GemmOut<T> c, T beta) {
  require_shapes<T>(a, op_a, b, op_b, c);
#ifdef LOGP_HAVE_OPENBLAS
  if (c.size() == 0) return;
  if ((op_a == Op::none ? a.cols() : a.rows()) == 0) {  // K = 0: BLAS would refuse the leading sizes
    if (beta == T(0)) c.setZero(); else c *= beta;
    return;
  }
  use_one_blas_thread();
  blas_gemm(a, op_a, b, op_b, c, beta);
#else
  eigen_gemm<T>(a, op_a, b, op_b, c, beta);
#endif
}

const char* gradient_gemm_backend() {
#ifdef LOGP_HAVE_OPENBLAS
  static const std::string name = std::string("OpenBLAS (") + openblas_get_corename() + ")";
  return name.c_str();
#else
  return "Eigen";
#endif
}

template void gemm<float>(GemmIn<float>, Op, GemmIn<float>, Op, GemmOut<float>, float);
template void gemm<double>(GemmIn<double>, Op, GemmIn<double>, Op, GemmOut<double>, double);
template void gradient_gemm<float>(GemmIn<float>, Op, GemmIn<float>, Op, GemmOut<float>, float);
template void gradient_gemm<double>(GemmIn<double>, Op, GemmIn<double>, Op, GemmOut<double>, double);

}  // namespace logp
