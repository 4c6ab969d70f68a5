// Order-agnostic deep NADE (nade-oa): exact scoring and training throughput, and the NLL of a
// trained model on the first N examples of a split with a single ordering and with ensembles.
//
//   bench_deep_nade speed [data/fashion-mnist-binary.h5] [examples=200]
//     Untrained models (H = 100, 250, 500; 1 and 2 layers, relu): scoring examples/s with K=1 on
//     the first `examples` validation examples and training examples/s (batch 100, shards of 25,
//     gradient only), at 1 and 2 threads, best of 3. Nominal flops per example: scoring 2DH^2
//     with 2 layers (the GEMM; O(DH) terms left out) and 4DH with 1; training 2 (7DH + 3H^2)
//     (the GEMMs: forward 3DH + H^2 multiply-adds, backward 4DH + 2H^2; no H^2 terms with 1 layer).
//
//   bench_deep_nade score MODEL [data/fashion-mnist-binary.h5] [split=test] [examples=500] [K=8]
//     The model's ensemble is set to K orderings (ordering 0 is the model's first ordering, the
//     others drawn from its ordering seed) and each ordering's exact log p_o(x) is computed for
//     the first `examples` examples of `split`. Prints, for k = 1, 2, 4, ..., K, the mean NLL
//     (nats) +- its standard error, bits/dim, and the paired difference from k = 1 +- its s.e.;
//     the raster ordering's NLL for comparison; and the scoring rate in examples/s per ordering
//     (the K=1 rate) on all threads.
#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "bench_timer.hpp"
#include "logp/core/math.hpp"
#include "logp/data/dataset.hpp"
#include "logp/eval/score.hpp"
#include "logp/io/model_file.hpp"
#include "logp/models/nade/deep_nade.hpp"
#include "logp/train/parallel_gradient.hpp"

using namespace logp;

