// Eigen's float GEMM against OpenBLAS's sgemm (one BLAS thread, as inside one TBB shard) on the
// shapes logp's models actually multiply: the VAE's dense layers (row blocks of about 256 rows,
// nn/dense.hpp), its decoder chunks in IWAE evaluation, and the im2col products of the conv
// layers (PixelCNN, DCGAN).
//
//   bench_gemm_shapes [repeats=20]
// Prints one Markdown row per shape: C[M x N] (+)= op(A) op(B) with K the inner size, GFLOP/s of
// each and the OpenBLAS / Eigen ratio. Without CBLAS at build time the OpenBLAS columns are nan.
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "bench_timer.hpp"
#include "logp/core/rng.hpp"
#include "logp/core/types.hpp"

#ifdef LOGP_HAVE_CBLAS
#include <cblas.h>
extern "C" void openblas_set_num_threads(int);
#endif

using namespace logp;

namespace {

enum class Form { nn, nt, tn };  // C = A B, C += A B^T (weight gradients), C += A^T B (input gradients)

struct Shape {
  const char* use;
  Index m, n, k;
  Form form;
};

Matrix random_matrix(Index rows, Index cols, Rng& rng) {
  Matrix a(rows, cols);
  for (Index i = 0; i < a.size(); ++i) a(i) = static_cast<float>(rng.normal());
  return a;
}

// A [M x K] (stored K x M for A^T B), B [K x N] (stored N x K for A B^T), C [M x N].
struct Operands {
  Matrix a, b, c;
  Operands(const Shape& s, Rng& rng)
      : a(s.form == Form::tn ? random_matrix(s.k, s.m, rng) : random_matrix(s.m, s.k, rng)),
        b(s.form == Form::nt ? random_matrix(s.n, s.k, rng) : random_matrix(s.k, s.n, rng)),
        c(Matrix::Zero(s.m, s.n)) {}
};

double eigen_seconds(const Shape& s, int repeats, Operands& x) {
  return bench::best_seconds(repeats, [&] {
    switch (s.form) {
      case Form::nn: x.c.noalias() = x.a * x.b; break;
      case Form::nt: x.c.noalias() += x.a * x.b.transpose(); break;
      case Form::tn: x.c.noalias() += x.a.transpose() * x.b; break;
    }
  });
}

// NaN without CBLAS at build time.
double blas_seconds([[maybe_unused]] const Shape& s, [[maybe_unused]] int repeats, [[maybe_unused]] Operands& x) {
#ifdef LOGP_HAVE_CBLAS
  const auto ta = s.form == Form::tn ? CblasTrans : CblasNoTrans;
  const auto tb = s.form == Form::nt ? CblasTrans : CblasNoTrans;
  const float beta = s.form == Form::nn ? 0.0f : 1.0f;
  const int m = static_cast<int>(s.m), n = static_cast<int>(s.n), k = static_cast<int>(s.k);
  return bench::best_seconds(repeats, [&] {
    cblas_sgemm(CblasColMajor, ta, tb, m, n, k, 1.0f, x.a.data(), static_cast<int>(x.a.rows()), x.b.data(),
                static_cast<int>(x.b.rows()), beta, x.c.data(), m);
  });
#else
  return std::numeric_limits<double>::quiet_NaN();
#endif
}

const char* form_name(Form form) { return form == Form::nn ? "A B" : form == Form::nt ? "A B^T" : "A^T B"; }

}  // namespace

int main(int argc, char** argv) {
  const int repeats = argc > 1 ? std::stoi(argv[1]) : 20;
#ifdef LOGP_HAVE_CBLAS
  openblas_set_num_threads(1);
#endif
  // VAE 784-500-500-50, batch 100 as one shard: forward W x, weight gradient G x^T, input
  // gradient W^T G, on the row blocks nn/dense.hpp cuts (500 rows -> 2 x 250, 784 -> 4 x 196).
  const std::vector<Shape> shapes = {
      {"vae enc1 forward", 250, 100, 784, Form::nn},  {"vae enc2 forward", 250, 100, 500, Form::nn},
      {"vae dec3 forward", 196, 100, 500, Form::nn},  {"vae enc1 dW", 250, 784, 100, Form::nt},
      {"vae enc2 dW", 250, 500, 100, Form::nt},       {"vae dec3 dW", 196, 500, 100, Form::nt},
      {"vae dec3 dX", 250, 100, 196, Form::tn},       {"vae enc2 dX", 250, 100, 250, Form::tn},
      {"vae shard 25 fwd", 250, 25, 784, Form::nn},   {"vae shard 25 dW", 250, 784, 25, Form::nt},
      {"iwae dec1 (chunk 1000)", 250, 1000, 50, Form::nn},
      {"iwae dec2 (chunk 1000)", 250, 1000, 500, Form::nn},
      {"iwae dec3 (chunk 1000)", 196, 1000, 500, Form::nn},
      {"pixelcnn 3x3 h32, 25 images", 32, 784 * 25, 288, Form::nn},
      {"pixelcnn 3x3 dW", 32, 288, 784 * 25, Form::nt},
      {"pixelcnn 3x3 dcols", 288, 784 * 25, 32, Form::tn},
      {"pixelcnn 3x3 h32, 512-column tile", 32, 512, 288, Form::nn},
      {"pixelcnn 3x3 dW, 512-column tile", 32, 288, 512, Form::nt},
      {"pixelcnn 3x3 dcols, 512-column tile", 288, 512, 32, Form::tn},
      {"dcgan d conv2 4x4 64->128", 128, 49 * 25, 1024, Form::nn},
      {"dcgan d conv2 dW", 128, 1024, 49 * 25, Form::nt},
      {"dcgan g convT 128->64 cols", 1024, 49 * 25, 128, Form::tn},
  };
  Rng rng(3);
  std::printf("| use | M | N | K | form | Eigen GFLOP/s | OpenBLAS GFLOP/s | OpenBLAS / Eigen |\n");
  std::printf("|---|---:|---:|---:|---|---:|---:|---:|\n");
  for (const Shape& s : shapes) {
    const double flops = 2.0 * static_cast<double>(s.m) * static_cast<double>(s.n) * static_cast<double>(s.k);
    Operands operands(s, rng);
    const double eigen = flops / eigen_seconds(s, repeats, operands) * 1e-9;
    const double blas = flops / blas_seconds(s, repeats, operands) * 1e-9;  // NaN: not built with CBLAS
    std::printf("| %s | %ld | %ld | %ld | %s | %.1f | %.1f | %.2f |\n", s.use, static_cast<long>(s.m),
                static_cast<long>(s.n), static_cast<long>(s.k), form_name(s.form), eigen, blas, blas / eigen);
  }
  return 0;
}
