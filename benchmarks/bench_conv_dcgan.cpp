// The DCGAN's convolution layers alone (C = 32 on 28x28x1 images, kernel 4, stride 2, padding 1),
// forward + backward on the tape, as logp trains: the batch cut into shards of `shard` columns,
// each on its own tape and gradient buffer, the shards spread over `threads` TBB threads. The
// PyTorch peer is benchmarks/peers/conv_dcgan_torch.py (the same layers, the same loss, one
// batch); benchmarks/results/conv_dcgan_vs_pytorch.md has the commands.
//
//   bench_conv_dcgan [batch=64] [shard=32] [threads=1] [repeats=30]
// Each step: y = layer(x), loss = sum(y .* r) for a fixed r, backward (gradients of the input,
// weight and bias). Prints, per layer, the best-of-`repeats` milliseconds per step and a
// checksum of the input gradient (the same for any thread count).
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
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
  const Index batch = argc > 1 ? std::stol(argv[1]) : 64;
  const Index shard = argc > 2 ? std::stol(argv[2]) : 32;
  const int threads = argc > 3 ? std::stoi(argv[3]) : 1;
  const int repeats = argc > 4 ? std::stoi(argv[4]) : 30;
  const tbb::global_control control(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  const Index shards = (batch + shard - 1) / shard;
  // shape: in H, W, C, out C, kernel, stride, padding
  const std::vector<Layer> layers = {
      {"d_conv1 28x28x1->14x14x32", {28, 28, 1, 32, 4, 2, 1, 0}, false},
      {"d_conv2 14x14x32->7x7x64", {14, 14, 32, 64, 4, 2, 1, 0}, false},
      {"g_convT1 7x7x64->14x14x32", {7, 7, 64, 32, 4, 2, 1, 0}, true},
      {"g_convT2 14x14x32->28x28x1", {14, 14, 32, 1, 4, 2, 1, 0}, true},
  };
  std::printf("batch %ld in shards of %ld, %d thread(s), best of %d\n", static_cast<long>(batch),
              static_cast<long>(shard), threads, repeats);
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
    // per shard: its tape, its gradient buffers (weight, bias) and its input gradient's sum
    std::vector<std::unique_ptr<ad::Tape>> tapes;
    for (Index k = 0; k < shards; ++k) {
      tapes.push_back(std::make_unique<ad::Tape>());
      tapes.back()->set_column_places(ColumnPlaces::fixed);  // a training shard, as the trainers' tapes
    }
    std::vector<Matrix> gw(static_cast<std::size_t>(shards), Matrix::Zero(weight.rows(), weight.cols()));
    std::vector<Matrix> gb(static_cast<std::size_t>(shards), Matrix::Zero(bias.rows(), 1));
    std::vector<double> sums(static_cast<std::size_t>(shards));
    const auto run_shard = [&](Index k) {
      const std::size_t i = static_cast<std::size_t>(k);
      const Index first = k * shard, count = std::min(shard, batch - first);
      ad::Tape& tape = *tapes[i];
      tape.clear();
      const ad::Var in = tape.input(x.middleCols(first, count));
      const ad::Var w = tape.parameter(Eigen::Map<const Matrix>(weight.data(), weight.rows(), weight.cols()),
                                       Eigen::Map<Matrix>(gw[i].data(), weight.rows(), weight.cols()));
      const ad::Var b = tape.parameter(Eigen::Map<const Matrix>(bias.data(), bias.rows(), 1),
                                       Eigen::Map<Matrix>(gb[i].data(), bias.rows(), 1));
      const ad::Var y = l.transposed ? ad::conv_transpose2d(in, w, b, s) : ad::conv2d(in, w, b, s);
      const ad::Var loss = ad::sum(ad::mul(y, tape.constant(r.middleCols(first, count))));
      tape.backward(loss);
      sums[i] = static_cast<double>(tape.grad(in).sum());
    };
    double checksum = 0.0;
    // 0.3 s of untimed steps first: page faults of the tapes' first pass, and OpenBLAS's idle
    // threads, which spin for about 0.1 s after the library starts, settle before timing.
    const auto warm_up = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - warm_up < std::chrono::milliseconds(300))
      tbb::parallel_for(Index(0), shards, run_shard);
    const double seconds = bench::best_seconds(repeats, [&] {
      tbb::parallel_for(Index(0), shards, run_shard);
      checksum = 0.0;
      for (const double v : sums) checksum += v;
    });
    std::printf("| %s | %.3f | %.6g |\n", l.name, 1e3 * seconds, checksum);
  }
  return 0;
}