namespace {

struct MeanSe {
  double mean, se;
};

MeanSe mean_se(const Vector& v) {
  const double mean = v.mean();
  const double var = (v.array() - mean).square().sum() / static_cast<double>(std::max<Index>(v.size() - 1, 1));
  return {mean, std::sqrt(var / static_cast<double>(v.size()))};
}

// K x N per-ordering log-likelihoods, computed in parallel over blocks of examples.
MatrixD per_ordering_log_prob(const DeepNadeModel& model, const Matrix& x, Index block) {
  MatrixD out(static_cast<Index>(model.orderings().size()), x.cols());
  const Index blocks = (x.cols() + block - 1) / block;
  tbb::parallel_for(
      tbb::blocked_range<Index>(0, blocks, 1),
      [&](const tbb::blocked_range<Index>& range) {
        for (Index b = range.begin(); b != range.end(); ++b) {
          const Index first = b * block, count = std::min(block, x.cols() - first);
          out.middleCols(first, count) = model.log_prob_each_ordering(x.middleCols(first, count));
        }
      },
      tbb::simple_partitioner());
  return out;
}

int run_speed(const std::string& path, Index examples) {
  const DatasetSplit train_split = DatasetSplit::open(path, "train");
  const Index batch_size = 100, shard_size = 25, batches = 5;
  const Matrix train = train_split.read(0, batches * batch_size);
  const Matrix valid = DatasetSplit::open(path, "valid").read(0, examples);
  const double dim = static_cast<double>(train.rows());
  std::printf("nade-oa on %s, D=%ld; scoring: K=1 on %ld validation examples; training: %ld batches of %ld, "
              "shards of %ld (gradient only)\n\n",
              path.c_str(), static_cast<long>(train.rows()), static_cast<long>(examples), static_cast<long>(batches),
              static_cast<long>(batch_size), static_cast<long>(shard_size));
  std::printf("| H | layers | threads | score examples/s | ms/example | score GFLOP/s | train examples/s | "
              "train GFLOP/s |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (Index hidden : {100, 250, 500}) {
    for (int layers : {1, 2}) {
      DeepNadeOptions options;
      options.hidden = hidden;
      options.layers = layers;
      DeepNadeModel model(train_split.spec(), options);
      Rng init(0);
      model.initialize(init);
      const double h = static_cast<double>(hidden);
      const double score_flops = layers == 2 ? 2 * dim * h * h : 4 * dim * h;  // nominal, per example
      const double train_flops = 2 * (7 * dim * h + (layers == 2 ? 3 * h * h : 0));
      for (int threads : {1, 2}) {
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
        volatile double sink = 0.0;
        const double score_seconds = bench::best_seconds(3, [&] { sink = sink + parallel_log_prob(model, valid, 8).sum(); });
        std::vector<float> grad(static_cast<size_t>(model.parameters().size()));
        ShardGradients shards(model.parameters().size());  // reused every batch, as the trainer does
        const double train_seconds = bench::best_seconds(3, [&] {
          const Rng rng(1);
          for (Index b = 0; b < batches; ++b)
            sink = sink + shards.compute(model, train.middleCols(b * batch_size, batch_size), shard_size, rng, grad);
        });
        const double score_rate = static_cast<double>(examples) / score_seconds;
        const double train_rate = static_cast<double>(batches * batch_size) / train_seconds;
        std::printf("| %ld | %d | %d | %.1f | %.2f | %.1f | %.0f | %.1f |\n", static_cast<long>(hidden), layers, threads,
                    score_rate, 1e3 / score_rate, score_rate * score_flops / 1e9, train_rate,
                    train_rate * train_flops / 1e9);
        std::fflush(stdout);
      }
    }
  }
  return 0;
}

int run_score(const std::string& model_path, const std::string& path, const std::string& split, Index examples,
              int orderings) {
  const std::unique_ptr<Model> loaded = load_model(model_path);
  auto* model = dynamic_cast<DeepNadeModel*>(loaded.get());
  if (model == nullptr) {
    std::fprintf(stderr, "%s: not a nade-oa model\n", model_path.c_str());
    return 1;
  }
  const DatasetSplit data = DatasetSplit::open(path, split);
  model->data_spec().check_accepts(data.spec(), data.where());
  examples = std::min(examples, data.size());
  const Matrix x = data.read(0, examples);
  model->set_ensemble_size(orderings);
  std::printf("%s (%s, %ld parameters)\nscored on the first %ld examples of %s; exact log-likelihoods\n\n",
              model_path.c_str(), model->hyperparameters().c_str(), static_cast<long>(model->num_parameters()),
              static_cast<long>(examples), data.where().c_str());
  const auto start = std::chrono::steady_clock::now();
  const MatrixD per_ordering = per_ordering_log_prob(*model, x, 4);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const double bits = 1.0 / (static_cast<double>(model->dim()) * ln2);
  const Vector single = DeepNadeModel::ensemble_log_prob(per_ordering, 1);
  std::printf("| orderings K | mean NLL (nats) | s.e. | bits/dim | NLL - NLL(K=1) | s.e. (paired) |\n"
              "|---:|---:|---:|---:|---:|---:|\n");
  std::vector<Index> ks;
  for (Index k = 1; k < orderings; k *= 2) ks.push_back(k);
  ks.push_back(orderings);
  for (Index k : ks) {
    const Vector lp = DeepNadeModel::ensemble_log_prob(per_ordering, k);
    const MeanSe nll = mean_se(-lp);
    const MeanSe diff = mean_se(single - lp);
    std::printf("| %ld | %.3f | %.3f | %.4f | %+.3f | %.3f |\n", static_cast<long>(k), nll.mean, nll.se,
                nll.mean * bits, diff.mean, diff.se);
  }
  // The mean NLL of each single ordering: how much the orderings differ; and the raster ordering's.
  std::printf("\nsingle orderings' mean NLL:");
  for (Index k = 0; k < per_ordering.rows(); ++k) std::printf(" %.3f", -per_ordering.row(k).mean());
  std::vector<Index> raster(static_cast<size_t>(model->dim()));
  for (Index d = 0; d < model->dim(); ++d) raster[static_cast<size_t>(d)] = d;
  Vector raster_lp(x.cols());
  tbb::parallel_for(tbb::blocked_range<Index>(0, x.cols(), 4), [&](const tbb::blocked_range<Index>& range) {
    deep_nade_log_prob<float>(model->weights(), model->shape(), raster, x.middleCols(range.begin(), range.size()),
                              raster_lp.segment(range.begin(), range.size()));
  });
  const MeanSe raster_nll = mean_se(-raster_lp), raster_diff = mean_se(single - raster_lp);
  std::printf("\nraster ordering: mean NLL %.3f +- %.3f; minus NLL(K=1) %+.3f +- %.3f (paired)",
              raster_nll.mean, raster_nll.se, raster_diff.mean, raster_diff.se);
  const double per_ordering_rate = static_cast<double>(examples * per_ordering.rows()) / seconds;
  std::printf("\n\nscoring: %.1f s for %ld examples x %ld orderings on all threads: %.1f examples/s per ordering "
              "(%.1f ms per example and ordering)\n",
              seconds, static_cast<long>(examples), static_cast<long>(per_ordering.rows()), per_ordering_rate,
              1e3 / per_ordering_rate);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "speed";
  try {
    if (mode == "speed")
      return run_speed(argc > 2 ? argv[2] : "data/fashion-mnist-binary.h5", argc > 3 ? std::stol(argv[3]) : 200);
    if (mode == "score" && argc > 2)
      return run_score(argv[2], argc > 3 ? argv[3] : "data/fashion-mnist-binary.h5", argc > 4 ? argv[4] : "test",
                       argc > 5 ? std::stol(argv[5]) : 500, argc > 6 ? std::stoi(argv[6]) : 8);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  std::fprintf(stderr,
               "usage: bench_deep_nade speed [DATA] [examples]\n"
               "       bench_deep_nade score MODEL [DATA] [split] [examples] [K]\n");
  return 2;
}
