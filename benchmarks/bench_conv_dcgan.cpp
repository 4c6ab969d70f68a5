// The DCGAN's convolution layers alone (C = 32 on 28x28x1 images, kernel 4, stride 2, padding 1),
// forward + backward on the tape, one thread (as inside one TBB shard). The PyTorch peer is
// benchmarks/peers/conv_dcgan_torch.py (the same layers, the same loss); the comparison script is
// benchmarks/conv_dcgan_vs_pytorch.sh.
//
//   bench_conv_dcgan [batch=32] [repeats=30]
// Each step: y = layer(x), loss = sum(y .* r) for a fixed r, backward (gradients of the input,
// weight and bias). Prints, per layer, the best-of-`repeats` milliseconds per step and a
// checksum of the input gradient.
#include <cstdio>
#include <string>
#include <vector>

#include "bench_timer.hpp"
#include "logp/autodiff/ops.hpp"
#include "logp/core/rng.hpp"

using namespace logp;

namespace {

struct Layer {
  const char* name;
  ad::Conv2dShape shape;
  bool transposed;
};

Matrix random_matrix(Index rows, Index cols, Rng& rng, float scale) {
  Matrix m(rows, cols);
  for (Index k = 0; k < m.size(); ++k) m(k) = scale * static_cast<float>(rng.normal());
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  const Index batch = argc > 1 ? std::stol(argv[1]) : 32;
  const int repeats = argc > 2 ? std::stoi(argv[2]) : 30;
  // shape: in H, W, C, out C, kernel, stride, padding
  const std::vector<Layer> layers = {
      {"d_conv1 28x28x1->14x14x32", {28, 28, 1, 32, 4, 2, 1, 0}, false},
      {"d_conv2 14x14x32->7x7x64", {14, 14, 32, 64, 4, 2, 1, 0}, false},
      {"g_convT1 7x7x64->14x14x32", {7, 7, 64, 32, 4, 2, 1, 0}, true},
      {"g_convT2 14x14x32->28x28x1", {14, 14, 32, 1, 4, 2, 1, 0}, true},
  };
  std::printf("batch %ld, best of %d, one thread\n", static_cast<long>(batch), repeats);
  std::printf("| layer | ms/step (fwd+bwd) | checksum dx |\n|---|---:|---:|\n");
  Rng rng(7);
  for (const Layer& l : layers) {
    const ad::Conv2dShape& s = l.shape;
    const Index out_size = l.transposed ? s.transposed_height() * s.transposed_width() * s.out_channels
                                        : s.conv_height() * s.conv_width() * s.out_channels;
    const Matrix x = random_matrix(s.in_size(), batch, rng, 1.0f);
    const Matrix r = random_matrix(out_size, batch, rng, 1.0f);
    Matrix weight = l.transposed ? random_matrix(s.in_channels, s.kernel * s.kernel * s.out_channels, rng, 0.02f)
                                 : random_matrix(s.out_channels, s.kernel * s.kernel * s.in_channels, rng, 0.02f);
    Matrix bias = Matrix::Zero(s.out_channels, 1);
    Matrix gw = Matrix::Zero(weight.rows(), weight.cols()), gb = Matrix::Zero(bias.rows(), 1);
    ad::Tape tape;
    double checksum = 0.0;
    const double seconds = bench::best_seconds(repeats, [&] {
      tape.clear();
      const ad::Var in = tape.input(x);
      const ad::Var w = tape.parameter(Eigen::Map<const Matrix>(weight.data(), weight.rows(), weight.cols()),
                                       Eigen::Map<Matrix>(gw.data(), gw.rows(), gw.cols()));
      const ad::Var b = tape.parameter(Eigen::Map<const Matrix>(bias.data(), bias.rows(), 1),
                                       Eigen::Map<Matrix>(gb.data(), gb.rows(), 1));
      const ad::Var y = l.transposed ? ad::conv_transpose2d(in, w, b, s) : ad::conv2d(in, w, b, s);
      const ad::Var loss = ad::sum(ad::mul(y, tape.constant(r)));
      tape.backward(loss);
      checksum = static_cast<double>(tape.grad(in).sum());
    });
    std::printf("| %s | %.3f | %.6g |\n", l.name, 1e3 * seconds, checksum);
  }
  return 0;
}
