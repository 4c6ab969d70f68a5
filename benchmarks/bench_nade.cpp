// NADE training and scoring throughput (examples/s) at 1 and 2 threads, against an Eigen sgemm
// measured in the same run.
//   build/bench_nade [data/fashion-mnist-binary.h5] [hidden=500] [batches=30] [score_examples=4000]
// Training: `batches` steps of batch 100 (shards of 25) with Adam, best of 3. Scoring:
// parallel_log_prob over the first `score_examples` validation examples, best of 3.
// GFLOP/s use nominal dense counts per example: scoring 4DH (the dot V_d.h_k and the update
// a += W_d x_d over every position), training 12DH (GEMM 2DH + backward sweep 10DH); the
// sgemm reference is an H x D times D x 100 product, single-threaded like one TBB worker.
#include <tbb/global_control.h>

#include <cstdio>
#include <string>

#include "bench_timer.hpp"
#include "logp/data/dataset.hpp"
#include "logp/eval/score.hpp"
#include "logp/models/nade/nade.hpp"
#include "logp/train/optimizer.hpp"
#include "logp/train/parallel_gradient.hpp"

using namespace logp;

namespace {

double sgemm_gflops(Index hidden, Index dim) {
  Matrix a = Matrix::Random(hidden, dim), b = Matrix::Random(dim, 100), c(hidden, 100);
  const double seconds = bench::best_seconds(20, [&] { c.noalias() = a * b; });
  return 2.0 * static_cast<double>(hidden * dim * 100) / seconds / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "data/fashion-mnist-binary.h5";
  const Index hidden = argc > 2 ? std::stol(argv[2]) : 500;
  const Index batches = argc > 3 ? std::stol(argv[3]) : 30;
  const Index score_examples = argc > 4 ? std::stol(argv[4]) : 4000;
  const Index batch_size = 100, shard_size = 25;

  const DatasetSplit train_split = DatasetSplit::open(path, "train");
  const Matrix train = train_split.read(0, batches * batch_size);
  const Matrix valid = DatasetSplit::open(path, "valid").read(0, score_examples);
  const Index dim = train.rows();
  NadeOptions options;
  options.hidden = hidden;
  NadeModel model(train_split.spec(), options);
  Rng init(0);
  model.initialize(init);
  const std::vector<float> initial = model.parameters().copy_values();

  const double dh = static_cast<double>(dim * hidden);
  const double gemm = sgemm_gflops(hidden, dim);
  std::printf("NADE D=%ld H=%ld on %s; batch %ld, shards of %ld; Eigen sgemm (%ldx%ld * %ldx100): %.1f GFLOP/s\n\n",
              static_cast<long>(dim), static_cast<long>(hidden), path.c_str(), static_cast<long>(batch_size),
              static_cast<long>(shard_size), static_cast<long>(hidden), static_cast<long>(dim),
              static_cast<long>(dim), gemm);
  std::printf("| threads | train examples/s | train GFLOP/s | score examples/s | score GFLOP/s |\n");
  std::printf("|---:|---:|---:|---:|---:|\n");
  for (int threads : {1, 2}) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
    std::vector<float> grad(initial.size());
    ShardGradients shards(model.parameters().size());  // reused every batch, as the trainer does
    const double train_seconds = bench::best_seconds(3, [&] {
      std::copy(initial.begin(), initial.end(), model.parameters().values().begin());
      Optimizer adam(OptimizerOptions{}, model.parameters().size());
      const Rng rng(1);
      for (Index b = 0; b < batches; ++b) {
        shards.compute(model, train.middleCols(b * batch_size, batch_size), shard_size, rng, grad);
        for (float& g : grad) g /= static_cast<float>(batch_size);
        adam.step(model.parameters().values(), grad, 0);
      }
    });
    volatile double sink = 0.0;
    const double score_seconds = bench::best_seconds(3, [&] { sink = sink + parallel_log_prob(model, valid).sum(); });
    const double train_rate = static_cast<double>(batches * batch_size) / train_seconds;
    const double score_rate = static_cast<double>(score_examples) / score_seconds;
    std::printf("| %d | %.0f | %.1f | %.0f | %.1f |\n", threads, train_rate, train_rate * 12 * dh / 1e9, score_rate,
                score_rate * 4 * dh / 1e9);
  }
  return 0;
}
