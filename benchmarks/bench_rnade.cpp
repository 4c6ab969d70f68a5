// RNADE throughput on real data: exact scoring and training examples/s of an untrained model.
//
//   bench_rnade [data/fashion-mnist-8bit.h5] [examples=500] [threads=1]
//     The first `examples` training examples, dequantized (one u per example), logit-transformed
//     (a = 1e-6) and standardized with the statistics of those examples, as `logp fit --model rnade
//     --dequantize --logit --standardize` feeds them to the model. For H in {100, 300} and K in
//     {5, 10} (relu, raster): log_prob examples/s (blocks of 128, as `logp score`), and
//     objective_and_grad examples/s (batches of 100 in shards of 25, as `logp fit`), best of 3, on
//     `threads` TBB threads, per wall-clock second and per CPU-second of the process (the GFLOP/s
//     columns use CPU-seconds). Nominal flops per example: scoring 2 D H 3K (the output GEMM) +
//     2 D H (the input update); training 3 x 2 D H 3K + 3 x 2 D H.
#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <limits>
#include <cstdio>
#include <string>
#include <vector>

#include "bench_timer.hpp"
#include "logp/data/dataset.hpp"
#include "logp/eval/score.hpp"
#include "logp/models/rnade/rnade.hpp"
#include "logp/train/parallel_gradient.hpp"

using namespace logp;

namespace {

// The least process CPU time (seconds) of `repeats` runs of fn: on a shared, oversubscribed
// machine a rate per CPU-second is steadier than one per wall-clock second.
template <typename Fn>
double best_cpu_seconds(int repeats, Fn&& fn) {
  double best = std::numeric_limits<double>::infinity();
  for (int r = 0; r < repeats; ++r) {
    timespec start{}, end{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &start);
    fn();
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &end);
    best = std::min(best, static_cast<double>(end.tv_sec - start.tv_sec) +
                              1e-9 * static_cast<double>(end.tv_nsec - start.tv_nsec));
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "data/fashion-mnist-8bit.h5";
  const Index examples = argc > 2 ? std::stol(argv[2]) : 500;
  const int threads = argc > 3 ? std::stoi(argv[3]) : 1;
  tbb::global_control control(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));

  const DatasetSplit train = DatasetSplit::open(path, "train");
  const Matrix raw = train.read(0, examples);  // D x N, 0..255
  const Index dim = raw.rows();
  Rng noise(1);
  Matrix z(dim, examples);
  const double a = 1e-6;
  for (Index k = 0; k < z.size(); ++k) {
    const double v = a + (1 - 2 * a) * (raw.data()[k] + noise.uniform()) / 256.0;
    z.data()[k] = static_cast<float>(std::log(v) - std::log1p(-v));
  }
  for (Index d = 0; d < dim; ++d) {
    const float mean = z.row(d).mean();
    const float sd = std::sqrt((z.row(d).array() - mean).square().mean());
    z.row(d) = (z.row(d).array() - mean) / std::max(sd, 1e-3f);
  }
  DataSpec spec;
  spec.kind = DataKind::real;
  spec.levels = 0;
  spec.dim = dim;

  std::printf("data %s: first %ld training examples, D=%ld, dequantized+logit+standardized; %d thread(s)\n",
              path.c_str(), static_cast<long>(examples), static_cast<long>(dim), threads);
  std::printf("%6s %4s %12s %12s %16s %16s %14s %14s\n", "H", "K", "score ex/s", "train ex/s", "score ex/CPU-s",
              "train ex/CPU-s", "score GFLOP/s", "train GFLOP/s");
  for (const Index hidden : {100, 300}) {
    for (const Index components : {5, 10}) {
      RnadeOptions options;
      options.hidden = hidden;
      options.components = components;
      RnadeModel model(spec, options);
      Rng init(0);
      model.initialize(init);
      Vector lp;
      const auto score_pass = [&] { lp = parallel_log_prob(model, z, 128); };
      const double score_s = bench::best_seconds(3, score_pass);
      const double score_cpu = best_cpu_seconds(3, score_pass);
      std::vector<float> grad(static_cast<std::size_t>(model.parameters().size()));
      ShardGradients shards(model.parameters().size());  // reused every batch, as the trainer does
      const Rng rng(2);
      double nll = 0.0;
      const auto train_pass = [&] {
        for (Index first = 0; first + 100 <= examples; first += 100)
          nll += shards.compute(model, z.middleCols(first, 100), 25, rng, grad);
      };
      const double train_s = bench::best_seconds(3, train_pass);
      const double train_cpu = best_cpu_seconds(3, train_pass);
      const double trained = static_cast<double>(examples / 100 * 100);
      const double flops_score = 2.0 * dim * hidden * (3 * components + 1);
      const double score_rate = examples / score_s, train_rate = trained / train_s;
      const double score_cpu_rate = examples / score_cpu, train_cpu_rate = trained / train_cpu;
      std::printf("%6ld %4ld %12.0f %12.0f %16.0f %16.0f %14.2f %14.2f   (mean NLL %.1f nats, transformed scale)\n",
                  static_cast<long>(hidden), static_cast<long>(components), score_rate, train_rate, score_cpu_rate,
                  train_cpu_rate, score_cpu_rate * flops_score * 1e-9, train_cpu_rate * 3 * flops_score * 1e-9,
                  -lp.mean());
    }
  }
  return 0;
}
